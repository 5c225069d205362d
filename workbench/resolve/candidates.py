"""Find Duplicates: the pairs of entities in a chart that may be one, best first, with why.

Each entity type is matched on its own (a person is never offered as the duplicate of a firm),
and every pair carries its evidence: for each compared field the verdict (agree, disagree,
missing) and the phrase of the level Splink scored, with both values when they are not the
same, so a reviewer sees "date of birth: disagree, 1985-03-02 vs 1986-03-02", not a number.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyarrow as pa

from workbench.model import Chart
from workbench.resolve.comparisons import DEFAULT_THRESHOLD, Field, level_of
from workbench.resolve.matcher import score
from workbench.resolve.pairs import AGREE, MISSING, Candidate
from workbench.resolve.records import PlaceNamer, chart_records, record_table

# Fields whose values a reviewer wants to see beside the verdict, by their record column.
_SHOWN = {"date of birth": "dob", "nationality": "nationality", "id number": "id_number",
          "place": "place"}
_SHARED = {"phone": "phones", "e-mail": "emails"}


def check_threshold(threshold: float) -> float:
    """A probability between 0 and 1; anything else is refused with the reason."""
    if not 0.0 <= threshold <= 1.0:  # also refuses NaN
        raise ValueError(f"threshold {threshold!r} is not a probability between 0 and 1")
    return threshold


def find_candidates(chart: Chart, types: Iterable[str], threshold: float = DEFAULT_THRESHOLD,
                    *, place_namer: PlaceNamer | None = None) -> list[Candidate]:
    """Pairs of entities of each of ``types`` at or above ``threshold``, most probable first.

    ``place_namer`` (the gazetteer's, ``workbench.geo.places.place_namer()``) lets places
    agree however they are spelt; without it places are compared by name only."""
    check_threshold(threshold)
    found: list[Candidate] = []
    for type_name in dict.fromkeys(types):
        scored = score(record_table(chart_records(chart, [type_name], place_namer)), threshold)
        found += candidates_from(scored.pairs, scored.fields)
    found.sort(key=lambda c: (-c.probability, c.a, c.b))
    return found


def candidates_from(pairs: pa.Table, fields: tuple[Field, ...]) -> list[Candidate]:
    """Splink's scored pairs as Candidates with their evidence."""
    out = []
    for row in pairs.to_pylist():
        a, b = sorted((row["unique_id_l"], row["unique_id_r"]))
        out.append(Candidate(a, b, float(row["match_probability"]), evidence_of(row, fields)))
    return out


def evidence_of(row: dict[str, Any], fields: tuple[Field, ...]) -> dict[str, tuple[str, str]]:
    evidence = {}
    for field in fields:
        level = level_of(field, int(row[f"gamma_{field.column_name}"]))
        detail = level.detail
        column = _SHOWN.get(field.name)
        if column and level.verdict != MISSING and not detail.startswith("same"):
            detail = f"{detail}: {row.get(f'{column}_l')} vs {row.get(f'{column}_r')}"
        shared = _SHARED.get(field.name)
        if shared and level.verdict == AGREE:
            common = sorted(set(row.get(f"{shared}_l") or ()) & set(row.get(f"{shared}_r") or ()))
            detail = f"{level.detail}: {', '.join(common)}"
        evidence[field.name] = (level.verdict, detail)
    return evidence
