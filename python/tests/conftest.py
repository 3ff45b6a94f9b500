"""Shared fixtures: simulated terminals (the project's simulator, linked into the extension; a
tiny HTTP server answering fixed bytes, for firmware the simulator does not write) and the
language-neutral vectors of the repository's ``tests/`` folder."""

from __future__ import annotations

import json
import os
import pathlib
import threading
from collections.abc import Iterator, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Union
from urllib.parse import parse_qs, urlsplit

import pytest

import actatek
from actatek.testing import Simulator

REPO = pathlib.Path(__file__).resolve().parents[2]

# scripts/test-python.sh tests the installed wheel: make sure the source tree was not imported.
_installed = os.environ.get("ACTATEK_EXPECT_INSTALLED")
if _installed and not pathlib.Path(actatek.__file__).resolve().is_relative_to(pathlib.Path(_installed).resolve()):
    raise RuntimeError(f"testing {actatek.__file__}, not the wheel installed in {_installed}")
VECTORS = REPO / "tests" / "vectors"


def vectors(name: str) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = json.loads((VECTORS / name).read_text(encoding="utf-8"))["cases"]
    return cases


def model_of(ty: str) -> Any:
    """The Python model class of a table type (``Vec<User>`` → ``User``)."""
    name = ty[4:-1] if ty.startswith("Vec<") else ty
    return getattr(actatek, name)


def python_args(operation: str, wire_input: Mapping[str, Any]) -> dict[str, Any]:
    """A vector's wire-form input as the keyword arguments of the public method: path and query
    values as they are, the body through the model's ``from_dict`` (so the test goes through the
    public models, not around them). An absent parameter is passed as ``None``."""
    op = actatek.OPERATIONS[operation]
    args: dict[str, Any] = {}
    for p in op.params:
        v = wire_input.get(p.wire)
        if p.location == "body" and v is not None:
            cls = model_of(p.ty)
            if isinstance(v, list):
                v = [cls.from_dict(x) if isinstance(x, dict) else x for x in v]
            elif isinstance(v, dict):
                v = cls.from_dict(v)
        args[p.name] = v
    return args


Reply = Union[str, tuple[int, str], Callable[[str, dict[str, list[str]]], str]]
"""Fixed JSON text (HTTP 200), ``(status, text)``, or a function of the path and query that
writes the text."""


PREFIX = "/cgi-bin/restapi"


class Firmware:
    """A terminal with firmware this package was not written for: it answers fixed text per
    ``(method, first path segment)``, or the ``("*", "*")`` reply for any other request (login
    and logout answered by default), and records every request: ``(method, path after the API
    prefix, query, body)``."""

    def __init__(self, replies: dict[tuple[str, str], Reply]) -> None:
        self.replies: dict[tuple[str, str], Reply] = {
            ("POST", "login"): '{"status": "success", "sessionid": "1805350299"}',
            ("DELETE", "logout"): '{"status": "success"}',
            **replies,
        }
        self.seen: list[tuple[str, str, dict[str, list[str]], Any]] = []
        terminal = self

        class Handler(BaseHTTPRequestHandler):
            def answer(self) -> None:
                url = urlsplit(self.path)
                path = url.path[len(PREFIX) :] if url.path.startswith(PREFIX) else url.path
                length = int(self.headers.get("Content-Length") or 0)
                text = self.rfile.read(length).decode() if length else ""
                query = parse_qs(url.query)
                terminal.seen.append((self.command, path, query, json.loads(text) if text else None))
                reply = terminal.replies.get((self.command, path.strip("/").split("/")[0]))
                if reply is None:
                    reply = terminal.replies.get(("*", "*"), (404, '{"status": "error", "message": "no route"}'))
                if callable(reply):
                    reply = reply(path, query)
                status, body = reply if isinstance(reply, tuple) else (200, reply)
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = answer

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def client(self) -> actatek.Client:
        return actatek.Client(self.url, "admin", "admin", retries=0)

    def async_client(self) -> actatek.AsyncClient:
        return actatek.AsyncClient(self.url, "admin", "admin", retries=0)

    def writes(self) -> list[tuple[str, str, Any]]:
        """The requests that were not reads, login or logout: ``(method, path, body)``."""
        return [(m, p, b) for m, p, _, b in self.seen if m != "GET" and p.split("/")[1] not in ("login", "logout")]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def sim() -> Iterator[Simulator]:
    """One terminal for tests that do not change what others read."""
    with Simulator(users=10, logs=1000) as s:
        yield s


@pytest.fixture
def fresh_sim() -> Iterator[Simulator]:
    """A terminal of the test's own."""
    with Simulator(users=10, logs=300) as s:
        yield s


@pytest.fixture
def client(sim: Simulator) -> Iterator[actatek.Client]:
    with sim.client() as c:
        yield c
