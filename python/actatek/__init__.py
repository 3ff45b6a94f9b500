"""ACTAtek access-control terminals from Python: every REST operation of the terminal, sync
(``Client``) and asyncio (``AsyncClient``), typed models, validation before anything is sent,
sessions and retries handled, resumable log export, watch and fleet runs.

>>> import actatek
>>> with actatek.Client("https://10.0.0.5", "admin", "secret", pin_sha256="…") as t:
...     t.get_terminal_status().serial_number

The network work is done by the Rust crate ``actatek`` (through ``actatek._actatek``) with the
GIL released. ``actatek.testing.Simulator`` starts a simulated terminal for your own tests.
"""

from __future__ import annotations

from . import _actatek
from ._actatek import FullLog, Log, LogExport, LogWatch, TimePattern
from ._client import (
    OPERATIONS,
    AsyncClient,
    Client,
    Desired,
    Fleet,
    FleetResult,
    InsecureTLSWarning,
    Operation,
    load_desired,
)
from ._errors import ActatekError, ApiError, ConfigError, ProtocolError, TransportError, ValidationError, Violation
from ._models import (
    AccessGroup,
    AccessRight,
    Agent,
    AgentRegistration,
    ApiVersion,
    AutoInOut,
    Checkpoint,
    Consent,
    Credentials,
    Department,
    FacialRecord,
    Holidays,
    HolidaysReply,
    JobCode,
    JobCodeSetting,
    KeyRecord,
    LoginReply,
    LogSetting,
    LogUnauthorizedEvent,
    Model,
    MyselfUpdate,
    Ntp,
    Photo,
    RelaySetting,
    RtpSetting,
    StatusReply,
    TerminalStatus,
    TerminalTime,
    TimeSpec,
    Totp,
    Trigger,
    User,
    UserCount,
    UserMessage,
    UserStatus,
)

__version__: str = _actatek.__version__

RULES: dict[str, tuple[str, str]] = {code: (section, text) for code, section, text in _actatek.rules()}
"""Every value rule by code: (manual section or "project", what a valid value looks like)."""

__all__ = [
    "OPERATIONS",
    "RULES",
    "AccessGroup",
    "AccessRight",
    "ActatekError",
    "Agent",
    "AgentRegistration",
    "ApiError",
    "ApiVersion",
    "AsyncClient",
    "AutoInOut",
    "Checkpoint",
    "Client",
    "ConfigError",
    "Consent",
    "Credentials",
    "Department",
    "Desired",
    "FacialRecord",
    "Fleet",
    "FleetResult",
    "FullLog",
    "Holidays",
    "HolidaysReply",
    "InsecureTLSWarning",
    "JobCode",
    "JobCodeSetting",
    "KeyRecord",
    "Log",
    "LogExport",
    "LogSetting",
    "LogUnauthorizedEvent",
    "LogWatch",
    "LoginReply",
    "Model",
    "MyselfUpdate",
    "Ntp",
    "Operation",
    "Photo",
    "ProtocolError",
    "RelaySetting",
    "RtpSetting",
    "StatusReply",
    "TerminalStatus",
    "TerminalTime",
    "TimePattern",
    "TimeSpec",
    "Totp",
    "TransportError",
    "Trigger",
    "User",
    "UserCount",
    "UserMessage",
    "UserStatus",
    "ValidationError",
    "Violation",
    "__version__",
    "load_desired",
]
