"""``AsyncClient``'s HTTP/1.1 exchanges, written and read by the running asyncio event loop
itself (an ``asyncio.Protocol`` per connection), so that a call makes no thread hop.

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

# A terminal's header block is a few hundred bytes; one longer than this is not HTTP.
_HEAD_LIMIT = 1 << 16
# As the Rust client's pool: an idle connection is dropped after this long.
_IDLE_SECONDS = 50.0

Outcome = Union[tuple[int, bytes], tuple[int, str, str]]


def _resolve(future: asyncio.Future[Any]) -> None:
    """Wake a task waiting on ``future`` (the Rust waker calls this on the loop)."""
    if not future.done():
        future.set_result(None)


class _Broken(Exception):
    """The reply cannot be read."""


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


# What a connection is reading.
_HEAD, _LENGTH, _CHUNKED, _TO_END, _IDLE = range(5)


class _Connection(asyncio.Protocol):
    """One kept-alive connection, reading one reply at a time as it arrives: the header up to
    its empty line (CRLF or bare LF), then a body framed by ``content-length``,
    ``transfer-encoding: chunked`` or the connection's end."""

    def __init__(self) -> None:
        self.transport: Optional[asyncio.Transport] = None
        self.waiter: Optional[asyncio.Future[tuple[int, bool, bytes]]] = None
        self.buf = bytearray()
        self.state = _IDLE
        self.closed = False
        self.status = 0
        self.keep = False
        self.length = 0
        self.body = bytearray()

    # asyncio.Protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        if self.state == _IDLE:
            # Bytes nobody asked for: the connection is not in step with the terminal.
            self.closed = True
            if self.transport is not None:
                self.transport.close()
            return
        self.buf += data
        try:
            self._advance()
        except (ValueError, _Broken) as e:
            self._fail(e)

    def eof_received(self) -> Optional[bool]:
        self._ended(None)
        return None

    def connection_lost(self, exc: Optional[Exception]) -> None:
        self._ended(exc)

    # reading a reply

    def start(self, waiter: asyncio.Future[tuple[int, bool, bytes]]) -> None:
        self.waiter = waiter
        self.state = _HEAD
        self.buf.clear()
        self.body = bytearray()

    def _ended(self, exc: Optional[Exception]) -> None:
        self.closed = True
        if self.state == _TO_END:
            self._done(bytes(self.buf), keep=False)
        elif self.state != _IDLE:
            if exc is not None:
                self._fail(exc)
            elif self.state == _HEAD and not self.buf:
                self._fail(_Broken("the terminal closed the connection before answering"))
            else:
                self._fail(_Broken(f"the answer ended early ({len(self.buf) + len(self.body)} bytes read)"))

    def _done(self, body: bytes, keep: bool) -> None:
        self.state = _IDLE
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result((self.status, keep and self.keep and not self.closed, body))

    def _fail(self, e: BaseException) -> None:
        self.state = _IDLE
        self.closed = True
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_exception(e)
        if self.transport is not None:
            self.transport.abort()

    def _advance(self) -> None:
        buf = self.buf
        while True:
            if self.state == _HEAD:
                end = buf.find(b"\r\n\r\n")
                size = 4
                bare = buf.find(b"\n\n")
                if bare != -1 and (end == -1 or bare < end):
                    end, size = bare, 2
                if end == -1:
                    if len(buf) > _HEAD_LIMIT:
                        raise _Broken(f"no end of the header in {len(buf)} bytes")
                    return
                head = bytes(buf[:end])
                del buf[: end + size]
                self._head(head)
            elif self.state == _LENGTH:
                if len(buf) < self.length:
                    return
                body = bytes(buf[: self.length])
                # Anything after the body was not asked for: the connection is not kept.
                self._done(body, keep=len(buf) == self.length)
                return
            elif self.state == _CHUNKED:
                line_end = buf.find(b"\n")
                if line_end == -1:
                    return
                size = int(bytes(buf[:line_end]).split(b";", 1)[0].strip(), 16)
                if size == 0:
                    # The last chunk, then trailers up to an empty line.
                    end = buf.find(b"\r\n\r\n", line_end - 1)
                    bare = buf.find(b"\n\n", line_end - 1)
                    if end == -1 and bare == -1:
                        return
                    self._done(bytes(self.body), keep=True)
                    return
                chunk_end = line_end + 1 + size
                if len(buf) < chunk_end + 1:
                    return
                after = buf.find(b"\n", chunk_end)
                if after == -1:
                    return
                self.body += buf[line_end + 1 : chunk_end]
                del buf[: after + 1]
            else:
                return

    def _head(self, head: bytes) -> None:
        lines = head.split(b"\n")
        parts = lines[0].split(None, 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/"):
            raise _Broken(f"not an HTTP status line: {bytes(lines[0][:80])!r}")
        status = int(parts[1])
        keep = parts[0] == b"HTTP/1.1"
        length: Optional[int] = None
        chunked = False
        for line in lines[1:]:
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
            return  # an interim answer; the real one follows
        self.status, self.keep = status, keep
        if status in (204, 304) or length == 0:
            self.state = _LENGTH
            self.length = 0
        elif chunked:
            self.state = _CHUNKED
        elif length is not None:
            self.state, self.length = _LENGTH, length
        else:
            self.state = _TO_END
        self._advance()


class Exchange:
    """The HTTP side of one ``AsyncClient``: kept-alive connections on the running loop."""

    def __init__(
        self, base_url: str, *, timeout: float, connect_timeout: float, tls: str, tls_arg: Optional[str]
    ) -> None:
        u = urlsplit(base_url)
        self._host = u.hostname or ""
        self._port = u.port or (443 if u.scheme == "https" else 80)
        host = self._host if self._host.isascii() else self._host.encode("idna").decode("ascii")
        if ":" in host:
            host = f"[{host}]"
        self._authority = host if u.port is None else f"{host}:{u.port}"
        self._prefix = u.path.rstrip("/")
        self._timeout = timeout
        self._connect_timeout = connect_timeout
        self._ssl = _context(tls, tls_arg) if u.scheme == "https" else None
        self._pin = bytes.fromhex(tls_arg.replace(":", "")) if tls == "pin" and tls_arg else None
        self._idle: list[tuple[_Connection, float]] = []
        self._loop: Optional[asyncio.AbstractEventLoop] = None

    def sleep(self, seconds: float) -> Any:
        return asyncio.sleep(seconds)

    def close(self) -> None:
        """Close the idle connections."""
        while self._idle:
            conn = self._idle.pop()[0]
            if conn.transport is not None:
                conn.transport.close()

    def _take_idle(self, loop: asyncio.AbstractEventLoop) -> Optional[_Connection]:
        if self._loop is not loop:
            # Connections belong to the loop that opened them (a new asyncio.run gets its own).
            self._idle.clear()
            self._loop = loop
        now = loop.time()
        while self._idle:
            conn, since = self._idle.pop()
            # Closed by the terminal while idle (the loop has seen its FIN), or kept too long.
            if conn.closed or conn.transport is None or conn.transport.is_closing() or now - since > _IDLE_SECONDS:
                if conn.transport is not None:
                    conn.transport.close()
                continue
            return conn
        return None

    async def _open(self, loop: asyncio.AbstractEventLoop) -> _Connection:
        _, conn = await loop.create_connection(_Connection, self._host, self._port, ssl=self._ssl)
        if self._pin is not None and conn.transport is not None:
            der = conn.transport.get_extra_info("ssl_object").getpeercert(binary_form=True)
            got = hashlib.sha256(der).digest()
            if got != self._pin:
                conn.transport.abort()
                raise _PinMismatch(f"certificate fingerprint {got.hex()} does not match the pinned {self._pin.hex()}")
        return conn

    async def send(self, method: str, target: str, body: Optional[bytes], close: bool) -> Outcome:
        loop = asyncio.get_running_loop()
        head = f"{method} {self._prefix}{target} HTTP/1.1\r\nhost: {self._authority}\r\naccept: */*\r\n"
        if body is not None:
            head += f"content-type: application/json\r\ncontent-length: {len(body)}\r\n"
        elif method in ("POST", "PUT"):
            head += "content-length: 0\r\n"
        if close:
            head += "connection: close\r\n"
        request = (head + "\r\n").encode("ascii")
        if body is not None:
            request += body
        conn = self._take_idle(loop)
        if conn is None:
            try:
                conn = await asyncio.wait_for(self._open(loop), min(self._connect_timeout, self._timeout))
            except asyncio.TimeoutError:
                return 0, "timeout", "connecting timed out"
            except (ssl.SSLError, ssl.CertificateError, _PinMismatch) as e:
                return 0, "tls", f"TLS: {e}"
            except OSError as e:
                return 0, "connect", f"could not connect: {e}"
        transport = conn.transport
        assert transport is not None
        expired = False

        def expire() -> None:
            nonlocal expired
            expired = True
            conn._fail(_Broken("timed out"))

        waiter: asyncio.Future[tuple[int, bool, bytes]] = loop.create_future()
        conn.start(waiter)
        timer = loop.call_later(self._timeout, expire)
        try:
            transport.write(request)
            status, keep, payload = await waiter
        except (OSError, ValueError, _Broken) as e:
            transport.abort()
            if expired:
                return 0, "timeout", f"no answer within {self._timeout:g} s"
            if isinstance(e, ssl.SSLError):
                return 0, "tls", f"TLS: {e}"
            return 0, "connection", f"the connection broke: {e or type(e).__name__}"
        except BaseException:
            # Cancelled in the middle: the connection's state is unknown, so it is not kept.
            conn.closed = True
            transport.abort()
            raise
        finally:
            timer.cancel()
        if keep and not close:
            self._idle.append((conn, loop.time()))
        else:
            transport.close()
        return status, payload
