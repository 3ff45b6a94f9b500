"""Client arguments: retries with count and backoff (the Rust client's defaults), and arguments
that cannot be used refused as ``ConfigError`` (a ``ValueError``) naming them, before anything
is sent."""

from __future__ import annotations

import inspect

import pytest

import actatek
from actatek.testing import Simulator


def test_defaults_are_the_rust_clients() -> None:
    for cls in (actatek.Client, actatek.AsyncClient):
        params = inspect.signature(cls).parameters
        defaults = {n: params[n].default for n in ("timeout", "connect_timeout", "retries", "backoff", "max_backoff")}
        assert defaults == {"timeout": 30.0, "connect_timeout": 10.0, "retries": 3, "backoff": 0.2, "max_backoff": 5.0}


def test_a_read_hit_by_two_500s_succeeds_with_two_retries(fresh_sim: Simulator) -> None:
    with fresh_sim.client(retries=2, backoff=0.01, max_backoff=0.02) as t:
        t.get_api_version()
        fresh_sim.clear_requests()
        fresh_sim.add_fault("status500", operation="get_users", count=2)
        assert t.get_users()
        assert fresh_sim.operations().count("get_users") == 3


def test_without_retries_a_read_fails_after_one_request(fresh_sim: Simulator) -> None:
    with fresh_sim.client(retries=0, backoff=0.01) as t:
        t.get_api_version()
        fresh_sim.clear_requests()
        fresh_sim.add_fault("status500", operation="get_users", count=2)
        with pytest.raises(actatek.ApiError) as e:
            t.get_users()
        assert e.value.status_code == 500
        assert fresh_sim.operations().count("get_users") == 1


async def test_the_async_client_retries_the_same_way(fresh_sim: Simulator) -> None:
    async with fresh_sim.async_client(retries=2, backoff=0.01, max_backoff=0.02) as t:
        await t.get_api_version()
        fresh_sim.clear_requests()
        fresh_sim.add_fault("status500", operation="get_users", count=2)
        assert await t.get_users()
        assert fresh_sim.operations().count("get_users") == 3


@pytest.mark.parametrize("argument", ["backoff", "max_backoff", "timeout", "connect_timeout", "retries"])
@pytest.mark.parametrize("cls", [actatek.Client, actatek.AsyncClient], ids=lambda c: c.__name__)
def test_a_negative_argument_is_refused_before_anything_is_sent(
    fresh_sim: Simulator, cls: type[actatek.Client], argument: str
) -> None:
    before = fresh_sim.request_count()
    with pytest.raises(ValueError) as e:
        cls(fresh_sim.url, "admin", "admin", **{argument: -1})  # type: ignore[arg-type]
    assert isinstance(e.value, actatek.ConfigError)
    assert e.value.setting == argument and str(e.value).startswith(f"{argument}: ")
    assert fresh_sim.request_count() == before


@pytest.mark.parametrize(
    ("kwargs", "setting", "text"),
    [
        ({"url": "ftp://10.0.0.5"}, "url", "must start with http:// or https://"),
        ({"url": "https://"}, "url", "host"),
        ({"url": "https://10.0.0.5", "pin_sha256": "zz"}, "pin_sha256", "not hex"),
        ({"url": "https://10.0.0.5", "pin_sha256": "ab:cd"}, "pin_sha256", "32"),
    ],
)
def test_an_unusable_setting_is_a_config_error_naming_it(kwargs: dict[str, str], setting: str, text: str) -> None:
    url = kwargs.pop("url")
    with pytest.raises(actatek.ConfigError) as e:
        actatek.Client(url, "admin", "secret-Pa55", **kwargs)  # type: ignore[arg-type]
    assert e.value.setting == setting and text in e.value.problem, e.value
    assert "secret-Pa55" not in str(e.value)


def test_a_password_in_the_url_is_not_repeated() -> None:
    with pytest.raises(actatek.ConfigError) as e:
        actatek.Client("ftp://admin:hunter22@10.0.0.5", "admin", "x")
    assert "hunter22" not in str(e.value) and "***@10.0.0.5" in str(e.value)
