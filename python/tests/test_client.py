"""Errors, TLS, sessions, threads and the GIL."""

from __future__ import annotations

import _thread
import os
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor

import pytest

import actatek
from actatek.testing import Simulator


def test_exception_tree() -> None:
    for cls in (actatek.ValidationError, actatek.ApiError, actatek.TransportError, actatek.ProtocolError):
        assert issubclass(cls, actatek.ActatekError)
    assert issubclass(actatek.ValidationError, ValueError)


def test_api_error_carries_the_terminals_status_and_message(client: actatek.Client) -> None:
    with pytest.raises(actatek.ApiError) as e:
        client.delete_user("NO-SUCH-USER")
    assert e.value.status_code in (400, 404, 500)
    assert e.value.message and e.value.operation == "delete_user"


def test_wrong_password_is_an_api_error_without_the_password(sim: Simulator) -> None:
    with actatek.Client(sim.url, "admin", "wrong-password-123") as t, pytest.raises(actatek.ApiError) as e:
        t.get_terminal_status()
    assert "wrong-password-123" not in str(e.value)


def test_connect_error() -> None:
    t = actatek.Client("http://127.0.0.1:9", "admin", "admin", retries=0, connect_timeout=2.0)
    with pytest.raises(actatek.TransportError) as e:
        t.get_api_version()
    assert e.value.kind == "connect" and not e.value.maybe_applied


def test_timeout(fresh_sim: Simulator) -> None:
    fresh_sim.add_fault("slow", delay=1.5, operation="get_terminal_status")
    with fresh_sim.client(timeout=0.3, retries=0) as t, pytest.raises(actatek.TransportError) as e:
        t.get_terminal_status()
    assert e.value.kind == "timeout"


def test_unreadable_reply_is_a_protocol_error(fresh_sim: Simulator) -> None:
    with fresh_sim.client(retries=0) as t:
        t.get_api_version()
        fresh_sim.add_fault("truncate", operation="get_users")
        with pytest.raises(actatek.ProtocolError) as e:
            t.get_users()
    assert e.value.status_code == 200 and e.value.detail
    assert not e.value.maybe_applied  # a read: nothing to apply


@pytest.mark.parametrize("retries", [0, 3])
def test_unreadable_reply_to_a_write_may_have_been_applied_and_is_sent_once(
    fresh_sim: Simulator, retries: int
) -> None:
    with fresh_sim.client(retries=retries) as t:
        t.get_api_version()
        fresh_sim.clear_requests()
        fresh_sim.add_fault("truncate", operation="open_door")
        with pytest.raises(actatek.ProtocolError) as e:
            t.open_door()
    assert e.value.maybe_applied and e.value.operation == "open_door" and e.value.status_code == 200
    assert "may have applied" in str(e.value)
    assert fresh_sim.operations().count("open_door") == 1  # never repeated automatically
    assert fresh_sim.state()["door_opens"] == 1  # the terminal did apply it


def test_reads_are_retried_writes_are_not(fresh_sim: Simulator) -> None:
    with fresh_sim.client(retries=2) as t:
        t.get_api_version()
        fresh_sim.add_fault("drop_before", operation="get_users", count=2)
        assert t.get_users()
        fresh_sim.add_fault("drop_after", operation="open_door")
        with pytest.raises(actatek.TransportError) as e:
            t.open_door()
    assert e.value.maybe_applied
    assert fresh_sim.state()["door_opens"] == 1
    fresh_sim.add_fault("status500", operation="open_door")
    with fresh_sim.client() as t, pytest.raises(actatek.ApiError) as api:
        t.open_door()
    assert api.value.status_code == 500


def test_expired_session_is_renewed(fresh_sim: Simulator) -> None:
    with fresh_sim.client() as t:
        t.get_terminal_status()
        fresh_sim.advance_clock(31 * 60)
        assert t.get_user_count().usercount == 11
        fresh_sim.restart()
        assert t.get_user_count().usercount == 11
    assert fresh_sim.operations().count("login") == 3


def test_quirky_replies_are_read(fresh_sim: Simulator) -> None:
    fresh_sim.set_config(quirks=True)
    with fresh_sim.client() as t:
        assert t.get_consent().display_name
        assert t.get_departments()
        assert t.get_user_count().usercount == 11


def test_repr_shows_no_password(sim: Simulator) -> None:
    t = actatek.Client(sim.url, "admin", "s3cret-pw")
    assert "s3cret-pw" not in repr(t) and sim.url in repr(t)


# --- TLS ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tls_sim() -> object:
    with Simulator(tls=True, users=2, logs=10) as s:
        yield s


def test_self_signed_certificate_is_refused_by_default(tls_sim: Simulator) -> None:
    with pytest.raises(actatek.TransportError) as e:
        actatek.Client(tls_sim.url, "admin", "admin", retries=0).get_api_version()
    assert e.value.kind == "tls"


def test_pinned_certificate(tls_sim: Simulator) -> None:
    assert tls_sim.fingerprint
    with actatek.Client(tls_sim.url, "admin", "admin", pin_sha256=tls_sim.fingerprint) as t:
        assert t.get_terminal_status().serial_number
    with pytest.raises(actatek.TransportError) as e:
        actatek.Client(tls_sim.url, "admin", "admin", pin_sha256="00" * 32, retries=0).get_api_version()
    assert e.value.kind == "tls"


def test_ca_file(tls_sim: Simulator, tmp_path: object) -> None:
    import pathlib

    path = pathlib.Path(str(tmp_path)) / "terminal.pem"
    path.write_text(tls_sim.cert_pem or "")
    with actatek.Client(tls_sim.url, "admin", "admin", verify=path) as t:
        assert t.get_api_version().name
    with pytest.raises(FileNotFoundError):
        actatek.Client(tls_sim.url, "admin", "admin", verify=str(path) + ".missing")


def test_verify_false_warns_loudly(tls_sim: Simulator) -> None:
    with pytest.warns(actatek.InsecureTLSWarning, match="NOT checked"):
        t = actatek.Client(tls_sim.url, "admin", "admin", verify=False)
    assert t.get_api_version().name
    with pytest.raises(ValueError):
        actatek.Client(tls_sim.url, "admin", "admin", verify=False, pin_sha256="00" * 32)


# --- threads and the GIL -----------------------------------------------------------------------


def test_one_client_from_many_threads(sim: Simulator) -> None:
    with sim.client() as t:

        def work(i: int) -> int:
            return sum(len(t.get_users(partial_user_id="U")) for _ in range(10))

        with ThreadPoolExecutor(8) as pool:
            assert list(pool.map(work, range(8))) == [100] * 8


def test_small_calls_and_log_lists_share_one_session(fresh_sim: Simulator) -> None:
    # A blocking client runs its small calls on the calling thread and reads log lists on the
    # runtime, each with connections of its own: one login serves both, a renewed session too.
    with fresh_sim.client() as t:
        t.get_terminal_status()
        assert len(t.get_full_logs(limit=5)) == 5
        assert t.get_user_count().usercount == 11
        fresh_sim.advance_clock(31 * 60)
        assert len(t.get_logs(employee_id="NO-SUCH-USER")) == 0
        assert t.get_user_count().usercount == 11
    ops = fresh_sim.operations()
    assert ops.count("login") == 2, ops
    assert ops[-1] == "logout", ops


def test_the_gil_is_released_while_waiting(fresh_sim: Simulator) -> None:
    fresh_sim.add_fault("slow", delay=0.6, operation="get_terminal_status")
    ticks: list[float] = []
    stop = threading.Event()

    def spin() -> None:
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.005)

    with fresh_sim.client() as t:
        t.get_api_version()
        spinner = threading.Thread(target=spin)
        spinner.start()
        start = time.perf_counter()
        t.get_terminal_status()
        stop.set()
        spinner.join()
    during = [x for x in ticks if x > start]
    assert len(during) > 40, f"the other thread ran {len(during)} times in 0.6 s"


# get_full_logs waits in its own loop (its logs become objects while the list arrives).
@pytest.mark.parametrize("name", ["get_terminal_status", "get_full_logs"])
def test_ctrl_c_interrupts_a_waiting_call(fresh_sim: Simulator, name: str) -> None:
    fresh_sim.add_fault("slow", delay=5, operation=name)
    with fresh_sim.client() as t:
        t.get_api_version()
        threading.Timer(0.2, _thread.interrupt_main).start()
        start = time.perf_counter()
        with pytest.raises(KeyboardInterrupt):
            getattr(t, name)()
        assert time.perf_counter() - start < 2


async def test_async_calls_run_concurrently(fresh_sim: Simulator) -> None:
    import asyncio

    fresh_sim.add_fault("slow", delay=0.4, operation="get_terminal_status", count=5)
    async with fresh_sim.async_client() as t:
        await t.get_api_version()
        start = time.perf_counter()
        results = await asyncio.gather(*(t.get_terminal_status() for _ in range(5)))
        assert time.perf_counter() - start < 1.5
    assert all(r.serial_number == "00111D000000" for r in results)


async def test_async_errors(fresh_sim: Simulator) -> None:
    async with fresh_sim.async_client() as t:
        with pytest.raises(actatek.ValidationError) as e:
            await t.relay_action("toggle", "ALL")
        assert (e.value.field, e.value.rule) == ("relayaction", "relay_action")
        with pytest.raises(actatek.ApiError):
            await t.delete_user("NO-SUCH-USER")


def test_no_warning_on_normal_use(sim: Simulator) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with sim.client() as t:
            t.get_api_version()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_a_forked_child_gets_its_own_runtime(fresh_sim: Simulator) -> None:
    import asyncio

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork() with threads (3.12+)
        with fresh_sim.client() as t:
            t.get_api_version()  # the parent's runtime and connections are in use
            pid = os.fork()
            if pid == 0:  # the child: report through the exit code only
                code = 1
                try:
                    try:
                        t.get_api_version()
                    except RuntimeError:
                        pass
                    else:
                        os._exit(2)  # the parent's connections must not be shared
                    with actatek.Client(fresh_sim.url, "admin", "admin") as mine:
                        assert mine.get_user_count().usercount == 11

                    async def run() -> int:
                        async with actatek.AsyncClient(fresh_sim.url, "admin", "admin") as a:
                            return (await a.get_user_count()).usercount or 0

                    assert asyncio.run(run()) == 11
                    code = 0
                finally:
                    os._exit(code)
            _, status = os.waitpid(pid, 0)
            assert os.waitstatus_to_exitcode(status) == 0
            assert t.get_api_version().name  # the parent goes on


def test_the_simulator_can_answer_as_slowly_as_a_real_terminal() -> None:
    with Simulator(users=1, logs=1, latency=0.15) as sim, actatek.Client(sim.url, "admin", "admin") as t:
        assert sim.config()["latency_ms"] == 150
        started = time.monotonic()
        t.get_api_version()
        assert time.monotonic() - started >= 0.15
        sim.set_config(latency=0)
        assert sim.config()["latency_ms"] == 0
        with pytest.raises(ValueError, match="latency"):
            sim.set_config(latency=-1)
