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


_CSV_HEADER = (
    "userID,lastName,departmentID,status.active,status.autoMatch,status.smartCard,status.fingerprint,"
    "status.password,status.facial,status.facialAutoMatch\n"
)


def _users_csv(rows: list[tuple[str, str, str]]) -> str:
    return _CSV_HEADER + "".join(f"{i},{last},{dept},true,false,true,false,false,false,false\n" for i, last, dept in rows)


# The fleet example the CLI's tests apply too: users from staff.csv, a trigger schedule, a
# warehouse group, door-2's guests from extra/guests.csv.
_FLEET_YAML = (REPO / "tests" / "desired" / "fleet.yaml").read_text(encoding="utf-8")


def _site(tmp_path: Any, staff: list[tuple[str, str, str]]) -> Any:
    (tmp_path / "staff.csv").write_text(_users_csv(staff))
    (tmp_path / "extra").mkdir(exist_ok=True)
    (tmp_path / "extra" / "guests.csv").write_text(_users_csv([("G0001", "Guest", "2")]))
    site = tmp_path / "site.yaml"
    site.write_text(_FLEET_YAML)
    return site


def test_a_fleet_applies_each_terminal_its_sections_from_a_yaml_file_with_csv_users(tmp_path: Any) -> None:
    site = _site(tmp_path, [("S0001", "Ho", "2"), ("S0002", "Lam", "2")])
    doc = actatek.load_desired(site)
    assert [u["userID"] for u in doc["users"]] == ["S0001", "S0002"]
    assert doc["users"][0]["status"]["active"] is True

    sims = [Simulator(users=2, logs=0) for _ in range(3)]
    try:
        clients = {f"door-{i + 1}": s.client() for i, s in enumerate(sims)}
        fleet = actatek.Fleet(clients, groups={"warehouse": ["door-1", "door-3"]})
        planned = {r.url: r.result() for r in fleet.plan(site)}
        assert all(planned.values()), planned
        results = sorted(fleet.apply(site), key=lambda r: r.position)
        assert [r.ok and r.value["converged"] for r in results] == [True, True, True], results
        for i, s in enumerate(sims):
            with s.client() as t:
                users = {u.user_id: u for u in t.get_users()}
                assert "S0001" in users
                assert users["S0002"].department_id == ([40] if i != 1 else [2])
                assert ("G0001" in users) == (i == 1)
                departments = {d.id for d in t.get_departments()}
                assert (40 in departments) == (i != 1)
                trigger = t.get_triggers(trigger_type="IN")
                trigger = trigger[0] if isinstance(trigger, list) else trigger
                assert trigger.enable is True and len(trigger.timespec) == 2
        again = list(fleet.plan(site))
        assert [r.result() for r in again] == [[], [], []]

        async def aplan() -> list[Any]:
            return [r.result() async for r in fleet.aplan(site)]

        assert asyncio.run(aplan()) == [[], [], []]

        # A section for a terminal the fleet does not have: refused, nothing sent.
        for s in sims:
            s.clear_requests()
        with pytest.raises(actatek.ValidationError) as e:
            list(actatek.Fleet({"door-1": clients["door-1"]}).apply(site))
        assert {x.rule for x in e.value.errors} == {"desired_section"}
        assert sorted(x.field for x in e.value.errors) == ["groups.warehouse", "terminals.door-2"]
        assert "site.yaml:" in str(e.value)
        assert all(_writes(s) == [] for s in sims)
        for c in clients.values():
            c.close()
    finally:
        for s in sims:
            s.stop()


def test_one_client_needs_a_name_for_a_document_with_sections_and_reports_file_lines(tmp_path: Any, fresh_sim: Simulator) -> None:
    site = _site(tmp_path, [("S0001", "Ho", "two"), ("S0002", "Lam", "2")])
    with fresh_sim.client() as t:
        # The CSV row whose department no reading makes a list of numbers: its file and line.
        with pytest.raises(actatek.ValidationError) as e:
            t.plan(site, terminal="door-1")
        assert "staff.csv:2:" in str(e.value) and e.value.field == "departmentID"
        (tmp_path / "staff.csv").write_text(_users_csv([("S0001", "Ho", "2"), ("S0002", "Lam", "2")]))
        with pytest.raises(actatek.ValidationError) as e:
            t.plan(site)
        assert e.value.rule == "desired_section"
        changes = t.plan(str(site), terminal="door-2")
        assert ("users", "G0001", "create") in {(c["kind"], c["key"], c["action"]) for c in changes}
        assert ("departments", "40") not in {(c["kind"], c["key"]) for c in changes}
        changes = t.plan(site, terminal="door-1", groups=["warehouse"])
        assert ("departments", "40", "create") in {(c["kind"], c["key"], c["action"]) for c in changes}
    (tmp_path / "broken.toml").write_text("users = [\n")
    with pytest.raises(actatek.ConfigError):
        actatek.load_desired(tmp_path / "broken.toml")
    with pytest.raises(FileNotFoundError):
        actatek.load_desired(tmp_path / "missing.yaml")


def test_groups_given_as_one_string_is_a_type_error(fresh_sim: Simulator) -> None:
    with fresh_sim.client() as t:
        with pytest.raises(TypeError):
            t.plan({"users": []}, groups="lobby")
    with pytest.raises(TypeError):
        actatek.Fleet({"door-1": fresh_sim.client()}, groups={"lobby": "door-1"})
