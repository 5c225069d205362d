"""The bulk path's distinct values through the chart importer's own normalisers, as Arrow
tables to join back in SQL.

Each function takes the distinct texts of one column (an identity, a coordinate pair, a
date, an attribute) and returns what the chart importer makes of each, with the reason when
it cannot: a phone is then the same identity, a date the same moment, a bound such as "<5"
the same text kept with the same warning, whichever path imported the file.
"""

from __future__ import annotations

from collections.abc import Sequence

import orjson
import pandas as pd
import pyarrow as pa

from workbench.io.date_formats import Detection, describe
from workbench.io.import_values import Normaliser
from workbench.io.importspec import AttributeSpec
from workbench.model import Kind, Value
from workbench.model.kinds import ParseError, parse_coordinates
from workbench.store.chunks import NORMALISED_CACHE  # between batches and files
from workbench.store.rows import fold, naive

_SEARCHED = {Kind.TEXT, Kind.EMAIL, Kind.PHONE, Kind.USERNAME, Kind.URL}


def value_json(value: Value) -> str:
    """An attribute value as the chart file writes it (rows._value)."""
    return orjson.dumps({"kind": value.kind.value, "value": value.value}).decode()


def identity_keys(norm: Normaliser, type_name: str, raws: list[str]) -> pa.Table:
    """(raw, key, why): each text's identity key, or why it is not a valid identity."""
    found = [norm.identity(type_name, r) for r in raws]
    norm.forget_past(NORMALISED_CACHE)
    return pa.table({
        "raw": pa.array(raws, pa.string()),
        "key": pa.array([k if isinstance(k, str) else None for k in found], pa.string()),
        "why": pa.array([None if isinstance(k, str) else str(k) for k in found],
                        pa.string())})


def coordinates(pairs: Sequence[tuple[str, str]]) -> pa.Table:
    """(la, lo, lat, lon, why) for each latitude/longitude pair of texts."""
    out: dict[str, list] = {"la": [], "lo": [], "lat": [], "lon": [], "why": []}
    for a, b in pairs:
        try:
            lat, lon = parse_coordinates((a, b))
            why = None
        except ParseError as exc:
            lat = lon = None
            why = str(exc)
        for k, v in zip(out, (a, b, lat, lon, why), strict=True):
            out[k].append(v)
    return pa.table(out, schema=pa.schema([
        ("la", pa.string()), ("lo", pa.string()), ("lat", pa.float64()),
        ("lon", pa.float64()), ("why", pa.string())]))


def dates(norm: Normaliser, texts: list[str], formats: tuple[str, ...]
          ) -> tuple[pa.Table, Detection | None]:
    """(text, ts, why): each date text as a UTC moment without offset, or why not; and the
    formats detected when the spec gave none."""
    got, _, detection = norm.dates(texts, formats)
    return pa.table({
        "text": pa.array(texts, pa.string()),
        "ts": pa.array([None if isinstance(d, ParseError) else naive(d) for d in got],
                       pa.timestamp("us")),
        "why": pa.array([str(d) if isinstance(d, ParseError) else None for d in got],
                        pa.string())}), detection


def date_note(file: str, column: str, detection: Detection | None) -> str | None:
    """The report's note on detected date formats, in the chart importer's words."""
    if detection is None or not detection.formats:
        return None
    note = f"{file}: dates in {column!r} read as {describe(detection.formats[0])}"
    if detection.ambiguous is not None:
        note += (f"; they could also be {describe(detection.ambiguous)} (no day in the "
                 "sample is over 12): set date_format to choose")
    return note


def attribute_values(norm: Normaliser, a: AttributeSpec, raws: list[str]
                     ) -> list[tuple[str, str, str | None]]:
    """(JSON value, search text, warning) of an attribute for each text."""
    values, warnings = norm.values(a.kind, pd.Series(raws, dtype=object), a.date_formats)
    return [(value_json(v), fold(v.display()) if v.kind in _SEARCHED else "", w)
            for v, w in zip(values, warnings, strict=True)]


def link_values(norm: Normaliser, a: AttributeSpec, raws: list[str]) -> pa.Table:
    """(raw, frag, why): a link attribute's texts, each as its JSON member
    (``"name":{"kind":..,"value":..}``, as orjson writes a chart file's attributes)."""
    values, warnings = norm.values(a.kind, pd.Series(raws, dtype=object), a.date_formats)
    name = orjson.dumps(a.name).decode()
    return pa.table({"raw": pa.array(raws, pa.string()),
                     "frag": pa.array([f"{name}:{value_json(v)}" for v in values],
                                      pa.string()),
                     "why": pa.array(list(warnings), pa.string())})


def folds(texts: list[str]) -> pa.Table:
    """(x, f): search texts of labels and identities that are not plain ASCII."""
    return pa.table({"x": pa.array(texts, pa.string()),
                     "f": pa.array([fold(t) for t in texts], pa.string())})
