"""``AsyncClient``'s HTTP/1.1 exchanges, written and read by the running asyncio event loop
itself (asyncio streams), so that a call makes no thread hop.

The Rust core runs each call (validation, session, retries, reading the reply, errors) and
hands this module only the sending: ``Exchange.send`` gets a method, a target, a JSON body and
whether to close the connection, and answers ``(status, body)``, or ``(0, kind, detail)`` when
no answer came (``kind``: ``connect`` and ``tls`` mean nothing was sent; ``timeout`` and
``connection`` that a write may have been applied). Connections are kept alive and reused
within one event loop; one the terminal closed while idle is never given a request.

The certificate check is Python's ``ssl`` with the same four choices as the Rust client
(verify with the system's roots, also trust a CA file, pin a SHA-256 fingerprint, or accept
anything).
"""

from __future__ import annotations

import asyncio
import hashlib
import ssl
from typing import Any, Optional, Union
from urllib.parse import urlsplit

__all__ = ["Exchange"]

# A terminal's header block is a few hundred bytes; a reply line longer than this is not HTTP.
_LINE_LIMIT = 1 << 20
# As the Rust client's pool: an idle connection is dropped after this long.
_IDLE_SECONDS = 50.0

Outcome = Union[tuple[int, bytes], tuple[int, str, str]]


def _resolve(future: asyncio.Future[Any]) -> None:
    """Wake a task waiting on ``future`` (the Rust waker calls this on the loop)."""
    if not future.done():
        future.set_result(None)


class _Closed(Exception):
    """The reply cannot be read further."""


class _PinMismatch(Exception):
    pass


def _context(tls: str, arg: Optional[str]) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if tls == "ca_file" and arg is not None:
        # Also trusted, as the Rust client adds the file's certificates to its roots.
        context.load_verify_locations(cafile=arg)
    elif tls in ("pin", "insecure"):
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


class Exchange:
    """The HTTP side of one ``AsyncClient``: a keep-alive connection pool on the running loop."""

    def __init__(
        self, base_url: str, *, timeout: float, connect_timeout: float, tls: str, tls_arg: Optional[str]
    ) -> None:
        u = urlsplit(base_url)
        self._host = u.hostname or ""
        self._port = u.port or (443 if u.scheme == "https" else 80)
        host = self._host.encode("idna").decode("ascii") if not self._host.isascii() else self._host
        if ":" in host:
            host = f"[{host}]"
        self._authority = host if u.port is None else f"{host}:{u.port}"
        self._prefix = u.path.rstrip("/")
        self._timeout = timeout
        self._connect_timeout = connect_timeout
        self._ssl = _context(tls, tls_arg) if u.scheme == "https" else None
        self._pin = bytes.fromhex(tls_arg.replace(":", "")) if tls == "pin" and tls_arg else None
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter, float]] = []
        self._loop: Optional[asyncio.AbstractEventLoop] = None

    def sleep(self, seconds: float) -> Any:
        return asyncio.sleep(seconds)

    def close(self) -> None:
        """Close the idle connections."""
        while self._idle:
            self._idle.pop()[1].close()

    def _take_idle(self, loop: asyncio.AbstractEventLoop) -> Optional[tuple[asyncio.StreamReader, asyncio.StreamWriter]]:
        if self._loop is not loop:
            # Connections belong to the loop that opened them (a new asyncio.run gets its own).
            self._idle.clear()
            self._loop = loop
        now = loop.time()
        while self._idle:
            reader, writer, since = self._idle.pop()
            # Closed by the terminal while idle (the loop has seen its FIN), or kept too long.
            if reader.at_eof() or writer.is_closing() or reader.exception() is not None or now - since > _IDLE_SECONDS:
                writer.close()
                continue
            return reader, writer
        return None

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        reader, writer = await asyncio.open_connection(self._host, self._port, ssl=self._ssl, limit=_LINE_LIMIT)
        if self._pin is not None:
            der = writer.get_extra_info("ssl_object").getpeercert(binary_form=True)
            got = hashlib.sha256(der).digest()
            if got != self._pin:
                writer.close()
                raise _PinMismatch(f"certificate fingerprint {got.hex()} does not match the pinned {self._pin.hex()}")
        return reader, writer

    async def send(self, method: str, target: str, body: Optional[bytes], close: bool) -> Outcome:
        loop = asyncio.get_running_loop()
        head = f"{method} {self._prefix}{target} HTTP/1.1\r\nhost: {self._authority}\r\naccept: */*\r\n"
        if body is not None:
            head += f"content-type: application/json\r\ncontent-length: {len(body)}\r\n"
        if close:
            head += "connection: close\r\n"
        request = (head + "\r\n").encode("ascii")
        if body is not None:
            request += body
        conn = self._take_idle(loop)
        if conn is None:
            try:
                conn = await asyncio.wait_for(self._open(), min(self._connect_timeout, self._timeout))
            except asyncio.TimeoutError:
                return 0, "timeout", "connecting timed out"
            except (ssl.SSLError, ssl.CertificateError, _PinMismatch) as e:
                return 0, "tls", f"TLS: {e}"
            except OSError as e:
                return 0, "connect", f"could not connect: {e}"
        reader, writer = conn
        expired = False

        def expire() -> None:
            nonlocal expired
            expired = True
            writer.transport.abort()

        timer = loop.call_later(self._timeout, expire)
        try:
            writer.write(request)
            if len(request) > 65536:
                await writer.drain()
            status, keep, payload = await _read_reply(reader)
        except (OSError, EOFError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, _Closed, ValueError) as e:
            writer.close()
            if expired:
                return 0, "timeout", f"no answer within {self._timeout:g} s"
            if isinstance(e, ssl.SSLError):
                return 0, "tls", f"TLS: {e}"
            return 0, "connection", f"the connection broke: {_describe(e)}"
        except BaseException:
            # Cancelled in the middle: the connection's state is unknown, so it is not kept.
            writer.close()
            raise
        finally:
            timer.cancel()
        if keep and not close:
            self._idle.append((reader, writer, loop.time()))
        else:
            writer.close()
        return status, payload


def _describe(e: BaseException) -> str:
    if isinstance(e, asyncio.IncompleteReadError):
        return f"the answer ended after {len(e.partial)} bytes"
    return str(e) or type(e).__name__


async def _read_reply(reader: asyncio.StreamReader) -> tuple[int, bool, bytes]:
    """Status, whether the connection may be kept, and the body: framed by ``content-length``,
    ``transfer-encoding: chunked``, or the connection's end."""
    while True:
        line = await reader.readline()
        if not line:
            raise _Closed("the terminal closed the connection before answering")
        parts = line.split(None, 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/"):
            raise _Closed(f"not an HTTP status line: {line[:80]!r}")
        version, status = parts[0], int(parts[1])
        length: Optional[int] = None
        chunked = False
        keep = version == b"HTTP/1.1"
        while True:
            line = await reader.readline()
            if not line:
                raise _Closed("the connection ended inside the header")
            line = line.rstrip(b"\r\n")
            if not line:
                break
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
            elif name == b"connection":
                words = value.lower()
                if b"close" in words:
                    keep = False
                elif b"keep-alive" in words:
                    keep = True
        if 100 <= status < 200:
            continue
        if status in (204, 304):
            return status, keep, b""
        if chunked:
            return status, keep, await _read_chunked(reader)
        if length is not None:
            return status, keep, await reader.readexactly(length)
        return status, False, await reader.read()


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    out = bytearray()
    while True:
        line = await reader.readline()
        if not line:
            raise _Closed("the connection ended inside a chunked answer")
        size = int(line.split(b";", 1)[0].strip(), 16)
        if size == 0:
            # Trailers, up to the empty line.
            while (await reader.readline()).strip():
                pass
            return bytes(out)
        out += await reader.readexactly(size)
        await reader.readline()
