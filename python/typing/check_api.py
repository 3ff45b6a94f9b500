"""The issue's examples, type-checked against the stubs (``mypy --strict``; not executed)."""

from __future__ import annotations

from datetime import date, datetime

import actatek


def sync_example(url: str, user: str, password: str) -> None:
    with actatek.Client("https://10.0.0.5", "admin", "secret", timeout=10.0, verify=True) as t:
        version: actatek.ApiVersion = t.get_api_version()
        print(version.name, version.version)
        logs: list[actatek.Log] = t.get_logs(from_=datetime(2025, 7, 16), to=datetime(2025, 7, 20), employee_id="A123")
        first = logs[0].timestamp  # None when this firmware left it out (then see logs[0].extra)
        print(first.isoformat() if first is not None else logs[0].extra.get("timestamp"))
        t.add_user(actatek.User(user_id="A0001", first_name="Ben", last_name="John"))
        t.set_relay_setting(actatek.RelaySetting(id="ONE", option="disable", delay=11))
        reply: actatek.StatusReply = t.update_trigger(
            actatek.Trigger(
                type="F1",
                name="Lunch",
                enable=True,
                timespec=[
                    actatek.TimeSpec(weekday="MONDAY", time_pattern=actatek.TimePattern.from_ranges("12:00-13:00"))
                ],
            )
        )
        assert reply.ok
        holidays: actatek.Holidays = t.get_holidays(date="2025-0-0")
        t.set_holidays([date(2025, 12, 25)])
        print(holidays.dates)
        relay: actatek.RelaySetting = t.get_relay_setting("ONE")[0]
        delay: int | None = relay.delay
        if delay is None:
            print(relay.wire_value("delay"), relay.extra)
        auto: actatek.AutoInOut = t.get_auto_in_out()
        auto.crowd_reset_hhmm = "09:30"
        t.set_auto_in_out(auto)
        export = t.export_logs(from_=datetime(2025, 1, 1), chunk_size=500)
        for log in export:
            print(log.log_id, log.jpeg_photo is not None)
        checkpoint: actatek.Checkpoint = export.checkpoint
        t.export_logs(checkpoint=actatek.Checkpoint.from_dict(checkpoint.to_dict()))
        try:
            t.relay_action("open", "ALL")
        except actatek.ValidationError as e:
            print(e.field, e.rule, [v.rule for v in e.errors])
        except actatek.ApiError as e:
            print(e.status_code, e.message)
        except actatek.TransportError as e:
            print(e.kind, e.maybe_applied)
        except actatek.ProtocolError as e:
            print(e.detail, e.maybe_applied)


async def async_example(url: str, user: str, password: str) -> None:
    async with actatek.AsyncClient(url, user, password) as t:
        status: actatek.TerminalStatus = await t.get_terminal_status()
        print(status.serial_number)
        async for log in t.export_logs(employee_id="A123"):
            print(log.user_name)
    fleet = actatek.Fleet([actatek.AsyncClient(url, user, password)])
    async for result in fleet.arun("get_terminal_status"):
        print(result.url, result.ok)


def testing_example() -> None:
    import actatek.testing

    with actatek.testing.Simulator(users=10, logs=1000) as sim:
        print(sim.url)
        with sim.client() as t:
            print(t.get_user_count().usercount)
        sim.add_fault("status500", operation="open_door")
        print(sim.requests()[0]["operation"])
