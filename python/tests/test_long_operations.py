"""Log export (with checkpoint and resume), watch and fleet runs, sync and async."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest

import actatek
from actatek.testing import Simulator


@pytest.fixture
def logs_sim() -> Iterator[Simulator]:
    with Simulator(users=10, logs=1000, seed=3) as s:
        yield s


def ids(logs: list[actatek.FullLog]) -> list[int]:
    return [l.log_id for l in logs]


def test_export_delivers_every_log_once(logs_sim: Simulator) -> None:
    with logs_sim.client() as t:
        everything = t.get_full_logs()
        export = t.export_logs(chunk_size=100)
        got = list(export)
    assert sorted(ids(got)) == sorted(ids(everything)) and len(got) == 1000
    assert export.checkpoint.delivered == 1000
    assert [l.timestamp for l in got] == sorted(l.timestamp for l in got)


def test_export_resumes_from_a_persisted_checkpoint(logs_sim: Simulator) -> None:
    with logs_sim.client() as t:
        export = t.export_logs(chunk_size=64)
        first = [next(export) for _ in range(250)]
        saved = json.dumps(export.checkpoint.to_dict())
        del export
        resumed = t.export_logs(chunk_size=64, checkpoint=actatek.Checkpoint.from_dict(json.loads(saved)))
        rest = list(resumed)
    assert len(first) + len(rest) == 1000
    assert len(set(ids(first)) | set(ids(rest))) == 1000
    assert resumed.checkpoint.delivered == 1000


def test_an_interrupted_export_resumes_exactly_once(logs_sim: Simulator) -> None:
    got: list[actatek.FullLog] = []
    with logs_sim.client(retries=0) as t:
        export = t.export_logs(chunk_size=100)
        got += [next(export) for _ in range(150)]
        logs_sim.add_fault("drop_before", operation="get_full_logs")
        with pytest.raises(actatek.TransportError):
            # The rest of the chunk, and of the page already asked for ahead, then the request
            # the fault meets.
            for log in export:
                got.append(log)
        assert len(got) in (200, 300)
        resumed = t.export_logs(chunk_size=100, checkpoint=export.checkpoint)
        got += list(resumed)
    assert len(got) == 1000 and len(set(ids(got))) == 1000


def test_export_by_chunk_with_a_filter(logs_sim: Simulator) -> None:
    with logs_sim.client() as t:
        expected = t.get_full_logs(employee_id="U0003")
        export = t.export_logs(employee_id="U0003", chunk_size=10)
        chunks = []
        while (chunk := export.next_chunk()) is not None:
            chunks.append(chunk)
    assert all(len(c) <= 10 for c in chunks)
    assert [l for c in chunks for l in c] == expected


async def test_async_export(logs_sim: Simulator) -> None:
    async with logs_sim.async_client() as t:
        export = t.export_logs(chunk_size=200)
        got = [log async for log in export]
        again = t.export_logs(chunk_size=300)
        first = await again.next_chunk_async()
    assert len(got) == 1000 and first is not None and len(first) == 300


def test_export_validates_its_filter(logs_sim: Simulator) -> None:
    with logs_sim.client() as t, pytest.raises(actatek.ValidationError) as e:
        t.export_logs(from_="yesterday")
    assert (e.value.field, e.value.rule) == ("from", "datetime")


def start_now(sim: Simulator) -> datetime:
    # The simulator's terminal runs in UTC: its local time is the UTC wall clock.
    return sim.now().replace(tzinfo=None, microsecond=0) - timedelta(seconds=1)


def test_watch_sees_new_logs(logs_sim: Simulator) -> None:
    with logs_sim.client() as t:
        watch = t.watch_logs(from_=start_now(logs_sim), poll=0.05)
        logs_sim.generate_logs(5)
        new = [next(watch) for _ in range(5)]
        logs_sim.generate_logs(2)
        new += [next(watch) for _ in range(2)]
    assert len(set(ids(new))) == 7 and min(ids(new)) > 1000
    assert watch.checkpoint.delivered == 7


def test_watch_goes_on_after_transient_errors(logs_sim: Simulator, caplog: pytest.LogCaptureFixture) -> None:
    with logs_sim.client(retries=0) as t:
        watch = t.watch_logs(from_=start_now(logs_sim), poll=0.05)
        logs_sim.add_fault("status500", operation="get_full_logs", count=2)
        logs_sim.generate_logs(3)
        new = [next(watch) for _ in range(3)]
    assert len(new) == 3
    assert any("watch_logs" in r.getMessage() for r in caplog.records)


async def test_async_watch(logs_sim: Simulator) -> None:
    async with logs_sim.async_client() as t:
        watch = t.watch_logs(from_=start_now(logs_sim), poll=0.05)
        logs_sim.generate_logs(3)
        new = []
        async for log in watch:
            new.append(log)
            if len(new) == 3:
                break
    assert len(new) == 3


def test_fleet_runs_everywhere_and_isolates_failures() -> None:
    with Simulator(serial="00111D000001", logs=10) as a, Simulator(serial="00111D000002", logs=10) as b:
        dead = actatek.Client("http://127.0.0.1:9", "admin", "admin", retries=0)
        fleet = actatek.Fleet([a.client(), dead, b.client()], concurrency=2)
        results = sorted(fleet.run("get_terminal_status"), key=lambda r: r.position)
    assert [r.ok for r in results] == [True, False, True]
    assert [r.value.serial_number for r in results if r.ok] == ["00111D000001", "00111D000002"]
    assert isinstance(results[1].error, actatek.TransportError)
    with pytest.raises(actatek.TransportError):
        results[1].result()


async def test_fleet_async_with_arguments() -> None:
    with Simulator(logs=10) as a, Simulator(logs=10) as b:
        fleet = actatek.Fleet([a.async_client(), b.async_client()])
        results = [r async for r in fleet.arun("get_users", partial_user_id="U000")]
    assert len(results) == 2 and all(r.ok and len(r.value) == 9 for r in results)


def test_fleet_validates_once_before_sending() -> None:
    with Simulator(logs=10) as a:
        fleet = actatek.Fleet([a.client()])
        with pytest.raises(actatek.ValidationError):
            list(fleet.run("relay_action", action="toggle", relay="ONE"))
        with pytest.raises(TypeError):
            list(fleet.run("get_users", nickname="x"))
        assert a.request_count() == 0
