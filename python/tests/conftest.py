"""Shared fixtures: simulated terminals (the project's simulator, linked into the extension) and
the language-neutral vectors of the repository's ``tests/`` folder."""

from __future__ import annotations

import json
import pathlib
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

import actatek
from actatek.testing import Simulator

REPO = pathlib.Path(__file__).resolve().parents[2]
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
