"""Checks of JSON fields shared by the chart file's readers: each raises ``_Bad`` with a path
relative to the item being read, and the loop that knows which item it is adds the location
(building location strings only on failure keeps loading 300,000 items fast).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any


class ChartFileError(ValueError):
    """A chart file that cannot be read or written; the message is for the analyst."""


class _Bad(Exception):
    def __init__(self, where: str, message: str) -> None:
        super().__init__(where, message)
        self.where, self.message = where, message


def _kind_name(value: Any) -> str:
    return {dict: "object", list: "list", str: "text", bool: "true/false", int: "number",
            float: "number", type(None): "null"}.get(type(value), type(value).__name__)


def _text(data: dict, key: str, default: str | None = None) -> str:
    value = data.get(key, default)
    if value.__class__ is not str:
        if value is None and default is None:
            raise _Bad("", f"'{key}' is missing")
        raise _Bad("", f"'{key}' must be text, not {_kind_name(value)}")
    return value


def _number(value: Any, where: str) -> float:
    if value.__class__ is not float and value.__class__ is not int:
        raise _Bad(where, f"must be a number, not {_kind_name(value)}")
    return value


def _datetime(value: Any, where: str) -> datetime:
    if value.__class__ is not str:
        raise _Bad(where, f"must be an ISO date-time text, not {_kind_name(value)}")
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise _Bad(where, f"{value!r} is not an ISO date-time") from None
