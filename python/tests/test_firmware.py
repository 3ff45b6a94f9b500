"""Terminals with other firmware (ENDPOINTS.md "Tolerant reading"): any field of a reply may be
absent, a value that cannot be read as its attribute's type is kept in ``extra`` under its wire
name (the attribute reads ``None``), nothing is lost, and such a value is refused with its field
and rule when written back, before anything is sent.

Two terminals: a tiny HTTP server answering fixed bytes (a firmware this package was not written
for, exactly as written here), and the simulator in drift mode (replies rewritten as other
firmware versions might write them, seeded).
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from typing import Any, Callable

import pytest
from conftest import Firmware

import actatek
from actatek import _actatek
from actatek.testing import DRIFT_KINDS, WRITE_BACK_SAFE_DRIFT, Simulator

LOGS = """[
  {"logID": 1, "userID": "A1", "timestamp": "2025-07-20T10:20:30", "trigger": "IN", "terminalSN": "00111D0A15DC"},
  {"logID": 2, "userID": "A2", "trigger": "OUT", "terminalSN": "00111D0A15DC"},
  {"logID": 3, "userID": "A3", "timestamp": "", "trigger": "IN"},
  {"logID": "4", "userID": 44, "timestamp": "yesterday", "trigger": {"name": "F1"}, "fw_note": [1, 2]},
]"""

FULL_LOGS: list[dict[str, Any]] = [
    {"logID": 10, "userID": "A1", "timestamp": "2025-07-20T08:00:00", "trigger": "IN"},
    {"logID": 11, "userID": "A2", "trigger": "IN"},
    {"logID": 12, "userID": "A1", "timestamp": "2025-07-20T09:00:00", "trigger": "OUT"},
    {"userID": "A3", "trigger": "IN", "remarks": "no id, no time"},
    {"logID": 13, "userID": "A2", "timestamp": "2025-07-20T09:00:00", "trigger": "OUT"},
    {"logID": 14, "userID": "A4", "timestamp": "", "trigger": "IN"},
    {"logID": 15, "userID": "A3", "timestamp": "2025-07-20T12:30:00", "trigger": "OUT"},
]


def logs(path: str, query: dict[str, list[str]]) -> str:
    """get_logs (``/getLogs/{sid}``): LOGS. get_full_logs (``/getLogs/{sid}/{limit}``) as a
    terminal pages it: from ``from`` on (inclusive), at most ``limit``; logs without a readable
    time cannot be placed, so every page shows them."""
    parts = path.strip("/").split("/")
    if len(parts) < 3:
        return LOGS
    start = query.get("from", [""])[0]
    limit = int(parts[2])
    page = [l for l in FULL_LOGS if not l.get("timestamp") or str(l["timestamp"]) >= start]
    return json.dumps(page[:limit])


@pytest.fixture
def firmware() -> Iterator[Firmware]:
    f = Firmware(
        {
            ("GET", "getLogs"): logs,
            ("GET", "relaysetting"): '[{"id": "ONE", "option": "disable"}, {"id": "TWO", "option": "open", "delay": "7"}]',
            ("PUT", "relaysetting"): '{"status": "success"}',
            ("GET", "autoInOut"): '{"mode": "crowd_control", "crowd_limit_count": 100, "crowd_reset_hhmm": "9:30"}',
            ("PUT", "autoInOut"): '{"status": "success"}',
            ("GET", "rtpsetting"): """{"mode": "RTP", "target": "10.0.0.9:5004", "fps": "10", "stun": "",
                "sdpfile": "http://10.0.0.5/A4.sdp", "status": "Streaming", "fw_codec": "h264"}""",
            ("PUT", "rtpsetting"): '{"status": "success"}',
            ("GET", "user"): """[{"userID": "A1", "lastName": {"text": "Li"}, "firstName": "Grace",
                "status": "active", "groupID": [1, {"id": 2}], "keyrecords": {"keytype": 1, "keystring": "x", "keyid": "k", "keyenabled": 1},
                "expirydate": "never", "ScoreThreshold": "high", "fw_badge": "red"}]""",
            ("PUT", "user"): '{"status": "success"}',
            ("GET", "accessright"): """[{"accessID": 3, "name": "Office", "timeSpec": [
                {"weekday": ["MONDAY", "TUESDAY"], "timePattern": "000000000000000011111111111111111111000000000000"}]}]""",
        }
    )
    yield f
    f.close()


# --- reading: absent and unreadable values ------------------------------------------------------


def check_logs(logs: list[actatek.Log]) -> None:
    assert [l.log_id for l in logs] == [1, 2, 3, 4]  # one log without a timestamp sinks nothing
    first, untimed, empty, odd = logs
    assert first.timestamp == datetime(2025, 7, 20, 10, 20, 30)
    assert untimed.timestamp is None and untimed.extra == {} and untimed.user_id == "A2"
    assert empty.timestamp is None and empty.extra == {"timestamp": ""}
    # Unreadable values are kept as the terminal sent them, under their wire names.
    assert odd.timestamp is None and odd.trigger is None and odd.user_id == "44"
    assert odd.extra == {"timestamp": "yesterday", "trigger": {"name": "F1"}, "fw_note": [1, 2]}
    assert odd.wire_value("timestamp") == "yesterday" and odd.wire_value("trigger") == {"name": "F1"}
    assert odd.to_dict() == {
        "logID": 4,
        "userID": "44",
        "timestamp": "yesterday",
        "trigger": {"name": "F1"},
        "fw_note": [1, 2],
    }
    assert actatek.Log.from_dict(odd.to_dict()) == odd


def test_a_log_without_a_timestamp_reads_with_the_others(firmware: Firmware) -> None:
    with firmware.client() as t:
        check_logs(t.get_logs())


async def test_a_log_without_a_timestamp_reads_with_the_others_async(firmware: Firmware) -> None:
    async with firmware.async_client() as t:
        check_logs(await t.get_logs())


def test_export_delivers_untimed_logs_once_and_resumes(firmware: Firmware) -> None:
    def key(l: actatek.FullLog) -> Any:
        return l.log_id if l.log_id is not None else l.remarks

    with firmware.client() as t:
        everything = [key(l) for l in t.export_logs(chunk_size=3)]
        assert sorted(everything, key=str) == sorted([key(actatek.FullLog.from_dict(l)) for l in FULL_LOGS], key=str)
        for stop in range(len(FULL_LOGS) + 1):  # interrupted after any log, resumed from its checkpoint
            export = t.export_logs(chunk_size=3)
            first = [key(next(export)) for _ in range(stop)]
            saved = json.loads(json.dumps(export.checkpoint.to_dict()))
            resumed = t.export_logs(chunk_size=3, checkpoint=actatek.Checkpoint.from_dict(saved))
            rest = [key(l) for l in resumed]
            assert sorted(first + rest, key=str) == sorted(everything, key=str), (stop, first, rest, saved)
            assert resumed.checkpoint.delivered == len(FULL_LOGS)
    cp = resumed.checkpoint
    assert "id:11" in cp.untimed and "id:14" in cp.untimed and any(k.startswith("h:") for k in cp.untimed)


def test_a_relay_setting_without_delay(firmware: Firmware) -> None:
    with firmware.client() as t:
        one, two = t.get_relay_setting("ALL")
        assert (one.id, one.option, one.delay, one.extra) == ("ONE", "disable", None, {})
        assert two.delay == 7  # a number sent as a string is a number
        with pytest.raises(actatek.ValidationError) as e:
            t.set_relay_setting(one)  # absent is absent: the terminal needs a delay
        assert (e.value.field, e.value.rule) == ("body.delay", "required")
        assert firmware.writes() == []
        one.delay = 5
        assert t.set_relay_setting(one).ok
    assert firmware.writes() == [("PUT", "/relaysetting/1805350299/", {"id": "ONE", "option": "disable", "delay": 5})]


def test_an_off_format_value_is_kept_and_refused_on_write(firmware: Firmware) -> None:
    with firmware.client() as t:
        auto = t.get_auto_in_out()
        assert auto.mode == "crowd_control" and auto.crowd_limit_count == 100
        assert auto.crowd_reset_hhmm is None and auto.extra == {"crowd_reset_hhmm": "9:30"}
        assert auto.wire_value("crowd_reset_hhmm") == "9:30"
        assert auto.to_dict() == {"mode": "crowd_control", "crowd_limit_count": 100, "crowd_reset_hhmm": "9:30"}
        with pytest.raises(actatek.ValidationError) as e:
            t.set_auto_in_out(auto)
        assert (e.value.field, e.value.rule, e.value.value) == ("body.crowd_reset_hhmm", "hhmm", "9:30")
        assert isinstance(e.value, ValueError) and e.value.operation == "set_auto_in_out"
        assert firmware.writes() == []  # nothing sent
        auto.crowd_reset_hhmm = "09:30"  # a new value wins over the one kept
        assert auto.wire_value("crowd_reset_hhmm") == "09:30"
        assert t.set_auto_in_out(auto).ok
    assert firmware.writes() == [
        ("PUT", "/autoInOut/1805350299", {"mode": "crowd_control", "crowd_limit_count": 100, "crowd_reset_hhmm": "09:30"})
    ]


def test_values_of_an_impossible_type_go_to_extra(firmware: Firmware) -> None:
    with firmware.client() as t:
        (user,) = t.get_users()
    assert user.user_id == "A1" and user.first_name == "Grace"
    assert user.last_name is None and user.status is None and user.group_id is None
    assert user.expirydate is None and user.score_threshold is None
    # one record for a list, read leniently (1 for true)
    assert user.keyrecords == [actatek.KeyRecord(keytype=1, keystring="x", keyid="k", keyenabled=True)]
    assert user.extra == {
        "lastName": {"text": "Li"},
        "status": "active",
        "groupID": [1, {"id": 2}],
        "expirydate": "never",
        "ScoreThreshold": "high",
        "fw_badge": "red",
    }
    assert actatek.User.from_dict(user.to_dict()) == user  # nothing lost
    with firmware.client() as t, pytest.raises(actatek.ValidationError) as e:
        t.update_user(user)
    assert e.value.field == "body.lastName"
    assert {v.field for v in e.value.errors} >= {"body.lastName", "body.status", "body.groupID[1]", "body.expirydate"}
    assert firmware.writes() == []
    user.last_name, user.status, user.group_id, user.expirydate, user.score_threshold = "Li", None, [1], 0, 0
    user.extra.pop("status")
    with firmware.client() as t:
        assert t.update_user(user).ok
    ((_, _, body),) = firmware.writes()
    assert body["lastName"] == "Li" and body["groupID"] == [1] and body["fw_badge"] == "red" and "status" not in body


def test_soap_names_read_as_rest_names(firmware: Firmware) -> None:
    with firmware.client() as t:
        (right,) = t.get_access_rights()
    assert right.id == 3 and right.extra == {}
    assert right.timespec is not None and [s.weekday for s in right.timespec] == ["MONDAY", "TUESDAY"]
    assert right.to_dict()["id"] == 3 and "accessID" not in right.to_dict()
    # from_dict reads as a reply is read
    assert actatek.AccessRight.from_dict({"accessID": 3, "name": "Office"}).id == 3


def test_from_dict_reads_like_a_reply() -> None:
    auto = actatek.AutoInOut.from_dict({"mode": "disable", "crowd_reset_hhmm": "9:30", "lockout_time_min": "5"})
    assert auto.crowd_reset_hhmm is None and auto.lockout_time_min == 5
    assert auto.extra == {"crowd_reset_hhmm": "9:30"}
    relay = actatek.RelaySetting.from_dict({"id": "ONE"})  # required to construct, not to read
    assert (relay.id, relay.option, relay.delay) == ("ONE", None, None)
    trigger = actatek.Trigger.from_dict({"type": "F1", "enable": {"on": True}, "timespec": "MONDAY"})
    assert trigger.enable is None and trigger.timespec is None
    assert trigger.extra == {"enable": {"on": True}, "timespec": "MONDAY"}


# --- writing: what only the terminal reports, filters ------------------------------------------


def test_rtp_status_and_sdpfile_are_never_sent_back(firmware: Firmware) -> None:
    with firmware.client() as t:
        rtp = t.get_rtp_setting()
        assert (rtp.sdpfile, rtp.status, rtp.fps) == ("http://10.0.0.5/A4.sdp", "Streaming", 10)
        assert t.set_rtp_setting(rtp).ok
    ((method, path, body),) = firmware.writes()
    assert (method, path) == ("PUT", "/rtpsetting/1805350299/")
    assert body == {"mode": "RTP", "target": "10.0.0.9:5004", "fps": 10, "stun": "", "fw_codec": "h264"}
    _, _, text = _actatek.build_request("set_rtp_setting", {"body": rtp.to_dict()})
    assert text is not None and "sdpfile" not in text and "Streaming" not in text


def test_rtp_get_then_set_against_the_simulator(fresh_sim: Simulator) -> None:
    with fresh_sim.client() as t:
        rtp = t.get_rtp_setting()
        assert rtp.sdpfile and rtp.status
        assert t.set_rtp_setting(rtp).ok
    assert fresh_sim.operations()[-3:] == ["get_rtp_setting", "set_rtp_setting", "logout"]


def test_delete_job_codes_needs_a_filter(fresh_sim: Simulator) -> None:
    with fresh_sim.client() as t:
        t.get_api_version()
        before = fresh_sim.request_count()
        with pytest.raises(actatek.ValidationError) as e:
            t.delete_job_codes()
        assert e.value.rule == "job_code_filter" and e.value.operation == "delete_job_codes"
        assert fresh_sim.request_count() == before
        assert all(r.ok for r in t.delete_job_codes(jobcode=1, id=2))


# --- a drifting terminal ------------------------------------------------------------------------

SEEDS = [1, 7, 42]


def post_drift(sim: Simulator, body: dict[str, Any]) -> dict[str, Any]:
    """The simulator's control API (as any language would switch drift)."""
    req = urllib.request.Request(
        f"{sim.url}/_sim/drift", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=5) as r:  # noqa: S310 (the local simulator)
        answer: dict[str, Any] = json.loads(r.read())
    return answer


@pytest.fixture(params=SEEDS)
def drifting(request: pytest.FixtureRequest) -> Iterator[Simulator]:
    """A terminal writing every reply as other firmware might, with the kinds after which
    records can be written back as read (``DriftConfig::write_back_safe``)."""
    with Simulator(users=12, logs=700, seed=request.param, drift=request.param) as sim:
        answer = post_drift(sim, {"seed": request.param, "kinds": list(WRITE_BACK_SAFE_DRIFT)})
        assert sorted(answer["kinds"]) == sorted(WRITE_BACK_SAFE_DRIFT)
        yield sim


def test_write_back_safe_kinds_are_the_simulators() -> None:
    assert set(WRITE_BACK_SAFE_DRIFT) == {"extra_field", "number_as_string", "soap_names", "single_object", "trailing_comma"}
    assert set(WRITE_BACK_SAFE_DRIFT) < set(DRIFT_KINDS)


def test_drifting_get_users_then_update(drifting: Simulator) -> None:
    with drifting.client() as t:
        users = [u for u in t.get_users() if u.user_id != "admin"]
        assert len(users) >= 12
        for u in users[:6]:
            u.first_name = f"{u.first_name}-x"
            assert t.update_user(u).ok
        again = {u.user_id: u for u in t.get_users()}
    for u in users[:6]:
        assert u.user_id is not None and again[u.user_id].first_name == u.first_name
    assert drifting.drift() is not None and drifting.drift()["replies"] > 0  # type: ignore[index]


def test_drifting_export_resumes_with_every_log_once(drifting: Simulator) -> None:
    total = drifting.state()["logs"]
    with drifting.client() as t:
        export = t.export_logs(chunk_size=64)
        first = [next(export) for _ in range(150)]
        saved = json.dumps(export.checkpoint.to_dict())
        resumed = t.export_logs(chunk_size=64, checkpoint=actatek.Checkpoint.from_dict(json.loads(saved)))
        rest = list(resumed)
    ids = [l.log_id for l in first + rest]
    assert len(ids) == total and len(set(ids)) == total and None not in ids
    assert all(l.timestamp is not None for l in first + rest)
    assert resumed.checkpoint.delivered == total


def test_drifting_relay_and_auto_in_out_round_trip(drifting: Simulator) -> None:
    with drifting.client() as t:
        for _ in range(4):
            for relay in t.get_relay_setting("ALL"):
                relay.delay = 9
                assert t.set_relay_setting(relay).ok
            auto = t.get_auto_in_out()
            auto.mode, auto.crowd_limit_count, auto.crowd_reset_hhmm = "crowd_control", 50, "07:30"
            assert t.set_auto_in_out(auto).ok
        assert all(r.delay == 9 for r in t.get_relay_setting("ALL"))
        auto = t.get_auto_in_out()
    assert (auto.mode, auto.crowd_limit_count, auto.crowd_reset_hhmm) == ("crowd_control", 50, "07:30")


async def test_drifting_flows_async(drifting: Simulator) -> None:
    async with drifting.async_client() as t:
        users = [u for u in await t.get_users() if u.user_id != "admin"]
        users[0].other_name = "async"
        assert (await t.update_user(users[0])).ok
        for relay in await t.get_relay_setting("ALL"):
            assert (await t.set_relay_setting(relay)).ok
        auto = await t.get_auto_in_out()
        assert (await t.set_auto_in_out(auto)).ok
        got = [log async for log in t.export_logs(chunk_size=100)]
    assert len({l.log_id for l in got}) == len(got) == drifting.state()["logs"]


@pytest.mark.parametrize("seed", SEEDS)
def test_full_drift_reads_everything_and_never_sends_what_it_cannot_write(seed: int) -> None:
    """Every kind of drift: reads never fail; a record written back as read is either sent and
    accepted, or refused with a field and a rule before anything is sent."""
    sent, refused = 0, 0
    with Simulator(users=8, logs=300, seed=seed, drift=seed, drift_kinds=DRIFT_KINDS) as sim, sim.client() as t:
        for _ in range(6):
            logs = t.get_full_logs()
            assert len(logs) == 300
            # left out, or "" (off-format: kept as sent); never an error, never lost
            assert all(l.timestamp is not None or l.wire_value("timestamp") in (None, "") for l in logs)
            assert any(l.timestamp is None for l in logs)
            users = t.get_users()
            assert len(users) == 9
            pairs: list[tuple[Callable[[], Any], Callable[[Any], Any]]] = [
                (lambda: t.get_relay_setting("ALL")[0], t.set_relay_setting),
                (t.get_auto_in_out, t.set_auto_in_out),
                (t.get_log_setting, t.set_log_setting),
                (t.get_rtp_setting, t.set_rtp_setting),
                (lambda: t.get_triggers()[0], t.update_trigger),
                (lambda: users[1], t.update_user),
            ]
            for read, write in pairs:
                record: Any = read()
                before = sim.request_count()
                try:
                    assert write(record).ok
                    sent += 1
                except actatek.ValidationError as e:
                    assert e.field and e.rule in actatek.RULES
                    assert sim.request_count() == before
                    refused += 1
            for getter in (t.get_access_rights, t.get_job_codes, t.get_job_code_settings, t.get_departments):
                assert isinstance(getter(), list)
            t.get_holidays(date="0-0-0")
            t.get_user_api_totp("U0001", "OTP_PASSCODE")
            t.get_terminal_status()
        assert sim.drift() is not None
    assert sent and refused  # both happen with these seeds (drift is reproducible per seed)
