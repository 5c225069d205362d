"""Score pairs of records with Splink on DuckDB, trained on the records themselves.

Why Splink: it is a maintained implementation of the Fellegi-Sunter model that record-linkage
practice rests on, it learns from unlabelled data, it explains every score as a sum of
per-field weights, and the same settings run on Spark when one machine is not enough. We write
the comparisons (``comparisons.py``); Splink learns the weights and does the joining.

Training uses no labels, as in a real investigation where nobody knows the answer:
- u (how often strangers agree on a field) from random pairs of records;
- m (how often true matches agree) by expectation maximisation over pairs that share a name
  skeleton, and again over pairs sharing a date of birth, so each field is learnt from pairs
  chosen by another;
- the prior (how likely two random records are one) from pairs that agree on name and date
  of birth, or on an id number.
A step with nothing to learn from (no pair agreeing on name and date, fewer than
``MIN_EM_PAIRS`` in a training block) is skipped and the starting values stay. A chart too
small to learn from (under ``MIN_RECORDS_TO_TRAIN`` records, where random pairs are too few
and too often true duplicates) keeps the starting m and u values written beside each level,
and takes as prior one duplicate for every five records (1 / 5N).

Pairs are only ever formed inside blocks (same name skeleton, same initials and month of
birth, a shared phone or e-mail, the same id number, the same gazetteer place, same initials
and address), never all against all, which is what lets a million records run on a laptop.
Charts of up to ``SMALL`` records are also blocked on the date of birth alone, on initials and
year of birth, and on every single name word, which finds "M. Al Hassan, b. 1985" for
"Mohammed Al-Hassan" with nothing else known; at a million records those blocks would make
tens of millions of pairs. DuckDB is held to ``MEMORY_LIMIT`` and spills to a temporary folder
beyond it.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass

import duckdb
import pyarrow as pa
from splink import DuckDBAPI, Linker, block_on
from splink.internals.blocking_rule_creator import BlockingRuleCreator

from workbench.resolve.comparisons import FIELDS, Field

MIN_RECORDS_TO_TRAIN = 200  # below this EM has too few pairs to learn m from; keep the start
EM_MAX_PAIRS = 2_000_000
MIN_EM_PAIRS = 50  # fewer pairs in a training block teach nothing; the starting m values stay
U_MAX_PAIRS = 5_000_000  # random pairs for u: the cost of training grows with this
U_PAIRS_PER_RECORD = 100  # ... so a small chart samples fewer (a million for 10,000 records)
SMALL = 20_000  # up to this many records, the broad blocks below are affordable too
MEMORY_LIMIT = "2GB"  # DuckDB spills to a temporary folder beyond this
# Blocking keys: a pair is compared only when it shares one of these ("dob_year" is the year,
# "dob_month" the year and month).
# ("name_initials", "dob_month"): the same initials and year and month of birth, so a typo in
# a name and one in the day of birth ("Patrick Podu, 1948-03-19" and "Patrick Posu,
# 1948-03-10") still meet; it holds every pair the same initials and date would, for about
# four times the pairs (a million people: some six million), and brought 1% more of the true
# pairs of the generated people into a block (0.952 to 0.963).
BLOCKS: tuple[tuple[str, ...], ...] = (
    ("name_skel",), ("name_initials", "dob_month"), ("phones",), ("emails",), ("id_number",),
    ("place",), ("name_initials", "address"),
)
# Each of these joins a record to about N / 20,000 others: cheap for a chart, tens of
# millions of pairs for a million records.
SMALL_BLOCKS: tuple[tuple[str, ...], ...] = (("dob",), ("name_initials", "dob_year"),
                                             ("name_words",))
ARRAY_COLUMNS = frozenset({"phones", "emails", "name_words"})
_KEYS = {"dob_year": ('substr("dob", 1, 4)', "dob"),  # key: (SQL, the column it needs)
         "dob_month": ('substr("dob", 1, 7)', "dob")}


@dataclass(frozen=True, slots=True)
class Scored:
    """Splink's scored pairs (an Arrow table: unique_id_l, unique_id_r, match_probability,
    a gamma_<field> column per field and the compared values) and the fields used."""

    pairs: pa.Table
    fields: tuple[Field, ...]


def _present(con: duckdb.DuckDBPyConnection, column: str) -> bool:
    """A column worth comparing: known for at least two records."""
    (count,), = con.execute(f'SELECT count("{column}") FROM records').fetchall()
    return bool(count >= 2)


def _needs(block: tuple[str, ...]) -> set[str]:
    return {_KEYS[k][1] if k in _KEYS else k for k in block}


def _block(block: tuple[str, ...]) -> BlockingRuleCreator:
    arrays = [k for k in block if k in ARRAY_COLUMNS]
    keys = [_KEYS[k][0] if k in _KEYS else k for k in block]
    return block_on(*keys, arrays_to_explode=arrays or None)


def score(records: pa.Table, threshold: float) -> Scored:
    """Train on ``records`` (see ``records.SCHEMA``) and return the pairs at or above
    ``threshold``. Fewer than two records give no pairs."""
    logging.getLogger("splink").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="workbench-resolve-") as spill:
        con = duckdb.connect(config={"memory_limit": MEMORY_LIMIT, "temp_directory": spill,
                                     "preserve_insertion_order": False})
        try:
            con.execute("SET enable_progress_bar = false").fetchall()
            return _score(con, records, threshold)
        finally:
            con.close()


def _score(con: duckdb.DuckDBPyConnection, records: pa.Table, threshold: float) -> Scored:
    con.register("records_arrow", records)
    con.execute("CREATE TABLE records AS SELECT * FROM records_arrow").fetchall()
    con.unregister("records_arrow")
    present = {c for c in records.schema.names if c != "unique_id" and _present(con, c)}
    fields = tuple(f for f in FIELDS if set(f.columns) <= present)
    if records.num_rows < 2 or not fields:
        return Scored(pa.table({"unique_id_l": [], "unique_id_r": []}), ())
    size = records.num_rows
    blocks = [b for b in (*BLOCKS, *(SMALL_BLOCKS if size <= SMALL else ()))
              if _needs(b) <= present]
    settings = {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": min(0.5, 1 / (5 * size)),
        "comparisons": [f.splink() for f in fields],
        "blocking_rules_to_generate_predictions": [_block(b) for b in blocks],
        "retain_matching_columns": True,
        "retain_intermediate_calculation_columns": False,
    }
    db_api = DuckDBAPI(con)
    linker = Linker(db_api.register("records"), settings, log_level=logging.ERROR)
    if size >= MIN_RECORDS_TO_TRAIN:
        _train(linker, con, present, fields, size)
    predicted = linker.inference.predict(threshold_match_probability=threshold)
    pairs = predicted.as_duckdbpyrelation().arrow()
    if isinstance(pairs, pa.RecordBatchReader):
        pairs = pairs.read_all()
    return Scored(pairs, fields)


def _pairs_at_least(con: duckdb.DuckDBPyConnection, columns: tuple[str, ...],
                    wanted: int) -> bool:
    """Whether ``wanted`` pairs of records agree on all of ``columns``. A deterministic rule
    that matches nothing would give a prior of zero, which no evidence can lift; EM on a block
    without pairs fails, and a failed EM session leaves Splink's model without the
    comparisons it set aside, so neither is tried."""
    on = " AND ".join(f'l."{c}" = r."{c}"' for c in columns)
    sql = (f"SELECT count(*) FROM (SELECT 1 FROM records l JOIN records r ON {on} "
           f"AND l.unique_id < r.unique_id LIMIT {int(wanted)})")
    (found,), = con.execute(sql).fetchall()
    return bool(found >= wanted)


def _train(linker: Linker, con: duckdb.DuckDBPyConnection, present: set[str],
           fields: tuple[Field, ...], size: int) -> None:
    deterministic = [("name_key", "dob") if "dob" in present else ("name_key",),
                     ("id_number",)]
    rules = [block_on(*columns) for columns in deterministic
             if set(columns) <= present and _pairs_at_least(con, columns, 1)]
    training = linker.training
    if rules:  # else: keep the starting prior
        training.estimate_probability_two_random_records_match(rules, recall=0.7)
    training.estimate_u_using_random_sampling(
        max_pairs=min(U_MAX_PAIRS, U_PAIRS_PER_RECORD * size), seed=18)
    for columns in (("name_skel",), ("dob",)):
        learnt = [f for f in fields if not set(columns) & set(f.columns)]
        if (set(columns) <= present and learnt  # EM learns only fields outside its block
                and _pairs_at_least(con, columns, MIN_EM_PAIRS)):
            training.estimate_parameters_using_expectation_maximisation(
                block_on(*columns), max_pairs=EM_MAX_PAIRS,
                estimate_without_term_frequencies=True)
