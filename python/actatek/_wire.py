"""Python values ⇄ the terminal's wire form (the manual's JSON).

Date-times keep the terminal's distinction: a naive ``datetime`` is the terminal's local time
(written without a zone, never shifted); an aware one is an instant, written in UTC with ``Z``.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from datetime import date, datetime, timezone
from typing import Any

from . import _actatek

__all__ = ["Base64Bytes", "format_datetime", "parse_date", "parse_datetime", "to_wire"]


def format_datetime(dt: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SS[.fff]`` for naive (local) times, the same in UTC plus ``Z`` for aware."""
    suffix = ""
    if dt.tzinfo is not None and dt.utcoffset() is not None:
        dt = dt.astimezone(timezone.utc)
        suffix = "Z"
    text = f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d}T{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}"
    us = dt.microsecond
    if us:
        text += f".{us // 1000:03d}" if us % 1000 == 0 else f".{us:06d}"
    return text + suffix


def parse_datetime(value: Any) -> Any:
    """The ``datetime`` of a wire date-time (naive = local, aware UTC for ``Z``); anything that
    is not one is returned unchanged (reading is tolerant, writing is validated)."""
    if not isinstance(value, str) or len(value) < 19 or value[10] != "T":
        return value
    text = value
    utc = text[-1] in "Zz"
    if utc:
        text = text[:-1]
    if len(text) > 19 and text[19] == ".":
        digits = text[20:]
        end = len(digits) - len(digits.lstrip("0123456789"))
        if end == 0:
            return value
        text = text[:20] + (digits[:end] + "000000")[:6] + digits[end:]
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return value
    if utc:
        if dt.tzinfo is not None:
            return value
        return dt.replace(tzinfo=timezone.utc)
    if dt.tzinfo is not None:
        return dt.astimezone(timezone.utc)
    return dt


def parse_date(value: Any) -> Any:
    """The ``date`` of a wire ``YYYY-MM-DD``; anything else unchanged."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


class Base64Bytes(bytes):
    """Bytes that arrived as base64 text which re-encoding would not reproduce (line breaks,
    missing padding): they compare as the decoded bytes and are written back exactly as they came."""

    wire_text: str

    def __new__(cls, data: bytes, wire_text: str) -> Base64Bytes:
        obj = super().__new__(cls, data)
        obj.wire_text = wire_text
        return obj

    def __reduce__(self) -> Any:
        return (Base64Bytes, (bytes(self), self.wire_text))


def parse_base64(value: Any) -> Any:
    """Decoded bytes of base64 text (the terminal's odd padding and line breaks tolerated); text
    that is not base64 at all is kept as it came."""
    if isinstance(value, str):
        text = "".join(value.split())
        try:
            data = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
        except (binascii.Error, ValueError):
            return value
        if base64.b64encode(data).decode("ascii") == value:
            return data
        return Base64Bytes(data, value)
    return value


def to_wire(value: Any) -> Any:
    """The wire form of any value this package accepts."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, _actatek.TimePattern):
        return str(value)
    if isinstance(value, Base64Bytes):
        return value.wire_text
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    to_dict = getattr(value, "to_dict", None)
    if to_dict is not None:
        return to_dict()
    if isinstance(value, Mapping):
        return {k: to_wire(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_wire(v) for v in value]
    raise TypeError(f"cannot send a value of type {type(value).__name__}")
