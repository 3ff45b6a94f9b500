"""Hand-written stubs for ``actatek._models`` (constructors are built at import from each
class's field table; ``mypy.stubtest`` checks these signatures against them)."""

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, ClassVar, Literal

from typing_extensions import Self

from ._actatek import TimePattern

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

class _Field:
    name: str
    wire: str
    read: Callable[[Any], Any]
    required: bool
    secret: bool
    def __init__(
        self, name: str, wire: str, read: Callable[[Any], Any] = ..., *, required: bool = False, secret: bool = False
    ) -> None: ...

class Model:
    """Base of the record classes: keyword constructor, ``==``, ``repr`` without secrets, and
    the wire form through ``to_dict()`` / ``from_dict()``. Every attribute read from a terminal
    may be ``None``; unknown wire fields, and values that could not be read as their
    attribute's type (under their wire names, as sent), live in ``extra``."""

    _fields: ClassVar[tuple[_Field, ...]]
    extra: dict[str, Any]
    def to_dict(self) -> dict[str, Any]: ...
    def wire_value(self, name: str) -> Any:
        """A field's value (wire or attribute name) in wire form: the attribute's, else what the
        terminal sent under that name; ``None`` when absent."""
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self: ...
    @classmethod
    def _from_wire(cls, data: Mapping[str, Any]) -> Self: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

MODELS: dict[str, type[Model]]

def reply_converter(record: str, many: bool) -> Callable[[Any], Any]: ...

class Checkpoint:
    """Where a log export or watch stands; ``to_dict()`` is JSON-ready."""

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
    ) -> None: ...
    def to_dict(self) -> dict[str, Any]: ...
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Checkpoint: ...
    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

class Credentials(Model):
    """login's body (§1.1)."""

    username: str
    password: str
    __match_args__ = ("username", "password")
    def __init__(self, *, username: str, password: str, extra: Mapping[str, Any] | None = None) -> None: ...

class LoginReply(Model):
    """login's reply; the session id is a secret (§1.1)."""

    status: str | None
    sessionid: str | None
    __match_args__ = ("status", "sessionid")
    def __init__(
        self,
        *,
        status: str | None = None,
        sessionid: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None: ...

class StatusReply(Model):
    """The reply of most writes: ``status`` (``success``) and the terminal's ``message``."""

    status: str | None
    message: str | None
    __match_args__ = ("status", "message")
    def __init__(
        self,
        *,
        status: str | None = None,
        message: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None: ...
    @property
    def ok(self) -> bool: ...

class Photo(Model):
    """A photo reply (get_log_photo §2.3, get_capture_fingerprint §11.11); bytes, decoded."""

    status: str | None
    jpeg_photo: bytes | None
    __match_args__ = ("status", "jpeg_photo")
    def __init__(
        self,
        *,
        status: str | None = None,
        jpeg_photo: bytes | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None: ...

class UserStatus(Model):
    """How a user may identify (§3.1); all seven flags are required when adding a user."""

    active: bool | None
    auto_match: bool | None
    smart_card: bool | None
    fingerprint: bool | None
    password: bool | None
    facial: bool | None
    facial_auto_match: bool | None
    __match_args__ = ("active", "auto_match", "smart_card", "fingerprint", "password", "facial", "facial_auto_match")
    def __init__(
        self,
        *,
        active: bool | None = None,
        auto_match: bool | None = None,
        smart_card: bool | None = None,
        fingerprint: bool | None = None,
        password: bool | None = None,
        facial: bool | None = None,
        facial_auto_match: bool | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None: ...
    @classmethod
    def all(cls, on: bool = True) -> UserStatus: ...

class KeyRecord(Model):
    """A credential key (§3.1 ``keyrecords``)."""

    keytype: int | None
    keystring: str | None
    keyid: str | None
    keyenabled: bool | None
    __match_args__ = ("keytype", "keystring", "keyid", "keyenabled")
    def __init__(
        self,
        *,
        keytype: int | None = None,
        keystring: str | None = None,
        keyid: str | None = None,
        keyenabled: bool | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None: ...

class FacialRecord(Model):
    """A face (§3.1 ``facialrecords``); template and photo as bytes."""

    facial_template_type: int | None
    facial_template: bytes | None
    facial_photo: bytes | None
    __match_args__ = ("facial_template_type", "facial_template", "facial_photo")
    def __init__(
        self,
        *,
        facial_template_type: int | None = None,
        facial_template: bytes | None = None,
        facial_photo: bytes | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None: ...

class User(Model):
    """A user (§3.1, §3.3). ``expirydate`` is a ``datetime`` or ``0`` (never expires)."""

    user_id: str | None
    last_name: str | None
    first_name: str | None
    other_name: str | None
    admin_level: str | None
    password: str | None
    group_id: list[int] | None
    department_id: list[int] | None
    status: UserStatus | None
    fingerprints: bytes | None
    keyrecords: list[KeyRecord] | None
    facialrecords: list[FacialRecord] | None
    cardsn: str | None
    score_threshold: int | None
    expirydate: datetime | Literal[0] | None
    message: str | None
    __match_args__ = (
        "user_id",
        "last_name",
        "first_name",
        "other_name",
        "admin_level",
        "password",
        "group_id",
        "department_id",
        "status",
        "fingerprints",
        "keyrecords",
        "facialrecords",
        "cardsn",
        "score_threshold",
        "expirydate",
        "message",
    )
    def __init__(
        self,
        *,
        user_id: str,
        last_name: str | None = None,
        first_name: str | None = None,
        other_name: str | None = None,
        admin_level: str | None = None,
        password: str | None = None,
        group_id: int | list[int] | None = None,
        department_id: int | list[int] | None = None,
        status: UserStatus | None = None,
        fingerprints: bytes | None = None,
        keyrecords: list[KeyRecord] | None = None,
        facialrecords: list[FacialRecord] | None = None,
        cardsn: str | None = None,
        score_threshold: int | None = None,
        expirydate: datetime | Literal[0] | None = None,
        message: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None: ...

class MyselfUpdate(Model):
    """update_myself's body (§8.2): only these fields can be changed."""

    user_id: str
    last_name: str | None
    first_name: str | None
    other_name: str | None
    password: str | None
    cardsn: str | None
    __match_args__ = ("user_id", "last_name", "first_name", "other_name", "password", "cardsn")
    def __init__(
        self,
        *,
        user_id: str,
        last_name: str | None = None,
        first_name: str | None = None,
        other_name: str | None = None,
        password: str | None = None,
        cardsn: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None: ...

class UserMessage(Model):
    """A user's message (§3.9–3.10)."""

    usermessage: str | None
    __match_args__ = ("usermessage",)
    def __init__(self, *, usermessage: str | None = None, extra: Mapping[str, Any] | None = None) -> None: ...

class UserCount(Model):
    """get_user_count's reply (§3.12)."""

    usercount: int | None
    __match_args__ = ("usercount",)
    def __init__(self, *, usercount: int | None = None, extra: Mapping[str, Any] | None = None) -> None: ...

class Totp(Model):
    """get_user_api_totp's reply (§3.14): base64 for the QR formats, text otherwise."""

    format: str | None
    expiry: datetime | None
    data: str | None
    __match_args__ = ("format", "expiry", "data")
    def __init__(
        self,
        *,
        format: str | None = None,
        expiry: datetime | str | None = None,
        data: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None: ...

class Department(Model):
    """A department (§4)."""

    id: int | None
    name: str | None
    description: str | None
    __match_args__ = ("id", "name", "description")
    def __init__(
        self,
        *,
        id: int | None = None,
        name: str | None = None,
        description: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None: ...

class TimeSpec(Model):
    """One day of a schedule: a weekday and its 48 half-hour slots (§5.1, §7.2)."""

    weekday: str | None
    time_pattern: TimePattern | None
    __match_args__ = ("weekday", "time_pattern")
    def __init__(
        self,
        *,
        weekday: str,
        time_pattern: TimePattern | str,
        extra: Mapping[str, Any] | None = None,
    ) -> None: ...

class AccessRight(Model):
    """An access right: a named weekly schedule (§5, E4)."""

    id: int | None
    name: str | None
    timespec: list[TimeSpec] | None
    __match_args__ = ("id", "name", "timespec")
    def __init__(
        self,
        *,
        id: int | None = None,
        name: str | None = None,
        timespec: list[TimeSpec] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None: ...

class AccessGroup(Model):
    """An access group: a department's set of access rights (§6)."""

    id: int | None
    name: str | None
    departmentid: int | None
    accessrightid: list[int] | None
    __match_args__ = ("id", "name", "departmentid", "accessrightid")
    def __init__(
        self,
        *,
        id: int | None = None,
        name: str | None = None,
        departmentid: int | None = None,
        accessrightid: int | list[int] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None: ...

class Trigger(Model):
    """A trigger (IN, OUT, F1 … F40) and its schedule (§7); ``free_jobcode`` only on F1 … F10."""

    type: str | None
    name: str | None
    enable: bool | None
    free_jobcode: bool | None
    timespec: list[TimeSpec] | None
    __match_args__ = ("type", "name", "enable", "free_jobcode", "timespec")
    def __init__(
        self,
        *,
        type: str,
        name: str | None = None,
        enable: bool | None = None,
        free_jobcode: bool | None = None,
        timespec: list[TimeSpec] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None: ...

class AgentRegistration(Model):
    """register_agent's body (§9.1); agent_version defaults to "1.2", magic to ""."""

    url: str
    agent_version: str | None
    magic: str | None
    init_sync: bool | None
    __match_args__ = ("url", "agent_version", "magic", "init_sync")
    def __init__(
        self,
        *,
        url: str,
        agent_version: str | None = None,
        magic: str | None = None,
        init_sync: bool | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None: ...

class Agent(Model):
    """A registered agent (§9.3)."""

    url: str | None
    registration_time: datetime | None
    last_update: datetime | None
    last_check: datetime | None
    last_check_status: bool | None
    active: bool | None
    __match_args__ = ("url", "registration_time", "last_update", "last_check", "last_check_status", "active")
    def __init__(
        self,
        *,
        url: str | None = None,
        registration_time: datetime | str | None = None,
        last_update: datetime | str | None = None,
        last_check: datetime | str | None = None,
        last_check_status: bool | None = None,
        active: bool | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None: ...

class Ntp(Model):
    """NTP setting (§10.1–10.2); several servers are separated by spaces."""

    serveraddr: str | None
    enable: bool | None
    __match_args__ = ("serveraddr", "enable")
    def __init__(
        self,
        *,
        serveraddr: str | None = None,
        enable: bool | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None: ...

class TerminalTime(Model):
    """The terminal's clock and IANA time zone (§10.3–10.4). get_time answers local time."""

    current_time: datetime | None
    timezone: str | None
    __match_args__ = ("current_time", "timezone")
    def __init__(
        self,
        *,
        current_time: datetime | str,
        timezone: str,
        extra: Mapping[str, Any] | None = None,
    ) -> None: ...

class ApiVersion(Model):
    """get_api_version's reply (§11.2)."""

    name: str | None
    version: str | None
    __match_args__ = ("name", "version")
    def __init__(
        self,
        *,
        name: str | None = None,
        version: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None: ...

class TerminalStatus(Model):
    """get_terminal_status's reply (§11.3)."""

    serial_number: str | None
    fam_version: str | None
    description: str | None
    registered_users: int | None
    maximum_users: int | None
    automatch_users: int | None
    maximum_automatch_users: int | None
    current_status: str | None
    firmware_version: str | None
    __match_args__ = (
        "serial_number",
        "fam_version",
        "description",
        "registered_users",
        "maximum_users",
        "automatch_users",
        "maximum_automatch_users",
        "current_status",
        "firmware_version",
    )
    def __init__(
        self,
        *,
        serial_number: str | None = None,
        fam_version: str | None = None,
        description: str | None = None,
        registered_users: int | None = None,
        maximum_users: int | None = None,
        automatch_users: int | None = None,
        maximum_automatch_users: int | None = None,
        current_status: str | None = None,
        firmware_version: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None: ...

class RelaySetting(Model):
    """A relay's setting (§11.5–11.6): id ONE/TWO, option, delay 1–1800 s (1–20 without the
    door-open schedule)."""

    id: str | None
    option: str | None
    delay: int | None
    __match_args__ = ("id", "option", "delay")
    def __init__(self, *, id: str, option: str, delay: int, extra: Mapping[str, Any] | None = None) -> None: ...

class AutoInOut(Model):
    """Auto in/out and related modes (§11.7–11.8)."""

    mode: str | None
    auto_reset: bool | None
    reject_repeat_time_sec: int | None
    lockout_time_min: int | None
    crowd_limit_count: int | None
    crowd_reset_hhmm: str | None
    __match_args__ = (
        "mode",
        "auto_reset",
        "reject_repeat_time_sec",
        "lockout_time_min",
        "crowd_limit_count",
        "crowd_reset_hhmm",
    )
    def __init__(
        self,
        *,
        mode: str,
        auto_reset: bool | None = None,
        reject_repeat_time_sec: int | None = None,
        lockout_time_min: int | None = None,
        crowd_limit_count: int | None = None,
        crowd_reset_hhmm: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None: ...

class LogUnauthorizedEvent(Model):
    """get_log_unauthorized_event's reply (§11.10)."""

    enable: bool | None
    __match_args__ = ("enable",)
    def __init__(self, *, enable: bool | None = None, extra: Mapping[str, Any] | None = None) -> None: ...

class RtpSetting(Model):
    """Video streaming (§11.12–11.13); ``key`` (SRTP) is a secret. ``sdpfile`` and ``status``
    are reported by the terminal."""

    mode: str | None
    key: str | None
    target: str | None
    fps: int | None
    stun: str | None
    sdpfile: str | None
    status: str | None
    __match_args__ = ("mode", "key", "target", "fps", "stun", "sdpfile", "status")
    def __init__(
        self,
        *,
        mode: str,
        key: str | None = None,
        target: str | None = None,
        fps: int | None = None,
        stun: str | None = None,
        sdpfile: str | None = None,
        status: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None: ...

class Consent(Model):
    """get_consent's reply (§11.15)."""

    status: str | None
    enable: bool | None
    display_name: str | None
    __match_args__ = ("status", "enable", "display_name")
    def __init__(
        self,
        *,
        status: str | None = None,
        enable: bool | None = None,
        display_name: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None: ...

class LogSetting(Model):
    """Log setting (§11.16–11.17)."""

    log_event: str | None
    log_size: int | None
    log_unauth_event: bool | None
    log_accept_non_registered_card: bool | None
    log_photo_auth_event: bool | None
    log_photo_unauth_event: bool | None
    log_accept_non_registered_facial: bool | None
    log_case_event: bool | None
    log_em_option: str | None
    __match_args__ = (
        "log_event",
        "log_size",
        "log_unauth_event",
        "log_accept_non_registered_card",
        "log_photo_auth_event",
        "log_photo_unauth_event",
        "log_accept_non_registered_facial",
        "log_case_event",
        "log_em_option",
    )
    def __init__(
        self,
        *,
        log_event: str | None = None,
        log_size: int | None = None,
        log_unauth_event: bool | None = None,
        log_accept_non_registered_card: bool | None = None,
        log_photo_auth_event: bool | None = None,
        log_photo_unauth_event: bool | None = None,
        log_accept_non_registered_facial: bool | None = None,
        log_case_event: bool | None = None,
        log_em_option: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None: ...

class JobCodeSetting(Model):
    """One of the three job code settings (§12.1); enable or disable."""

    jobcode: int | None
    name: str | None
    enable: str | None
    __match_args__ = ("jobcode", "name", "enable")
    def __init__(
        self,
        *,
        jobcode: int,
        name: str | None = None,
        enable: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None: ...

class JobCode(Model):
    """A job code within a setting (§12.3); enable, disable or default."""

    jobcode: int | None
    id: int | None
    name: str | None
    enable: str | None
    __match_args__ = ("jobcode", "id", "name", "enable")
    def __init__(
        self,
        *,
        jobcode: int,
        id: int,
        name: str | None = None,
        enable: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None: ...

class Holidays(Model):
    """A list of holiday dates (get_holidays' reply, set/delete_holidays' body)."""

    dates: list[date] | None
    __match_args__ = ("dates",)
    def __init__(self, *, dates: list[date | str], extra: Mapping[str, Any] | None = None) -> None: ...

class HolidaysReply(Model):
    """set/delete_holidays' reply: refused dates as the terminal wrote them."""

    status: str | None
    message: str | None
    invalid_dates: list[str] | None
    __match_args__ = ("status", "message", "invalid_dates")
    def __init__(
        self,
        *,
        status: str | None = None,
        message: str | None = None,
        invalid_dates: list[str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None: ...
