"""The entities' details and the links of one table, for the importer's builder.

Split from importer.py so that each stays readable: ``entity_details`` fills attributes, dates
and coordinates (the first value found wins, an entity already in the chart keeps its own),
``make_links`` makes one link per row (or per pair of ends with ``merge``), column-wise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import repeat

import numpy as np
import pandas as pd

from workbench.io.import_report import WARNING
from workbench.io.import_rows import DateColumn, value_group
from workbench.io.import_values import evaluate
from workbench.model import DatePrecision, Entity, Link, SourceRecord, Value
from workbench.model.items import DEFAULT_STYLE
from workbench.model.kinds import ParseError, parse_coordinates


@dataclass(slots=True)
class Absorb:
    """Additions to an entity already in the chart (merged by identity)."""

    id: str
    provenance: list[SourceRecord] = field(default_factory=list)
    attributes: dict[str, Value] = field(default_factory=dict)
    existing: frozenset[str] = frozenset()  # attribute names it has already


def entity_details(b, frame: pd.DataFrame, e, pos: np.ndarray, items: np.ndarray,
                    dates: DateColumn | None, issue) -> None:
    """Attributes, date and coordinates: the first value found for each entity wins, and
    an entity already in the chart keeps the values it has."""
    if not len(pos):
        return
    firsts = pd.DataFrame({"item": items, "pos": pos})
    for a in e.attributes:
        texts = evaluate(frame, a.column).to_numpy(dtype=object)[pos]
        sel = firsts[texts != ""].drop_duplicates("item")
        if sel.empty:
            continue
        raw = pd.Series(texts[sel.index.to_numpy()], dtype=object)
        values, warnings = b.norm.values(a.kind, raw, a.date_formats)
        for it, p, v, w, r in zip(sel["item"].tolist(), sel["pos"].tolist(), values,
                                  warnings, raw, strict=True):
            target = b.items[it]
            if a.name in target.attributes or (isinstance(target, Absorb)
                                               and a.name in target.existing):
                continue
            target.attributes[a.name] = v
            if w:
                col = ", ".join(a.column.columns)
                issue(p, col, r, f"{a.name}: {w}", WARNING, value_group(col, a.kind, w))
    if dates is not None:
        got = dates.values[pos]
        has = np.array([d is not None for d in got], dtype=bool)
        for it, d, p in zip(items[has].tolist(), got[has], dates.precisions[pos][has],
                            strict=True):
            target = b.items[it]
            if isinstance(target, Entity) and target.date is None:
                target.date, target.date_precision = d, p
    if e.lat is not None:
        lat = frame[e.lat].str.strip().to_numpy(dtype=object)[pos]
        lon = frame[e.lon].str.strip().to_numpy(dtype=object)[pos]
        for it, p, la, lo in zip(items.tolist(), pos.tolist(), lat, lon, strict=True):
            target = b.items[it]
            if not la or not lo or not isinstance(target, Entity) or target.coordinates:
                continue
            try:
                target.coordinates = parse_coordinates((la, lo))
            except ParseError as exc:
                issue(p, f"{e.lat}, {e.lon}", f"{la}, {lo}", f"coordinates: {exc}",
                      WARNING, f"coordinates in {e.lat!r}, {e.lon!r} could not be read, "
                      "such as {example}; left empty")

def make_links(b, frame: pd.DataFrame, i: int, lk, members, dates: DateColumn | None,
               records: np.ndarray,
           issue) -> np.ndarray:
    """Make the links of ``lk``; returns the rows that made one."""
    src_pos, src_items = members[lk.source]
    tgt_pos, tgt_items = members[lk.target]
    pairs = pd.DataFrame({"pos": src_pos, "a": src_items}).merge(
        pd.DataFrame({"pos": tgt_pos, "b": tgt_items}), on="pos", sort=True)
    if pairs.empty:
        return np.zeros(0, dtype=np.int64)
    rows_linked = pairs["pos"].to_numpy()
    provenance: list[list[SourceRecord]]
    if lk.merge:  # one link per pair of ends, carrying every row that made it
        codes = pd.factorize(pairs["a"].to_numpy() * (len(b.items) + 1)
                             + pairs["b"].to_numpy())[0]
        order = np.argsort(codes, kind="stable")
        cuts = np.flatnonzero(np.diff(codes[order])) + 1
        groups = np.split(order, cuts)
        row_records = records[pairs["pos"].to_numpy()]
        provenance = [row_records[g].tolist() for g in groups]
        pairs = pairs.iloc[[int(g[0]) for g in groups]]
    else:
        provenance = [[r] for r in records[pairs["pos"].to_numpy()].tolist()]
    pos = pairs["pos"].to_numpy()
    count = len(pos)
    ids = np.array([it.id for it in b.items], dtype=object)
    end1 = ids[pairs["a"].to_numpy()].tolist()
    end2 = ids[pairs["b"].to_numpy()].tolist()
    labels = (evaluate(frame, lk.label).to_numpy(dtype=object)[pos].tolist()
              if lk.label is not None else [""] * count)
    link_dates = dates.values[pos].tolist() if dates is not None else [None] * count
    if dates is not None:  # an undated row's link is exact to the second, as a new link is
        link_precisions = dates.precisions[pos]
        link_precisions[pd.isna(link_precisions)] = DatePrecision.SECOND
    else:  # (np.full would store the enum's text, not the enum)
        link_precisions = np.empty(count, dtype=object)
        link_precisions[:] = DatePrecision.SECOND
    attr_columns: list[tuple[str, np.ndarray]] = []
    for a in lk.attributes:
        texts = evaluate(frame, a.column).to_numpy(dtype=object)[pos]
        filled = np.flatnonzero(texts != "")
        column = np.full(count, None, dtype=object)
        if len(filled):
            values, warnings = b.norm.values(
                a.kind, pd.Series(texts[filled], dtype=object), a.date_formats)
            column[filled] = values
            for j in np.flatnonzero(warnings != None):  # noqa: E711
                k = filled[j]
                col = ", ".join(a.column.columns)
                issue(pos[k], col, texts[k], f"{a.name}: {warnings[j]}", WARNING,
                      value_group(col, a.kind, warnings[j]))
        attr_columns.append((a.name, column))
    if len(attr_columns) == 1:
        only, column = attr_columns[0]
        attributes = [{only: v} if v is not None else {} for v in column.tolist()]
    elif attr_columns:
        names = [nm for nm, _ in attr_columns]
        rows = zip(*(c.tolist() for _, c in attr_columns), strict=True)
        attributes = [{k: v for k, v in zip(names, r, strict=True) if v is not None}
                      for r in rows]
    else:
        attributes = [{} for _ in range(count)]
    new_ids = b.new_ids("l", count)
    # positional arguments (a third faster than keywords), one map over the columns
    b.plan.links.extend(map(
        Link, new_ids, end1, end2, repeat(lk.type), labels, repeat(lk.direction),
        repeat(lk.strength), attributes, link_dates, repeat(DEFAULT_STYLE), provenance,
        link_precisions.tolist()))
    return rows_linked
