"""What ``AsyncClient``'s calls need from the running asyncio event loop besides waiting on
their sockets (the extension's ``loopio.rs`` writes, reads and parses the HTTP and TLS there,
on the loop's thread): opening a connection with the loop's resolver and non-blocking
connect, and waking a task the Rust side resolves."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from typing import Any

__all__ = ["connect"]


def _resolve(future: asyncio.Future[Any]) -> None:
    """Wake a task waiting on ``future`` (the Rust waker calls this on the loop)."""
    if not future.done():
        future.set_result(None)


async def connect(host: str, port: int, timeout: float) -> tuple[int, str, str]:
    """A connected non-blocking TCP socket's descriptor (its ownership passes to the caller)
    and two empty strings, or ``(-1, kind, detail)``: ``timeout`` or ``connect``."""
    try:
        return await asyncio.wait_for(_connect(host, port), timeout)
    except asyncio.TimeoutError:
        return -1, "timeout", f"connecting timed out after {timeout:g} s"
    except OSError as e:
        return -1, "connect", f"could not connect: {e}"


async def _connect(host: str, port: int) -> tuple[int, str, str]:
    loop = asyncio.get_running_loop()
    try:
        ip = ipaddress.ip_address(host)
        family = int(socket.AF_INET6 if ip.version == 6 else socket.AF_INET)
        addresses: list[tuple[int, Any]] = [(family, (host, port))]
    except ValueError:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        addresses = [(int(info[0]), info[4]) for info in infos]
    error: OSError | None = None
    for family, address in addresses:
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setblocking(False)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            await loop.sock_connect(sock, address)
        except OSError as e:
            sock.close()
            error = e
            continue
        except BaseException:
            sock.close()
            raise
        return sock.detach(), "", ""
    raise error or OSError(f"no address for {host}")
