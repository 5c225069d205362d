"""Turning columns of text into identity keys, typed values and dates, once per distinct value.

Spreadsheets repeat themselves: a million call records hold a few thousand phone numbers. So
every column is reduced to its distinct values (pandas.factorize), each distinct value is
normalised once with the model's own parsers (so a number typed in the window and one read
here get the same identity), and the results are spread back over the rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from workbench.io.importspec import Template
from workbench.model import Chart, Kind, ParseError, Value
from workbench.model.kinds import identity_key, parse_number, parse_value

_EXCEL_EPOCH = datetime(1899, 12, 30)


def evaluate(frame: pd.DataFrame, template: Template) -> pd.Series:
    """The template's text for every row, trimmed ("" where its columns are empty)."""
    col = template.single_column
    if col is not None:
        return frame[col].str.strip()
    out: pd.Series | None = None
    for is_column, text in template.pieces():
        part = frame[text].str.strip() if is_column else pd.Series(text, index=frame.index,
                                                                       dtype=str)
        out = part if out is None else out + part
    # a template whose columns are all empty is empty, not just its literal text
    filled = np.zeros(len(frame), dtype=bool)
    for name in template.columns:
        filled |= (frame[name].str.strip() != "").to_numpy()
    assert out is not None
    return out.where(filled, "").str.strip()


class Normaliser:
    """Caches of identity keys and typed values by raw text, shared by every file of an import
    (and reusable across imports of the same chart)."""

    def __init__(self, chart: Chart, region: str | None = None) -> None:
        self.chart = chart
        self.region = region
        self._identities: dict[tuple[str, str], str | ParseError] = {}
        self._values: dict[tuple[Kind, tuple[str, ...], str], Value | ParseError] = {}
        self._dates: dict[tuple[tuple[str, ...], str], datetime | ParseError] = {}

    def identity(self, type_name: str, raw: str) -> str | ParseError:
        key = (type_name, raw)
        found = self._identities.get(key)
        if found is None:
            try:
                if self.region:
                    kind = self.chart.catalogue.entity_type(type_name).identity
                    found = identity_key(kind, raw, region=self.region)
                else:
                    found = self.chart.identity_for(type_name, raw)
            except ParseError as exc:
                found = exc
            self._identities[key] = found
        return found

    def identities(self, type_name: str, raws: pd.Series
                   ) -> tuple[np.ndarray, list[str], np.ndarray]:
        """(codes, keys, errors) for ``raws``: ``keys[codes[i]]`` is the identity key of row i,
        code -1 where the value is not a valid identity, and then ``errors[i]`` says why."""
        codes, uniques = pd.factorize(raws)
        results = [self.identity(type_name, u) for u in uniques]
        key_codes, keys = pd.factorize(np.array(
            [r if isinstance(r, str) else None for r in results], dtype=object))
        errs = np.array([str(r) if isinstance(r, ParseError) else None for r in results],
                        dtype=object)
        if not len(codes):
            return codes, list(keys), np.zeros(0, dtype=object)
        return key_codes[codes], list(keys), errs[codes]

    def values(self, kind: Kind, raws: pd.Series,
               formats: Sequence[str] = ()) -> tuple[np.ndarray, np.ndarray]:
        """(Value objects, warnings) aligned with ``raws`` (non-empty texts).

        A value that does not parse as its kind is kept as text and comes with a warning;
        a bound such as "<5" in a number column is the common case.
        """
        codes, uniques = pd.factorize(raws)
        if kind is Kind.DATETIME:
            dates = self.dates(list(uniques), formats)
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

    def dates(self, raws: list[str], formats: Sequence[str]) -> list[datetime | ParseError]:
        """Parse distinct date texts: each explicit format in turn, vectorised; then ISO
        (what an xlsx date cell reads as); then Excel's serial day numbers."""
        fkey = tuple(formats)
        out: list[datetime | ParseError | None] = [self._dates.get((fkey, r)) for r in raws]
        todo = [i for i, v in enumerate(out) if v is None]
        if todo:
            texts = pd.Series([raws[i] for i in todo], dtype=object)
            found = pd.Series(pd.NaT, index=texts.index, dtype="datetime64[us]")
            for fmt in formats:
                missing = found.isna()
                if not missing.any():
                    break
                parsed = pd.to_datetime(texts[missing], format=fmt, errors="coerce")
                found[missing] = parsed.astype("datetime64[us]")
            missing = found.isna().to_numpy()
            pydates = np.asarray(found.dt.to_pydatetime(), dtype=object) if len(found) else []
            for j, i in enumerate(todo):
                result: datetime | ParseError = _fallback_date(raws[i], formats) \
                    if missing[j] else pydates[j]
                out[i] = result
                self._dates[(fkey, raws[i])] = result
        return out  # type: ignore[return-value]


def _fallback_date(text: str, formats: Sequence[str]) -> datetime | ParseError:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    error = ParseError(f"{text!r} matches none of the date formats ({', '.join(formats)})")
    if not formats:
        try:
            return parse_value(Kind.DATETIME, text).value
        except ParseError as exc:
            error = exc
    try:  # a date cell that lost its date format: Excel's day number (1927 onwards)
        serial = parse_number(text)
        if 10000 <= serial < 2958466:
            return _EXCEL_EPOCH + timedelta(days=float(serial))
    except ParseError:
        pass
    return error


def _warning(kind: Kind, error: ParseError) -> str:
    return f"kept as text, not a {kind.value}: {error}"
