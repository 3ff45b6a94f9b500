"""Every exception class survives ``pickle`` with its type, message and every attribute, so an
error raised in a worker process (``ProcessPoolExecutor``, multiprocessing, task queues) reaches
the caller whole. The errors are real ones, raised by the client against the simulator."""

from __future__ import annotations

import pickle
from concurrent.futures import ProcessPoolExecutor
from typing import Callable

import pytest

import actatek
from actatek.testing import Simulator


def _validation(sim: Simulator) -> None:
    actatek.Client(sim.url, "admin", "admin").delete_job_codes()


def _api(sim: Simulator) -> None:
    actatek.Client(sim.url, "admin", "wrong-password", retries=0).get_users()


def _transport(sim: Simulator) -> None:
    actatek.Client("http://127.0.0.1:9", "admin", "admin", retries=0, connect_timeout=2.0).get_api_version()


def _protocol(sim: Simulator) -> None:
    with sim.client(retries=0) as t:
        t.get_user_count()
        sim.add_fault("truncate", operation="open_door")
        t.open_door()


def _config(sim: Simulator) -> None:
    actatek.Client("ftp://10.0.0.5", "admin", "admin")


RAISERS: dict[type[actatek.ActatekError], Callable[[Simulator], None]] = {
    actatek.ConfigError: _config,
    actatek.ValidationError: _validation,
    actatek.ApiError: _api,
    actatek.TransportError: _transport,
    actatek.ProtocolError: _protocol,
}


@pytest.mark.parametrize("cls", list(RAISERS), ids=lambda c: c.__name__)
def test_every_exception_survives_pickle_whole(fresh_sim: Simulator, cls: type[actatek.ActatekError]) -> None:
    with pytest.raises(cls) as raised:
        RAISERS[cls](fresh_sim)
    error = raised.value
    assert vars(error), "the error carries attributes"
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error) and copy.args == error.args
    assert vars(copy) == vars(error)
    if isinstance(error, actatek.ValidationError):
        assert isinstance(copy, ValueError) and copy.errors == error.errors and copy.rule == "job_code_filter"
    if isinstance(error, actatek.ProtocolError):
        assert copy.maybe_applied is True
    if isinstance(error, actatek.ConfigError):
        assert isinstance(copy, ValueError) and copy.setting == "url" and "http://" in copy.problem


def test_every_exception_class_is_covered() -> None:
    classes = {c for c in vars(actatek).values() if isinstance(c, type) and issubclass(c, actatek.ActatekError)}
    assert classes - {actatek.ActatekError} == set(RAISERS)


def _refused_in_a_worker(url: str) -> str:
    actatek.Client(url, "admin", "admin").delete_job_codes()
    return "sent"


def test_an_error_raised_in_a_worker_process_reaches_the_caller(sim: Simulator) -> None:
    with ProcessPoolExecutor(max_workers=1) as pool:
        future = pool.submit(_refused_in_a_worker, sim.url)
        with pytest.raises(actatek.ValidationError) as e:
            future.result(timeout=60)
    assert e.value.rule == "job_code_filter" and "needs at least one" in str(e.value)
