"""Stubs for the native extension ``actatek._actatek`` (Rust, pyo3)."""

import os
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, ClassVar, Union, final

from ._models import Checkpoint

# A desired-state document: a mapping in wire form, or the path of a TOML/YAML/JSON/CSV file.
_Desired = Union[Mapping[str, Any], str, os.PathLike[str]]

__all__ = [
    "BUILD_PROFILE",
    "TESTING",
    "DEFAULT_FLEET_CONCURRENCY",
    "ClientCore",
    "FleetRun",
    "FullLog",
    "Log",
    "LogExport",
    "LogWatch",
    "LoopCall",
    "Readable",
    "Ready",
    "Signal",
    "SimulatorCore",
    "TimePattern",
    "__version__",
    "build_request",
    "drift_kinds",
    "firmware_losses",
    "firmware_mutations",
    "fleet_desired",
    "fleet_run",
    "load_desired",
    "operations",
    "read_record",
    "record_names",
    "record_wire_names",
    "rules",
]

__version__: str
TESTING: bool
DEFAULT_FLEET_CONCURRENCY: int
BUILD_PROFILE: str

def operations() -> list[dict[str, Any]]:
    """Every canonical operation of the core's table (name, section, method, template,
    retry_safe, doc, reply, reply_record, reply_list, params as (name, wire, location, type,
    required, list))."""

def rules() -> list[tuple[str, str, str]]:
    """Every value rule: (code, manual section, text)."""

def build_request(name: str, input: Mapping[str, Any], session: str = "1") -> tuple[str, str, str | None]:
    """The (method, path and query, body) an operation would send, validated, without sending."""

def drift_kinds() -> tuple[list[str], list[str]]:
    """(every drift kind, the write-back-safe ones); only in builds with the simulator."""

def firmware_mutations(body: str) -> tuple[str, list[tuple[str, str, str]]]:
    """The reply body as clean JSON and the core's firmware mutations of it:
    ``(kind, JSON pointer, mutated body)`` each."""

def firmware_losses(kind: str, pointer: str, body: str, read: str, read_original: str) -> list[str]:
    """What reading a mutated body lost (empty when nothing); every argument is JSON text."""

def read_record(name: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` read as the core reads a reply's record ``name``, in normalized wire form; the
    wire names of values it could not read are listed under the key ``"\x00raw"``."""

def record_names() -> list[str]:
    """The records ``read_record`` knows."""

def record_wire_names(name: str) -> list[str]:
    """The wire names of the core record ``name``'s fields, in declaration order."""

def fleet_run(clients: list[ClientCore], name: str, input: Mapping[str, Any], concurrency: int = ...) -> FleetRun: ...
def fleet_desired(
    clients: list[ClientCore],
    desired: _Desired,
    names: list[str | None],
    groups: list[list[str]],
    prune: bool = False,
    apply: bool = False,
    concurrency: int = ...,
) -> FleetRun: ...
def load_desired(path: str | os.PathLike[str]) -> dict[str, Any]: ...

@final
class TimePattern:
    """A day's schedule: 48 half-hour slots, slot i starting at i × 30 minutes (§5.1)."""

    EMPTY: ClassVar[TimePattern]
    ALL_DAY: ClassVar[TimePattern]
    def __new__(cls, pattern: str) -> TimePattern: ...
    @classmethod
    def from_ranges(cls, ranges: str) -> TimePattern:
        """From ``"08:00-12:30, 13:30-17:00"`` (half-hour boundaries; ``24:00`` may end a range)."""
    def ranges(self) -> str:
        """The on-slots as merged ranges, ``"08:00-12:30, 13:30-17:00"``."""
    def is_on(self, hour: int, minute: int = 0) -> bool: ...
    def slots(self) -> list[bool]: ...
    def __bool__(self) -> bool: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

@final
class Log:
    """An event log (§2.1), from ``get_logs``. Read-only."""

    def __new__(
        cls,
        *,
        log_id: int,
        timestamp: datetime | str,
        user_id: str | None = None,
        trigger: str | None = None,
        terminal_sn: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> Log: ...
    @property
    def log_id(self) -> int | None: ...
    @property
    def user_id(self) -> str | None: ...
    @property
    def timestamp(self) -> datetime | None:
        """Naive for the terminal's local time, aware (UTC) when the terminal answered in UTC;
        ``None`` when absent or unreadable (then in ``extra`` under ``timestamp``)."""
    @property
    def trigger(self) -> str | None: ...
    @property
    def terminal_sn(self) -> str | None: ...
    @property
    def extra(self) -> dict[str, Any]:
        """Unknown fields, and values that could not be read (by wire name, as sent)."""
    def to_dict(self) -> dict[str, Any]: ...
    def wire_value(self, name: str) -> Any:
        """A field's value (wire or attribute name) in wire form, read or not; ``None`` when absent."""
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Log: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

@final
class FullLog:
    """An event log with names, photo and access method (§2.2). Read-only."""

    def __new__(
        cls,
        *,
        log_id: int,
        timestamp: datetime | str,
        user_id: str | None = None,
        user_name: str | None = None,
        department_name: str | None = None,
        trigger: str | None = None,
        terminal_sn: str | None = None,
        terminal_name: str | None = None,
        jpeg_photo: bytes | None = None,
        access_method: str | None = None,
        remarks: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> FullLog: ...
    @property
    def log_id(self) -> int | None: ...
    @property
    def user_id(self) -> str | None: ...
    @property
    def user_name(self) -> str | None: ...
    @property
    def department_name(self) -> str | None: ...
    @property
    def timestamp(self) -> datetime | None:
        """Naive for the terminal's local time, aware (UTC) when the terminal answered in UTC;
        ``None`` when absent or unreadable (then in ``extra`` under ``timestamp``)."""
    @property
    def trigger(self) -> str | None: ...
    @property
    def terminal_sn(self) -> str | None: ...
    @property
    def terminal_name(self) -> str | None: ...
    @property
    def jpeg_photo(self) -> bytes | None:
        """The JPEG bytes (decoded when read), or None when the log has no photo (or its text
        is not base64: then it is in ``extra`` under ``jpegPhoto``)."""
    @property
    def access_method(self) -> str | None: ...
    @property
    def remarks(self) -> str | None: ...
    @property
    def extra(self) -> dict[str, Any]:
        """Unknown fields, and values that could not be read (by wire name, as sent)."""
    def to_dict(self) -> dict[str, Any]: ...
    def wire_value(self, name: str) -> Any:
        """A field's value (wire or attribute name) in wire form, read or not; ``None`` when absent."""
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FullLog: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

@final
class LogExport:
    """A log export in progress: ``for``/``async for`` over it, or ``next_chunk()``; its
    ``checkpoint`` resumes it exactly where it stands."""

    @property
    def checkpoint(self) -> Checkpoint: ...
    def __iter__(self) -> Iterator[FullLog]: ...
    def __next__(self) -> FullLog: ...
    def next_chunk(self) -> list[FullLog] | None: ...
    async def next_chunk_async(self) -> list[FullLog] | None: ...
    def __aiter__(self) -> AsyncIterator[FullLog]: ...
    async def __anext__(self) -> FullLog: ...

@final
class LogWatch:
    """New logs as they arrive (endless); ``checkpoint`` resumes it."""

    @property
    def checkpoint(self) -> Checkpoint: ...
    def __iter__(self) -> Iterator[FullLog]: ...
    def __next__(self) -> FullLog: ...
    def __aiter__(self) -> AsyncIterator[FullLog]: ...
    async def __anext__(self) -> FullLog: ...

@final
class Ready:
    """An awaitable that is already done (a buffered log handed to ``async for`` at once)."""

    def __await__(self) -> Ready: ...
    def __iter__(self) -> Ready: ...
    def __next__(self) -> Any: ...

@final
class LoopCall:
    """One ``AsyncClient`` call, run by the task that awaits it on the event loop."""

    def __await__(self) -> LoopCall: ...
    def __iter__(self) -> LoopCall: ...
    def __next__(self) -> Any: ...
    def send(self, value: Any) -> Any: ...
    def throw(self, kind: Any, value: Any = None, _traceback: Any = None) -> Any: ...
    def close(self) -> None: ...

@final
class Readable:
    """A connection's reader callback on the event loop."""

    def __call__(self, *args: Any, **kwargs: Any) -> None: ...

@final
class Signal:
    """A connection's writer or timer callback on the event loop."""

    def __call__(self, *args: Any, **kwargs: Any) -> None: ...

@final
class ClientCore:
    def __new__(
        cls,
        url: str,
        username: str,
        password: str,
        *,
        timeout: float = 30.0,
        connect_timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 0.2,
        max_backoff: float = 5.0,
        tls: str = "verify",
        tls_arg: str | None = None,
    ) -> ClientCore: ...
    @property
    def url(self) -> str: ...
    def call(self, name: str, input: Mapping[str, Any]) -> Any: ...
    async def call_async(self, name: str, input: Mapping[str, Any]) -> Any: ...
    def run_on_the_loop(self) -> None: ...
    def close(self) -> None: ...
    async def close_async(self) -> None: ...
    def desired(
        self,
        desired: _Desired,
        prune: bool = False,
        terminal: str | None = None,
        groups: Sequence[str] = ...,
        apply: bool = False,
    ) -> Any: ...
    async def desired_async(
        self,
        desired: _Desired,
        prune: bool = False,
        terminal: str | None = None,
        groups: Sequence[str] = ...,
        apply: bool = False,
    ) -> Any: ...
    def export_logs(
        self, input: Mapping[str, Any], chunk_size: int = 1000, checkpoint: Checkpoint | Mapping[str, Any] | None = None
    ) -> LogExport: ...
    def watch_logs(
        self,
        input: Mapping[str, Any],
        checkpoint: Checkpoint | Mapping[str, Any] | None = None,
        poll: float = 1.0,
        raise_errors: bool = False,
    ) -> LogWatch: ...

@final
class FleetRun:
    def __iter__(self) -> Iterator[tuple[int, str, Any, Any]]: ...
    def __next__(self) -> tuple[int, str, Any, Any]: ...
    def __aiter__(self) -> AsyncIterator[tuple[int, str, Any, Any]]: ...
    async def __anext__(self) -> tuple[int, str, Any, Any]: ...

@final
class SimulatorCore:
    def __new__(
        cls,
        *,
        users: int = 10,
        logs: int = 1000,
        seed: int = 7,
        tls: bool = False,
        quirks: bool = False,
        cors: bool = True,
        username: str = "admin",
        password: str = "admin",
        serial: str | None = None,
        timezone: str | None = None,
        door_open_schedule: bool = False,
        start_time: datetime | None = None,
        freeze_clock: bool = False,
        host: str = "127.0.0.1",
        drift: int | None = None,
        drift_kinds: list[str] | None = None,
        latency: float = 0.0,
    ) -> SimulatorCore: ...
    @property
    def url(self) -> str: ...
    @property
    def fingerprint(self) -> str | None: ...
    @property
    def cert_pem(self) -> str | None: ...
    @property
    def serial(self) -> str: ...
    @property
    def running(self) -> bool: ...
    def requests(self) -> list[dict[str, Any]]: ...
    def request_count(self) -> int: ...
    def clear_requests(self) -> None: ...
    def add_fault(
        self,
        kind: str,
        *,
        count: int = 1,
        operation: str | None = None,
        rate: float | None = None,
        delay: float | None = None,
    ) -> None: ...
    def faults(self) -> list[dict[str, Any]]: ...
    def clear_faults(self) -> None: ...
    def advance_clock(self, seconds: float) -> None: ...
    def now(self) -> datetime: ...
    def state(self) -> dict[str, Any]: ...
    def generate_logs(self, count: int) -> tuple[int, int] | None: ...
    def restart(self) -> int: ...
    def config(self) -> dict[str, Any]: ...
    def set_config(
        self,
        *,
        cors: bool | None = None,
        quirks: bool | None = None,
        door_open_schedule: bool | None = None,
        latency: float | None = None,
    ) -> None: ...
    def set_drift(self, seed: int | None, kinds: list[str] | None = None) -> None: ...
    def drift(self) -> dict[str, Any] | None: ...
    def stop(self) -> None: ...
