"""The terminal's records as Python classes: snake_case attributes, keyword constructors,
equality, a readable ``repr`` (secrets shown as ``'***'``) and ``to_dict()`` / ``from_dict()`` in
the wire form (the manual's field names). Fields this package does not model are kept in
``extra`` and written back, so get → modify → update loses nothing.

Each class is declared once as a table of ``(attribute, wire name, kind)`` rows taken from the
core's models (``crates/actatek-core/src/models.rs``); constructors, ``repr``, equality and the
wire mapping are built from that table.

Reading is tolerant and loses nothing (ENDPOINTS.md "Tolerant reading"): every attribute read
from a terminal may be ``None`` (any field may be absent), and a value that cannot be read as
its attribute's type (``"crowd_reset_hhmm": "9:30"``, an object where a name belongs) leaves
the attribute ``None`` and is kept in ``extra`` under its wire name, as the terminal sent it.
Replies and ``from_dict`` are read by the core (``_actatek.read_record``), which marks such
values; ``to_dict()`` writes them back under their wire names, and the core refuses to send
them (``ValidationError`` with the field and its rule) until the attribute gets a value.

``Log`` and ``FullLog`` live in the extension (``actatek._actatek``) for speed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Callable, ClassVar

if TYPE_CHECKING:
    from typing_extensions import Self

from . import _actatek
from ._wire import format_datetime, parse_base64, parse_date, parse_datetime, to_wire

__all__ = [
    "MODELS",
    "AccessGroup",
    "AccessRight",
    "Agent",
    "AgentRegistration",
    "ApiVersion",
    "AutoInOut",
    "Checkpoint",
    "Consent",
    "Credentials",
    "Department",
    "FacialRecord",
    "Holidays",
    "HolidaysReply",
    "JobCode",
    "JobCodeSetting",
    "KeyRecord",
    "LogSetting",
    "LogUnauthorizedEvent",
    "LoginReply",
    "Model",
    "MyselfUpdate",
    "Ntp",
    "Photo",
    "RelaySetting",
    "RtpSetting",
    "StatusReply",
    "TerminalStatus",
    "TerminalTime",
    "TimeSpec",
    "Totp",
    "Trigger",
    "User",
    "UserCount",
    "UserMessage",
    "UserStatus",
]

_Reader = Callable[[Any], Any]

_RAW = "\x00raw"
"""The key under which the extension lists the wire names of a record's values the core could not
read (``bindings/python/src/records.rs``); never a field of its own."""

_CORE_RECORDS = frozenset(_actatek.record_names())


class _Unreadable(Exception):
    """A reader's way of saying "not a value of this type" (the value goes to ``extra``)."""


def _same(v: Any) -> Any:
    return v


def _text(v: Any) -> Any:
    # A string; a number is read as its text (ids such as userID), like the core.
    if isinstance(v, str):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return str(v)
    raise _Unreadable


def _int(v: Any) -> Any:
    # An integer, also sent as a string ("5"); "" is absent.
    if isinstance(v, int) and not isinstance(v, bool):
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, str):
        t = v.strip()
        if not t:
            return None
        try:
            return int(t)
        except ValueError:
            raise _Unreadable from None
    raise _Unreadable


_TRUE = frozenset({"true", "1", "yes", "enable", "enabled", "on"})
_FALSE = frozenset({"false", "0", "no", "disable", "disabled", "off"})


def _flag(v: Any) -> Any:
    # A boolean, also 0/1 and the words terminals use; "" is absent.
    if isinstance(v, bool):
        return v
    if isinstance(v, int) and v in (0, 1):
        return bool(v)
    if isinstance(v, str):
        t = v.strip().lower()
        if t in _TRUE:
            return True
        if t in _FALSE:
            return False
        if not t:
            return None
    raise _Unreadable


def _datetime(v: Any) -> Any:
    dt = parse_datetime(v)
    if not isinstance(dt, datetime):
        raise _Unreadable
    return dt


def _base64(v: Any) -> Any:
    data = parse_base64(v)
    if not isinstance(data, bytes):
        raise _Unreadable
    return data


def _time_pattern(v: Any) -> Any:
    if not isinstance(v, str):
        raise _Unreadable
    return _actatek.TimePattern(v)  # a ValidationError (a ValueError) makes it unreadable


def _expiry(v: Any) -> Any:
    if v == 0 or v == "0":
        return 0
    return _datetime(v)


def _list(v: Any, item: _Reader) -> list[Any]:
    # One value or an array of them; one unreadable element keeps the whole list as it came.
    items = v if isinstance(v, list) else [v]
    out = [item(x) for x in items]
    if any(x is None for x in out):
        raise _Unreadable
    return out


def _ints(v: Any) -> Any:
    # One integer or an array on the wire (groupID, departmentID, accessrightid).
    return _list(v, _int)


def _texts(v: Any) -> Any:
    return _list(v, _text)


def _one_date(v: Any) -> Any:
    d = parse_date(v)
    if not isinstance(d, date):
        raise _Unreadable
    return d


def _dates(v: Any) -> Any:
    return _list(v, _one_date)


def _model(cls_name: str) -> _Reader:
    def read(v: Any) -> Any:
        if not isinstance(v, Mapping):
            raise _Unreadable
        return MODELS[cls_name]._from_wire(v)

    return read


def _models(cls_name: str) -> _Reader:
    def read(v: Any) -> Any:
        cls = MODELS[cls_name]
        items = v if isinstance(v, list) else [v]
        if not all(isinstance(x, Mapping) for x in items):
            raise _Unreadable
        return [cls._from_wire(x) for x in items]

    return read


class _Field:
    """One attribute: its Python name, wire name, how to read it, and whether the constructor
    requires it."""

    __slots__ = ("name", "read", "required", "secret", "wire")

    def __init__(self, name: str, wire: str, read: _Reader = _text, *, required: bool = False, secret: bool = False):
        self.name = name
        self.wire = wire
        self.read = read
        self.required = required
        self.secret = secret


def _F(name: str, wire: str | None = None, read: _Reader = _text, **kw: bool) -> _Field:
    return _Field(name, wire or name, read, **kw)


_DT = _datetime
_B64 = _base64
_I = _int
_B = _flag


def _install_inits(classes: list[type[Model]]) -> None:
    """Give every model a real keyword-only ``__init__`` (like dataclasses: good errors, and
    ``inspect``/stubtest see the signature), all compiled at once for a quick import."""
    source = []
    for cls in classes:
        params = [f.name if f.required else f"{f.name}=None" for f in cls._fields]
        body = [f"    self.{f.name} = {f.name}" for f in cls._fields]
        body.append("    self.extra = dict(extra) if extra else {}")
        source.append(f"def {cls.__name__}({', '.join(['self', '*', *params, 'extra=None'])}):\n" + "\n".join(body))
    ns: dict[str, Any] = {}
    exec(compile("\n".join(source) + "\n", "<actatek models>", "exec"), ns)  # noqa: S102 (source built from the field tables)
    for cls in classes:
        init = ns[cls.__name__]
        init.__name__ = "__init__"
        init.__qualname__ = f"{cls.__name__}.__init__"
        init.__module__ = cls.__module__
        init.__doc__ = f"A {cls.__name__}; every field is keyword-only. ``extra``: unmodelled wire fields."
        cls.__init__ = init  # type: ignore[misc]


class Model:
    """Base of the record classes (see the module docs)."""

    _fields: ClassVar[tuple[_Field, ...]] = ()
    _by_wire: ClassVar[dict[str, _Field]] = {}
    _by_name: ClassVar[dict[str, _Field]] = {}
    _core: ClassVar[str | None] = None
    extra: dict[str, Any]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._by_wire = {f.wire: f for f in cls._fields}
        cls._by_name = {f.name: f for f in cls._fields}
        # The core's record this class reads as (a user's subclass of User reads as a User).
        cls._core = next(
            (c.__name__ for c in cls.__mro__ if c.__module__ == __name__ and c.__name__ in _CORE_RECORDS), None
        )
        if _READY:  # a model defined after import (a user's subclass) gets its constructor now
            _install_inits([cls])
        cls.__match_args__ = tuple(f.name for f in cls._fields)
        MODELS[cls.__name__] = cls

    def to_dict(self) -> dict[str, Any]:
        """The wire form: the manual's field names, unset fields left out, ``extra`` kept (a
        value kept there under a field's wire name only while the attribute is ``None``)."""
        out: dict[str, Any] = {}
        for f in self._fields:
            v = getattr(self, f.name)
            if v is not None:
                out[f.wire] = to_wire(v)
        for k, v in self.extra.items():
            out.setdefault(k, to_wire(v))
        return out

    def wire_value(self, name: str) -> Any:
        """The value of a field (by wire or attribute name) in wire form: the attribute's, or
        else what the terminal sent under that name (kept in ``extra``, as it came); ``None``
        when absent. Mirrors the core's ``wire_value``."""
        f = self._by_wire.get(name) or self._by_name.get(name)
        if f is None:
            return self.extra.get(name)
        v = getattr(self, f.name)
        if v is not None:
            return to_wire(v)
        return self.extra.get(f.wire)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Read the wire form as a reply is read: tolerantly, by the core (unknown fields and
        values that cannot be read as their attribute's type go to ``extra``)."""
        if not isinstance(data, Mapping):
            raise TypeError(f"{cls.__name__}.from_dict expects a mapping, not {type(data).__name__}")
        if cls._core is not None:
            data = _actatek.read_record(cls._core, data)
        return cls._from_wire(data)

    @classmethod
    def _from_wire(cls, data: Mapping[str, Any]) -> Self:
        obj = cls.__new__(cls)
        d = obj.__dict__
        for f in cls._fields:
            d[f.name] = None
        extra: dict[str, Any] = {}
        by_wire = cls._by_wire
        raw = data.get(_RAW) or ()
        for k, v in data.items():
            f = by_wire.get(k)
            if f is None:
                if k != _RAW:
                    extra[k] = v
            elif k in raw:
                extra[k] = v  # the core could not read it: kept as the terminal sent it
            elif v is not None:
                try:
                    d[f.name] = f.read(v)
                except (_Unreadable, ValueError, TypeError):
                    extra[k] = v
        d["extra"] = extra
        return obj

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]  # mutable records

    def __repr__(self) -> str:
        parts = []
        for f in self._fields:
            v = getattr(self, f.name)
            if v is not None:
                parts.append(f"{f.name}='***'" if f.secret else f"{f.name}={v!r}")
        if self.extra:
            parts.append(f"extra={self.extra!r}")
        return f"{type(self).__name__}({', '.join(parts)})"


MODELS: dict[str, type[Model]] = {}
_READY = False


# --- Session (§1) -------------------------------------------------------------------------------


class Credentials(Model):
    """login's body (§1.1)."""

    _fields = (_F("username", required=True), _F("password", required=True, secret=True))


class LoginReply(Model):
    """login's reply; the session id is a secret (§1.1)."""

    _fields = (_F("status"), _F("sessionid", secret=True))


class StatusReply(Model):
    """The reply of most writes: ``status`` (``success``) and the terminal's ``message``."""

    _fields = (_F("status"), _F("message"))

    @property
    def ok(self) -> bool:
        """Whether ``status`` says success (the manual also writes ``succes``)."""
        s = (self.status or "").strip().lower()
        return not (s == "error" or s.startswith("fail"))


# --- Logs (§2) ----------------------------------------------------------------------------------


class Photo(Model):
    """A photo reply (get_log_photo §2.3, get_capture_fingerprint §11.11); bytes, decoded."""

    _fields = (_F("status"), _F("jpeg_photo", "jpegPhoto", _B64))


# --- Users (§3) ---------------------------------------------------------------------------------


class UserStatus(Model):
    """How a user may identify (§3.1); all seven flags are required when adding a user."""

    _fields = (
        _F("active", "active", _B),
        _F("auto_match", "autoMatch", _B),
        _F("smart_card", "smartCard", _B),
        _F("fingerprint", "fingerprint", _B),
        _F("password", "password", _B),
        _F("facial", "facial", _B),
        _F("facial_auto_match", "facialAutoMatch", _B),
    )

    @classmethod
    def all(cls, on: bool = True) -> UserStatus:
        """All seven flags set to ``on``."""
        return cls(
            active=on,
            auto_match=on,
            smart_card=on,
            fingerprint=on,
            password=on,
            facial=on,
            facial_auto_match=on,
        )


class KeyRecord(Model):
    """A credential key (§3.1 ``keyrecords``)."""

    _fields = (_F("keytype", "keytype", _I), _F("keystring"), _F("keyid"), _F("keyenabled", "keyenabled", _B))


class FacialRecord(Model):
    """A face (§3.1 ``facialrecords``); template and photo as bytes."""

    _fields = (
        _F("facial_template_type", "FacialTemplateType", _I),
        _F("facial_template", "FacialTemplate", _B64),
        _F("facial_photo", "FacialPhoto", _B64),
    )


class User(Model):
    """A user (§3.1, §3.3). ``expirydate`` is a ``datetime`` or ``0`` (never expires)."""

    _fields = (
        _F("user_id", "userID", required=True),
        _F("last_name", "lastName"),
        _F("first_name", "firstName"),
        _F("other_name", "otherName"),
        _F("admin_level", "adminLevel"),
        _F("password", secret=True),
        _F("group_id", "groupID", _ints),
        _F("department_id", "departmentID", _ints),
        _F("status", "status", _model("UserStatus")),
        _F("fingerprints", "fingerprints", _B64),
        _F("keyrecords", "keyrecords", _models("KeyRecord")),
        _F("facialrecords", "facialrecords", _models("FacialRecord")),
        _F("cardsn"),
        _F("score_threshold", "ScoreThreshold", _I),
        _F("expirydate", "expirydate", _expiry),
        _F("message"),
    )


class MyselfUpdate(Model):
    """update_myself's body (§8.2): only these fields can be changed."""

    _fields = (
        _F("user_id", "userID", required=True),
        _F("last_name", "lastName"),
        _F("first_name", "firstName"),
        _F("other_name", "otherName"),
        _F("password", secret=True),
        _F("cardsn"),
    )


class UserMessage(Model):
    """A user's message (§3.9–3.10)."""

    _fields = (_F("usermessage"),)


class UserCount(Model):
    """get_user_count's reply (§3.12)."""

    _fields = (_F("usercount", "usercount", _I),)


class Totp(Model):
    """get_user_api_totp's reply (§3.14): base64 for the QR formats, text otherwise."""

    _fields = (_F("format"), _F("expiry", "expiry", _DT), _F("data"))


# --- Departments (§4), access rights (§5), access groups (§6), triggers (§7) ------------------


class Department(Model):
    """A department (§4)."""

    _fields = (_F("id", "id", _I), _F("name"), _F("description"))


class TimeSpec(Model):
    """One day of a schedule: a weekday and its 48 half-hour slots (§5.1, §7.2)."""

    _fields = (
        _F("weekday", required=True),
        _F("time_pattern", "timePattern", _time_pattern, required=True),
    )


class AccessRight(Model):
    """An access right: a named weekly schedule (§5, E4)."""

    _fields = (_F("id", "id", _I), _F("name"), _F("timespec", "timespec", _models("TimeSpec")))


class AccessGroup(Model):
    """An access group: a department's set of access rights (§6)."""

    _fields = (
        _F("id", "id", _I),
        _F("name"),
        _F("departmentid", "departmentid", _I),
        _F("accessrightid", "accessrightid", _ints),
    )


class Trigger(Model):
    """A trigger (IN, OUT, F1 … F40) and its schedule (§7); ``free_jobcode`` only on F1 … F10."""

    _fields = (
        _F("type", required=True),
        _F("name"),
        _F("enable", "enable", _B),
        _F("free_jobcode", "freeJobcode", _B),
        _F("timespec", "timespec", _models("TimeSpec")),
    )


# --- Agents (§9), time (§10) --------------------------------------------------------------------


class AgentRegistration(Model):
    """register_agent's body (§9.1); agent_version defaults to "1.2", magic to ""."""

    _fields = (
        _F("url", required=True),
        _F("agent_version", "agentVersion"),
        _F("magic"),
        _F("init_sync", "initSync", _B),
    )


class Agent(Model):
    """A registered agent (§9.3)."""

    _fields = (
        _F("url"),
        _F("registration_time", "registrationTime", _DT),
        _F("last_update", "lastUpdate", _DT),
        _F("last_check", "lastCheck", _DT),
        _F("last_check_status", "lastCheckStatus", _B),
        _F("active", "active", _B),
    )


class Ntp(Model):
    """NTP setting (§10.1–10.2); several servers are separated by spaces."""

    _fields = (_F("serveraddr"), _F("enable", "enable", _B))


class TerminalTime(Model):
    """The terminal's clock and IANA time zone (§10.3–10.4). get_time answers local time."""

    _fields = (
        _F("current_time", "currentTime", _DT, required=True),
        _F("timezone", required=True),
    )


# --- Terminal functions (§11) -------------------------------------------------------------------


class ApiVersion(Model):
    """get_api_version's reply (§11.2)."""

    _fields = (_F("name"), _F("version"))


class TerminalStatus(Model):
    """get_terminal_status's reply (§11.3)."""

    _fields = (
        _F("serial_number", "serialNumber"),
        _F("fam_version", "FAMVersion"),
        _F("description"),
        _F("registered_users", "registeredUsers", _I),
        _F("maximum_users", "maximumUsers", _I),
        _F("automatch_users", "automatchUsers", _I),
        _F("maximum_automatch_users", "maximumAutomatchUsers", _I),
        _F("current_status", "currentStatus"),
        _F("firmware_version", "firmwareVersion"),
    )


class RelaySetting(Model):
    """A relay's setting (§11.5–11.6): id ONE/TWO, option, delay 1–1800 s (1–20 without the
    door-open schedule)."""

    _fields = (_F("id", required=True), _F("option", required=True), _F("delay", "delay", _I, required=True))


class AutoInOut(Model):
    """Auto in/out and related modes (§11.7–11.8)."""

    _fields = (
        _F("mode", required=True),
        _F("auto_reset", "auto_reset", _B),
        _F("reject_repeat_time_sec", "rejectRepeat_time_sec", _I),
        _F("lockout_time_min", "lockout_time_min", _I),
        _F("crowd_limit_count", "crowd_limit_count", _I),
        _F("crowd_reset_hhmm"),
    )


class LogUnauthorizedEvent(Model):
    """get_log_unauthorized_event's reply (§11.10)."""

    _fields = (_F("enable", "enable", _B),)


class RtpSetting(Model):
    """Video streaming (§11.12–11.13); ``key`` (SRTP) is a secret. ``sdpfile`` and ``status``
    are reported by the terminal."""

    _fields = (
        _F("mode", required=True),
        _F("key", secret=True),
        _F("target"),
        _F("fps", "fps", _I),
        _F("stun"),
        _F("sdpfile"),
        _F("status"),
    )


class Consent(Model):
    """get_consent's reply (§11.15)."""

    _fields = (_F("status"), _F("enable", "enable", _B), _F("display_name"))


class LogSetting(Model):
    """Log setting (§11.16–11.17)."""

    _fields = (
        _F("log_event"),
        _F("log_size", "log_size", _I),
        _F("log_unauth_event", "log_unAuth_event", _B),
        _F("log_accept_non_registered_card", "log_Accept_nonRegistered_card", _B),
        _F("log_photo_auth_event", "log_photo_Auth_event", _B),
        _F("log_photo_unauth_event", "log_photo_unAuth_event", _B),
        _F("log_accept_non_registered_facial", "log_Accept_nonRegistered_facial", _B),
        _F("log_case_event", "log_case_event", _B),
        _F("log_em_option", "log_EM_Option"),
    )


# --- Job codes (§12), holidays (§13) ------------------------------------------------------------


class JobCodeSetting(Model):
    """One of the three job code settings (§12.1); enable or disable."""

    _fields = (_F("jobcode", "jobcode", _I, required=True), _F("name"), _F("enable"))


class JobCode(Model):
    """A job code within a setting (§12.3); enable, disable or default."""

    _fields = (
        _F("jobcode", "jobcode", _I, required=True),
        _F("id", "id", _I, required=True),
        _F("name"),
        _F("enable"),
    )


class Holidays(Model):
    """A list of holiday dates (get_holidays' reply, set/delete_holidays' body)."""

    _fields = (_F("dates", "dates", _dates, required=True),)


class HolidaysReply(Model):
    """set/delete_holidays' reply: refused dates as the terminal wrote them."""

    _fields = (_F("status"), _F("message"), _F("invalid_dates", "invalid_dates", _texts))


# --- Log export -------------------------------------------------------------------------------


class Checkpoint:
    """Where a log export or watch stands: the timestamp of the last delivered log, the ids
    already delivered at exactly that timestamp, and how many logs were delivered. Persist
    ``to_dict()`` (JSON-ready) and pass ``Checkpoint.from_dict(...)`` back to resume.

    Logs without a readable timestamp (some firmware leaves it out) cannot be placed in time:
    ``untimed`` remembers the ones delivered (``id:N``, or a digest of the record when it has no
    ``logID`` either), and ``keys`` the logs without a ``logID`` delivered at ``timestamp``, so
    a resumed export delivers each of them once too."""

    __slots__ = ("delivered", "ids", "keys", "timestamp", "untimed")

    timestamp: datetime | None
    ids: list[int]
    keys: list[str]
    untimed: list[str]
    delivered: int

    def __init__(
        self,
        *,
        timestamp: datetime | None = None,
        ids: list[int] | None = None,
        delivered: int = 0,
        keys: list[str] | None = None,
        untimed: list[str] | None = None,
    ):
        self.timestamp = timestamp
        self.ids = list(ids or [])
        self.delivered = delivered
        self.keys = list(keys or [])
        self.untimed = list(untimed or [])

    def to_dict(self) -> dict[str, Any]:
        ts = self.timestamp
        out: dict[str, Any] = {
            "timestamp": format_datetime(ts) if isinstance(ts, datetime) else ts,
            "ids": list(self.ids),
        }
        if self.keys:
            out["keys"] = list(self.keys)
        if self.untimed:
            out["untimed"] = list(self.untimed)
        out["delivered"] = self.delivered
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Checkpoint:
        return cls(
            timestamp=parse_datetime(data.get("timestamp")),
            ids=list(data.get("ids") or []),
            delivered=int(data.get("delivered") or 0),
            keys=list(data.get("keys") or []),
            untimed=list(data.get("untimed") or []),
        )

    def _key(self) -> tuple[Any, ...]:
        return (self.timestamp, self.ids, self.keys, self.untimed, self.delivered)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Checkpoint):
            return NotImplemented
        return self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        more = "".join(f", {n}={getattr(self, n)!r}" for n in ("keys", "untimed") if getattr(self, n))
        return f"Checkpoint(timestamp={self.timestamp!r}, ids={self.ids!r}{more}, delivered={self.delivered!r})"


_install_inits(list(MODELS.values()))
_READY = True


def reply_converter(record: str, many: bool) -> Callable[[Any], Any]:
    """How a raw reply of the table's reply type (its record, and whether a list of them)
    becomes models."""
    cls = MODELS.get(record)
    if cls is None:  # Log / FullLog arrive as objects already
        return _same
    read = cls._from_wire
    if many:

        def read_many(raw: Any) -> Any:
            if isinstance(raw, Mapping):
                return [read(raw)]
            return [read(x) for x in raw]

        return read_many

    def read_one(raw: Any) -> Any:
        return read(raw) if isinstance(raw, Mapping) else raw

    return read_one
