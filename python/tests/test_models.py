"""Models, values and date-times: the Python side of the wire form."""

from __future__ import annotations

import pickle
from datetime import date, datetime, timedelta, timezone

import pytest

import actatek
from actatek import (
    Checkpoint,
    FullLog,
    Log,
    RelaySetting,
    RtpSetting,
    TimePattern,
    TimeSpec,
    Trigger,
    User,
    UserStatus,
    _actatek,
)

OFFICE = "000000000000000011111111111111111111000000000000"


# --- models ------------------------------------------------------------------------------------


def test_models_take_keywords_and_compare_by_value() -> None:
    a = User(user_id="A0001", first_name="Ben", last_name="John")
    assert a == User(user_id="A0001", first_name="Ben", last_name="John")
    assert a != User(user_id="A0001", first_name="Ben")
    assert a.other_name is None and a.extra == {}
    with pytest.raises(TypeError):
        User("A0001")  # type: ignore[misc]
    with pytest.raises(TypeError):
        User(first_name="Ben")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        User(user_id="A", nickname="x")  # type: ignore[call-arg]


def test_repr_is_readable_and_hides_secrets() -> None:
    u = User(user_id="A0001", first_name="Ben", password="hunter2")
    assert repr(u) == "User(user_id='A0001', first_name='Ben', password='***')"
    assert "hunter2" not in repr(RtpSetting(mode="SRTP", key="hunter2"))
    assert "hunter2" not in repr(actatek.Credentials(username="admin", password="hunter2"))
    assert "12345" not in repr(actatek.LoginReply.from_dict({"status": "success", "sessionid": 12345}))
    assert "hunter2" not in repr(actatek.MyselfUpdate(user_id="me", password="hunter2"))


def test_to_dict_uses_the_manuals_names() -> None:
    t = Trigger(
        type="F1",
        name="Lunch",
        enable=True,
        free_jobcode=False,
        timespec=[TimeSpec(weekday="MONDAY", time_pattern=TimePattern.from_ranges("12:00-13:00"))],
    )
    assert t.to_dict() == {
        "type": "F1",
        "name": "Lunch",
        "enable": True,
        "freeJobcode": False,
        "timespec": [{"weekday": "MONDAY", "timePattern": "0" * 24 + "11" + "0" * 22}],
    }
    assert Trigger.from_dict(t.to_dict()) == t
    s = actatek.LogSetting(log_unauth_event=True, log_em_option="FullSN").to_dict()
    assert s == {"log_unAuth_event": True, "log_EM_Option": "FullSN"}


def test_unknown_wire_fields_survive_a_round_trip() -> None:
    wire = {"userID": "A1", "lastName": "John", "badgeColour": "red", "status": {"active": True, "x": [1]}}
    u = User.from_dict(wire)
    assert u.extra == {"badgeColour": "red"}
    assert u.status is not None and u.status.extra == {"x": [1]}
    assert u.to_dict() == wire
    u.first_name = "Ben"
    assert u.to_dict() == {**wire, "firstName": "Ben"}


def test_from_dict_is_tolerant_and_the_core_checks_on_send() -> None:
    ts = TimeSpec.from_dict({"weekday": "MONDAY", "timePattern": "0101"})
    assert ts.time_pattern is None and ts.extra == {"timePattern": "0101"}  # kept as it came
    assert ts.wire_value("timePattern") == ts.wire_value("time_pattern") == "0101"
    assert ts.to_dict() == {"weekday": "MONDAY", "timePattern": "0101"}
    with pytest.raises(actatek.ValidationError) as e:
        _actatek.build_request("update_trigger", {"body": Trigger(type="F1", timespec=[ts]).to_dict()})
    assert (e.value.field, e.value.rule) == ("body.timespec[0].timePattern", "time_pattern")


def test_every_broken_rule_is_reported() -> None:
    bad = Trigger(type="F41", timespec=[TimeSpec(weekday="MON", time_pattern=TimePattern.EMPTY)])
    with pytest.raises(actatek.ValidationError) as e:
        _actatek.build_request("update_trigger", {"body": bad.to_dict()})
    assert (e.value.field, e.value.rule) == ("body.type", "trigger_type")
    assert [(v.field, v.rule) for v in e.value.errors] == [
        ("body.type", "trigger_type"),
        ("body.timespec[0].weekday", "weekday"),
    ]
    assert "manual §7.2" in str(e.value)


def test_one_or_many_fields_read_as_lists() -> None:
    u = User.from_dict({"userID": "A1", "groupID": 3, "keyrecords": {"keytype": 1}})
    assert u.group_id == [3]
    # A key record read from a reply need not hold what writing one requires.
    assert u.keyrecords is not None and len(u.keyrecords) == 1
    assert isinstance(u.keyrecords[0], actatek.KeyRecord)
    assert (u.keyrecords[0].keytype, u.keyrecords[0].keystring) == (1, None)


def test_expiry_is_a_datetime_or_zero() -> None:
    assert User.from_dict({"userID": "A", "expirydate": 0}).expirydate == 0
    u = User.from_dict({"userID": "A", "expirydate": "2026-01-31T23:59:59"})
    assert u.expirydate == datetime(2026, 1, 31, 23, 59, 59)
    assert u.to_dict()["expirydate"] == "2026-01-31T23:59:59"


def test_photos_are_bytes_written_back_as_they_came() -> None:
    f = actatek.FacialRecord.from_dict({"FacialTemplate": "aGVsbG8=", "FacialPhoto": "aGVs\nbG8"})
    assert f.facial_template == b"hello" and f.facial_photo == b"hello"
    assert f.to_dict() == {"FacialTemplate": "aGVsbG8=", "FacialPhoto": "aGVs\nbG8"}
    written = actatek.FacialRecord(facial_template_type=1, facial_template=b"hello").to_dict()
    assert written == {"FacialTemplateType": 1, "FacialTemplate": "aGVsbG8="}


def test_status_reply_ok() -> None:
    assert actatek.StatusReply(status="succes").ok
    assert not actatek.StatusReply(status="error", message="x").ok


def test_models_pickle() -> None:
    u = User(user_id="A", status=UserStatus.all(True), expirydate=datetime(2030, 1, 1))
    assert pickle.loads(pickle.dumps(u)) == u


# --- TimePattern -------------------------------------------------------------------------------


def test_time_pattern_both_ways() -> None:
    tp = TimePattern.from_ranges("08:00-12:30, 13:30-17:00")
    assert len(str(tp)) == 48
    assert tp.ranges() == "08:00-12:30, 13:30-17:00"
    assert TimePattern(str(tp)) == tp and hash(TimePattern(str(tp))) == hash(tp)
    assert tp.is_on(8) and tp.is_on(12, 15) and not tp.is_on(12, 30) and not tp.is_on(18)
    assert sum(tp.slots()) == 16
    assert repr(tp) == "TimePattern.from_ranges('08:00-12:30, 13:30-17:00')"
    assert str(TimePattern(OFFICE)) == OFFICE
    assert TimePattern.ALL_DAY.ranges() == "00:00-24:00" and not TimePattern.EMPTY
    assert pickle.loads(pickle.dumps(tp)) == tp


@pytest.mark.parametrize(
    ("call", "field", "rule"),
    [
        (lambda: TimePattern("0101"), "pattern", "time_pattern"),
        (lambda: TimePattern("2" * 48), "pattern", "time_pattern"),
        (lambda: TimePattern.from_ranges("08:15-09:00"), "ranges", "time_range"),
        (lambda: TimePattern.from_ranges("10:00-09:00"), "ranges", "time_range"),
    ],
)
def test_time_pattern_rules(call: object, field: str, rule: str) -> None:
    with pytest.raises(actatek.ValidationError) as e:
        call()  # type: ignore[operator]
    assert (e.value.field, e.value.rule) == (field, rule)
    assert isinstance(e.value, ValueError)


# --- date-times --------------------------------------------------------------------------------


def request_url(name: str, **kwargs: object) -> str:
    url: str = _actatek.build_request(name, actatek.OPERATIONS[name].wire_input(kwargs))[1]
    return url


def test_naive_datetime_is_terminal_local_and_never_shifted() -> None:
    url = request_url("get_logs", from_=datetime(2025, 7, 16), to=datetime(2025, 7, 20, 23, 59, 59))
    assert url.endswith("?from=2025-07-16T00:00:00&to=2025-07-20T23:59:59")


def test_aware_datetime_is_sent_as_utc_with_z() -> None:
    plus2 = timezone(timedelta(hours=2))
    url = request_url("get_logs", from_=datetime(2025, 7, 16, 10, 0, tzinfo=plus2))
    assert url.endswith("?from=2025-07-16T08:00:00Z")
    url = request_url("add_log", timestamp=datetime(2025, 7, 20, 10, 20, 30, 250000), employee_id="1", trigger="IN")
    assert "/2025-07-20T10:20:30.250/" in url


def test_dates_and_wildcards_for_holidays() -> None:
    assert request_url("get_holidays", date=date(2025, 12, 25)).endswith("?date=2025-12-25")
    assert request_url("get_holidays", date="2025-0-0").endswith("?date=2025-0-0")
    assert actatek.Holidays.from_dict({"dates": ["2025-12-25", "2026-01-01"]}).dates == [date(2025, 12, 25), date(2026, 1, 1)]
    # A wildcard is a query, not a holiday: the list is kept as it came (one date that cannot be
    # read keeps the whole list, as the core does) and refused on write.
    odd = actatek.Holidays.from_dict({"dates": ["2025-12-25", "2025-0-0"]})
    assert odd.dates is None and odd.extra == {"dates": ["2025-12-25", "2025-0-0"]}
    with pytest.raises(actatek.ValidationError) as e:
        _actatek.build_request("set_holidays", {"body": odd.to_dict()})
    assert (e.value.field, e.value.rule) == ("body.dates[1]", "holiday_date")


def test_replies_come_back_naive_or_utc(client: actatek.Client) -> None:
    local = client.get_logs(from_=datetime(2000, 1, 1))
    assert local and all(l.timestamp.tzinfo is None for l in local)
    utc = client.get_logs(from_=datetime(2000, 1, 1, tzinfo=timezone.utc), to=datetime(2100, 1, 1, tzinfo=timezone.utc))
    assert utc and all(l.timestamp.utcoffset() == timedelta(0) for l in utc)
    assert [l.timestamp.replace(tzinfo=None) for l in utc] == [l.timestamp for l in local]  # simulator runs in UTC
    now = client.get_time()
    assert isinstance(now.current_time, datetime) and now.current_time.tzinfo is None


def test_a_date_where_a_datetime_is_needed_is_refused() -> None:
    with pytest.raises(actatek.ValidationError) as e:
        request_url("get_logs", from_=date(2025, 7, 16))
    assert (e.value.field, e.value.rule) == ("from", "datetime")


# --- logs --------------------------------------------------------------------------------------


def test_log_objects() -> None:
    wire = {"logID": "7", "userID": 105, "timestamp": "2025-07-20T10:20:30Z", "trigger": "IN", "extraField": 1}
    log = Log.from_dict(wire)
    assert log.log_id == 7 and log.user_id == "105"
    assert log.timestamp == datetime(2025, 7, 20, 10, 20, 30, tzinfo=timezone.utc)
    assert log.extra == {"extraField": 1}
    assert log == Log.from_dict(log.to_dict()) and log != Log.from_dict({**wire, "logID": 8})
    assert pickle.loads(pickle.dumps(log)) == log
    built = Log(log_id=7, timestamp=datetime(2025, 7, 20, 10, 20, 30, tzinfo=timezone.utc), user_id="105", trigger="IN")
    assert built.to_dict() == {"logID": 7, "userID": "105", "timestamp": "2025-07-20T10:20:30Z", "trigger": "IN"}
    # Any field may be absent, the id and timestamp too; an unreadable one is kept in extra.
    bare = Log.from_dict({"userID": "1"})
    assert (bare.log_id, bare.timestamp, bare.user_id, bare.extra) == (None, None, "1", {})
    odd = Log.from_dict({"logID": 9, "timestamp": "", "terminalSN": {"sn": 1}})
    assert odd.timestamp is None and odd.terminal_sn is None
    assert odd.extra == {"timestamp": "", "terminalSN": {"sn": 1}}
    assert odd.to_dict() == {"logID": 9, "timestamp": "", "terminalSN": {"sn": 1}}
    assert odd.wire_value("timestamp") == "" and odd.wire_value("log_id") == 9 and odd.wire_value("userID") is None
    assert repr(odd) == "Log(log_id=9, extra={'timestamp': '', 'terminalSN': {'sn': 1}})"
    with pytest.raises(AttributeError):
        log.log_id = 3  # type: ignore[misc]


def test_full_log_photo() -> None:
    log = FullLog(log_id=1, timestamp=datetime(2025, 1, 1), jpeg_photo=b"\xff\xd8jpeg")
    assert log.jpeg_photo == b"\xff\xd8jpeg"
    assert FullLog.from_dict(log.to_dict()) == log
    assert FullLog(log_id=1, timestamp="2025-01-01T00:00:00").jpeg_photo is None
    # text that is not base64: no bytes, the text kept in extra and written back as sent
    odd = FullLog.from_dict({"logID": 2, "jpegPhoto": "not base64!"})
    assert odd.jpeg_photo is None and odd.extra == {"jpegPhoto": "not base64!"}
    assert odd.to_dict() == {"logID": 2, "jpegPhoto": "not base64!"} and odd.wire_value("jpeg_photo") == "not base64!"
    photo = actatek.Photo.from_dict({"status": "success", "jpegPhoto": "not base64!"})
    assert photo.jpeg_photo is None and photo.extra == {"jpegPhoto": "not base64!"}


def test_checkpoint_round_trip() -> None:
    cp = Checkpoint(timestamp=datetime(2025, 7, 16, 10, 0), ids=[3, 4], delivered=10)
    assert cp.to_dict() == {"timestamp": "2025-07-16T10:00:00", "ids": [3, 4], "delivered": 10}
    assert Checkpoint.from_dict(cp.to_dict()) == cp
    assert Checkpoint().to_dict() == {"timestamp": None, "ids": [], "delivered": 0}
    # logs without a readable timestamp (or id) are remembered too, as the Rust client does
    odd = Checkpoint(timestamp=datetime(2025, 7, 16), ids=[3], keys=["h:00ff"], untimed=["id:9"], delivered=3)
    assert odd.to_dict() == {
        "timestamp": "2025-07-16T00:00:00",
        "ids": [3],
        "keys": ["h:00ff"],
        "untimed": ["id:9"],
        "delivered": 3,
    }
    assert Checkpoint.from_dict(odd.to_dict()) == odd and odd != cp
    assert "untimed=['id:9']" in repr(odd)


def test_wire_value_is_the_typed_value_or_what_was_sent() -> None:
    auto = actatek.AutoInOut.from_dict({"mode": "disable", "crowd_reset_hhmm": "9:30", "fw": 1})
    assert auto.wire_value("crowd_reset_hhmm") == "9:30" and auto.wire_value("mode") == "disable"
    assert auto.wire_value("fw") == 1 and auto.wire_value("lockout_time_min") is None
    u = User(user_id="A", expirydate=datetime(2030, 1, 1), status=UserStatus(active=True))
    assert u.wire_value("expirydate") == "2030-01-01T00:00:00" and u.wire_value("userID") == "A"
    assert u.wire_value("status") == {"active": True}


def test_subclasses_read_as_their_core_record() -> None:
    class Badge(User):
        pass

    b = Badge.from_dict({"userID": 7, "expirydate": "never"})
    assert type(b) is Badge and b.user_id == "7" and b.expirydate is None
    assert b.extra == {"expirydate": "never"}


def test_relay_setting_example_from_the_issue() -> None:
    assert RelaySetting(id="ONE", option="disable", delay=11).to_dict() == {
        "id": "ONE",
        "option": "disable",
        "delay": 11,
    }


def test_every_model_mirrors_every_field_of_its_core_record() -> None:
    # The Python models are written by hand (issue 13 would generate them); this is the check
    # that catches a field the core gains: it would otherwise land, silently, in ``extra``.
    from actatek import _actatek, _models

    checked = 0
    for name in _actatek.record_names():
        core = _actatek.record_wire_names(name)
        if name in ("Log", "FullLog"):
            continue  # native classes: their field tables are checked at compile time
        model = _models.MODELS[name]
        assert sorted(f.wire for f in model._fields) == sorted(core), name
        checked += 1
    assert checked >= 30
