"""Desired state from Python (issue 16): ``Client.plan`` / ``Client.apply`` and the asyncio
versions against simulated terminals, with the same file the CLI's tests apply
(``tests/desired/site.toml``)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import actatek
from actatek.testing import Simulator

from conftest import REPO

# tomllib is Python 3.11+ (the package itself supports 3.9).
tomllib = pytest.importorskip("tomllib")
SITE: dict[str, Any] = tomllib.loads((REPO / "tests" / "desired" / "site.toml").read_text(encoding="utf-8"))


def _writes(sim: Simulator) -> list[str | None]:
    return [r["operation"] for r in sim.requests() if r["method"] != "GET" and r["operation"] not in ("login", "logout")]


def test_plan_lists_the_changes_and_writes_nothing(fresh_sim: Simulator) -> None:
    with fresh_sim.client() as t:
        fresh_sim.clear_requests()
        changes = t.plan(SITE)
        assert _writes(fresh_sim) == []
    by = {(c["kind"], c["key"]): c for c in changes}
    assert by[("departments", "30")]["action"] == "create"
    assert by[("access_rights", "14")]["action"] == "create"
    update = by[("users", "U0001")]
    assert update["action"] == "update"
    assert {"field": "departmentID", "from": [1], "to": [2]} in update["fields"]


def test_apply_converges_and_a_second_apply_writes_nothing(fresh_sim: Simulator) -> None:
    with fresh_sim.client() as t:
        report = t.apply(SITE)
        assert report["converged"], report
        assert report["rounds"] == 2
        assert report["changes"]
        user = t.get_users(user_id="U0001")[0]
        assert user.department_id == [2]
        assert user.last_name == "Li"
        fresh_sim.clear_requests()
        again = t.apply(SITE)
        assert again["converged"] and again["rounds"] == 1 and again["changes"] == []
        assert _writes(fresh_sim) == []


def test_a_lost_answer_is_read_again_not_resent(fresh_sim: Simulator) -> None:
    with fresh_sim.client() as t:
        fresh_sim.clear_requests()
        fresh_sim.add_fault("drop_after", operation="add_users")
        report = t.apply(SITE)
        assert report["converged"], report
        assert fresh_sim.operations().count("add_users") == 1
        assert len(t.get_users(user_id="N0001")) == 1


def test_an_invalid_desired_state_raises_with_every_problem_before_anything_is_written(fresh_sim: Simulator) -> None:
    bad = {
        "users": [{"userID": "N9", "lastName": "no status"}, {"userID": "U0002", "adminLevel": "ROOT"}],
        "access_rights": [{"id": 3, "schedule": {"MOONDAY": "08:00-09:00"}}],
    }
    with fresh_sim.client() as t:
        with pytest.raises(actatek.ValidationError) as e:
            t.plan({"access_rights": bad["access_rights"]})
        assert e.value.field == "access_rights[0].schedule.MOONDAY"
        fresh_sim.clear_requests()
        with pytest.raises(actatek.ValidationError) as e:
            t.apply({"users": bad["users"]})
        fields = [x.field for x in e.value.errors]
        assert "users[N9].status" in fields and "users[U0002].adminLevel" in fields
        assert _writes(fresh_sim) == []


def test_the_async_client_plans_and_applies(fresh_sim: Simulator) -> None:
    async def main() -> tuple[list[dict[str, Any]], dict[str, Any]]:
        async with fresh_sim.async_client() as t:
            changes = await t.plan(SITE)
            return changes, await t.apply(SITE)

    changes, report = asyncio.run(main())
    assert changes and report["converged"]
