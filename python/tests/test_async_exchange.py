"""``AsyncClient`` runs its calls on the event loop, its HTTP written and read by that loop
(``actatek/_aio.py``). These tests hold it to what the Rust client (``Client``) does: the same
errors and retries against the simulator's faults, the same certificate choices, and HTTP as
terminals write it (chunked, to the connection's end, bare-LF headers, interim answers, an
idle connection closed by the terminal)."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from typing import Callable, Optional

import pytest

import actatek
from actatek.testing import Simulator

LOGIN = b'{"status": "success", "sessionid": "1805350299"}'


def http(body: bytes, *, head: str = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n", length: bool = True) -> bytes:
    out = head + (f"content-length: {len(body)}\r\n" if length else "") + "\r\n"
    return out.encode() + body


class RawTerminal:
    """A terminal written byte by byte: ``answer(path)`` gives the bytes of each reply and
    whether to close the connection after it. Records ``(connection number, request line)``."""

    def __init__(self, answer: Callable[[str], tuple[bytes, bool]], stall: float = 0.0) -> None:
        self.answer = answer
        self.stall = stall
        """Seconds to wait before reading a request's body (with a small receive buffer)."""
        self.requests: list[tuple[int, str]] = []
        self.sock = socket.socket()
        if stall:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(conn, self.connections), daemon=True).start()

    def _serve(self, conn: socket.socket, number: int) -> None:
        data = b""
        with conn:
            while True:
                while b"\r\n\r\n" not in data:
                    more = conn.recv(65536)
                    if not more:
                        return
                    data += more
                head, data = data.split(b"\r\n\r\n", 1)
                lines = head.decode().split("\r\n")
                length = next((int(x.split(":")[1]) for x in lines if x.lower().startswith("content-length")), 0)
                if length > 65536:
                    time.sleep(self.stall)
                while len(data) < length:
                    data += conn.recv(65536)
                data = data[length:]
                self.requests.append((number, lines[0]))
                path = lines[0].split()[1]
                reply, close = LOGIN_REPLY if "/login" in path else self.answer(path)
                conn.sendall(reply)
                if close:
                    return

    def close(self) -> None:
        self.sock.close()


LOGIN_REPLY = (http(LOGIN), False)


@pytest.fixture
def raw() -> Iterator[Callable[[Callable[[str], tuple[bytes, bool]]], RawTerminal]]:
    made: list[RawTerminal] = []

    def make(answer: Callable[[str], tuple[bytes, bool]], stall: float = 0.0) -> RawTerminal:
        made.append(RawTerminal(answer, stall))
        return made[-1]

    yield make
    for t in made:
        t.close()


def count_reply(n: int) -> bytes:
    return b'{"usercount": %d}' % n


@pytest.mark.parametrize(
    "reply",
    [
        pytest.param(http(count_reply(7)), id="content-length"),
        pytest.param(
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\n{\"use\r\n"
            b"b;ext=1\r\nrcount\": 7}\r\n0\r\nx-trailer: 1\r\n\r\n",
            id="chunked-with-trailer",
        ),
        pytest.param(http(count_reply(7), head="HTTP/1.1 200 OK\n", length=True).replace(b"\r\n", b"\n"), id="bare-LF"),
        pytest.param(b"HTTP/1.1 100 Continue\r\n\r\n" + http(count_reply(7)), id="interim-100"),
    ],
)
async def test_replies_framed_as_terminals_frame_them(raw: Callable[..., RawTerminal], reply: bytes) -> None:
    t = raw(lambda path: (reply, False))
    async with actatek.AsyncClient(t.url, "admin", "admin", retries=0) as c:
        for _ in range(20):
            assert (await c.get_user_count()).usercount == 7
    assert t.connections == 1  # kept alive and used again


async def test_a_reply_to_the_end_of_the_connection(raw: Callable[..., RawTerminal]) -> None:
    t = raw(lambda path: (b"HTTP/1.0 200 OK\r\ncontent-type: application/json\r\n\r\n" + count_reply(3), True))
    async with actatek.AsyncClient(t.url, "admin", "admin", retries=0) as c:
        assert (await c.get_user_count()).usercount == 3
        assert (await c.get_user_count()).usercount == 3
    calls = [n for n, r in t.requests if "UserCount" in r]
    assert len(calls) == 2 and calls[0] != calls[1]  # the connection ended with the reply


async def test_connection_close_is_respected(raw: Callable[..., RawTerminal]) -> None:
    t = raw(lambda path: (http(count_reply(1), head="HTTP/1.1 200 OK\r\nconnection: close\r\n"), True))
    async with actatek.AsyncClient(t.url, "admin", "admin", retries=0) as c:
        for _ in range(3):
            assert (await c.get_user_count()).usercount == 1
    calls = [n for n, r in t.requests if "UserCount" in r]
    assert len(set(calls)) == 3  # a new connection after each closed


async def test_a_reply_cut_short_is_a_connection_error_and_a_write_is_not_repeated(
    raw: Callable[..., RawTerminal],
) -> None:
    t = raw(lambda path: (http(b'{"status": "succ')[:-3] if "opendoor" in path else http(count_reply(1)), "opendoor" in path))
    async with actatek.AsyncClient(t.url, "admin", "admin", retries=3, backoff=0.01) as c:
        with pytest.raises(actatek.TransportError) as e:
            await c.open_door()
    assert e.value.kind == "connection" and e.value.maybe_applied
    assert [r for _, r in t.requests].count("POST /cgi-bin/restapi/opendoor/1805350299 HTTP/1.1") == 1


async def test_not_http_is_a_connection_error(raw: Callable[..., RawTerminal]) -> None:
    t = raw(lambda path: (b"SSH-2.0-OpenSSH_9.6\r\n\r\n", True))
    async with actatek.AsyncClient(t.url, "admin", "admin", retries=0) as c:
        with pytest.raises(actatek.TransportError) as e:
            await c.get_user_count()
    assert e.value.kind == "connection" and "not an HTTP answer" in str(e.value) and "SSH-2.0" in str(e.value)


async def test_an_idle_connection_the_terminal_closed_is_not_used(raw: Callable[..., RawTerminal]) -> None:
    def answer(path: str) -> tuple[bytes, bool]:
        # The write's connection is closed right after its answer, as a terminal closes an
        # idle one; the next write must go out once, on a new connection.
        return http(b'{"status": "success", "message": "Main door opened"}'), True

    t = raw(answer)
    async with actatek.AsyncClient(t.url, "admin", "admin", retries=0) as c:
        await c.open_door()
        await asyncio.sleep(0.05)  # the loop sees the terminal's close while the client is idle
        await c.open_door()
    doors = [n for n, r in t.requests if "opendoor" in r]
    assert len(doors) == 2 and doors[0] != doors[1]


STATUS = {k: True for k in ("active", "autoMatch", "smartCard", "fingerprint", "password", "facial", "facialAutoMatch")}


async def test_a_large_request_waits_for_the_socket_and_a_cancelled_one_leaves_nothing_behind(
    raw: Callable[..., RawTerminal],
) -> None:
    users = [actatek.User.from_dict({"userID": f"U{i:06d}", "lastName": "x" * 40, "status": STATUS}) for i in range(20000)]
    added = b"[" + b",".join([b'{"status": "success", "message": "added"}'] * len(users)) + b"]"
    t = raw(lambda path: (http(count_reply(2)) if "UserCount" in path else http(added), False), stall=0.3)
    loop = asyncio.get_running_loop()
    writers: list[int] = []
    add_writer = loop.add_writer

    def counting(fd: int, callback: Callable[..., object], *args: object) -> None:
        writers.append(fd)
        add_writer(fd, callback, *args)

    loop.add_writer = counting  # type: ignore[method-assign,assignment]
    try:
        async with actatek.AsyncClient(t.url, "admin", "admin", retries=0) as c:
            replies = await c.add_users(users)
            assert len(replies) == len(users)
            assert writers, "the 4 MB body filled the socket's buffer: the call waited for it to drain"
        # Cancelled while waiting to write (a connection of its own, whose buffer has not grown):
        # the socket is closed and the loop no longer watches it, so the next connections
        # (likely given the same number) work.
        async with actatek.AsyncClient(t.url, "admin", "admin", retries=0) as c:
            await c.get_user_count()
            before = len(writers)
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(c.add_users(users), 0.1)
            assert len(writers) > before, "cancelled while waiting to write"
            for _ in range(3):
                assert (await c.get_user_count()).usercount == 2
    finally:
        del loop.add_writer


# The simulator's faults, as test_client.py and test_config.py hold the blocking client to them.


async def test_connect_error() -> None:
    async with actatek.AsyncClient("http://127.0.0.1:9", "admin", "admin", retries=0, connect_timeout=2.0) as c:
        with pytest.raises(actatek.TransportError) as e:
            await c.get_api_version()
    assert e.value.kind == "connect" and not e.value.maybe_applied


async def test_timeout_then_the_next_call_works(fresh_sim: Simulator) -> None:
    fresh_sim.add_fault("slow", delay=1.5, operation="get_terminal_status")
    async with fresh_sim.async_client(timeout=0.3, retries=0) as c:
        with pytest.raises(actatek.TransportError) as e:
            await c.get_terminal_status()
        assert e.value.kind == "timeout"
        assert (await c.get_user_count()).usercount == 11


async def test_a_cancelled_call_leaves_no_half_read_connection(fresh_sim: Simulator) -> None:
    fresh_sim.add_fault("slow", delay=0.5, operation="get_terminal_status")
    async with fresh_sim.async_client() as c:
        await c.get_api_version()
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(c.get_terminal_status(), 0.1)
        # The slow answer arrives later on the abandoned connection; it is never read as this one's.
        assert (await c.get_user_count()).usercount == 11
        await asyncio.sleep(0.6)
        assert (await c.get_user_count()).usercount == 11


async def test_unreadable_reply_to_a_write_is_sent_once(fresh_sim: Simulator) -> None:
    async with fresh_sim.async_client(retries=3) as c:
        await c.get_api_version()
        fresh_sim.clear_requests()
        fresh_sim.add_fault("truncate", operation="open_door")
        with pytest.raises(actatek.ProtocolError) as e:
            await c.open_door()
    assert e.value.maybe_applied and e.value.status_code == 200
    assert fresh_sim.operations().count("open_door") == 1


async def test_reads_are_retried_writes_are_not(fresh_sim: Simulator) -> None:
    async with fresh_sim.async_client(retries=2, backoff=0.01) as c:
        await c.get_api_version()
        fresh_sim.add_fault("drop_before", operation="get_users", count=2)
        assert await c.get_users()
        fresh_sim.add_fault("drop_after", operation="open_door")
        with pytest.raises(actatek.TransportError) as e:
            await c.open_door()
    assert e.value.maybe_applied
    assert fresh_sim.state()["door_opens"] == 1


async def test_expired_session_is_renewed_and_concurrent_calls_log_in_once(fresh_sim: Simulator) -> None:
    async with fresh_sim.async_client() as c:
        counts = await asyncio.gather(*(c.get_user_count() for _ in range(20)))
        assert {x.usercount for x in counts} == {11}
        assert fresh_sim.operations().count("login") == 1
        fresh_sim.advance_clock(31 * 60)
        assert (await c.get_user_count()).usercount == 11
    assert fresh_sim.operations().count("login") == 2


async def test_one_client_in_two_event_loops(fresh_sim: Simulator) -> None:
    c = fresh_sim.async_client()
    assert (await c.get_user_count()).usercount == 11

    def other_loop() -> int | None:
        async def run() -> int | None:
            return (await c.get_user_count()).usercount

        return asyncio.run(run())

    # Another thread's loop opens its own connection (a connection belongs to its loop).
    assert await asyncio.to_thread(other_loop) == 11
    assert (await c.get_user_count()).usercount == 11
    await c.aclose()


@pytest.fixture(scope="module")
def tls_sim() -> Iterator[Simulator]:
    with Simulator(tls=True, users=2, logs=10) as s:
        yield s


async def test_tls_choices_match_the_blocking_client(tls_sim: Simulator, tmp_path: object) -> None:
    import pathlib

    with pytest.raises(actatek.TransportError) as e:
        await actatek.AsyncClient(tls_sim.url, "admin", "admin", retries=0).get_api_version()
    assert e.value.kind == "tls"
    assert tls_sim.fingerprint
    async with actatek.AsyncClient(tls_sim.url, "admin", "admin", pin_sha256=tls_sim.fingerprint) as c:
        assert (await c.get_user_count()).usercount == 3

    with pytest.raises(actatek.TransportError) as e:
        await actatek.AsyncClient(tls_sim.url, "admin", "admin", pin_sha256="00" * 32, retries=0).get_api_version()
    assert e.value.kind == "tls" and "does not match the pinned" in str(e.value)
    path = pathlib.Path(str(tmp_path)) / "terminal.pem"
    path.write_text(tls_sim.cert_pem or "")
    async with actatek.AsyncClient(tls_sim.url, "admin", "admin", verify=path) as c:
        assert (await c.get_user_count()).usercount == 3
    with pytest.warns(actatek.InsecureTLSWarning):
        insecure: Optional[actatek.AsyncClient] = actatek.AsyncClient(tls_sim.url, "admin", "admin", verify=False)
    assert insecure is not None
    assert (await insecure.get_user_count()).usercount == 3
    # A request larger than rustls' default 64 KiB of pending output is sent whole.
    users = [actatek.User.from_dict({"userID": f"T{i:05d}", "lastName": "x" * 40, "status": STATUS}) for i in range(1000)]
    assert len(await insecure.add_users(users)) == 1000
    assert (await insecure.get_user_count()).usercount == 1003
    await insecure.aclose()
