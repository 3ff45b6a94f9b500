"""Hand-written stubs for ``actatek._client`` (its methods are generated at import from the
operation table; ``mypy.stubtest`` checks these signatures against them)."""

import os
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Callable, Literal, NamedTuple

from typing_extensions import TypeAlias

from ._actatek import ClientCore, FullLog, Log, LogExport, LogWatch
from ._errors import ActatekError
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
    Holidays,
    HolidaysReply,
    JobCode,
    JobCodeSetting,
    LoginReply,
    LogSetting,
    LogUnauthorizedEvent,
    MyselfUpdate,
    Ntp,
    Photo,
    RelaySetting,
    RtpSetting,
    StatusReply,
    TerminalStatus,
    TerminalTime,
    Totp,
    Trigger,
    User,
    UserCount,
    UserMessage,
)

__all__ = ["OPERATIONS", "AsyncClient", "Client", "Fleet", "FleetResult", "InsecureTLSWarning", "Operation"]

_RelayAction: TypeAlias = Literal["open", "close"]
_RelayTarget: TypeAlias = Literal["ONE", "TWO", "ALL"]
_TotpType: TypeAlias = Literal["QR_PNG", "QR_SVG", "QR_ANSI", "QR_PLAINTEXT", "OTP_PASSCODE"]
_ConsentMode: TypeAlias = Literal["enable", "disable"]
_JobCodeEnable: TypeAlias = Literal["enable", "disable", "default"]
_Verify: TypeAlias = bool | str | os.PathLike[str]

class InsecureTLSWarning(UserWarning): ...

class Param(NamedTuple):
    name: str
    wire: str
    location: str
    ty: str
    required: bool
    list: bool

class Operation:
    name: str
    section: str
    method: str
    template: str
    retry_safe: bool
    doc: str
    reply: str
    params: tuple[Param, ...]
    convert: Callable[[Any], Any]
    def __init__(self, info: Mapping[str, Any]) -> None: ...
    def wire_input(self, args: Mapping[str, Any]) -> dict[str, Any]: ...

OPERATIONS: dict[str, Operation]

class _Base:
    _core: ClientCore
    def __init__(
        self,
        url: str,
        username: str,
        password: str,
        *,
        timeout: float = 30.0,
        connect_timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 0.2,
        max_backoff: float = 5.0,
        verify: _Verify = True,
        pin_sha256: str | None = None,
    ) -> None: ...
    @property
    def url(self) -> str: ...

class Client(_Base):
    """A terminal, called synchronously (the GIL is released while waiting; safe across threads)."""

    def close(self) -> None: ...
    def __enter__(self) -> Client: ...
    def __exit__(self, *exc: object) -> None: ...

    # --- long operations ---

    def export_logs(
        self,
        *,
        from_: datetime | str | None = None,
        to: datetime | str | None = None,
        employee_name: str | None = None,
        employee_id: str | None = None,
        department_id: int | None = None,
        trigger: str | None = None,
        terminal_sn: str | None = None,
        chunk_size: int = 1000,
        checkpoint: Checkpoint | None = None,
    ) -> LogExport:
        """Export the logs matching the filters, chunk_size per request; resumable from a checkpoint."""

    def watch_logs(
        self,
        *,
        from_: datetime | str | None = None,
        to: datetime | str | None = None,
        employee_name: str | None = None,
        employee_id: str | None = None,
        department_id: int | None = None,
        trigger: str | None = None,
        terminal_sn: str | None = None,
        checkpoint: Checkpoint | None = None,
        poll: float = 1.0,
        raise_errors: bool = False,
    ) -> LogWatch:
        """New logs as they arrive (an endless iterator)."""

    # --- one method per canonical operation (ENDPOINTS.md) ---

    def login(self, credentials: Credentials) -> LoginReply:
        """Log in; the reply carries the session id (§1.1)."""

    def logout(self) -> StatusReply:
        """End the session (§1.2)."""

    def get_logs(
        self,
        *,
        from_: datetime | str | None = None,
        to: datetime | str | None = None,
        employee_name: str | None = None,
        employee_id: str | None = None,
        department_id: int | None = None,
        trigger: str | None = None,
        terminal_sn: str | None = None,
    ) -> list[Log]:
        """Event logs, filtered (§2.1)."""

    def get_full_logs(
        self,
        *,
        limit: int | None = None,
        from_: datetime | str | None = None,
        to: datetime | str | None = None,
        employee_name: str | None = None,
        employee_id: str | None = None,
        department_id: int | None = None,
        trigger: str | None = None,
        terminal_sn: str | None = None,
    ) -> list[FullLog]:
        """Event logs with names, photos and access method (§2.2). Without `limit` the path ends in `/` to tell it apart from get_logs."""

    def get_log_photo(self, timestamp: datetime | str, *, terminal_sn: str | None = None) -> Photo:
        """The photo of the event log at a timestamp (§2.3)."""

    def add_log(self, timestamp: datetime | str, employee_id: str, trigger: str) -> StatusReply:
        """Add one event log (§2.4)."""

    def delete_logs(self, days_to_keep: int) -> StatusReply:
        """Delete logs older than the last `days_to_keep` days (§2.5)."""

    def reset_log(self) -> StatusReply:
        """Delete every log (§2.6)."""

    def add_user(self, user: User) -> StatusReply:
        """Add one user (§3.1)."""

    def add_users(self, users: User | Sequence[User]) -> list[StatusReply]:
        """Add several users; one reply per user (§3.2)."""

    def get_users(
        self,
        *,
        user_id: str | None = None,
        partial_user_id: str | None = None,
        last_name: str | None = None,
        first_name: str | None = None,
        other_name: str | None = None,
    ) -> list[User]:
        """Users matching every given filter (§3.3)."""

    def update_user(self, user: User) -> StatusReply:
        """Update one user (§3.4)."""

    def update_users(self, users: User | Sequence[User]) -> list[StatusReply]:
        """Update several users; one reply per user (§3.5)."""

    def delete_user(self, user_id: str) -> StatusReply:
        """Delete a user (§3.6, E1)."""

    def activate_user(self, user_id: str) -> StatusReply:
        """Set a user active (§3.7)."""

    def deactivate_user(self, user_id: str) -> StatusReply:
        """Suspend a user (§3.8)."""

    def get_user_message(self, user_id: str) -> UserMessage:
        """A user's message (§3.9)."""

    def set_user_message(self, user_id: str, message: UserMessage | str) -> StatusReply:
        """Set a user's message (§3.10)."""

    def delete_user_message(self, user_id: str) -> StatusReply:
        """Delete a user's message (§3.11)."""

    def get_user_count(self) -> UserCount:
        """How many users there are (§3.12, E2)."""

    def get_user_batch(self, offset: int, limit: int) -> list[User]:
        """A page of users (§3.13, E2)."""

    def get_user_api_totp(self, user_id: str, totp_type: _TotpType) -> Totp:
        """A user's API login TOTP as QR code or passcode (§3.14, E2)."""

    def add_departments(self, departments: Department | Sequence[Department]) -> list[StatusReply]:
        """Add departments (§4.1)."""

    def update_departments(self, departments: Department | Sequence[Department]) -> list[StatusReply]:
        """Update departments (§4.2)."""

    def get_departments(
        self,
        *,
        id: int | None = None,
        name: str | None = None,
        description: str | None = None,
    ) -> list[Department]:
        """Departments matching the filters; all without filters (§4.3)."""

    def delete_departments(
        self,
        *,
        id: int | None = None,
        name: str | None = None,
        description: str | None = None,
    ) -> StatusReply:
        """Delete the departments matching at least one filter (§4.4)."""

    def add_access_rights(self, access_rights: AccessRight | Sequence[AccessRight]) -> list[StatusReply]:
        """Add access rights (§5.1, E4)."""

    def get_access_rights(self, *, id: int | None = None) -> list[AccessRight]:
        """Access rights; all without `id` (§5.2, E4)."""

    def update_access_rights(self, access_rights: AccessRight | Sequence[AccessRight]) -> list[StatusReply]:
        """Update access rights (§5.3, E4)."""

    def delete_access_right(self, id: int) -> StatusReply:
        """Delete an access right (§5.4)."""

    def add_access_groups(self, access_groups: AccessGroup | Sequence[AccessGroup]) -> list[StatusReply]:
        """Add access groups (§6.1)."""

    def get_access_groups(self, *, groupid: int | None = None, deptid: int | None = None) -> list[AccessGroup]:
        """Access groups, by group and/or department (§6.2, E13)."""

    def update_access_groups(self, access_groups: AccessGroup | Sequence[AccessGroup]) -> list[StatusReply]:
        """Update access groups (§6.3)."""

    def delete_access_group(self, id: int) -> StatusReply:
        """Delete an access group (§6.4)."""

    def get_triggers(self, *, trigger_type: str | None = None) -> list[Trigger]:
        """Triggers and their schedules; all without `type` (§7.1, E4)."""

    def update_trigger(self, trigger: Trigger) -> StatusReply:
        """Update a trigger's name, state and schedule (§7.2, E4)."""

    def clear_trigger(self, trigger_type: str) -> StatusReply:
        """Clear a trigger's schedule (§7.3)."""

    def get_myself(self) -> User:
        """The logged-in user (§8.1, E3)."""

    def update_myself(self, myself: MyselfUpdate) -> StatusReply:
        """Update the logged-in user's names, card and password (§8.2)."""

    def register_agent(self, agent: AgentRegistration) -> StatusReply:
        """Register an agent (§9.1)."""

    def unregister_agent(self, url: str) -> StatusReply:
        """Unregister an agent (§9.2)."""

    def get_agents(self) -> list[Agent]:
        """Registered agents (§9.3)."""

    def get_ntp(self) -> Ntp:
        """NTP setting (§10.1)."""

    def set_ntp(self, ntp: Ntp) -> StatusReply:
        """Change the NTP setting (§10.2)."""

    def get_time(self) -> TerminalTime:
        """The terminal's clock and time zone (§10.3)."""

    def set_time(self, time: TerminalTime) -> StatusReply:
        """Set the terminal's clock and time zone (§10.4, E5)."""

    def open_door(self) -> StatusReply:
        """Open the main door strike (§11.1)."""

    def get_api_version(self) -> ApiVersion:
        """API name and version; needs no session (§11.2)."""

    def get_terminal_status(self) -> TerminalStatus:
        """Serial number, firmware, user counts (§11.3)."""

    def relay_action(self, action: _RelayAction, relay: _RelayTarget) -> StatusReply:
        """Open or close a relay (§11.4)."""

    def set_relay_setting(self, setting: RelaySetting) -> StatusReply:
        """Change a relay's setting (§11.5)."""

    def get_relay_setting(self, relay: _RelayTarget) -> list[RelaySetting]:
        """A relay's setting; both for ALL (§11.6)."""

    def set_auto_in_out(self, setting: AutoInOut) -> StatusReply:
        """Change the auto in/out mode (§11.7)."""

    def get_auto_in_out(self) -> AutoInOut:
        """The auto in/out mode (§11.8)."""

    def set_log_unauthorized_event(self, enable: bool) -> StatusReply:
        """Log unauthorized events or not (§11.9)."""

    def get_log_unauthorized_event(self) -> LogUnauthorizedEvent:
        """Whether unauthorized events are logged (§11.10)."""

    def get_capture_fingerprint(self) -> Photo:
        """The last captured fingerprint image (§11.11)."""

    def set_rtp_setting(self, setting: RtpSetting) -> StatusReply:
        """Change video streaming (§11.12)."""

    def get_rtp_setting(self) -> RtpSetting:
        """Video streaming setting and state (§11.13, E6)."""

    def set_consent(self, enable: _ConsentMode | bool, display_name: str) -> StatusReply:
        """Switch the consent message and set its display name (§11.14)."""

    def get_consent(self) -> Consent:
        """The consent message setting (§11.15)."""

    def set_log_setting(self, setting: LogSetting) -> StatusReply:
        """Change the log setting (§11.16)."""

    def get_log_setting(self) -> LogSetting:
        """The log setting (§11.17)."""

    def get_job_code_settings(self) -> list[JobCodeSetting]:
        """The three job code settings (§12.1)."""

    def update_job_code_settings(self, settings: JobCodeSetting | Sequence[JobCodeSetting]) -> list[StatusReply]:
        """Change job code settings (§12.2)."""

    def add_job_codes(self, job_codes: JobCode | Sequence[JobCode]) -> list[StatusReply]:
        """Add job codes (§12.3, E10)."""

    def update_job_codes(self, job_codes: JobCode | Sequence[JobCode]) -> list[StatusReply]:
        """Update job codes (§12.4, E10)."""

    def delete_job_codes(
        self,
        *,
        jobcode: int | None = None,
        id: int | None = None,
        name: str | None = None,
    ) -> list[StatusReply]:
        """Delete job codes matching the filters (§12.5)."""

    def get_job_codes(
        self,
        *,
        jobcode: int | None = None,
        id: int | None = None,
        name: str | None = None,
        enable: _JobCodeEnable | None = None,
    ) -> list[JobCode]:
        """Job codes matching the filters (§12.6, E7)."""

    def get_holidays(self, *, date: date | str | None = None) -> Holidays:
        """Holidays; `date` may use 0 wildcards, all without it (§13.1, E8)."""

    def set_holidays(self, holidays: Holidays | Iterable[date | str]) -> HolidaysReply:
        """Add holidays (§13.2, E9)."""

    def delete_holidays(self, holidays: Holidays | Iterable[date | str]) -> HolidaysReply:
        """Delete holidays (§13.3, E9)."""

class AsyncClient(_Base):
    """A terminal, for asyncio: every operation is a coroutine."""

    async def aclose(self) -> None: ...
    async def __aenter__(self) -> AsyncClient: ...
    async def __aexit__(self, *exc: object) -> None: ...

    # --- long operations ---

    def export_logs(
        self,
        *,
        from_: datetime | str | None = None,
        to: datetime | str | None = None,
        employee_name: str | None = None,
        employee_id: str | None = None,
        department_id: int | None = None,
        trigger: str | None = None,
        terminal_sn: str | None = None,
        chunk_size: int = 1000,
        checkpoint: Checkpoint | None = None,
    ) -> LogExport:
        """Export the logs matching the filters, chunk_size per request; resumable from a checkpoint."""

    def watch_logs(
        self,
        *,
        from_: datetime | str | None = None,
        to: datetime | str | None = None,
        employee_name: str | None = None,
        employee_id: str | None = None,
        department_id: int | None = None,
        trigger: str | None = None,
        terminal_sn: str | None = None,
        checkpoint: Checkpoint | None = None,
        poll: float = 1.0,
        raise_errors: bool = False,
    ) -> LogWatch:
        """New logs as they arrive (an endless iterator)."""

    # --- one method per canonical operation (ENDPOINTS.md) ---

    async def login(self, credentials: Credentials) -> LoginReply:
        """Log in; the reply carries the session id (§1.1)."""

    async def logout(self) -> StatusReply:
        """End the session (§1.2)."""

    async def get_logs(
        self,
        *,
        from_: datetime | str | None = None,
        to: datetime | str | None = None,
        employee_name: str | None = None,
        employee_id: str | None = None,
        department_id: int | None = None,
        trigger: str | None = None,
        terminal_sn: str | None = None,
    ) -> list[Log]:
        """Event logs, filtered (§2.1)."""

    async def get_full_logs(
        self,
        *,
        limit: int | None = None,
        from_: datetime | str | None = None,
        to: datetime | str | None = None,
        employee_name: str | None = None,
        employee_id: str | None = None,
        department_id: int | None = None,
        trigger: str | None = None,
        terminal_sn: str | None = None,
    ) -> list[FullLog]:
        """Event logs with names, photos and access method (§2.2). Without `limit` the path ends in `/` to tell it apart from get_logs."""

    async def get_log_photo(self, timestamp: datetime | str, *, terminal_sn: str | None = None) -> Photo:
        """The photo of the event log at a timestamp (§2.3)."""

    async def add_log(self, timestamp: datetime | str, employee_id: str, trigger: str) -> StatusReply:
        """Add one event log (§2.4)."""

    async def delete_logs(self, days_to_keep: int) -> StatusReply:
        """Delete logs older than the last `days_to_keep` days (§2.5)."""

    async def reset_log(self) -> StatusReply:
        """Delete every log (§2.6)."""

    async def add_user(self, user: User) -> StatusReply:
        """Add one user (§3.1)."""

    async def add_users(self, users: User | Sequence[User]) -> list[StatusReply]:
        """Add several users; one reply per user (§3.2)."""

    async def get_users(
        self,
        *,
        user_id: str | None = None,
        partial_user_id: str | None = None,
        last_name: str | None = None,
        first_name: str | None = None,
        other_name: str | None = None,
    ) -> list[User]:
        """Users matching every given filter (§3.3)."""

    async def update_user(self, user: User) -> StatusReply:
        """Update one user (§3.4)."""

    async def update_users(self, users: User | Sequence[User]) -> list[StatusReply]:
        """Update several users; one reply per user (§3.5)."""

    async def delete_user(self, user_id: str) -> StatusReply:
        """Delete a user (§3.6, E1)."""

    async def activate_user(self, user_id: str) -> StatusReply:
        """Set a user active (§3.7)."""

    async def deactivate_user(self, user_id: str) -> StatusReply:
        """Suspend a user (§3.8)."""

    async def get_user_message(self, user_id: str) -> UserMessage:
        """A user's message (§3.9)."""

    async def set_user_message(self, user_id: str, message: UserMessage | str) -> StatusReply:
        """Set a user's message (§3.10)."""

    async def delete_user_message(self, user_id: str) -> StatusReply:
        """Delete a user's message (§3.11)."""

    async def get_user_count(self) -> UserCount:
        """How many users there are (§3.12, E2)."""

    async def get_user_batch(self, offset: int, limit: int) -> list[User]:
        """A page of users (§3.13, E2)."""

    async def get_user_api_totp(self, user_id: str, totp_type: _TotpType) -> Totp:
        """A user's API login TOTP as QR code or passcode (§3.14, E2)."""

    async def add_departments(self, departments: Department | Sequence[Department]) -> list[StatusReply]:
        """Add departments (§4.1)."""

    async def update_departments(self, departments: Department | Sequence[Department]) -> list[StatusReply]:
        """Update departments (§4.2)."""

    async def get_departments(
        self,
        *,
        id: int | None = None,
        name: str | None = None,
        description: str | None = None,
    ) -> list[Department]:
        """Departments matching the filters; all without filters (§4.3)."""

    async def delete_departments(
        self,
        *,
        id: int | None = None,
        name: str | None = None,
        description: str | None = None,
    ) -> StatusReply:
        """Delete the departments matching at least one filter (§4.4)."""

    async def add_access_rights(self, access_rights: AccessRight | Sequence[AccessRight]) -> list[StatusReply]:
        """Add access rights (§5.1, E4)."""

    async def get_access_rights(self, *, id: int | None = None) -> list[AccessRight]:
        """Access rights; all without `id` (§5.2, E4)."""

    async def update_access_rights(self, access_rights: AccessRight | Sequence[AccessRight]) -> list[StatusReply]:
        """Update access rights (§5.3, E4)."""

    async def delete_access_right(self, id: int) -> StatusReply:
        """Delete an access right (§5.4)."""

    async def add_access_groups(self, access_groups: AccessGroup | Sequence[AccessGroup]) -> list[StatusReply]:
        """Add access groups (§6.1)."""

    async def get_access_groups(
        self,
        *,
        groupid: int | None = None,
        deptid: int | None = None,
    ) -> list[AccessGroup]:
        """Access groups, by group and/or department (§6.2, E13)."""

    async def update_access_groups(self, access_groups: AccessGroup | Sequence[AccessGroup]) -> list[StatusReply]:
        """Update access groups (§6.3)."""

    async def delete_access_group(self, id: int) -> StatusReply:
        """Delete an access group (§6.4)."""

    async def get_triggers(self, *, trigger_type: str | None = None) -> list[Trigger]:
        """Triggers and their schedules; all without `type` (§7.1, E4)."""

    async def update_trigger(self, trigger: Trigger) -> StatusReply:
        """Update a trigger's name, state and schedule (§7.2, E4)."""

    async def clear_trigger(self, trigger_type: str) -> StatusReply:
        """Clear a trigger's schedule (§7.3)."""

    async def get_myself(self) -> User:
        """The logged-in user (§8.1, E3)."""

    async def update_myself(self, myself: MyselfUpdate) -> StatusReply:
        """Update the logged-in user's names, card and password (§8.2)."""

    async def register_agent(self, agent: AgentRegistration) -> StatusReply:
        """Register an agent (§9.1)."""

    async def unregister_agent(self, url: str) -> StatusReply:
        """Unregister an agent (§9.2)."""

    async def get_agents(self) -> list[Agent]:
        """Registered agents (§9.3)."""

    async def get_ntp(self) -> Ntp:
        """NTP setting (§10.1)."""

    async def set_ntp(self, ntp: Ntp) -> StatusReply:
        """Change the NTP setting (§10.2)."""

    async def get_time(self) -> TerminalTime:
        """The terminal's clock and time zone (§10.3)."""

    async def set_time(self, time: TerminalTime) -> StatusReply:
        """Set the terminal's clock and time zone (§10.4, E5)."""

    async def open_door(self) -> StatusReply:
        """Open the main door strike (§11.1)."""

    async def get_api_version(self) -> ApiVersion:
        """API name and version; needs no session (§11.2)."""

    async def get_terminal_status(self) -> TerminalStatus:
        """Serial number, firmware, user counts (§11.3)."""

    async def relay_action(self, action: _RelayAction, relay: _RelayTarget) -> StatusReply:
        """Open or close a relay (§11.4)."""

    async def set_relay_setting(self, setting: RelaySetting) -> StatusReply:
        """Change a relay's setting (§11.5)."""

    async def get_relay_setting(self, relay: _RelayTarget) -> list[RelaySetting]:
        """A relay's setting; both for ALL (§11.6)."""

    async def set_auto_in_out(self, setting: AutoInOut) -> StatusReply:
        """Change the auto in/out mode (§11.7)."""

    async def get_auto_in_out(self) -> AutoInOut:
        """The auto in/out mode (§11.8)."""

    async def set_log_unauthorized_event(self, enable: bool) -> StatusReply:
        """Log unauthorized events or not (§11.9)."""

    async def get_log_unauthorized_event(self) -> LogUnauthorizedEvent:
        """Whether unauthorized events are logged (§11.10)."""

    async def get_capture_fingerprint(self) -> Photo:
        """The last captured fingerprint image (§11.11)."""

    async def set_rtp_setting(self, setting: RtpSetting) -> StatusReply:
        """Change video streaming (§11.12)."""

    async def get_rtp_setting(self) -> RtpSetting:
        """Video streaming setting and state (§11.13, E6)."""

    async def set_consent(self, enable: _ConsentMode | bool, display_name: str) -> StatusReply:
        """Switch the consent message and set its display name (§11.14)."""

    async def get_consent(self) -> Consent:
        """The consent message setting (§11.15)."""

    async def set_log_setting(self, setting: LogSetting) -> StatusReply:
        """Change the log setting (§11.16)."""

    async def get_log_setting(self) -> LogSetting:
        """The log setting (§11.17)."""

    async def get_job_code_settings(self) -> list[JobCodeSetting]:
        """The three job code settings (§12.1)."""

    async def update_job_code_settings(
        self,
        settings: JobCodeSetting | Sequence[JobCodeSetting],
    ) -> list[StatusReply]:
        """Change job code settings (§12.2)."""

    async def add_job_codes(self, job_codes: JobCode | Sequence[JobCode]) -> list[StatusReply]:
        """Add job codes (§12.3, E10)."""

    async def update_job_codes(self, job_codes: JobCode | Sequence[JobCode]) -> list[StatusReply]:
        """Update job codes (§12.4, E10)."""

    async def delete_job_codes(
        self,
        *,
        jobcode: int | None = None,
        id: int | None = None,
        name: str | None = None,
    ) -> list[StatusReply]:
        """Delete job codes matching the filters (§12.5)."""

    async def get_job_codes(
        self,
        *,
        jobcode: int | None = None,
        id: int | None = None,
        name: str | None = None,
        enable: _JobCodeEnable | None = None,
    ) -> list[JobCode]:
        """Job codes matching the filters (§12.6, E7)."""

    async def get_holidays(self, *, date: date | str | None = None) -> Holidays:
        """Holidays; `date` may use 0 wildcards, all without it (§13.1, E8)."""

    async def set_holidays(self, holidays: Holidays | Iterable[date | str]) -> HolidaysReply:
        """Add holidays (§13.2, E9)."""

    async def delete_holidays(self, holidays: Holidays | Iterable[date | str]) -> HolidaysReply:
        """Delete holidays (§13.3, E9)."""

class FleetResult(NamedTuple):
    position: int
    url: str
    value: Any
    error: ActatekError | None
    @property
    def ok(self) -> bool: ...
    def result(self) -> Any: ...

class Fleet:
    clients: list[Client | AsyncClient]
    concurrency: int
    def __init__(self, clients: Sequence[Client | AsyncClient], *, concurrency: int = 8) -> None: ...
    def run(self, operation: str, /, **kwargs: Any) -> Iterator[FleetResult]: ...
    def arun(self, operation: str, /, **kwargs: Any) -> AsyncIterator[FleetResult]: ...
