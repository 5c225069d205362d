"""Identity keys decided in SQL, for the common values whose Python rule is plain enough to
say exactly; every other value still goes through the chart importer's normalisers.

The rules stay in one place, ``workbench/model/kinds.py`` (``clean_name``,
``normalise_email``, ``normalise_phone``). What this module writes in SQL is not a second
version of them but the narrow set of inputs on which they reduce to something SQL can do
without doubt, so the key is the one Python would give:

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
