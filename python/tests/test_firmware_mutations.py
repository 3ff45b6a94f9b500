"""Firmware drift, measured through the Python package: every reply vector of
tests/vectors/responses.json, mutated the ways another firmware could write it (the core's
``actatek_core::mutate``, the same mutations the Rust suite reads), is answered by a terminal
over loopback and read by ``actatek.Client``. Every mutation must be read, with every field the
terminal sent either in the typed models or in their ``extra``."""

from __future__ import annotations

import json
from typing import Any

import actatek
import pytest
from actatek import _actatek
from conftest import Firmware, python_args
from test_vectors import RESPONSES, valid_input, wire_form

LOGIN = '{"status": "success", "sessionid": "1805350299"}'


def read(firmware: Firmware, op: str, status: int, body: str) -> Any:
    firmware.replies[("*", "*")] = (status, body)
    firmware.replies[("POST", "login")] = (status, body) if op == "login" else LOGIN
    firmware.replies[("DELETE", "logout")] = (status, body) if op == "logout" else '{"status": "success"}'
    with actatek.Client(firmware.url, "admin", "admin", retries=0) as t:
        return wire_form(getattr(t, op)(**python_args(op, valid_input(op))))


def test_every_mutation_of_every_reply_vector_is_read_and_nothing_is_lost(capsys: pytest.CaptureFixture[str]) -> None:
    firmware = Firmware({})
    total = read_ok = lost = 0
    operations: set[str] = set()
    failures: list[str] = []
    try:
        for case in RESPONSES:
            if "expect" not in case:
                continue
            op, status = case["operation"], case["status"]
            original_body, mutations = _actatek.firmware_mutations(case["body"])
            original = json.dumps(read(firmware, op, status, original_body))
            operations.add(op)
            for kind, pointer, mutated in mutations:
                total += 1
                try:
                    got = read(firmware, op, status, mutated)
                except actatek.ActatekError as e:
                    failures.append(f"{case['name']} [{kind} at {pointer}]: not read: {e}")
                    continue
                read_ok += 1
                problems = _actatek.firmware_losses(kind, pointer, mutated, json.dumps(got), original)
                if problems:
                    lost += 1
                    failures.append(f"{case['name']} [{kind} at {pointer}]: {'; '.join(problems)}")
    finally:
        firmware.close()
    with capsys.disabled():
        print(f"\nfirmware drift (Python): {total} mutations over {len(operations)} operations, {read_ok} read, {lost} lost")
    assert not failures, "\n".join(failures[:30])
    assert operations == set(actatek.OPERATIONS), f"operations without a mutated reply: {set(actatek.OPERATIONS) - operations}"
    assert total > 1000
