"""Attribute kinds: each kind owns how a raw cell becomes a typed, normalised value.

Importers, the properties editor and the chart file all go through these functions, so a phone
number typed by hand and one read from a spreadsheet normalise to the same E.164 string and
therefore to the same identity.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

import phonenumbers

from workbench.model.countries import country_names


class Kind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATETIME = "datetime"
    FLAG = "flag"
    PHONE = "phone"
    EMAIL = "email"
    URL = "url"
    USERNAME = "username"
    COORDINATES = "coordinates"
    COUNTRY = "country"  # a country's name or code; its identity is the ISO code


class ParseError(ValueError):
    """A raw value that a kind cannot parse; the message says why, for the import report."""


@dataclass(frozen=True, slots=True)
class Value:
    """A typed attribute value. ``value`` is str, float, int, bool, datetime or (lat, lon)."""

    kind: Kind
    value: Any

    def display(self) -> str:
        v = self.value
        if self.kind is Kind.DATETIME:
            return v.isoformat(sep=" ", timespec="minutes") if isinstance(v, datetime) else str(v)
        if self.kind is Kind.COORDINATES:
            return f"{v[0]:.5f}, {v[1]:.5f}"
        if self.kind is Kind.FLAG:
            return "yes" if v else "no"
        if self.kind is Kind.NUMBER and float(v).is_integer() and abs(v) < 2**53:
            return f"{int(v):,}" if abs(v) >= 10_000 else str(int(v))
        return str(v)


_NUMBER_JUNK = re.compile(r"[\s,$€£¥%]")
_TRUE = {"1", "true", "yes", "y", "t", "x", "on", "oui", "si", "ja"}
_FALSE = {"0", "false", "no", "n", "f", "off", "", "non", "nein"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_SPACES = re.compile(r"\s+")
_DEFAULT_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y%m%d %H%M",
    "%d %B %Y",
    "%d %b %Y",
    "%B %Y",
    "%Y",
)


def parse_number(raw: Any) -> float | int:
    """'1.33E+07', '$25,000', '12 %' become numbers; bounds such as '<5' are refused.

    A bound is not a number: callers that want to keep it store the text and report a warning.
    """
    if isinstance(raw, bool):
        raise ParseError(f"{raw!r} is a flag, not a number")
    if isinstance(raw, int | float):
        if isinstance(raw, float) and math.isnan(raw):
            raise ParseError("empty number")
        return raw
    text = _NUMBER_JUNK.sub("", str(raw))
    if text.startswith("(") and text.endswith(")"):  # accounting negative
        text = "-" + text[1:-1]
    if not text:
        raise ParseError("empty number")
    if text[0] in "<>~≈":
        raise ParseError(f"{raw!r} is a bound or estimate, not a number")
    try:
        number = float(text)
    except ValueError:
        raise ParseError(f"{raw!r} is not a number") from None
    if math.isnan(number) or math.isinf(number):
        raise ParseError(f"{raw!r} is not a finite number")
    written_as_integer = "." not in text and "e" not in text.lower()
    if written_as_integer and number.is_integer() and abs(number) < 2**53:
        return int(number)
    return number


def parse_datetime(raw: Any, formats: tuple[str, ...] | list[str] | None = None) -> datetime:
    """Parse with the explicit formats given (in order), else with a list of common ones."""
    if isinstance(raw, datetime):
        return raw
    if isinstance(raw, date):
        return datetime.combine(raw, time())
    text = str(raw).strip()
    if not text:
        raise ParseError("empty date")
    for fmt in formats or _DEFAULT_DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    if not formats:
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            pass
    tried = ", ".join(formats or _DEFAULT_DATE_FORMATS)
    raise ParseError(f"{text!r} matches none of the date formats ({tried})")


def parse_flag(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ParseError(f"{raw!r} is not yes/no")


def normalise_phone(raw: Any, region: str | None = "GB") -> str:
    """E.164 ('+447700900123'); numbers without a country code use ``region``."""
    text = str(raw).strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, None if text.startswith("+") else region)
    except phonenumbers.NumberParseException as exc:
        raise ParseError(f"{raw!r} is not a phone number ({exc})") from None
    if not phonenumbers.is_possible_number(number):
        raise ParseError(f"{raw!r} is not a possible phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(raw: Any) -> str:
    text = str(raw).strip().strip("<>").strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    if not _EMAIL.match(text):
        raise ParseError(f"{raw!r} is not an e-mail address")
    return text.lower()


def normalise_username(raw: Any) -> str:
    text = unicodedata.normalize("NFKC", str(raw)).strip().lstrip("@")
    if not text or any(c.isspace() for c in text):
        raise ParseError(f"{raw!r} is not a username")
    return text.casefold()


def normalise_url(raw: Any) -> str:
    text = str(raw).strip()
    if not text or " " in text:
        raise ParseError(f"{raw!r} is not a URL")
    if "://" not in text:
        text = "http://" + text
    scheme, rest = text.split("://", 1)
    host, sep, path = rest.partition("/")
    return f"{scheme.lower()}://{host.lower()}{sep}{path}"


def clean_name(raw: Any) -> str:
    """Identity key for names: Unicode-normalised, case-folded, single spaces, no accents lost.

    Accents are kept ('José' and 'Jose' may be two people); only case and spacing are folded.
    """
    text = unicodedata.normalize("NFKC", str(raw))
    text = _SPACES.sub(" ", text).strip()
    if not text:
        raise ParseError("empty name")
    return text.casefold()


def parse_coordinates(raw: Any) -> tuple[float, float]:
    """'51.5, -0.12', (51.5, -0.12) or [51.5, -0.12] as (lat, lon), range checked."""
    if isinstance(raw, str):
        parts = [p for p in re.split(r"[,;\s]+", raw.strip()) if p]
    else:
        parts = list(raw)
    if len(parts) != 2:
        raise ParseError(f"{raw!r} is not 'lat, lon'")
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except (TypeError, ValueError):
        raise ParseError(f"{raw!r} is not 'lat, lon'") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ParseError(f"{raw!r} is outside latitude -90..90, longitude -180..180")
    return (lat, lon)


def parse_value(kind: Kind | str, raw: Any, *, region: str | None = "GB",
                date_formats: tuple[str, ...] | list[str] | None = None) -> Value:
    """Turn a raw cell into a typed Value of ``kind``; raises ParseError with a reason."""
    kind = Kind(kind)
    if kind is Kind.TEXT:
        text = str(raw).strip()
        if not text:
            raise ParseError("empty text")
        return Value(kind, text)
    if kind is Kind.NUMBER:
        return Value(kind, parse_number(raw))
    if kind is Kind.DATETIME:
        return Value(kind, parse_datetime(raw, date_formats))
    if kind is Kind.FLAG:
        return Value(kind, parse_flag(raw))
    if kind is Kind.PHONE:
        return Value(kind, normalise_phone(raw, region))
    if kind is Kind.EMAIL:
        return Value(kind, normalise_email(raw))
    if kind is Kind.URL:
        return Value(kind, normalise_url(raw))
    if kind is Kind.USERNAME:
        return Value(kind, normalise_username(raw))
    if kind is Kind.COUNTRY:  # kept as text: the country's English name
        return Value(Kind.TEXT, country_name(raw))
    return Value(kind, parse_coordinates(raw))


def country_name(raw: Any) -> str:
    """The English name of a country however it is written ('U.K.' -> 'United Kingdom')."""
    names = country_names()
    code = names.code(str(raw))
    if code is None:
        hint = names.suggest(str(raw))
        raise ParseError(f"{raw!r} is not a known country"
                         + (f"; did you mean {' or '.join(map(repr, hint))}?" if hint else ""))
    return names.names[code]


def identity_key(kind: Kind | str, raw: Any, *, region: str | None = "GB") -> str:
    """The normalised key that decides whether two entities are one."""
    kind = Kind(kind)
    if kind is Kind.TEXT:
        return clean_name(raw)
    if kind is Kind.COUNTRY:  # the ISO code; a name that is no known country stays a name
        return country_names().code(str(raw)) or clean_name(raw)
    value = parse_value(kind, raw, region=region).value
    if kind is Kind.COORDINATES:
        return f"{value[0]:.6f},{value[1]:.6f}"
    if kind is Kind.DATETIME:
        return value.isoformat()
    return str(value)
