"""The Rust client's events reach Python's standard ``logging`` under the ``actatek`` logger,
with their levels, and never carry the password or the session id."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest

import actatek
from actatek.testing import Simulator
from conftest import Firmware

PASSWORD = "Pa55-not-in-any-log"
SESSION = "1805350299"  # what the fixed-bytes terminal hands out at login


def test_a_retry_on_a_5xx_is_logged_through_logging_without_secrets(caplog: pytest.LogCaptureFixture) -> None:
    answers = iter([(503, '{"status": "error", "message": "busy"}')])

    def user_count(path: str, query: Any) -> tuple[int, str]:
        return next(answers, (200, '{"usercount": 3}'))

    firmware = Firmware({("GET", "UserCount"): user_count})
    try:
        with caplog.at_level(logging.DEBUG, logger="actatek"):
            with actatek.Client(firmware.url, "admin", PASSWORD, retries=2) as t:
                assert t.get_user_count().usercount == 3
    finally:
        firmware.close()
    ours = [r for r in caplog.records if r.name.startswith("actatek")]
    messages = [r.getMessage() for r in ours]
    retries = [r for r in ours if "retrying" in r.getMessage()]
    assert len(retries) == 1 and "get_user_count" in retries[0].getMessage(), messages
    assert retries[0].levelno == logging.DEBUG
    # The wait as a number of milliseconds too: the first retry waits 200 ms plus up to 25 %.
    delay_ms = re.search(r"delay_ms=([0-9.]+)", retries[0].getMessage())
    assert delay_ms and 200 <= float(delay_ms.group(1)) <= 250, retries[0].getMessage()
    assert any("terminal call" in m and "***" in m for m in messages), "paths show the session id as ***"
    for m in messages:
        assert PASSWORD not in m and SESSION not in m, m


def test_nothing_is_logged_below_the_level_set(fresh_sim: Simulator, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="actatek"):
        with fresh_sim.client(retries=2) as t:
            t.get_user_count()
    assert not [r for r in caplog.records if r.name.startswith("actatek") and r.levelno < logging.WARNING]
