"""The pairs CSV of ``workbench store resolve``, written for review and read back decided.

One row per candidate pair (both store ids and labels, type, probability, the evidence field
by field, as ``workbench resolve`` writes it for a chart) and an empty ``decision`` column. An
analyst fills that column in a spreadsheet ("accept" or "reject"; "yes"/"no", "same"/
"different" too) and gives the file back with ``--decisions``: each decided row becomes a
decision in the store, with the probability and evidence the file shows. A row that cannot be
read is refused with its row and column, and nothing is recorded.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from workbench.io.atomic import atomic_path
from workbench.io.cells import csv_line, neutralise
from workbench.resolve.comparisons import FIELDS
from workbench.resolve.decisions import current_user, now
from workbench.resolve.pairs import AGREE, DISAGREE, MISSING
from workbench.resolve.store_resolve import StorePair
from workbench.store.interface import ACCEPTED, REJECTED, Decision

HEADER = ("id a", "label a", "id b", "label b", "type", "probability")
DECISION = "decision"
ANSWERS = {"accept": ACCEPTED, "accepted": ACCEPTED, "yes": ACCEPTED, "y": ACCEPTED,
           "same": ACCEPTED, "reject": REJECTED, "rejected": REJECTED, "no": REJECTED,
           "n": REJECTED, "different": REJECTED}
METHOD = "review of a pairs file"


class PairsFileError(ValueError):
    """A pairs file that cannot be read back; the message names the file, row and column."""


def write_pairs_file(pairs: Sequence[StorePair], path: str | Path) -> None:
    """The CSV, replaced atomically (the old file stays whole if writing fails)."""
    used = {name for pair in pairs for name in pair.candidate.evidence}
    fields = [f.name for f in FIELDS if f.name in used]
    with atomic_path(path) as part, open(part, "w", newline="", encoding="utf-8-sig") as out:
        out.write(csv_line([*HEADER, *fields, DECISION]))
        for pair in pairs:
            evidence = [pair.candidate.evidence.get(name) for name in fields]
            out.write(csv_line([
                str(pair.a), neutralise(pair.label_a), str(pair.b), neutralise(pair.label_b),
                neutralise(pair.type), f"{pair.candidate.probability:.4f}",
                *(neutralise(f"{e[0]}: {e[1]}") if e else "" for e in evidence), ""]))


def _evidence(text: str) -> tuple[str, str] | None:
    verdict, _, detail = text.partition(": ")
    detail = detail[1:] if detail.startswith("'") else detail  # as neutralised on writing
    return (verdict, detail) if verdict in (AGREE, DISAGREE, MISSING) else None


def read_decisions(path: str | Path) -> list[Decision]:
    """The decided rows of a pairs file (rows left blank are skipped)."""
    where = str(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
            columns = set(rows[0]) if rows else set()
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise PairsFileError(f"{where}: cannot be read ({getattr(exc, 'strerror', None) or exc})"
                             ) from None
    missing = [c for c in ("id a", "id b", DECISION) if rows and c not in columns]
    if missing:
        raise PairsFileError(f"{where}: no column {missing[0]!r} (is it a pairs file written "
                             "by workbench store resolve?)")
    by, at = current_user(), now()
    out = []
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        answer = (row.get(DECISION) or "").strip().lower()
        if not answer:
            continue
        if answer not in ANSWERS:
            raise PairsFileError(f"{where}: row {number}, column {DECISION!r}: {answer!r} is "
                                 "neither accept nor reject")
        try:
            a, b = int(row["id a"]), int(row["id b"])
        except (TypeError, ValueError):
            raise PairsFileError(f"{where}: row {number}: 'id a' and 'id b' must be store "
                                 "ids (whole numbers)") from None
        try:
            p: float | None = float(row["probability"]) if row.get("probability") else None
        except ValueError:
            raise PairsFileError(f"{where}: row {number}, column 'probability': "
                                 f"{row['probability']!r} is not a number") from None
        evidence = {name: found for name in (f.name for f in FIELDS)
                    if row.get(name) and (found := _evidence(row[name])) is not None}
        out.append(Decision(min(a, b), max(a, b), ANSWERS[answer], by, at, METHOD, p,
                            evidence))
    return out
