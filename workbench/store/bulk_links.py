"""The bulk path's dates and links (the second half of bulk.py): each distinct date text
read once, each spec link over the rows where both its ends were made, and the report's
warnings and notes on link values and dates left empty, in the chart importer's words.

``LinkWork`` holds what a staged file's work shares (the spec, the normaliser, the report);
``bulk.BulkFile`` adds the identities, entities and attributes and runs the whole.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from workbench.io.import_report import WARNING, FileSummary, ImportReport
from workbench.io.import_rows import IssueMaker, value_group
from workbench.io.import_values import Normaliser
from workbench.io.importspec import AttributeSpec, ImportSpec, SourceSpec
from workbench.io.text_table import Table
from workbench.store.bulk_rules import date_select
from workbench.store.bulk_stage import Rows, Stage, StageWork
from workbench.store.bulk_values import date_note, dates, link_values


@dataclass(slots=True)
class _Dates:
    table: str
    column: str


class LinkWork(StageWork):
    """A staged file's dates and links, and the state the whole file's work shares."""

    def __init__(self, conn, spec: ImportSpec, source: SourceSpec, stage: Stage,
                 norm: Normaliser, report: ImportReport, name: str,
                 check: Callable[[], None]) -> None:
        super().__init__(conn, stage, check)
        self.spec, self.source, self.norm, self.report, self.name = \
            spec, source, norm, report, name
        head = stage.head
        self.table = Table(stage.path, pd.DataFrame(), Rows(stage.first_row), "",
                           head.encoding, head.encoding_guessed, head.delimiter)
        self.issue = IssueMaker(self.table, report)
        self.dates: dict[tuple[str, tuple[str, ...]], _Dates] = {}
        self.ends: list[tuple[str, str, str, str]] = []  # a role's identity, rows, ids, type

    # ----- dates --------------------------------------------------------------------------
    def _date_table(self, template, formats: tuple[str, ...]) -> _Dates | None:
        """Each distinct date text read once (in the order of first appearance, which format
        detection sees as the chart importer does); the note on what formats were found."""
        if template is None:
            return None
        key = (template.text, formats)
        if key in self.dates:
            return self.dates[key]
        st, text = self.stage.table, self.sql.template(template)
        name = f"bulk_dates_{len(self.dates)}"
        rows = f"FROM {st} s WHERE {self.sql.keep(self.spec)} AND {text} <> ''"
        decided = date_select(formats, f"SELECT DISTINCT {text} AS text {rows}")
        if decided is None:
            texts = [r[0] for r in self._q(f"SELECT {text} AS t {rows} GROUP BY t "
                                           "ORDER BY min(s.rowid)").fetchall()]
        else:  # the spec's format: the plain texts read in SQL (bulk_rules.py), the rest here
            self._temp(f"{name}_sql", decided)
            texts = [r[0] for r in self.conn.execute(
                f"SELECT text FROM {name}_sql WHERE ts IS NULL").fetchall()]
        table, detection = dates(self.norm, texts, formats)
        self._arrow(name, table)
        if decided is not None:
            self.conn.execute(f"INSERT INTO {name} SELECT text, ts, NULL FROM {name}_sql "
                              "WHERE ts IS NOT NULL")
        column = ", ".join(template.columns)
        note = date_note(self.stage.path.name, column, detection)
        if note is not None and note not in self.report.notes:
            self.report.notes.append(note)
        self.dates[key] = found = _Dates(name, column)
        return found

    # ----- links ----------------------------------------------------------------------------
    def _links(self, summary: FileSummary) -> list[np.ndarray]:
        """Each spec link over the rows where both its ends were made, its ends as store
        ids (the entities are in the store by now); returns the rows that made each."""
        roles = list(self.spec.entities)
        merged = {lk.type for lk in self.spec.links if lk.merge}
        st, sql = self.stage.table, self.sql
        selects = []
        for i, lk in enumerate(self.spec.links):
            label = sql.template(lk.label) if lk.label is not None else "''"
            date = self._date_table(lk.date, lk.date_formats)
            joins, frags = [], []
            for k, a in enumerate(lk.attributes):
                table = self._link_values(i, k, a)
                expr = sql.template(a.column)
                joins.append(f"LEFT JOIN {table} v{k} ON v{k}.raw = {expr}")
                frags.append(f"v{k}.frag")
            attrs = ("CASE WHEN concat_ws(',', " + ", ".join(frags) + ") = '' THEN NULL "
                     "ELSE '{' || concat_ws(',', " + ", ".join(frags) + ") || '}' END"
                     ) if frags else "NULL::VARCHAR"
            dtext = sql.template(lk.date) if date else "NULL::VARCHAR"
            source, source_rows = self.ends[roles.index(lk.source)][:2]
            target, target_rows = self.ends[roles.index(lk.target)][:2]
            name = f"bulk_link_{i}"
            group = "min(s.rowid) OVER (PARTITION BY x.ckey, y.ckey)" if lk.merge else "s.rowid"
            earlier, ends = self._claims(i)
            self._temp(name, (
                f"SELECT {i} AS link, s.rowid AS pos, {group} AS grp, x.ckey AS a, y.ckey AS b, "
                f"{ends} AS ends, {label} AS label, "
                + ("d.ts AS date, d.why AS dwhy, " if date else
                   "NULL::TIMESTAMP AS date, NULL::VARCHAR AS dwhy, ")
                + f"{attrs} AS attributes FROM {st} s "
                f"JOIN {self._ends(roles.index(lk.source))} x ON x.raw = {source} "
                f"JOIN {self._ends(roles.index(lk.target))} y ON y.raw = {target} "
                + (f"LEFT JOIN {date.table} d ON d.text = {dtext} " if date else "")
                + " ".join(joins) + earlier + f" WHERE {source_rows} AND {target_rows}"))
            for k, a in enumerate(lk.attributes):
                col = ", ".join(a.column.columns)
                for pos, raw, why in self._q(
                        f"SELECT l.pos, v.raw, v.why FROM {name} l JOIN {st} s ON s.rowid = "
                        f"l.pos JOIN bulk_lvalues_{i}_{k} v ON v.raw = {sql.template(a.column)} "
                        "WHERE v.why IS NOT NULL ORDER BY 1").fetchall():
                    self.issue(pos, col, raw, f"{a.name}: {why}", WARNING,
                               value_group(col, a.kind, why))
            count = self.conn.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0]
            summary.made[f"links[{i}] {lk.type} ({lk.source} -> {lk.target})"] = int(count)
            selects.append(f"SELECT * FROM {name}")
            self.check()
        links = self.spec.links
        self._arrow("bulk_link_types", pa.table({
            "link": pa.array(range(len(links)), pa.int64()),
            "type": pa.array([lk.type for lk in links], pa.string()),
            "direction": pa.array([str(lk.direction) for lk in links], pa.string()),
            "strength": pa.array([str(lk.strength) for lk in links], pa.string()),
            "merged": pa.array([lk.type in merged for lk in links], pa.bool_())}))
        if not selects:
            selects = ["SELECT 0 AS link, 0::BIGINT AS pos, 0::BIGINT AS grp, 0::BIGINT AS a, "
                       "0::BIGINT AS b, 0::TINYINT AS ends, '' AS label, "
                       "NULL::TIMESTAMP AS date, "
                       "NULL::VARCHAR AS dwhy, "
                       "NULL::VARCHAR AS attributes WHERE false"]
        # views, not copies of millions of rows: a link's number is its spec link and first
        # row (unique without sorting); its type and the like joined from a table of one row
        # per spec link (a view takes no parameters)
        self._view("bulk_links", f"SELECT l.*, t.type, t.direction, t.strength, t.merged, "
                   f"l.link * {int(self.n)} + l.grp AS clink FROM "
                   f"({' UNION ALL '.join(selects)}) l JOIN bulk_link_types t USING (link)")
        # a link's first record is its first row; a merged link's other rows are more
        self._view("chunk_links", (
            "SELECT clink, a, b, type, label, direction, strength, date, attributes, merged, "
            "pos AS rkey, ends FROM bulk_links WHERE pos = grp"))
        self._view("chunk_link_more", "SELECT clink, pos AS rkey, ends FROM bulk_links "
                   "WHERE pos <> grp")
        return [self._positions(f"bulk_link_{i}") for i in range(len(links))]

    def _claims(self, i: int) -> tuple[str, str]:
        """The joins and the expression of spec link ``i``'s ``ends``: which of its ends
        the row's provenance goes through it for (1: source, 2: target, 3: both). An end
        the link shares with the other end, or with a link of the same row made before it
        (spec order), is already reached (the store's view entity_records then gives each
        entity and record once; schema.py)."""
        links, entities = self.spec.links, self.spec.entities
        types = {entities[links[i].source].type, entities[links[i].target].type}
        before = [k for k in range(i) if types & {entities[links[k].source].type,
                                                  entities[links[k].target].type}]
        joins = "".join(f" LEFT JOIN bulk_link_{k} p{k} ON p{k}.pos = s.rowid" for k in before)

        def new(end: str) -> str:
            return " AND ".join([f"NOT coalesce(p{k}.a = {end} OR p{k}.b = {end}, false)"
                                 for k in before] or ["true"])

        return joins, (f"(CASE WHEN {new('x.ckey')} THEN 1 ELSE 0 END + CASE WHEN y.ckey <> "
                       f"x.ckey AND {new('y.ckey')} THEN 2 ELSE 0 END)::TINYINT")

    def _ends(self, j: int) -> str:
        """Table ``bulk_ends_<j>``: each identity text of role ``j`` with its entity's store
        id as ``ckey`` (small: a link's ends are found by the text of its row, not by
        joining every row's entities by position)."""
        name = f"bulk_ends_{j}"
        if name not in self.temps:
            ids, type_name = self.ends[j][2:]
            self._temp(name, f"SELECT m.raw, i.id AS ckey FROM {ids} m JOIN bulk_ent e "
                       "ON e.type = $type AND e.identity = m.key JOIN chunk_ids i "
                       "ON i.ckey = e.ckey", {"type": type_name})
        return name

    def _link_values(self, i: int, k: int, a: AttributeSpec) -> str:
        """A link attribute's distinct texts read once, each as its JSON member
        (``bulk_values.link_values``)."""
        expr = self.sql.template(a.column)
        raws = [r[0] for r in self._q(
            f"SELECT DISTINCT {expr} FROM {self.stage.table} s WHERE {expr} <> '' AND "
            f"{self.sql.keep(self.spec)}").fetchall()]
        table = f"bulk_lvalues_{i}_{k}"
        self._arrow(table, link_values(self.norm, a, raws))
        return table

    # ----- dates left empty -------------------------------------------------------------------
    def _undated(self) -> None:
        """As the chart importer's note_undated: a warning for each date that could not be
        read, a note for the rows whose entity or link was made with an empty date."""
        uses: dict[str, list[tuple[str, str]]] = {}
        for j, (role, e) in enumerate(self.spec.entities.items()):
            if e.date is not None:
                found = self.dates[(e.date.text, e.date_formats)]
                uses.setdefault(found.table, []).append(
                    (f"entities.{role}", f"SELECT r.pos, r.dtext, r.dwhy FROM bulk_role_{j} r "
                     f"JOIN bulk_ids_{j} m ON m.raw = r.raw WHERE m.key IS NOT NULL"))
        for i, lk in enumerate(self.spec.links):
            if lk.date is not None:
                found = self.dates[(lk.date.text, lk.date_formats)]
                # the link's undated rows only: an empty date (no date and no reason) as
                # '', an unreadable one with its text read again from its row
                uses.setdefault(found.table, []).append((f"links[{i}]", (
                    f"SELECT l.pos, CASE WHEN l.dwhy IS NULL THEN '' ELSE "
                    f"{self.sql.template(lk.date)} END AS dtext, l.dwhy FROM bulk_link_{i} l "
                    f"LEFT JOIN {self.stage.table} s ON s.rowid = l.pos AND l.dwhy IS NOT NULL "
                    "WHERE l.date IS NULL")))
        columns = {d.table: d.column for d in self.dates.values()}
        for table, used in uses.items():
            column = columns[table]
            rows = " UNION ALL ".join(sql for _, sql in used)
            for pos, text, why in self._q(
                    f"SELECT DISTINCT pos, dtext, dwhy FROM ({rows}) WHERE dwhy IS NOT NULL "
                    "ORDER BY pos").fetchall():
                self.issue(pos, column, text, f"date left empty: {why}", WARNING,
                           f"dates in {column!r} could not be read, such as {{example}}; left "
                           "empty (the row's entities and links are made, undated)")
            empty = np.zeros(self.n, dtype=bool)
            empty[self._q(f"SELECT DISTINCT pos FROM ({rows}) WHERE dtext = ''"
                          ).fetchnumpy()["pos"]] = True
            names = ", ".join(name for name, _ in used)
            self.issue.rows(empty, column, f"empty date: {names} undated",
                            f"row(s) with an empty date in {column!r}: undated ({names})")

