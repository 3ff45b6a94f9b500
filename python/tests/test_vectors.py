"""The repository's shared vectors (``tests/vectors``), through the public Python API.

- validation.json: every invalid value raises ``ValidationError`` with the vector's field and
  rule, and nothing reaches the terminal (the simulator's request log stays empty); every valid
  one is accepted.
- requests.json: the request a call builds (method, path, query, body) is exactly the vector's;
  the simulator then sees the same path and query.
- responses.json: a terminal answering the vector's raw bytes (status and body) gives the
  vector's normalized reply (the models' ``to_dict()``; values the core could not read kept
  under their wire names) or its error; the models read the normalized replies and write them
  back unchanged.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import Firmware, model_of, python_args, vectors

import actatek
from actatek import _actatek
from actatek.testing import Simulator

VALIDATION = vectors("validation.json")
REQUESTS = vectors("requests.json")
RESPONSES = vectors("responses.json")


def case_id(c: dict[str, Any]) -> str:
    return f"{c.get('rule', '')}-{c['operation']}-{json.dumps(c['input'], sort_keys=True)[:60]}"


def call(t: actatek.Client, case: dict[str, Any]) -> Any:
    if case["operation"] == "time_pattern_from_ranges":
        return actatek.TimePattern.from_ranges(case["input"]["ranges"])
    return getattr(t, case["operation"])(**python_args(case["operation"], case["input"]))


@pytest.fixture(scope="module")
def vsim() -> Any:
    with Simulator(users=10, logs=50) as s:
        yield s


INVALID = [c for c in VALIDATION if not c["valid"]]
VALID = [c for c in VALIDATION if c["valid"]]


def test_every_rule_is_covered() -> None:
    rules = {c["rule"] for c in VALIDATION}
    assert rules <= set(actatek.RULES)
    assert len(INVALID) > 150 and len(VALID) > 100


@pytest.mark.parametrize("case", INVALID, ids=case_id)
def test_invalid_value_raises_and_sends_nothing(case: dict[str, Any], vsim: Simulator) -> None:
    with vsim.client() as t:
        before = vsim.request_count()
        with pytest.raises(actatek.ValidationError) as info:
            call(t, case)
        err = info.value
        assert (err.field, err.rule) == (case["field"], case["rule"]), str(err)
        assert isinstance(err, ValueError) and isinstance(err, actatek.ActatekError)
        assert err.errors[0].field == err.field
        assert vsim.request_count() == before, "a request was sent for an invalid value"


@pytest.mark.parametrize("case", VALID, ids=case_id)
def test_valid_value_is_accepted(case: dict[str, Any], vsim: Simulator) -> None:
    with vsim.client() as t:
        try:
            call(t, case)
        except actatek.ApiError:
            pass  # the terminal may refuse it for its state (no such user, …): it was sent


def wire_input(case: dict[str, Any]) -> dict[str, Any]:
    """The vector's input after a trip through the public API's argument handling."""
    op = actatek.OPERATIONS[case["operation"]]
    return op.wire_input(python_args(case["operation"], case["input"]))


@pytest.mark.parametrize("case", REQUESTS, ids=lambda c: c["name"])
def test_request_is_the_vectors(case: dict[str, Any]) -> None:
    session = case.get("session", "1805350299")
    method, url, body = _actatek.build_request(case["operation"], wire_input(case), session)
    expect = case["expect"]
    assert (method, url) == (expect["method"], expect["url"])
    if expect["body"] is None:
        assert body is None
    else:
        assert json.loads(body) == expect["body"]


@pytest.mark.parametrize("case", REQUESTS, ids=lambda c: c["name"])
def test_simulator_sees_the_vectors_request(case: dict[str, Any], vsim: Simulator) -> None:
    vsim.clear_requests()
    with vsim.client() as t:
        try:
            call(t, case)
        except actatek.ApiError:
            pass
    seen = [r for r in vsim.requests() if r["operation"] == case["operation"]]
    assert seen, vsim.requests()
    expect = urlsplit(case["expect"]["url"])
    session = case.get("session", "1805350299")
    assert seen[-1]["method"] == case["expect"]["method"]
    assert seen[-1]["path"] == expect.path.replace(f"/{session}", "/***")
    assert (seen[-1]["query"] or "") == expect.query


def reply_model(case: dict[str, Any]) -> Any:
    return model_of(actatek.OPERATIONS[case["operation"]].reply)


READABLE = [c for c in RESPONSES if "expect" in c]


def valid_input(operation: str) -> dict[str, Any]:
    """A valid wire-form input of the operation, from the request or validation vectors."""
    for c in REQUESTS:
        if c["operation"] == operation:
            return dict(c["input"])
    return dict(next(c["input"] for c in VALID if c["operation"] == operation))


@pytest.fixture(scope="module")
def firmware() -> Any:
    f = Firmware({})
    yield f
    f.close()


def wire_form(reply: Any) -> Any:
    return [r.to_dict() for r in reply] if isinstance(reply, list) else reply.to_dict()


@pytest.mark.parametrize("case", RESPONSES, ids=lambda c: c["name"])
def test_a_terminal_answering_the_vectors_bytes(case: dict[str, Any], firmware: Firmware) -> None:
    op = case["operation"]
    reply = (case["status"], case["body"])
    firmware.replies[("*", "*")] = reply
    if op == "login":
        firmware.replies[("POST", "login")] = reply
    else:
        firmware.replies[("POST", "login")] = '{"status": "success", "sessionid": "1805350299"}'
    args = python_args(op, valid_input(op))
    with actatek.Client(firmware.url, "admin", "admin", retries=0) as t:
        if "expect" in case:
            assert wire_form(getattr(t, op)(**args)) == case["expect"]
            return
        error = case["error"]
        if error["kind"] == "api":
            with pytest.raises(actatek.ApiError) as api:
                getattr(t, op)(**args)
            assert (api.value.status_code, api.value.message) == (error["status"], error["message"])
        else:
            with pytest.raises(actatek.ProtocolError) as protocol:
                getattr(t, op)(**args)
            assert protocol.value.maybe_applied == (not actatek.OPERATIONS[op].retry_safe)


@pytest.mark.parametrize("case", READABLE, ids=lambda c: c["name"])
def test_models_round_trip_the_normalized_reply(case: dict[str, Any]) -> None:
    cls = reply_model(case)
    expect = case["expect"]
    items = expect if isinstance(expect, list) else [expect]
    for item in items:
        model = cls.from_dict(item)
        assert model.to_dict() == item
        assert cls.from_dict(model.to_dict()) == model
