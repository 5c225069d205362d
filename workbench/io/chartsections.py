"""The chart's sources, entities and links as column sections (format version 5), and back.

See chartcolumns for the layout and why. Each item's fields are the ones an item object of
version 4 has (chartjson), with the same checks; what differs is where they are found:
``links.end1`` and ``end2`` are places in the entities section (a link to a missing entity
cannot be written, and each end shares its entity's id text), and ``provenance`` is
``{"counts": [records of each item], "places": [places in sources, item after item]}``.
Attributes, style and coordinates stay one object per item (``null`` where an item has none).
"""

from __future__ import annotations

from itertools import chain
from typing import Any

from workbench.io.chartcolumns import (
    BadValue,
    choices,
    column,
    count_of,
    date_texts,
    dates,
    fields_of,
    first_bad_place,
    numbers,
    per_item,
    plain_column,
    text_column,
    texts,
    whole_or_none,
)
from workbench.io.chartjson import (
    _DIRECTIONS,
    _PRECISIONS,
    _STRENGTHS,
    ChartFileError,
    _attributes_in,
    _Bad,
    _coordinates,
    _style_in,
    _style_out,
    _value_out,
)
from workbench.io.chartsources import share_records
from workbench.model import (
    DatePrecision,
    Direction,
    Entity,
    Link,
    SourceRecord,
    Strength,
)
from workbench.model.items import DEFAULT_STYLE
from workbench.model.provenance import CREDIBILITY, RELIABILITY, records_of

SOURCE_COLUMNS = frozenset({"count", "source", "file", "sheet", "row", "imported_at",
                            "reliability", "credibility", "handling"})
ENTITY_COLUMNS = frozenset({"count", "id", "type", "label", "identity", "x", "y", "date",
                            "date_precision", "coordinates", "attributes", "style",
                            "provenance"})
LINK_COLUMNS = frozenset({"count", "id", "end1", "end2", "type", "label", "direction",
                          "strength", "date", "date_precision", "attributes", "style",
                          "provenance"})
SECOND = DatePrecision.SECOND


# ----- writing ---------------------------------------------------------------------------------
ENTITY_FIELDS = ("id", "type", "label", "identity", "x", "y", "coordinates", "date",
                 "date_precision", "attributes", "style", "provenance")
LINK_FIELDS = ("id", "end1", "end2", "type", "label", "direction", "strength", "date",
               "date_precision", "attributes", "style", "provenance")


def sections_out(entities: list[Entity], links: list[Link]) -> dict[str, dict[str, Any]]:
    """``sources``, ``entities`` and ``links`` of chart.json."""
    e, lk = fields_of(entities, ENTITY_FIELDS), fields_of(links, LINK_FIELDS)
    entity_records = sum(map(len, e["provenance"]))
    sources, places = share_records(list(chain(chain.from_iterable(e["provenance"]),
                                               chain.from_iterable(lk["provenance"]))))
    place = dict(zip(e["id"], range(len(entities)), strict=True))
    return {
        "sources": _sources_out(sources),
        "entities": _section(len(entities), {
            "id": e["id"],
            "type": text_column(e["type"], None),
            "label": text_column(e["label"], None),
            "identity": text_column(e["identity"], None),
            "x": e["x"],
            "y": e["y"],
            **_common_out(e),
            "coordinates": None if e["coordinates"].count(None) == len(entities) else
            [None if c is None else [c[0], c[1]] for c in e["coordinates"]],
            "provenance": _provenance_out(e["provenance"], places[:entity_records]),
        }),
        "links": _section(len(links), {
            "id": lk["id"],
            "end1": list(map(place.__getitem__, lk["end1"])),
            "end2": list(map(place.__getitem__, lk["end2"])),
            "type": text_column(lk["type"], None),
            "label": text_column(lk["label"]),
            "direction": text_column(lk["direction"], Direction.NONE),
            "strength": text_column(lk["strength"], Strength.CONFIRMED),
            **_common_out(lk),
            "provenance": _provenance_out(lk["provenance"], places[entity_records:]),
        }),
    }


def _section(count: int, columns: dict[str, Any]) -> dict[str, Any]:
    return {"count": count, **{k: v for k, v in columns.items() if v is not None}}


def _common_out(fields: dict[str, list]) -> dict[str, Any]:
    attributes, styles = fields["attributes"], fields["style"]
    n = len(styles)
    return {
        "date": text_column(date_texts(fields["date"]), None),
        "date_precision": text_column(fields["date_precision"], SECOND),
        # Most items of a big chart have neither: ``count`` tells at C speed (an empty dict
        # equals {} by its size alone, the shared default style by identity).
        "attributes": None if attributes.count(_NO_ATTRIBUTES) == n else plain_column(
            [{k: _value_out(v) for k, v in a.items()} if a else None for a in attributes]),
        "style": None if styles.count(DEFAULT_STYLE) == n else plain_column(
            [None if s is DEFAULT_STYLE or s.is_default() else _style_out(s) for s in styles]),
    }


_NO_ATTRIBUTES: dict = {}


def _provenance_out(provenance: list[list[SourceRecord]],
                    places: list[int]) -> dict[str, list[int]] | None:
    return {"counts": list(map(len, provenance)), "places": places} if places else None


def _sources_out(r: dict[str, list]) -> dict[str, Any]:
    return _section(len(r["source"]), {
        "source": text_column(r["source"], None),
        "file": text_column(r["file"]),
        "sheet": text_column(r["sheet"]),
        "row": plain_column(r["row"]),
        "imported_at": text_column(date_texts(r["imported_at"]), None),
        "reliability": text_column(r["reliability"]),
        "credibility": text_column(r["credibility"]),
        "handling": text_column(r["handling"]),
    })


# ----- reading ---------------------------------------------------------------------------------
def sources_section_in(section: Any) -> list[SourceRecord]:
    n = count_of(section, "sources", SOURCE_COLUMNS)
    try:
        source = texts(section, "source", n, None, required=True)
        file, sheet = texts(section, "file", n), texts(section, "sheet", n)
        handling = texts(section, "handling", n)
        reliability = _grades(section, "reliability", n, RELIABILITY, "source reliability "
                              "must be one of A-E")
        credibility = _grades(section, "credibility", n, CREDIBILITY, "information "
                              "credibility must be 1-5")
        row = whole_or_none(section, "row", n)
        imported = dates(section, "imported_at", n)
    except BadValue as exc:
        raise _Bad(f".sources[{exc.index}]{exc.where}", exc.message) from None
    except _Bad as exc:
        raise _Bad(f".sources{exc.where}", exc.message) from None
    return records_of(source, file, sheet, row, imported, reliability, credibility, handling)


def _grades(section: dict, name: str, n: int, allowed: tuple[str, ...], rule: str) -> list:
    values = texts(section, name, n)
    if not set(values) <= {"", *allowed}:
        index = next(i for i, v in enumerate(values) if v and v not in allowed)
        raise BadValue(index, "", f"{rule}, not {values[index]!r}")
    return values


def entities_section_in(section: Any, records: list[SourceRecord]) -> list[Entity]:
    n = count_of(section, "entities", ENTITY_COLUMNS)
    ids = _ids(section, "entities", n)
    with _located("entities", ids):
        types = texts(section, "type", n, None, required=True)
        labels = texts(section, "label", n, None, required=True)
        identities = texts(section, "identity", n, None)
        xs, ys = numbers(section, "x", n), numbers(section, "y", n)
        coordinates = per_item(section, "coordinates", n,
                               lambda v: _coordinates(v, ".coordinates")) or [None] * n
        common = _common_in(section, n, records)
    return list(map(Entity, ids, types, labels, identities, common["attributes"], xs, ys,
                    common["date"], coordinates, common["style"], common["provenance"],
                    common["date_precision"]))


def links_section_in(section: Any, records: list[SourceRecord],
                     entity_ids: list[str]) -> list[Link]:
    n = count_of(section, "links", LINK_COLUMNS)
    ids = _ids(section, "links", n)
    with _located("links", ids):
        end1 = _ends(section, "end1", n, entity_ids)
        end2 = _ends(section, "end2", n, entity_ids)
        types = texts(section, "type", n, None, required=True)
        labels = texts(section, "label", n)
        direction = choices(section, "direction", n, _DIRECTIONS, Direction.NONE)
        strength = choices(section, "strength", n, _STRENGTHS, Strength.CONFIRMED)
        common = _common_in(section, n, records)
    return list(map(Link, ids, end1, end2, types, labels, direction, strength,
                    common["attributes"], common["date"], common["style"],
                    common["provenance"], common["date_precision"]))


def _ids(section: dict, kind: str, n: int) -> list[str]:
    try:
        return texts(section, "id", n, None, required=True)
    except BadValue as exc:
        raise ChartFileError(f"chart.json: {kind}[{exc.index}]{exc.where}: {exc.message}") \
            from None
    except _Bad as exc:
        raise ChartFileError(f"chart.json: {kind}{exc.where}: {exc.message}") from None


class _located:
    """Turn a column's BadValue into the item it belongs to (``entities[12] (e13).x``) and a
    section-wide _Bad into the column (``links.end1``), as ChartFileError."""

    def __init__(self, kind: str, ids: list[str]) -> None:
        self.kind, self.ids = kind, ids

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, exc: BaseException | None, tb: Any) -> bool:
        if isinstance(exc, BadValue):
            raise ChartFileError(f"chart.json: {self.kind}[{exc.index}] "
                                 f"({self.ids[exc.index]}){exc.where}: {exc.message}") from None
        if isinstance(exc, _Bad):
            raise ChartFileError(f"chart.json: {self.kind}{exc.where}: {exc.message}") from None
        return False


def _ends(section: dict, name: str, n: int, entity_ids: list[str]) -> list[str]:
    places = column(section, name, n)
    if places is None:
        if n:
            raise _Bad(f".{name}", "is missing")
        return []
    bad = first_bad_place(places, len(entity_ids))
    if bad is not None:
        raise BadValue(bad, f".{name}", f"{places[bad]!r} is not the place of one of the "
                       f"chart's {len(entity_ids):,} entities")
    return list(map(entity_ids.__getitem__, places))


def _common_in(section: dict, n: int, records: list[SourceRecord]) -> dict[str, list]:
    attributes = per_item(section, "attributes", n, _attributes_in)
    styles = per_item(section, "style", n, _style_in)
    return {
        "date": dates(section, "date", n),
        "date_precision": choices(section, "date_precision", n, _PRECISIONS, SECOND),
        "attributes": ([{} for _ in range(n)] if attributes is None else
                       [{} if a is None else a for a in attributes]),
        "style": ([DEFAULT_STYLE] * n if styles is None else
                  [DEFAULT_STYLE if s is None else s for s in styles]),
        "provenance": _provenance_in(section, n, records),
    }


def _provenance_in(section: dict, n: int, records: list[SourceRecord]) -> list[list]:
    raw = section.get("provenance")
    if raw is None:
        return [[] for _ in range(n)]
    if raw.__class__ is not dict or raw.keys() != {"counts", "places"}:
        raise _Bad(".provenance", 'must be {"counts": [...], "places": [...]}')
    counts, places = raw["counts"], raw["places"]
    if counts.__class__ is not list or len(counts) != n or places.__class__ is not list:
        raise _Bad(".provenance", f"must hold a count for each of the {n:,} items and a list "
                   "of places")
    if counts and not (set(map(type, counts)) <= {int} and min(counts) >= 0):
        index = next(i for i, c in enumerate(counts) if c.__class__ is not int or c < 0)
        raise BadValue(index, ".provenance", f"count {counts[index]!r} is not a whole number")
    if sum(counts) != len(places):
        raise _Bad(".provenance", f"the counts add up to {sum(counts):,}, not to the "
                   f"{len(places):,} places")
    bad = first_bad_place(places, len(records))
    if bad is not None:
        index, at = 0, bad
        while at >= counts[index]:
            at -= counts[index]
            index += 1
        raise BadValue(index, f".provenance[{at}]", f"{places[bad]!r} is not the number of "
                       f"one of the chart's {len(records)} source records")
    flat = list(map(records.__getitem__, places))
    if len(flat) == n and set(counts) == {1}:  # one record each: an import's links
        return [[record] for record in flat]
    out = []
    append = out.append
    start = 0
    for count in counts:
        end = start + count
        append(flat[start:end])
        start = end
    return out
