"""The chart file's ``resolution`` entry: merge records and rejected pairs, out and back in.

A merge record holds the joined entities and their links exactly as they were, so Unmerge
works after the chart is saved and reopened; a rejected pair keeps Find Duplicates from
offering it again. Reading trusts nothing, as for the chart's own items: the entities and
links inside a record go through the same readers, every key and verdict is checked, and a
record that would clash with the chart (an entity it joined is on the chart again) is refused
with the record's place named.
"""

from __future__ import annotations

from typing import Any

from workbench.io.chartjson import (
    _Bad,
    _datetime,
    _kind_name,
    _number,
    _text,
    entity_in,
    entity_out,
    link_in,
    link_out,
)
from workbench.model import Chart
from workbench.model.merge import MergeRecord

VERDICTS = frozenset({"agree", "disagree", "missing"})
_RECORD_KEYS = {"entity", "by", "at", "method", "probability", "evidence", "entities", "links"}
_REQUIRED = {"entity", "by", "at", "method", "entities", "links"}


def resolution_out(chart: Chart) -> dict[str, Any]:
    return {"merges": [_record_out(r) for r in chart.merges],
            "rejected": [[a, b] for a, b in sorted(chart.rejected)]}


def _record_out(record: MergeRecord) -> dict[str, Any]:
    out: dict[str, Any] = {"entity": record.survivor, "by": record.by,
                           "at": record.at.isoformat(), "method": record.method}
    if record.probability is not None:
        out["probability"] = record.probability
    if record.evidence:
        out["evidence"] = {name: [verdict, detail]
                           for name, (verdict, detail) in record.evidence.items()}
    out["entities"] = [entity_out(e) for e in record.entities]
    out["links"] = [link_out(lk) for lk in record.links]
    return out


def resolution_in(data: Any, chart: Chart) -> None:
    """Read ``resolution`` into ``chart`` (after its entities and links); raises _Bad."""
    if data.__class__ is not dict or not data.keys() <= {"merges", "rejected"}:
        raise _Bad(".resolution", "must be an object holding only merges and rejected")
    merges, rejected = data.get("merges", []), data.get("rejected", [])
    for key, value in (("merges", merges), ("rejected", rejected)):
        if value.__class__ is not list:
            raise _Bad(f".resolution.{key}", f"must be a list, not {_kind_name(value)}")
    records = []
    for index, item in enumerate(merges):
        try:
            records.append(_record_in(item, chart))
        except _Bad as exc:
            raise _Bad(f".resolution.merges[{index}]{exc.where}", exc.message) from None
    pairs = []
    for index, pair in enumerate(rejected):
        if not (pair.__class__ is list and len(pair) == 2
                and all(p.__class__ is str for p in pair) and pair[0] < pair[1]):
            raise _Bad(f".resolution.rejected[{index}]",
                       "must be two different entity ids, in order")
        pairs.append((pair[0], pair[1]))
    chart.add_merge_records(records)
    chart.rejected.update(pairs)


def _record_in(data: Any, chart: Chart) -> MergeRecord:
    if data.__class__ is not dict:
        raise _Bad("", f"a merge record must be an object, not {_kind_name(data)}")
    if not data.keys() <= _RECORD_KEYS:
        raise _Bad("", f"unknown keys {sorted(set(data) - _RECORD_KEYS)}")
    if not data.keys() >= _REQUIRED:
        raise _Bad("", f"'{sorted(_REQUIRED - set(data))[0]}' is missing")
    survivor, by, method = (_text(data, k) for k in ("entity", "by", "method"))
    at = _datetime(data["at"], ".at")
    probability = data.get("probability")
    if probability is not None:
        probability = _number(probability, ".probability")
        if not 0 <= probability <= 1:
            raise _Bad(".probability", f"{probability} is not from 0 to 1")
    entities = _items(data["entities"], ".entities", entity_in)
    links = _items(data["links"], ".links", link_in)
    ids = [e.id for e in entities]
    if len(ids) < 2 or len(set(ids)) != len(ids) or ids[0] != survivor:
        raise _Bad(".entities", "must list two or more different entities, the merged one "
                                f"({survivor!r}) first")
    for entity_id in ids[1:]:
        if entity_id in chart.entities or entity_id in chart.links:
            raise _Bad(".entities", f"{entity_id!r} was joined into {survivor!r} but is on "
                                    "the chart too")
    joined = set(ids)
    for index, link in enumerate(links):
        if link.end1 not in joined and link.end2 not in joined:
            raise _Bad(f".links[{index}]", f"link {link.id!r} touches none of the joined "
                                           "entities")
    return MergeRecord(survivor, tuple(entities), tuple(links), by, at, method, probability,
                       _evidence_in(data.get("evidence", {})))


def _items(data: Any, where: str, reader: Any) -> list:
    if data.__class__ is not list:
        raise _Bad(where, f"must be a list, not {_kind_name(data)}")
    out = []
    for index, item in enumerate(data):
        try:
            out.append(reader(item))
        except _Bad as exc:
            raise _Bad(f"{where}[{index}]{exc.where}", exc.message) from None
    return out


def _evidence_in(data: Any) -> dict[str, tuple[str, str]]:
    if data.__class__ is not dict:
        raise _Bad(".evidence", f"must be an object, not {_kind_name(data)}")
    out = {}
    for name, value in data.items():
        if not (value.__class__ is list and len(value) == 2 and value[0].__class__ is str
                and value[0] in VERDICTS and value[1].__class__ is str):
            raise _Bad(f".evidence.{name}", "must be [agree|disagree|missing, text]")
        out[name] = (value[0], value[1])
    return out
