"""What the properties dock shows in words and reads back: a date at the precision it is
known to ("2015", "2015-11", "2015-11-13 21:20") and as the analyst types it, and what a line
of a chart drawn from the store that stands for many store links is.

A connection's Date is its first link's, its attribute ``end`` its last link's, and its
Sources list only its first record: read without a word of explanation, a bank officer
takes "25 Calls" for one call dated on the 1st from one source. The dock says so in a line
above the fields.
"""

from __future__ import annotations

import re
from datetime import datetime

from workbench.model import Chart, DatePrecision, Link, ParseError
from workbench.model.kinds import parse_datetime
from workbench.store.connections import is_connection
from workbench.store.link_items import END, LINKS, RECORDS
from workbench.ui.wording import plural

_YEAR_OR_MONTH = re.compile(r"(\d{4})(?:-(\d{1,2}))?")


def date_text(date: datetime, precision: DatePrecision) -> str:
    """A date as the field shows it: as much as is known ("2015", "2015-11", "2015-11-13")."""
    if precision is DatePrecision.YEAR:
        return f"{date.year:04d}"
    if precision is DatePrecision.MONTH:
        return f"{date.year:04d}-{date.month:02d}"
    if precision is DatePrecision.DAY:
        return date.date().isoformat()
    return date.isoformat(sep=" ", timespec="minutes")


def connection_story(chart: Chart, link: Link) -> str:
    """What a line drawn from the store standing for many links is (its Date, ``end`` and
    few sources would read as one call's), or ""."""
    values = link.attributes
    if not is_connection(chart, link.id) or not {LINKS, END, RECORDS} <= values.keys():
        return ""
    count, shown = int(values[RECORDS].value), len(link.provenance)
    records = plural(count, "source record")
    first_ones = "the first" if shown == 1 else f"the first {shown}"
    listed = f"{first_ones} of their {records}" if shown < count else f"their {records}"
    first = date_text(link.date, link.date_precision) if link.date else "no date"
    return (f"One line for {int(values[LINKS].value):,} {link.type} links in the store "
            f"between these two, the first on {first} (its Date), the last on "
            f"{date_text(values[END].value, DatePrecision.SECOND)} (its end). Sources and "
            f"grading lists {listed}. Show Each Link (right-click the line, with the store "
            "open) draws each of them.")


def typed_date(text: str) -> tuple[datetime, DatePrecision]:
    """A date typed in the field, with the precision it was typed at."""
    whole = _YEAR_OR_MONTH.fullmatch(text)
    if whole:
        month = int(whole.group(2) or 1)
        if not 1 <= month <= 12:
            raise ParseError(f"{text!r}: there is no month {month}")
        return (datetime(int(whole.group(1)), month, 1),
                DatePrecision.MONTH if whole.group(2) else DatePrecision.YEAR)
    date = parse_datetime(text)
    colons = text.count(":")
    precision = (DatePrecision.DAY if not colons else
                 DatePrecision.MINUTE if colons == 1 else DatePrecision.SECOND)
    return date, precision
