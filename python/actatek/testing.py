"""A simulated ACTAtek terminal for your own tests, in one line:

>>> with actatek.testing.Simulator(users=10, logs=1000) as sim:
...     with sim.client() as t:
...         assert t.get_user_count().usercount == 11

The simulator is the project's Rust simulator (every operation, stateful, over real HTTP on
127.0.0.1), linked into the extension and served from its own thread. Its controls: the request
log (which operations were called), injected faults (dropped connections, HTTP 500, slow or
truncated replies, expired sessions), the clock (session expiry), quirks mode (replies written
like real terminals write them), drift mode (replies written as other firmware versions might:
fields left out, unknown fields, numbers as strings, off-format values, SOAP names), log
generation and restarts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from . import _actatek
from ._client import AsyncClient, Client

__all__ = ["DRIFT_KINDS", "FAULT_KINDS", "WRITE_BACK_SAFE_DRIFT", "Simulator"]

FAULT_KINDS = ("drop_before", "drop_after", "status500", "slow", "truncate", "expire_session")
"""What ``Simulator.add_fault`` can inject."""

_kinds: tuple[list[str], list[str]] = _actatek.drift_kinds() if _actatek.TESTING else ([], [])

DRIFT_KINDS: tuple[str, ...] = tuple(_kinds[0])
"""Every way drift mode rewrites replies (``drop_field``, ``extra_field``, ``number_as_string``,
``off_format``, ``unknown_enum``, ``soap_names``, ``single_object``, ``trailing_comma``)."""

WRITE_BACK_SAFE_DRIFT: tuple[str, ...] = tuple(_kinds[1])
"""The drift kinds after which every record read can be written back as it is (get → modify →
update flows keep working); the others produce records the client reads but refuses to send
back unchanged."""


class Simulator:
    """A simulated terminal on ``127.0.0.1`` (any free port) until ``stop()`` or the end of the
    ``with`` block.

    ``users`` demo users ``U0001`` … (their password is their id) besides the admin, ``logs``
    demo logs over the days before now (a million take about a second), ``seed`` for the demo
    data and rate faults. ``tls`` serves HTTPS with a self-signed certificate (``fingerprint``,
    ``cert_pem``); ``quirks`` answers like real terminals (trailing commas, numbers as strings).
    ``start_time`` / ``freeze_clock`` set the terminal's clock (naive = UTC). ``drift=SEED``
    writes every reply as another firmware version might (reproducibly for the seed), with
    every kind of ``DRIFT_KINDS`` or only ``drift_kinds`` (``WRITE_BACK_SAFE_DRIFT`` keeps
    get → modify → update working); switch it at run time with ``set_drift`` (or
    ``POST {url}/_sim/drift {"seed": N, "kinds": [...]}``).
    """

    def __init__(
        self,
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
        drift: int | None = None,
        drift_kinds: Sequence[str] | None = None,
        latency: float = 0.0,
    ) -> None:
        if not _actatek.TESTING:
            raise RuntimeError("this build of actatek has no simulator (built without the 'testing' feature)")
        self.username = username
        self.password = password
        self._core = _actatek.SimulatorCore(
            users=users,
            logs=logs,
            seed=seed,
            tls=tls,
            quirks=quirks,
            cors=cors,
            username=username,
            password=password,
            serial=serial,
            timezone=timezone,
            door_open_schedule=door_open_schedule,
            start_time=start_time,
            freeze_clock=freeze_clock,
            drift=drift,
            drift_kinds=list(drift_kinds) if drift_kinds is not None else None,
            latency=latency,
        )

    # --- where it is -----------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (or ``https://…``)."""
        return self._core.url

    @property
    def fingerprint(self) -> str | None:
        """SHA-256 of the TLS certificate (hex), when serving HTTPS: ``pin_sha256=`` for a client."""
        return self._core.fingerprint

    @property
    def cert_pem(self) -> str | None:
        """The TLS certificate (PEM), when serving HTTPS."""
        return self._core.cert_pem

    @property
    def serial(self) -> str:
        return self._core.serial

    @property
    def running(self) -> bool:
        return self._core.running

    def client(self, **options: Any) -> Client:
        """A ``Client`` logged in as the admin (pinned to the certificate when serving HTTPS)."""
        if self.fingerprint and "verify" not in options:
            options.setdefault("pin_sha256", self.fingerprint)
        return Client(self.url, self.username, self.password, **options)

    def async_client(self, **options: Any) -> AsyncClient:
        """An ``AsyncClient`` logged in as the admin."""
        if self.fingerprint and "verify" not in options:
            options.setdefault("pin_sha256", self.fingerprint)
        return AsyncClient(self.url, self.username, self.password, **options)

    # --- what it saw -----------------------------------------------------------------------------

    def requests(self) -> list[dict[str, Any]]:
        """Every request the terminal API saw: ``method``, ``path`` (session id as ``***``),
        ``query``, ``operation`` (canonical name), ``status``, ``fault``."""
        result: list[dict[str, Any]] = self._core.requests()
        return result

    def operations(self) -> list[str | None]:
        """The canonical operation of every recorded request, in order."""
        return [r["operation"] for r in self.requests()]

    def request_count(self) -> int:
        """How many requests the terminal API has seen since start."""
        return self._core.request_count()

    def clear_requests(self) -> None:
        self._core.clear_requests()

    def state(self) -> dict[str, Any]:
        """Counts: users, logs, door_opens, relay_actions, sessions, requests, now."""
        result: dict[str, Any] = self._core.state()
        return result

    # --- what it does ----------------------------------------------------------------------------

    def add_fault(
        self,
        kind: str,
        *,
        count: int = 1,
        operation: str | None = None,
        rate: float | None = None,
        delay: float | None = None,
    ) -> None:
        """Inject a fault (one of ``FAULT_KINDS``) into the next ``count`` requests (to
        ``operation`` only, if given), or into each request with probability ``rate``.
        ``delay`` (seconds) is the wait of a ``slow`` fault."""
        self._core.add_fault(kind, count=count, operation=operation, rate=rate, delay=delay)

    def faults(self) -> list[dict[str, Any]]:
        """The faults still waiting."""
        result: list[dict[str, Any]] = self._core.faults()
        return result

    def clear_faults(self) -> None:
        self._core.clear_faults()

    def advance_clock(self, seconds: float) -> None:
        """Move the terminal's clock forward (sessions expire after 30 idle minutes, §1.1)."""
        self._core.advance_clock(seconds)

    def now(self) -> datetime:
        """The terminal's clock (aware, UTC)."""
        return self._core.now()

    def generate_logs(self, count: int) -> tuple[int, int] | None:
        """Append ``count`` logs stamped now; their first and last logID."""
        return self._core.generate_logs(count)

    def restart(self) -> int:
        """A reboot: every session dropped, the state kept. Returns how many were dropped."""
        return self._core.restart()

    def config(self) -> dict[str, Any]:
        """The behaviour switches: ``cors``, ``quirks``, ``door_open_schedule`` and
        ``latency_ms``."""
        result: dict[str, Any] = self._core.config()
        return result

    def set_config(
        self,
        *,
        cors: bool | None = None,
        quirks: bool | None = None,
        door_open_schedule: bool | None = None,
        latency: float | None = None,
    ) -> None:
        """Change the given switches; ``latency`` (seconds) is waited before every terminal
        answer, as a real terminal answers far slower than loopback."""
        self._core.set_config(cors=cors, quirks=quirks, door_open_schedule=door_open_schedule, latency=latency)

    def set_drift(self, seed: int | None, kinds: Sequence[str] | None = None) -> None:
        """Drift on (``seed``; only ``kinds``, every kind by default) or off (``None``).
        Switching it on restarts the reply count: same seed, same requests, same bytes."""
        self._core.set_drift(seed, list(kinds) if kinds is not None else None)

    def drift(self) -> dict[str, Any] | None:
        """``{"seed", "kinds", "replies"}`` while drift is on, else ``None``."""
        result: dict[str, Any] | None = self._core.drift()
        return result

    def stop(self) -> None:
        """Stop serving (idempotent)."""
        self._core.stop()

    def __enter__(self) -> Simulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"Simulator(url={self.url!r}, serial={self.serial!r})" if self.running else "Simulator(stopped)"
