"""Every canonical operation, through both clients, against the simulator: the call succeeds,
the reply has the operation's model type, and the terminal saw exactly that operation."""

from __future__ import annotations

import gc
from datetime import date, datetime
from typing import Any, Callable, Optional

import pytest

import actatek
from actatek import (
    AccessGroup,
    AccessRight,
    AgentRegistration,
    AutoInOut,
    Credentials,
    Department,
    Holidays,
    JobCode,
    JobCodeSetting,
    LogSetting,
    MyselfUpdate,
    Ntp,
    RelaySetting,
    RtpSetting,
    TerminalTime,
    TimePattern,
    TimeSpec,
    Trigger,
    User,
    UserStatus,
)
from actatek.testing import Simulator

AGENT = "http://127.0.0.1:9/agent"
LUNCH = [TimeSpec(weekday="MONDAY", time_pattern=TimePattern.from_ranges("12:00-13:00"))]


def photo_timestamp(sim: Simulator) -> dict[str, Any]:
    with sim.client() as t:
        log = next(l for l in t.get_full_logs() if l.jpeg_photo is not None)
    return {"timestamp": log.timestamp}


def register_agent(sim: Simulator) -> dict[str, Any]:
    with sim.client() as t:
        t.register_agent(AgentRegistration(url=AGENT))
    return {}


Setup = Optional[Callable[[Simulator], dict[str, Any]]]

# operation → (positional args, keyword args, setup returning extra keyword args)
CALLS: dict[str, tuple[tuple[Any, ...], dict[str, Any], Setup]] = {
    "login": ((Credentials(username="admin", password="admin"),), {}, None),
    "logout": ((), {}, None),
    "get_logs": ((), {"employee_id": "U0001", "from_": datetime(2000, 1, 1)}, None),
    "get_full_logs": ((), {"limit": 5}, None),
    "get_log_photo": ((), {}, photo_timestamp),
    "add_log": ((datetime(2025, 7, 20, 10, 20, 30), "U0001", "IN"), {}, None),
    "delete_logs": ((30,), {}, None),
    "reset_log": ((), {}, None),
    "add_user": ((User(user_id="A0001", first_name="Ben", last_name="John", status=UserStatus.all(True)),), {}, None),
    "add_users": (
        ([User(user_id=f"A000{i}", first_name="N", status=UserStatus.all(True)) for i in (2, 3)],),
        {},
        None,
    ),
    "get_users": ((), {"partial_user_id": "U00"}, None),
    "update_user": ((User(user_id="U0001", first_name="Benny"),), {}, None),
    "update_users": (([User(user_id="U0001", other_name="X"), User(user_id="U0002", other_name="Y")],), {}, None),
    "delete_user": (("U0001",), {}, None),
    "activate_user": (("U0001",), {}, None),
    "deactivate_user": (("U0001",), {}, None),
    "get_user_message": (("U0001",), {}, None),
    "set_user_message": (("U0001", "Hello"), {}, None),
    "delete_user_message": (("U0001",), {}, None),
    "get_user_count": ((), {}, None),
    "get_user_batch": ((0, 5), {}, None),
    "get_user_api_totp": (("U0001", "OTP_PASSCODE"), {}, None),
    "add_departments": ((Department(id=21, name="Lab", description="R&D"),), {}, None),
    "update_departments": (([Department(id=1, name="Eng")],), {}, None),
    "get_departments": ((), {"id": 1}, None),
    "delete_departments": ((), {"id": 5}, None),
    "add_access_rights": ((AccessRight(id=14, name="Lunch", timespec=LUNCH),), {}, None),
    "get_access_rights": ((), {"id": 1}, None),
    "update_access_rights": ((AccessRight(id=1, name="Office"),), {}, None),
    "delete_access_right": ((1,), {}, None),
    "add_access_groups": ((AccessGroup(id=5, name="Night", departmentid=2, accessrightid=[0]),), {}, None),
    "get_access_groups": ((), {"groupid": 0}, None),
    "update_access_groups": ((AccessGroup(id=1, name="Office 2", departmentid=1),), {}, None),
    "delete_access_group": ((1,), {}, None),
    "get_triggers": ((), {"trigger_type": "F1"}, None),
    "update_trigger": ((Trigger(type="F1", name="Lunch", enable=True, timespec=LUNCH),), {}, None),
    "clear_trigger": (("F1",), {}, None),
    "get_myself": ((), {}, None),
    "update_myself": ((MyselfUpdate(user_id="admin", first_name="Sys"),), {}, None),
    "register_agent": ((AgentRegistration(url=AGENT),), {}, None),
    "unregister_agent": ((AGENT,), {}, register_agent),
    "get_agents": ((), {}, None),
    "get_ntp": ((), {}, None),
    "set_ntp": ((Ntp(serveraddr="pool.ntp.org", enable=True),), {}, None),
    "get_time": ((), {}, None),
    "set_time": ((TerminalTime(current_time=datetime(2025, 9, 2, 16, 29, 14), timezone="Europe/London"),), {}, None),
    "open_door": ((), {}, None),
    "get_api_version": ((), {}, None),
    "get_terminal_status": ((), {}, None),
    "relay_action": (("open", "ONE"), {}, None),
    "set_relay_setting": ((RelaySetting(id="ONE", option="disable", delay=11),), {}, None),
    "get_relay_setting": (("ALL",), {}, None),
    "set_auto_in_out": ((AutoInOut(mode="crowd_control", crowd_limit_count=100, crowd_reset_hhmm="10:11"),), {}, None),
    "get_auto_in_out": ((), {}, None),
    "set_log_unauthorized_event": ((True,), {}, None),
    "get_log_unauthorized_event": ((), {}, None),
    "get_capture_fingerprint": ((), {}, None),
    "set_rtp_setting": ((RtpSetting(mode="SRTP", key="0123456789abcdef", target="abc", fps=10),), {}, None),
    "get_rtp_setting": ((), {}, None),
    "set_consent": (("enable", "JakinID"), {}, None),
    "get_consent": ((), {}, None),
    "set_log_setting": ((LogSetting(log_event="user_event", log_size=100000),), {}, None),
    "get_log_setting": ((), {}, None),
    "get_job_code_settings": ((), {}, None),
    "update_job_code_settings": (([JobCodeSetting(jobcode=1, name="Job", enable="enable")],), {}, None),
    "add_job_codes": (([JobCode(jobcode=2, id=5, name="Cook", enable="enable")],), {}, None),
    "update_job_codes": (([JobCode(jobcode=1, id=2, name="Packing 2")],), {}, None),
    "delete_job_codes": ((), {"jobcode": 1, "id": 2}, None),
    "get_job_codes": ((), {"jobcode": 1}, None),
    "get_holidays": ((), {"date": "0-12-0"}, None),
    "set_holidays": (([date(2026, 10, 12)],), {}, None),
    "delete_holidays": ((Holidays(dates=[date(2026, 10, 12)]),), {}, None),
}


def test_every_operation_has_a_call() -> None:
    assert set(CALLS) == set(actatek.OPERATIONS)
    assert len(actatek.OPERATIONS) == 72


def check_reply(name: str, reply: Any) -> None:
    ty = actatek.OPERATIONS[name].reply
    many = ty.startswith("Vec<")
    cls = getattr(actatek, ty[4:-1] if many else ty)
    if many:
        assert isinstance(reply, list)
        assert all(isinstance(x, cls) for x in reply), reply
    else:
        assert isinstance(reply, cls), reply
    if isinstance(reply, actatek.StatusReply):
        assert reply.ok, reply


def check_seen(sim: Simulator, name: str) -> None:
    seen = [r for r in sim.requests() if r["operation"] != "login" or name == "login"]
    assert [r["operation"] for r in seen] == [name]
    assert seen[0]["status"] == 200


@pytest.mark.parametrize("name", list(CALLS))
def test_sync(name: str, fresh_sim: Simulator) -> None:
    args, kwargs, setup = CALLS[name]
    if setup:
        kwargs = {**kwargs, **setup(fresh_sim)}
    fresh_sim.clear_requests()
    with fresh_sim.client() as t:
        reply = getattr(t, name)(*args, **kwargs)
        check_reply(name, reply)
        check_seen(fresh_sim, name)


@pytest.mark.parametrize("name", list(CALLS))
async def test_async(name: str, fresh_sim: Simulator) -> None:
    args, kwargs, setup = CALLS[name]
    if setup:
        kwargs = {**kwargs, **setup(fresh_sim)}
    fresh_sim.clear_requests()
    async with fresh_sim.async_client() as t:
        reply = await getattr(t, name)(*args, **kwargs)
        check_reply(name, reply)
        check_seen(fresh_sim, name)


def test_replies_read_back_what_was_written(fresh_sim: Simulator) -> None:
    with fresh_sim.client() as t:
        t.add_user(User(user_id="A0001", first_name="Ben", last_name="John", status=UserStatus.all(True)))
        (user,) = t.get_users(user_id="A0001")
        assert (user.user_id, user.first_name, user.last_name) == ("A0001", "Ben", "John")
        t.update_trigger(Trigger(type="F1", name="Lunch", enable=True, timespec=LUNCH))
        (trigger,) = t.get_triggers(trigger_type="F1")
        assert trigger.name == "Lunch" and trigger.enable is True
        assert trigger.timespec == LUNCH
        assert trigger.timespec[0].time_pattern.ranges() == "12:00-13:00"
        t.set_relay_setting(RelaySetting(id="ONE", option="access_denied", delay=11))
        assert t.get_relay_setting("ONE") == [RelaySetting(id="ONE", option="access_denied", delay=11)]
        assert t.get_user_count().usercount == 12
        t.set_holidays([date(2031, 1, 2)])
        assert t.get_holidays(date="2031-0-0").dates == [date(2031, 1, 2)]
        t.set_user_message("U0002", "Hi there")
        assert t.get_user_message("U0002").usermessage == "Hi there"


def test_get_full_logs_objects(client: actatek.Client) -> None:
    logs = client.get_full_logs(limit=50)
    assert len(logs) == 50
    first = logs[0]
    assert isinstance(first.log_id, int) and isinstance(first.timestamp, datetime)
    assert first.timestamp.tzinfo is None  # terminal local time
    assert first.user_name and first.terminal_sn == "00111D000000"
    with_photo = [l for l in logs if l.jpeg_photo is not None]
    assert with_photo and isinstance(with_photo[0].jpeg_photo, bytes)
    assert actatek.FullLog.from_dict(first.to_dict()) == first
    assert "jpeg_photo=<" in repr(with_photo[0])


def test_log_lists_are_left_out_of_the_cycle_collector(client: actatek.Client) -> None:
    # A log holds no Python object, so it can be in no cycle: the lists of get_logs and
    # get_full_logs hand out untracked objects, and the collector does not walk them.
    full = client.get_full_logs(limit=20)
    plain = client.get_logs()
    assert full and plain
    assert not any(gc.is_tracked(log) for log in full + plain)
    assert gc.is_tracked(full) and gc.is_tracked(plain)
    # They still work after a collection, and a list of them is freed like any list.
    gc.collect()
    assert full[0].log_id is not None and full[0].to_dict()["logID"] == full[0].log_id
    before = len(gc.get_objects())
    del full, plain
    gc.collect()
    assert len(gc.get_objects()) < before


async def _async_logs(sim: Simulator, name: str) -> list[Any]:
    async with sim.async_client() as t:
        result: list[Any] = await getattr(t, name)()
        return result


@pytest.mark.parametrize("quirks", [False, True])
def test_log_lists_made_while_they_arrive_are_the_whole_replies(quirks: bool) -> None:
    # The sync client makes the log objects while the rest of the list still arrives; the async
    # client reads the list whole. Both must give the same logs, in the same order: on a list
    # streamed by the terminal, and on one with a trailing comma (read whole after all).
    import asyncio

    with Simulator(users=10, logs=5000, quirks=quirks) as s:
        with s.client() as t:
            for name in ("get_full_logs", "get_logs"):
                parts = getattr(t, name)()
                whole = asyncio.run(_async_logs(s, name))
                assert len(parts) == len(whole) == 5000
                assert [l.to_dict() for l in parts] == [l.to_dict() for l in whole]
                assert not any(gc.is_tracked(l) for l in parts[:100])


def test_a_cut_log_list_is_read_again_and_nothing_twice(fresh_sim: Simulator) -> None:
    fresh_sim.generate_logs(20_000)
    with fresh_sim.client() as t:
        expected = [l.log_id for l in t.get_full_logs()]
        fresh_sim.add_fault("truncate", operation="get_full_logs")
        got = [l.log_id for l in t.get_full_logs()]
    assert got == expected and len(set(got)) == len(got)
    assert fresh_sim.operations().count("get_full_logs") == 3  # the cut reply was read again

