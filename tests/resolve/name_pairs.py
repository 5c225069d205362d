"""Transliteration recall: real names written in Latin and in another script
(``data/name_pairs.csv``), put through the name comparison the matcher uses.

A pair counts as found when the two names land on one of the name field's agreeing levels
(same name, same words, same after transliteration, close or similar spelling, initials and a
shared name): that is, when the names alone speak for a match. The same ladder is run on the
pairs shuffled (each Latin name against another pair's name) to show how often strangers agree.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pyarrow as pa

from workbench.resolve.comparisons import NAME
from workbench.resolve.names import person_name
from workbench.resolve.pairs import AGREE
from workbench.resolve.records import SCHEMA

NAME_PAIRS = Path(__file__).resolve().parent / "data" / "name_pairs.csv"
# Mined from Wikidata by others (Merhav and Ash, COLING 2018), taken by a fixed rule: see its
# header. Harder than the pairs above: Hebrew and Arabic write few vowels, and single words.
WIKIDATA_PAIRS = Path(__file__).resolve().parent / "data" / "wikidata_name_pairs.csv"


def read_pairs(path: Path = NAME_PAIRS) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def name_levels(pairs: list[tuple[str, str]]) -> list[int]:
    """For each pair of names, the index of the NAME level it lands on."""
    columns = [c for c in SCHEMA.names if c.startswith("name_")]
    data: dict[str, list[object]] = {}
    for side, index in (("l", 0), ("r", 1)):
        parts = [person_name(pair[index]) for pair in pairs]
        data[f"name_plain_{side}"] = [p.plain for p in parts]
        data[f"name_key_{side}"] = [p.key for p in parts]
        data[f"name_skel_{side}"] = [p.skeleton for p in parts]
        data[f"name_initials_{side}"] = [p.initials for p in parts]
        data[f"name_words_{side}"] = [list(p.words) for p in parts]
    table = pa.table(data, schema=pa.schema(
        [(f"{c}_{s}", SCHEMA.field(c).type) for s in ("l", "r") for c in columns]))
    cases = " ".join(f"WHEN {level.sql} THEN {i}" for i, level in enumerate(NAME.levels)
                     if level.sql != "ELSE")
    sql = f"SELECT CASE {cases} ELSE {len(NAME.levels) - 1} END FROM pairs"
    con = duckdb.connect()
    con.register("pairs", table)
    return [row[0] for row in con.execute(sql).fetchall()]


def name_pair_recall(path: Path = NAME_PAIRS
                     ) -> tuple[float, int, list[tuple[str, str, str]], float]:
    """(recall, number of pairs, the pairs missed, share of shuffled pairs that agree)."""
    rows = read_pairs(path)
    pairs = [(r["latin"], r["other"]) for r in rows]
    levels = name_levels(pairs)
    missed = [(r["latin"], r["other"], r["script"]) for r, level in zip(rows, levels,
                                                                        strict=True)
              if NAME.levels[level].verdict != AGREE]
    shuffled = [(pairs[i][0], pairs[(i + 1) % len(pairs)][1]) for i in range(len(pairs))]
    strangers = sum(NAME.levels[level].verdict == AGREE for level in name_levels(shuffled))
    return 1 - len(missed) / len(pairs), len(pairs), missed, strangers / len(pairs)
