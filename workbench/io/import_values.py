"""Turning columns of text into identity keys, typed values and dates, once per distinct value.

Spreadsheets repeat themselves: a million call records hold a few thousand phone numbers. So
every column is reduced to its distinct values (pandas.factorize), each distinct value is
normalised once with the model's own parsers (so a number typed in the window and one read
here get the same identity), and the results are spread back over the rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time

import numpy as np
import pandas as pd

from workbench.io.date_formats import (
    Detection,
    describe,
    detect,
    named,
    parse_one_by_one,
    parse_precisely,
)
from workbench.io.importspec import Template
from workbench.model import Chart, DatePrecision, Kind, ParseError, Value
from workbench.model.kinds import identity_key, parse_value

_PRECISIONS = {p.value: p for p in DatePrecision}
_LAST_RESORTS = 100  # odd values per column read one by one by dateparser (3 ms each)


def evaluate(frame: pd.DataFrame, template: Template) -> pd.Series:
    """The template's text for every row, trimmed ("" where its columns are empty).

    Columns side by side (``{A}{B}``) are a choice: the first of them that is filled in the
    row, the ones the file lacks left out (check_columns has made sure one is there).
    """
    col = template.single_column
    if col is not None:
        return frame[col].str.strip()
    out: pd.Series | None = None
    filled = np.zeros(len(frame), dtype=bool)
    for part in template.parts():
        if isinstance(part, str):
            piece = pd.Series(part, index=frame.index, dtype=str)
        else:
            piece = _first_filled(frame, part)
            filled |= (piece != "").to_numpy()
        out = piece if out is None else out + piece
    assert out is not None
    # a template whose columns are all empty is empty, not just its literal text
    return out.where(filled, "").str.strip()


def _first_filled(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.Series:
    present = [c for c in columns if c in frame.columns]
    out = frame[present[0]].str.strip()
    for c in present[1:]:
        out = out.where(out != "", frame[c].str.strip())
    return out


class Normaliser:
    """Caches of identity keys and typed values by raw text, shared by every file of an import
    (and reusable across imports of the same chart)."""

    def __init__(self, chart: Chart, region: str | None = None) -> None:
        self.chart = chart
        self.region = region
        # entity type -> raw text -> its identity key; the texts that are not valid
        # identities are apart, with why, so a column is looked up in one ``map``
        self._identities: dict[str, dict[str, str]] = {}
        self._invalid: dict[str, dict[str, ParseError]] = {}
        self._values: dict[tuple[Kind, tuple[str, ...], str], Value | ParseError] = {}

    def forget_past(self, limit: int) -> None:
        """Empty the caches once they hold more than ``limit`` values, so a long import of
        ever new values (advert ids) keeps its memory bounded."""
        held = sum(map(len, self._identities.values())) + sum(
            map(len, self._invalid.values())) + len(self._values)
        if held > limit:
            self._identities.clear()
            self._invalid.clear()
            self._values.clear()

    def identity(self, type_name: str, raw: str) -> str | ParseError:
        known = self._identities.setdefault(type_name, {})
        found = known.get(raw)
        if found is not None:
            return found
        invalid = self._invalid.setdefault(type_name, {})
        if raw in invalid:
            return invalid[raw]
        try:
            if self.region:
                kind = self.chart.catalogue.entity_type(type_name).identity
                found = known[raw] = identity_key(kind, raw, region=self.region)
            else:
                found = known[raw] = self.chart.identity_for(type_name, raw)
        except ParseError as exc:
            invalid[raw] = exc
            return exc
        return found

    def identities(self, type_name: str, raws: pd.Series
                   ) -> tuple[np.ndarray, list[str], np.ndarray]:
        """(codes, keys, errors) for ``raws``: ``keys[codes[i]]`` is the identity key of row i,
        code -1 where the value is not a valid identity, and then ``errors[i]`` says why."""
        codes, uniques = pd.factorize(raws)
        texts = uniques.tolist()
        known = self._identities.setdefault(type_name, {})
        invalid = self._invalid.setdefault(type_name, {})
        for text in [t for t in texts if t not in known and t not in invalid]:
            self.identity(type_name, text)
        found = list(map(known.get, texts))  # None: not a valid identity
        key_codes, keys = pd.factorize(np.array(found, dtype=object))
        errs = np.full(len(texts), None, dtype=object)
        if invalid:
            for j in np.flatnonzero(key_codes < 0).tolist():
                errs[j] = str(invalid[texts[j]])
        if not len(codes):
            return codes, list(keys), np.zeros(0, dtype=object)
        return key_codes[codes], list(keys), errs[codes]

    def values(self, kind: Kind, raws: pd.Series,
               formats: Sequence[str] = ()) -> tuple[np.ndarray, np.ndarray]:
        """(Value objects, warnings) aligned with ``raws`` (non-empty texts).

        A value that does not parse as its kind is kept as text and comes with a warning;
        a bound such as "<5" in a number column is the common case.
        """
        codes, factorized = pd.factorize(raws)
        uniques = factorized.tolist()
        if kind is Kind.DATETIME:
            dates, _, _ = self.dates(uniques, formats)
            results: list[Value | ParseError] = [
                d if isinstance(d, ParseError) else Value(Kind.DATETIME, d) for d in dates]
        else:
            results = [self._value(kind, tuple(formats), u) for u in uniques]
        vals = np.array([Value(Kind.TEXT, u) if isinstance(r, ParseError) else r
                         for r, u in zip(results, uniques, strict=True)], dtype=object)
        warns = np.array([_warning(kind, r) if isinstance(r, ParseError) else None
                          for r in results], dtype=object)
        return vals[codes], warns[codes]

    def _value(self, kind: Kind, formats: tuple[str, ...], raw: str) -> Value | ParseError:
        key = (kind, formats, raw)
        found = self._values.get(key)
        if found is None:
            try:
                found = parse_value(kind, raw, region=self.region or self.chart.region,
                                    date_formats=formats or None)
            except ParseError as exc:
                found = exc
            self._values[key] = found
        return found

    def dates(self, raws: list[str], formats: Sequence[str]
              ) -> tuple[list[datetime | ParseError], list[DatePrecision], Detection | None]:
        """Parse distinct date texts, vectorised: with the explicit formats in turn (then ISO,
        what an xlsx date cell reads as, then Excel's day numbers); without formats, with the
        formats detected from the values (returned, for the report and the wizard). Each
        date comes with its precision ("2016" is a year) and keeps the UTC offset its text
        gave."""
        detection = None
        if formats:
            tried = named(formats, raws)
        else:
            detection = detect(raws, month_first=(self.region or self.chart.region) == "US")
            tried = detection.formats
        texts = pd.Series(raws, dtype=object)
        if tried:
            found, precision, zones = parse_precisely(texts, tried)
        else:
            found = pd.Series(pd.NaT, index=texts.index, dtype="datetime64[us]")
            precision = zones = np.full(len(texts), None, dtype=object)
        missing = found.isna().to_numpy()
        # datetimes (NaT None) and precisions (None where unread) for every text at once
        out: list = found.to_numpy(dtype="datetime64[us]").astype(object).tolist()
        levels, names = pd.factorize(np.asarray(precision, dtype=object))
        table = np.array([*(_PRECISIONS[p] for p in names.tolist()), None], dtype=object)
        precisions: list = table[levels].tolist()  # code -1 (unread) -> the None at the end
        zoned = ~missing & np.array([z is not None for z in zones], dtype=bool)
        for j in np.flatnonzero(zoned).tolist():  # texts that gave a UTC offset keep it
            out[j] = out[j].replace(tzinfo=zones[j])
        last_resorts = 0
        for j in np.flatnonzero(missing).tolist():
            text = raws[j]
            if not formats and last_resorts < _LAST_RESORTS:
                last_resorts += 1
                one = parse_one_by_one(text)
                if one is not None:
                    out[j] = one
                    precisions[j] = (DatePrecision.DAY if one.time() == time()
                                     else DatePrecision.SECOND)
                    continue
            out[j] = ParseError(_date_error(text, formats, detection))
            precisions[j] = DatePrecision.SECOND
        return out, precisions, detection


def _date_error(text: str, formats: Sequence[str], detection: Detection | None) -> str:
    if formats:
        return f"{text!r} matches none of the date formats ({', '.join(formats)})"
    if detection is not None and detection.formats:
        return f"{text!r} is not a date like the rest of the column " \
               f"({describe(detection.formats[0])})"
    return f"{text!r} is not a date in any format Workbench knows"


def _warning(kind: Kind, error: ParseError) -> str:
    return f"kept as text, not a {kind.value}: {error}"
