"""Columns: how chart.json (format version 5) holds many items of one kind.

A section (``sources``, ``entities``, ``links``) is ``{"count": N, FIELD: COLUMN, ...}``. A
column is a list of N values, item by item, or, for a field with few distinct values,
``{"values": [V0, V1, ...], "codes": [N places in values]}``. A column that is left out gives
every item the field's default, and ``null`` in a column gives that item the default.

Why columns: reading items one object at a time (a dict, a dozen lookups and checks each) was
4 of the 6.3 s that loading 300,000 entities and 551,000 links took, and writing them 3.4 of
5.4 s. A column is checked in a pass or two at C speed (the set of its values' types, its
least and greatest place), dates are parsed once per distinct text, the items are built by
``map`` over the columns, and names repeated on every row (a type, a source file, an import
time) are stored and kept in memory once. Checks are as strict as before: a bad value is
found and named (``entities[12] (e13).x: must be a number, not text``) when a column fails.
"""

from __future__ import annotations

from datetime import datetime
from operator import attrgetter
from typing import Any

from workbench.io.jsonfields import _Bad, _kind_name

_NONE = type(None)
CODED_BELOW = 4  # a text column is coded when it has fewer than 1/4 as many distinct values


class BadValue(Exception):
    """A value of a column that is not valid: its item's place, the field and why."""

    def __init__(self, index: int, where: str, message: str) -> None:
        super().__init__(index, where, message)
        self.index, self.where, self.message = index, where, message


# ----- writing ---------------------------------------------------------------------------------
def text_column(values: list | tuple, default: Any = "") -> list | tuple | dict | None:
    """A column of text (or text-like enum) values: None when every value is ``default``
    (left out), coded when few values repeat, else the plain list."""
    n = len(values)
    if values.count(default) == n:
        return None
    if values.count(values[0]) == n:  # one type, one source file: no dict of N entries
        return {"values": [values[0]], "codes": [0] * n} if n >= CODED_BELOW else values
    distinct = dict.fromkeys(values)  # text and None only: no 1 == True == 1.0 to mix up
    if len(distinct) * CODED_BELOW <= n:
        places = {value: place for place, value in enumerate(distinct)}
        return {"values": list(distinct), "codes": list(map(places.__getitem__, values))}
    return values


def plain_column(values: list | tuple, default: Any = None) -> list | tuple | None:
    """Any other column: None when every value is ``default`` (by identity: None, a shared
    default object), else the list."""
    return None if values.count(default) == len(values) else values


def fields_of(items: list, names: tuple[str, ...]) -> dict[str, list]:
    """Each field of ``items`` as a column (one ``map`` of an attrgetter per field)."""
    return {name: list(map(attrgetter(name), items)) for name in names}


def date_texts(dates: list) -> list:
    """ISO texts of dates (None kept), one ``isoformat`` per distinct date object: an import
    gives all its rows one."""
    if dates.count(None) == len(dates):
        return dates
    keys = list(map(id, dates))
    if keys.count(keys[0]) == len(keys):  # by identity: equal times may differ in zone
        return [dates[0].isoformat()] * len(keys)
    objects = dict(zip(keys, dates, strict=True))
    texts = {key: (None if d is None else d.isoformat()) for key, d in objects.items()}
    return list(map(texts.__getitem__, keys))


# ----- reading ---------------------------------------------------------------------------------
def count_of(section: Any, name: str, keys: frozenset[str]) -> int:
    """The section's item count, after checking it is an object of known columns."""
    if section.__class__ is not dict:
        raise _Bad(f".{name}", f"must be an object of columns, not {_kind_name(section)}")
    if not section.keys() <= keys:
        raise _Bad(f".{name}", f"unknown keys {sorted(set(section) - keys)}")
    count = section.get("count")
    if count.__class__ is not int or count < 0:
        raise _Bad(f".{name}.count", "must be a whole number of items")
    return count


def coded(section: dict, name: str, n: int) -> tuple[list, list | None] | None:
    """A column as it is written: (its N values, None), or (its distinct values, the N
    codes) for a coded one, codes checked; None when it is left out. Readers check the
    distinct values once and expand them (``expand``), instead of checking N copies."""
    raw = section.get(name)
    if raw is None:
        return None
    if raw.__class__ is list:
        if len(raw) != n:
            raise _Bad(f".{name}", f"has {len(raw):,} values for {n:,} items")
        return raw, None
    if raw.__class__ is dict and raw.keys() == {"values", "codes"}:
        values, codes = raw["values"], raw["codes"]
        if values.__class__ is not list or codes.__class__ is not list:
            raise _Bad(f".{name}", "values and codes must be lists")
        if len(codes) != n:
            raise _Bad(f".{name}.codes", f"has {len(codes):,} codes for {n:,} items")
        bad = first_bad_place(codes, len(values))
        if bad is not None:
            raise _Bad(f".{name}.codes[{bad}]", f"{codes[bad]!r} is not the place of one of "
                       f"the column's {len(values):,} values")
        return values, codes
    raise _Bad(f".{name}", f"must be a list of {n:,} values or {{values, codes}}")


def expand(values: list, codes: list | None) -> list:
    """The N values of a column from ``coded`` (its values, or each code's value)."""
    if codes is None:
        return values
    if len(values) == 1:  # one type, one source file: the codes are all 0 (checked)
        return [values[0]] * len(codes)
    return list(map(values.__getitem__, codes))


def bad_value(values: list, codes: list | None, place: int, where: str,
              message: str) -> Exception:
    """The error for the bad ``values[place]``: BadValue naming the first item that has it,
    or, for a coded value no item has, _Bad naming its place among the column's values."""
    if codes is None:
        return BadValue(place, where, message)
    try:
        return BadValue(codes.index(place), where, message)
    except ValueError:
        return _Bad(f"{where}.values[{place}]", message)


def column(section: dict, name: str, n: int) -> list | None:
    """The N values of a column (a coded one expanded), or None when it is left out."""
    found = coded(section, name, n)
    return None if found is None else expand(*found)


def first_bad_place(places: list, limit: int) -> int | None:
    """The index of the first entry that is not a whole number from 0 to limit - 1, or None.
    The common case (all good) is three passes at C speed (two when only 0 is allowed:
    ``count`` finds the cached small int 0 by identity)."""
    if not places:
        return None
    if set(map(type, places)) <= {int}:
        if limit == 1 and places.count(0) == len(places):
            return None
        if min(places) >= 0 and max(places) < limit:
            return None
    return next(i for i, p in enumerate(places)
                if p.__class__ is not int or not 0 <= p < limit)


def texts(section: dict, name: str, n: int, default: str | None = "",
          required: bool = False) -> list:
    """A text column; ``null`` (and a missing column) gives ``default``; a required column
    must be there and hold text only. A coded column's distinct values are checked."""
    found = coded(section, name, n)
    if found is None:
        if required and n:
            raise _Bad(f".{name}", "is missing")
        return [default] * n
    values, codes = found
    kinds = set(map(type, values))
    if kinds <= {str}:
        return expand(values, codes)
    if not required and kinds <= {str, _NONE}:
        return expand([default if v is None else v for v in values], codes)
    allowed = (str,) if required else (str, _NONE)
    place = next(i for i, v in enumerate(values) if v.__class__ not in allowed)
    raise bad_value(values, codes, place, f".{name}",
                    f"must be text, not {_kind_name(values[place])}")


def numbers(section: dict, name: str, n: int) -> list[float]:
    """A column of numbers as floats (0.0 when missing; orjson has refused NaN already)."""
    values = column(section, name, n)
    if values is None:
        return [0.0] * n
    kinds = set(map(type, values))
    if kinds <= {float}:
        return values
    if kinds <= {float, int}:
        return list(map(float, values))
    index = next(i for i, v in enumerate(values) if v.__class__ not in (float, int))
    raise BadValue(index, f".{name}", f"must be a number, not {_kind_name(values[index])}")


def whole_or_none(section: dict, name: str, n: int) -> list:
    values = column(section, name, n)
    if values is None:
        return [None] * n
    if set(map(type, values)) <= {int, _NONE}:
        return values
    index = next(i for i, v in enumerate(values) if v.__class__ not in (int, _NONE))
    raise BadValue(index, f".{name}",
                   f"must be a whole number, not {_kind_name(values[index])}")


def choices(section: dict, name: str, n: int, table: dict[str, Any], default: Any) -> list:
    """A column of names from ``table`` (an enum's values), as its members."""
    found = coded(section, name, n)
    if found is None:
        return [default] * n
    values, codes = found
    lookup = {None: default, **table}
    try:
        members = list(map(lookup.__getitem__, values))
    except (KeyError, TypeError):  # a name not in the table, or a list or object
        place = next(i for i, v in enumerate(values)
                     if v.__class__ not in (str, _NONE) or v not in lookup)
        raise bad_value(values, codes, place, f".{name}", f"{values[place]!r} is not one of "
                        f"{', '.join(table)}") from None
    return expand(members, codes)


def dates(section: dict, name: str, n: int) -> list[datetime | None]:
    """A column of ISO date-times (None where there is none), each distinct text parsed once."""
    found = coded(section, name, n)
    if found is None:
        return [None] * n
    values, codes = found
    if not set(map(type, values)) <= {str, _NONE}:
        place = next(i for i, v in enumerate(values) if v.__class__ not in (str, _NONE))
        raise bad_value(values, codes, place, f".{name}", "must be an ISO date-time text, "
                        f"not {_kind_name(values[place])}")
    parsed: dict[str | None, datetime | None] = {None: None}
    for text in set(values):
        if text is not None:
            try:
                parsed[text] = datetime.fromisoformat(text)
            except ValueError:
                raise bad_value(values, codes, values.index(text), f".{name}",
                                f"{text!r} is not an ISO date-time") from None
    return expand(list(map(parsed.__getitem__, values)), codes)


def per_item(section: dict, name: str, n: int, reader: Any) -> list | None:
    """A column of objects read one by one (``reader(value)``, whose _Bad names the place
    inside the item; None stays None), for fields that few items have or that hold several
    values (attributes, style, coordinates)."""
    values = column(section, name, n)
    if values is None:
        return None
    out = []
    append = out.append
    for index, value in enumerate(values):
        try:
            append(None if value is None else reader(value))
        except _Bad as exc:
            raise BadValue(index, exc.where, exc.message) from None
    return out
