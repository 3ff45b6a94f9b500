"""The exception tree: everything this package raises about a terminal is an ``ActatekError``.

- ``ConfigError`` (also a ``ValueError``): a client argument cannot be used (a malformed URL, a
  bad ``pin_sha256``, a CA file without certificates, a negative backoff); raised by the
  constructor, before anything is sent.
- ``ValidationError`` (also a ``ValueError``): the input breaks a value rule; nothing was sent.
- ``ApiError``: the terminal answered with an error (HTTP 400/500 or ``"status": "error"``).
- ``TransportError``: no usable answer (connect, timeout, TLS, broken connection).
- ``ProtocolError``: an answer that cannot be read (``maybe_applied`` for a write).
"""

from __future__ import annotations

from typing import Any, NamedTuple

__all__ = [
    "ActatekError",
    "ApiError",
    "ConfigError",
    "ProtocolError",
    "TransportError",
    "ValidationError",
    "Violation",
]


class ActatekError(Exception):
    """Base of every error of this package."""

    operation: str | None

    def __init__(self, message: str, *, operation: str | None = None) -> None:
        super().__init__(message)
        self.operation = operation

    def __reduce__(self) -> tuple[Any, ...]:
        # The constructors take keyword-only fields, which Exception's own pickling (cls(*args))
        # cannot pass: rebuild from the message and the attributes instead, so that errors
        # cross ProcessPoolExecutor, multiprocessing and task queues whole.
        return (_rebuild, (type(self), self.args, self.__dict__))


def _rebuild(cls: type[ActatekError], args: tuple[Any, ...], state: dict[str, Any]) -> ActatekError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class ConfigError(ActatekError, ValueError):
    """A client argument cannot be used; raised by ``Client(...)``/``AsyncClient(...)`` before
    anything is sent. ``setting`` names the argument (``url``, ``pin_sha256``, ``verify``,
    ``timeout``, ``connect_timeout``, ``retries``, ``backoff``, ``max_backoff``), ``problem``
    says what is wrong with it. Never holds the password.
    """

    setting: str
    problem: str

    def __init__(self, message: str, *, setting: str, problem: str = "", operation: str | None = None) -> None:
        super().__init__(message, operation=operation)
        self.setting = setting
        self.problem = problem


class Violation(NamedTuple):
    """One broken value rule."""

    field: str
    """Where, in wire names: ``body.timespec[0].timePattern``, ``userID``, ``body[1].enable``."""
    rule: str
    """The rule's code (``time_pattern``, ``relay_delay``, … see ``actatek.RULES``)."""
    value: str
    """The offending value as text (``***`` for secrets, ``<missing>`` when absent)."""
    message: str


class ValidationError(ActatekError, ValueError):
    """The input breaks a value rule of the manual; nothing was sent to the terminal.

    ``field`` and ``rule`` name the first broken rule; ``errors`` lists all of them.
    """

    field: str
    rule: str
    value: str
    errors: tuple[Violation, ...]

    def __init__(
        self,
        message: str,
        *,
        field: str,
        rule: str,
        value: str = "",
        errors: tuple[Violation, ...] = (),
        operation: str | None = None,
    ) -> None:
        super().__init__(message, operation=operation)
        self.field = field
        self.rule = rule
        self.value = value
        self.errors = tuple(errors) or (Violation(field, rule, value, message),)


class ApiError(ActatekError):
    """The terminal answered with an error; ``message`` is the terminal's own text."""

    status_code: int
    message: str

    def __init__(self, text: str, *, status_code: int, message: str, operation: str | None = None) -> None:
        super().__init__(text, operation=operation)
        self.status_code = status_code
        self.message = message


class TransportError(ActatekError):
    """No usable answer: ``kind`` is ``connect``, ``timeout``, ``tls`` or ``connection``.

    ``maybe_applied`` is true when a write may have reached the terminal although no answer came
    back (writes are never repeated automatically).
    """

    kind: str
    detail: str
    maybe_applied: bool

    def __init__(
        self,
        message: str,
        *,
        kind: str,
        detail: str = "",
        maybe_applied: bool = False,
        operation: str | None = None,
    ) -> None:
        super().__init__(message, operation=operation)
        self.kind = kind
        self.detail = detail
        self.maybe_applied = maybe_applied


class ProtocolError(ActatekError):
    """The terminal's answer could not be read; ``detail`` says what and where.

    The request did reach the terminal: ``maybe_applied`` is true for a write (it may have been
    applied; it is never sent again automatically), false for a read.
    """

    status_code: int
    detail: str
    maybe_applied: bool

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        detail: str = "",
        maybe_applied: bool = False,
        operation: str | None = None,
    ) -> None:
        super().__init__(message, operation=operation)
        self.status_code = status_code
        self.detail = detail
        self.maybe_applied = maybe_applied
