"""Identity keys and dates decided in SQL, for the common values whose Python rule is plain
enough to say exactly; every other value still goes through the chart importer's normalisers.

The rules stay in one place, ``workbench/model/kinds.py`` (``clean_name``,
``normalise_email``, ``normalise_phone``) and ``workbench/io/date_formats.py``. What this
module writes in SQL is not a second version of them but the narrow set of inputs on which
they reduce to something SQL can do without doubt, so the result is the one Python gives:

- a name (``Kind.TEXT``): printable ASCII words separated by single spaces. Unicode
  normalisation leaves ASCII alone, there is no run of spaces to fold and nothing to strip,
  and ``casefold`` of ASCII is ``lower``.
- an e-mail address: printable ASCII without spaces, no ``<`` or ``>`` at either end, without
  ``mailto:``, with the address pattern's one ``@`` and a dot after it; the key is ``lower``.
- a phone number: ASCII digits in groups separated by single spaces, nationally written
  (no ``00``, no international dialling prefix, not starting with the country code) or with
  ``+`` and the region's own country code. ``phonenumbers`` then does no more than strip the
  national prefix when its metadata allows and check the length; the SQL does the same with
  that metadata read at import time (the prefix and national-number patterns, which are RE2
  patterns already, and the lengths judged by ``phonenumbers.is_possible_number_with_reason``
  itself). Regions with a prefix transformation rule or a carrier code are left to Python.
- a date in the spec's first ``date_format`` made only of ``%Y %m %d %H %M %S`` and
  separators, written with every field at full width and in range (a four-digit year from
  1000, a two-digit month 01-12, ...): the format reads it first, as DuckDB's ``strptime``
  with the same format does; a day past the month's end is refused by both and left to Python.

A value outside those sets gets NULL here and the Python normaliser decides it, with its own
reason when it is not a valid identity (the SQL never decides a failure).
"""

from __future__ import annotations

import re
from functools import cache

import phonenumbers
from phonenumbers import PhoneMetadata, PhoneNumber, ValidationResult

from workbench.model import Kind

_ASCII_WORDS = r"[!-~]+( [!-~]+)*"
_EMAIL = r"[^@]+@[^@]+\.[^@]+"
_NSN = (2, 17)  # phonenumbers' shortest and longest national significant numbers
_MAX_INPUT = 250  # phonenumbers refuses longer texts outright
_POSSIBLE = {ValidationResult.IS_POSSIBLE, ValidationResult.IS_POSSIBLE_LOCAL_ONLY}
_NOT_STRIPPED = {ValidationResult.TOO_SHORT, ValidationResult.IS_POSSIBLE_LOCAL_ONLY,
                 ValidationResult.INVALID_LENGTH}


def literal(text: str) -> str:
    """A constant of ours (a pattern from the phone metadata) as an SQL string literal.
    Cell values never go this way: they are columns of the query."""
    return "'" + text.replace("'", "''") + "'"


def identity_select(kind: Kind, region: str | None, raws: str) -> str | None:
    """SQL giving ``(raw, key)`` for each text ``raw`` of the query ``raws``: its identity key
    where it is certain, NULL elsewhere; None when no value of this kind is decided in SQL."""
    if kind is Kind.TEXT:
        return (f"SELECT raw, CASE WHEN regexp_full_match(raw, '{_ASCII_WORDS}') THEN "
                f"lower(raw) END AS key FROM ({raws})")
    if kind is Kind.EMAIL:
        return ("SELECT raw, CASE WHEN regexp_full_match(raw, '[!-~]+') AND "
                f"regexp_full_match(raw, '{_EMAIL}') AND NOT regexp_matches(raw, '^[<>]|[<>]$') "
                "AND NOT starts_with(lower(raw), 'mailto:') THEN "
                f"lower(raw) END AS key FROM ({raws})")
    if kind is Kind.PHONE and region:
        rules = _phone_rules(region.upper())
        return None if rules is None else rules.select(raws)
    return None


_DATE_FIELDS = {"Y": "[1-9][0-9]{3}", "m": "(0[1-9]|1[0-2])", "d": "(0[1-9]|[12][0-9]|3[01])",
                "H": "([01][0-9]|2[0-3])", "M": "[0-5][0-9]", "S": "[0-5][0-9]"}
_DATE_SEPARATORS = "-/ :.T,"


def date_select(formats: tuple[str, ...], texts: str) -> str | None:
    """SQL giving ``(text, ts)`` for each ``text`` of the query ``texts``: the moment where
    the first format reads it for certain, NULL elsewhere; None when no text is decided in
    SQL (no format given: the formats are detected from the column, in Python)."""
    if not formats:
        return None
    pattern = ""
    parts = re.split(r"(%.)", formats[0])
    for part in parts:
        if part.startswith("%"):
            if part[1:] not in _DATE_FIELDS:
                return None
            pattern += _DATE_FIELDS[part[1:]]
        elif all(c in _DATE_SEPARATORS for c in part):
            pattern += "".join("\\" + c if c in "." else c for c in part)
        else:
            return None
    return (f"SELECT text, CASE WHEN regexp_full_match(text, {literal(pattern)}) THEN "
            f"try_strptime(text, {literal(formats[0])}) END AS ts FROM ({texts})")


class _PhoneRules:
    """What ``phonenumbers.parse`` does to a digits-only number of one region."""

    def __init__(self, meta) -> None:
        self.cc = str(meta.country_code)
        self.idd = meta.international_prefix
        self.prefix = meta.national_prefix_for_parsing or ""
        self.pattern = meta.general_desc.national_number_pattern or ""
        code = int(self.cc)

        def reason(n: int) -> ValidationResult:
            number = PhoneNumber(country_code=code, national_number=int("5" * n or "0"))
            return phonenumbers.is_possible_number_with_reason(number)

        lengths = range(_NSN[0], _NSN[1] + 1)
        self.possible = [n for n in lengths if reason(n) in _POSSIBLE]
        self.strips = [n for n in range(0, _NSN[1] + 1) if reason(n) not in _NOT_STRIPPED]
        # with '+', the shortest valid calling code is taken: ours only if none is shorter
        self.plus = not any(int(self.cc[:i]) in phonenumbers.COUNTRY_CODE_TO_REGION_CODE
                            for i in range(1, len(self.cc)))

    def select(self, raws: str) -> str:
        digits = "replace(replace(raw, ' ', ''), '+', '')"
        national = ("regexp_full_match(raw, '[0-9]+( [0-9]+)*') AND NOT starts_with(raw, "
                    f"'00') AND length({digits}) >= 3 AND NOT starts_with({digits}, "
                    f"'{self.cc}')")
        if self.idd:
            national += f" AND NOT regexp_matches({digits}, {literal('^(?:' + self.idd + ')')})"
        plus = ("regexp_full_match(raw, '[+][0-9]+( [0-9]+)*') AND "
                f"length({digits}) > 2 AND starts_with({digits}, '{self.cc}')"
                ) if self.plus else "false"
        nsn = (f"SELECT raw, CASE WHEN length(raw) <= {_MAX_INPUT} AND {national} THEN "
               f"{digits} WHEN length(raw) <= {_MAX_INPUT} AND {plus} THEN "
               f"substr({digits}, {len(self.cc) + 1}) END AS n FROM ({raws})")
        if self.prefix:  # the national prefix cut off, when phonenumbers would cut it
            cut = (f"SELECT raw, n, regexp_extract(n, {literal('^(?:' + self.prefix + ')')}) "
                   f"AS cut FROM ({nsn})")
            rest = "substr(n, length(cut) + 1)"

            def full(t: str) -> str:
                return f"regexp_full_match({t}, {literal(self.pattern)})" if self.pattern \
                    else "false"

            nsn = (f"SELECT raw, CASE WHEN cut <> '' AND NOT ({full('n')} AND NOT "
                   f"{full(rest)}) AND list_contains({self.strips}, length({rest})) THEN "
                   f"{rest} ELSE n END AS n FROM ({cut})")
        return (f"SELECT raw, CASE WHEN list_contains({self.possible}, length(n)) THEN "
                f"'+{self.cc}' || n END AS key FROM ({nsn})")


@cache
def _phone_rules(region: str) -> _PhoneRules | None:
    meta = PhoneMetadata.metadata_for_region(region, None)
    if meta is None or meta.national_prefix_transform_rule:
        return None
    if phonenumbers.region_code_for_country_code(meta.country_code) != region:
        return None  # '+cc' numbers are read with the main region's metadata
    if meta.national_prefix_for_parsing and re.compile(meta.national_prefix_for_parsing
                                                       ).groups:
        return None  # a carrier code captured with the prefix
    return _PhoneRules(meta)
