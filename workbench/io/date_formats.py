"""Reading a column of dates as the column writes them: detect the format once, parse in bulk.

Spreadsheets from partners write dates every which way: ISO, 31/12/2016, 12/31/2016, ``2008.0``
(a year that went through a float), Excel day numbers from cells that lost their date format,
``20060601 0008`` from a phone company, ``3 janvier 2016`` or ``3 марта 2016 г.``. Guessing each
cell on its own is slow and inconsistent (03/04 read one way here and the other way there), so
the format is detected once per column from a sample of its distinct values, then the whole
column is parsed vectorised with pandas. Day-first against month-first is reported when the
sample cannot tell them apart, never decided silently.

Month names come from dateparser's locale data (English, French, Spanish, Portuguese, Arabic,
Russian): a month word is turned into a marked number (``m12``) so pandas can parse the rest;
dateparser itself reads the few odd values no detected format reads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

ISO = "ISO8601"  # pandas' own ISO reader: dates with or without a time
EXCEL = "excel"  # Excel's serial day numbers
LANGUAGES = ("en", "fr", "es", "pt", "ar", "ru")
LANGUAGE_NAMES = {"en": "English", "fr": "French", "es": "Spanish", "pt": "Portuguese",
                  "ar": "Arabic", "ru": "Russian"}
SAMPLE = 2000  # distinct values looked at to detect a format
_EXCEL_EPOCH = np.datetime64("1899-12-30")
_EXCEL_RANGE = (10_000, 2_958_466)  # 1927-05-18 to 9999-12-31
_TIMES = ("", " %H:%M", " %H:%M:%S", "T%H:%M:%S", " %I:%M %p")
_NUMERIC = (
    "%Y-%m-%d", "%Y/%m/%d", "%Y%m%d %H%M", "%Y%m%d", "%Y", "%Y.0",
    "%d/%m/%Y", "%m/%d/%Y", "%d-%m-%Y", "%m-%d-%Y", "%d.%m.%Y", "%d/%m/%y", "%m/%d/%y",
)
_WORDED = ("%d m%m %Y", "m%m %d %Y", "m%m %Y", "%d m%m %y", "%Y m%m %d")
_FILLER = {"de", "del", "of", "the", "le", "el", "г", "года", "em", "at", "à"}
_WORD = re.compile(r"[^\W\d_]+\.?")
_ORDINAL = re.compile(r"(\d)(st|nd|rd|th|er|e|º|ª)\b")
_SPACES = re.compile(r"[\s,/-]+")


@dataclass(frozen=True, slots=True)
class DateFormat:
    """One way of writing dates: a strftime ``code`` (or ISO or EXCEL); ``language`` is set
    when month names are written out (the code then reads ``m%m`` where the name was)."""

    code: str
    language: str = ""

    @property
    def day_first(self) -> bool | None:
        """True for day/month, False for month/day, None when the order is not in question."""
        d, m = self.code.find("%d"), self.code.find("%m")
        return None if d < 0 or m < 0 or "%Y" in self.code[:max(d, m)] else d < m


@dataclass(frozen=True, slots=True)
class Detection:
    """What a column's sample showed: the formats to try in order, how much of the sample the
    first reads, and the other reading when day and month cannot be told apart."""

    formats: tuple[DateFormat, ...]
    read: int = 0
    sample: int = 0
    ambiguous: DateFormat | None = None


# ----- detecting --------------------------------------------------------------------------------
def detect(values: Sequence[str], month_first: bool = False) -> Detection:
    """Find the formats that read the most of ``values`` (distinct, non-empty texts).

    Day-first wins a tie with month-first unless ``month_first`` (a US source); the tie is
    reported in ``ambiguous``. Formats that read values the best one does not are kept after it.
    """
    texts = pd.Series(list(values)[:SAMPLE] if len(values) <= SAMPLE else
                      [values[i] for i in np.linspace(0, len(values) - 1, SAMPLE).astype(int)],
                      dtype=object).str.strip()
    if texts.empty:
        return Detection(())
    hits: list[tuple[DateFormat, np.ndarray]] = []
    worded = texts.str.contains(r"[^\W\d_]{3}", regex=True).to_numpy()
    plain = texts[~worded]
    if len(plain):
        for fmt in _candidates(month_first):
            got = parse(plain, fmt).notna().to_numpy()
            if got.any():
                hits.append((fmt, _spread(got, ~worded)))
    if worded.any():
        language = _language(texts[worded])
        for code in _worded_candidates(month_first):
            fmt = DateFormat(code, language)
            got = parse(texts[worded], fmt).notna().to_numpy()
            if got.any():
                hits.append((fmt, _spread(got, worded)))
    if not hits:
        return Detection((), 0, len(texts))
    best = max(range(len(hits)), key=lambda i: (hits[i][1].sum(), -i))
    first, covered = hits[best]
    ambiguous = next((f for f, got in hits if f.day_first is not None
                      and f.day_first != first.day_first and first.day_first is not None
                      and f.code.replace("%d", "").replace("%m", "")
                      == first.code.replace("%d", "").replace("%m", "")
                      and got.sum() == covered.sum()), None)
    formats = [first]
    seen = covered.copy()
    for fmt, got in sorted(hits, key=lambda h: -h[1].sum()):
        if (got & ~seen).any():
            formats.append(fmt)
            seen |= got
    return Detection(tuple(formats), int(covered.sum()), len(texts), ambiguous)


def _spread(got: np.ndarray, where: np.ndarray) -> np.ndarray:
    out = np.zeros(len(where), dtype=bool)
    out[np.flatnonzero(where)] = got
    return out


def _candidates(month_first: bool) -> list[DateFormat]:
    codes = [base + t for base in _NUMERIC
             for t in (_TIMES if "%d" in base and "%H" not in base else ("",))]
    codes += [ISO, EXCEL]  # after the exact formats: a tie goes to the one said in words
    if month_first:  # a month-first candidate before its day-first twin wins ties
        codes.sort(key=lambda c: c.find("%m") > c.find("%d") >= 0)
    return [DateFormat(c) for c in codes]


def _worded_candidates(month_first: bool) -> list[str]:
    codes = [base + t for base in _WORDED for t in (_TIMES if "%d" in base else ("",))]
    if month_first:
        codes.sort(key=lambda c: not c.startswith("m%m"))
    return codes


def named(formats: Sequence[str], values: Sequence[str]) -> tuple[DateFormat, ...]:
    """The formats a spec names, as DateFormats to try in order, then ISO and Excel days
    (always understood). A format with month names (``%B``, ``%b``) reads them in the
    language of ``values`` too (``%d %B %Y`` reads "3 janvier 2016")."""
    out: list[DateFormat] = []
    language = ""
    for code in formats:
        out.append(DateFormat(code))
        if "%B" in code or "%b" in code:
            language = language or _language(pd.Series(list(values[:SAMPLE]), dtype=object))
            out.append(DateFormat(code.replace("%B", "m%m").replace("%b", "m%m"), language))
    return (*out, DateFormat(ISO), DateFormat(EXCEL))


def spec_code(fmt: DateFormat) -> str | None:
    """What a spec's ``date_format`` would say for a detected format (the wizard saving a
    choice), or None where only detection reads it (ISO, Excel day numbers)."""
    if fmt.code in (ISO, EXCEL):
        return None
    return fmt.code.replace("m%m", "%B") if fmt.language else fmt.code


# ----- parsing ------------------------------------------------------------------------------------
def parse(texts: pd.Series, fmt: DateFormat) -> pd.Series:
    """``texts`` read with one format, vectorised; NaT where it does not fit."""
    texts = texts.astype(object)
    if fmt.code == EXCEL:
        numbers = pd.to_numeric(texts, errors="coerce")
        ok = (numbers >= _EXCEL_RANGE[0]) & (numbers < _EXCEL_RANGE[1])
        days = numbers.where(ok)
        out = pd.Series(_EXCEL_EPOCH, index=texts.index, dtype="datetime64[us]") \
            + pd.to_timedelta(days, unit="D")
        return out.dt.round("s")
    if fmt.language:
        texts = _translate(texts, fmt.language)
    if fmt.code == ISO:  # the wall-clock time; parse_precisely keeps the offsets apart
        texts = split_offsets(texts)[0]
    got = pd.to_datetime(texts, format=fmt.code, errors="coerce")
    return got.astype("datetime64[us]")


# ----- precision and time zone ------------------------------------------------------------------
# An ISO text says as much as it writes: "2016" a year, "2016-03" a month, "2016-03-04 10:00" a
# minute; "Z" or "+02:00" at its end is its time zone.
_ISO_PARTS = re.compile(r"^\s*[+-]?\d{4}(?P<month>(?:-\d\d?|\d\d)(?P<day>(?:-\d\d?|\d\d)"
                        r"(?:[T ](?P<hour>\d\d?)(?P<minute>:?\d\d(?P<second>:?\d\d)?)?)?)?)?")
_OFFSET = re.compile(r"(?P<time>\d:\d\d(?::\d\d(?:[.,]\d+)?)?)\s*"
                     r"(?P<zone>Z|[+-]\d\d(?::?\d\d)?)\s*$")


def code_precision(code: str) -> str:
    """The precision a strftime code writes (its finest part): ``%d/%m/%Y`` a day."""
    for part, precision in (("%S", "second"), ("%M", "minute"), ("%d", "day"),
                            ("%m", "month"), ("%B", "month"), ("%b", "month")):
        if part in code:
            return precision
    return "year"


def precisions(texts: pd.Series, fmt: DateFormat) -> np.ndarray:
    """The precision of each of ``texts`` as ``fmt`` reads them (year, month, day, minute or
    second): for ISO and Excel day numbers it depends on the text, for the others on the code."""
    if fmt.code == ISO:
        parts = texts.astype(str).str.extract(_ISO_PARTS)
        out = np.full(len(texts), "year", dtype=object)
        for name, precision in (("month", "month"), ("day", "day"), ("hour", "minute"),
                                ("second", "second")):
            out[parts[name].notna().to_numpy()] = precision
        return out
    if fmt.code == EXCEL:
        numbers = pd.to_numeric(texts, errors="coerce").to_numpy(dtype=float)
        whole = np.isnan(numbers) | (numbers == np.floor(np.nan_to_num(numbers)))
        return np.where(whole, "day", "second").astype(object)
    return np.full(len(texts), code_precision(fmt.code), dtype=object)


def split_offsets(texts: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """(texts without their UTC offset, the offset of each as a timezone or None). pandas
    would turn a column of mixed offsets into UTC instants; the analyst's source said
    ``+02:00``, and that is what a date keeps."""
    strings = texts.astype(str)
    maybe = np.flatnonzero(_may_have_offset(strings))
    zones = strings.iloc[maybe].str.extract(_OFFSET)["zone"]
    found = zones.notna().to_numpy()
    out = np.full(len(texts), None, dtype=object)
    if not found.any():
        return texts, out
    has = maybe[found]
    out[has] = [_zone(z) for z in zones[found]]
    strings.iloc[has] = strings.iloc[has].str.replace(_OFFSET, r"\g<time>", regex=True)
    return strings, out


def _may_have_offset(strings: pd.Series) -> np.ndarray:
    """Which texts could end in a UTC offset, by one pass in C (Arrow) rather than the offset
    pattern per text: an offset follows a time, so its ``Z``, ``+`` or ``-`` comes after a
    colon. A superset: the pattern itself then decides, with Python's own ``\\d`` and ``\\s``
    (which know other scripts' digits and spaces, as Arrow's do not)."""
    try:
        arrow = pa.array(strings.to_numpy(dtype=object), type=pa.string())
    except (pa.ArrowException, UnicodeError):  # a lone surrogate cannot be UTF-8: ask all
        return np.ones(len(strings), dtype=bool)
    return pc.match_substring_regex(arrow, "(?s):.*[Z+-]").to_numpy(zero_copy_only=False)


def _zone(text: str) -> timezone:
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + (int(digits[2:4]) if len(digits) > 2 else 0)
    return timezone(sign * timedelta(minutes=minutes))


def parse_precisely(texts: pd.Series, formats: Sequence[DateFormat]
                    ) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """``parse_all`` that also says, for each text, its precision (None where unread) and its
    time zone (None where the text gave none)."""
    zones = split_offsets(texts)[1]
    found = pd.Series(pd.NaT, index=texts.index, dtype="datetime64[us]")
    precision = np.full(len(texts), None, dtype=object)
    for fmt in formats:
        missing = found.isna().to_numpy()
        if not missing.any():
            break
        got = parse(texts[missing], fmt)
        found[missing] = got
        read = np.flatnonzero(missing)[got.notna().to_numpy()]
        if len(read):
            precision[read] = precisions(texts.iloc[read], fmt)
    zones[found.isna().to_numpy()] = None
    return found, precision, zones


def parse_all(texts: pd.Series, formats: Sequence[DateFormat]) -> pd.Series:
    """Each format in turn on what is still unread."""
    found = pd.Series(pd.NaT, index=texts.index, dtype="datetime64[us]")
    for fmt in formats:
        missing = found.isna()
        if not missing.any():
            break
        found[missing] = parse(texts[missing], fmt)
    return found


def parse_one_by_one(text: str) -> datetime | None:
    """The last resort for a value no detected format reads: dateparser on its own."""
    import dateparser  # imported on first need: a second of start-up for rare values

    return dateparser.parse(text, languages=list(LANGUAGES),
                            settings={"PREFER_DAY_OF_MONTH": "first",
                                      "DATE_ORDER": "DMY", "STRICT_PARSING": True})


# ----- month names --------------------------------------------------------------------------------
@cache
def month_names(language: str) -> dict[str, int]:
    """Month names and abbreviations of ``language`` (casefolded, without a final dot) -> 1-12,
    from dateparser's locale data."""
    from dateparser.languages.loader import default_loader

    info = default_loader.get_locale(language).info
    months = ("january", "february", "march", "april", "may", "june", "july", "august",
              "september", "october", "november", "december")
    return {name.casefold().rstrip("."): n for n, month in enumerate(months, 1)
            for name in info.get(month, [])}


def _language(texts: pd.Series) -> str:
    words = [w.rstrip(".") for t in texts.head(200) for w in _WORD.findall(str(t).casefold())]
    scores = {lang: sum(w in month_names(lang) for w in words) for lang in LANGUAGES}
    return max(LANGUAGES, key=lambda lang: (scores[lang], lang == "en"))


def _translate(texts: pd.Series, language: str) -> pd.Series:
    names = month_names(language)

    def word(m: re.Match) -> str:
        w = m.group(0).rstrip(".")
        if w in names:
            return f" m{names[w]} "
        return " " if w in _FILLER else m.group(0)

    out = texts.str.casefold().str.replace(_ORDINAL, r"\1", regex=True)
    out = out.str.replace(_WORD, word, regex=True)
    return out.str.replace(_SPACES, " ", regex=True).str.strip()


# ----- words for people ---------------------------------------------------------------------------
_EXAMPLE = datetime(2016, 12, 31, 23, 59, 58)
_WORDS = {"%d": "day", "%m": "month", "%Y": "year", "%y": "year (2 digits)", "%H": "hour",
          "%I": "hour (1-12)", "%M": "minute", "%S": "second", "%p": "AM/PM"}


def describe(fmt: DateFormat | str) -> str:
    """The format in words with an example, for the wizard and the report:
    ``day/month/year, e.g. 31/12/2016``."""
    if isinstance(fmt, str):
        fmt = DateFormat(fmt)
    if fmt.code == ISO:
        return "ISO year-month-day, with or without a time, e.g. 2016-12-31 or 2016-12-31 23:59"
    if fmt.code == EXCEL:
        return "Excel day number, e.g. 42735 (31/12/2016)"
    if fmt.code == "%Y.0":
        return "year written as a decimal number, e.g. 2016.0"
    code, example = fmt.code, _EXAMPLE.strftime(fmt.code.replace("m%m", "%m"))
    if fmt.language:
        names = month_names(fmt.language)
        december = max((n for n, v in names.items() if v == 12), key=len)
        example = _EXAMPLE.strftime(code.replace("m%m", "@@")).replace("@@", december)
        code = code.replace("m%m", "%B")
    together = re.search(r"%[a-zA-Z]%", code) is not None
    spaced = re.sub(r"(%[a-zA-Z])(?=%)", r"\1 ", code)
    words = re.sub(r"%[a-zA-Z]", lambda m: _WORDS.get(m.group(0), "month name"
                                                      if m.group(0) == "%B" else m.group(0)),
                   spaced).replace("T", " ")
    if together:
        words += " (digits run together)"
    if fmt.language:
        words += f" ({LANGUAGE_NAMES.get(fmt.language, fmt.language)} month names)"
    return f"{words}, e.g. {example}"

