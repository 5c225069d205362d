"""The bulk path: a staged file (bulk_stage.py) turned into the store's rows inside DuckDB.

Only the distinct raw values cross into Python, and they go through the chart importer's
own normalisers (``Normaliser.identity``, ``values``, ``dates``; ``parse_coordinates``), so a
phone is the same identity whichever path imported it. The rules are the chart importer's,
written as set-based SQL: rows the filters drop and rows a ``when`` excludes make nothing; an
entity's label is the first explicit ``label:`` (roles in spec order, then rows in file
order), else its identity as its first row wrote it; its date, coordinates and each attribute
are the first found the same way; one source record per row that made an entity; one link per
row, or per pair of ends for ``merge: true`` (carrying the first row's label, date and
attributes). The result is left in the temporary tables ``chunk_*`` that the landing
(ingest.py) reads for either path, and the report is the chart importer's: the same
``IssueMaker``, ``account`` and ``bad_identities``, the same sentences.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from workbench.io.import_report import WARNING, FileSummary, ImportReport
from workbench.io.import_rows import IssueMaker, account, bad_identities, value_group
from workbench.io.import_values import Normaliser
from workbench.io.importspec import AttributeSpec, ImportSpec, SourceSpec
from workbench.io.readers import Table
from workbench.store.bulk_rules import date_select, identity_select
from workbench.store.bulk_stage import Rows, Stage, StageWork, stage_column
from workbench.store.bulk_values import (
    attribute_values,
    coordinates,
    date_note,
    dates,
    folds,
    identity_keys,
    link_values,
)

# fold() of ASCII text, in SQL: lower case, every run of non-letters and non-digits one space
ASCII_FOLD = "trim(regexp_replace(lower({x}), '[^a-z0-9]+', ' ', 'g'))"


@dataclass(slots=True)
class _Dates:
    table: str
    column: str


class BulkFile(StageWork):
    """One staged file through the specification; ``run`` leaves ``chunk_*`` tables."""

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

    # ----- the file -------------------------------------------------------------------------
    def run(self) -> FileSummary:
        spec, st = self.spec, self.stage.table
        head = self.stage.head
        summary = FileSummary(self.stage.path.name, "", head.encoding, head.encoding_guessed,
                              rows_read=self.n)
        self.report.files.append(summary)
        self.report.issues.extend(head.issues)
        self.report.notes.extend(self.stage.notes)
        keep = self.sql.keep(spec)
        self._temp("bulk_keep", f"SELECT s.rowid AS pos FROM {st} s WHERE {keep}")
        invalid = np.zeros(self.n, dtype=bool)
        for j, (role, e) in enumerate(spec.entities.items()):
            invalid |= self._role(j, role, e, keep)
            self.check()
        self._view("bulk_occ", " UNION ALL ".join(f"SELECT * FROM bulk_role_{j}"
                                                   for j in range(len(spec.entities))))
        counts = dict(self.conn.execute("SELECT role, count(*) FROM bulk_occ GROUP BY role"
                                        ).fetchall())
        for j, (role, e) in enumerate(spec.entities.items()):
            summary.made[f"entities.{role} ({e.type})"] = int(counts.get(j, 0))
        made = self._mask("s.rowid IN (SELECT pos FROM bulk_occ)")
        self._entities(made)
        self.check()
        linked = self._links(summary)
        self.check()
        if spec.links:
            summary.unlinked = int((made & ~linked).sum())
        account(summary, self.issue, ~self._mask(f"NOT ({keep})"), made, invalid, spec)
        self._undated()
        return summary

    # ----- identities of one role -----------------------------------------------------------
    def _role(self, j: int, role: str, e, keep: str) -> np.ndarray:
        st, sql = self.stage.table, self.sql
        ident = sql.template(e.identity)
        mine = f"({keep}) AND {sql.condition(e.when)}" if e.when is not None else keep
        column = ", ".join(e.identity.columns)
        empty = self._mask(f"{mine} AND {ident} = ''")
        self.issue.rows(empty, column, f"entities.{role}: empty, so no {e.type} and no link "
                        f"to it", f"row(s) with no {role} ({column} empty): no {e.type} made "
                        "and no link to it")
        ids = f"bulk_ids_{j}"
        self.ends.append((ident, mine, ids, e.type))
        self._identities(ids, e.type, f"SELECT DISTINCT {ident} AS raw FROM {st} s "
                         f"WHERE {mine} AND {ident} <> ''")
        label = sql.template(e.label) if e.label is not None else "NULL::VARCHAR"
        date = self._date_table(e.date, e.date_formats)
        coords = self._coordinates(e, mine) if e.lat is not None else None
        self._temp(f"bulk_role_{j}", (
            f"SELECT {j} AS role, $type AS type, m.key, s.rowid AS pos, m.raw, {label} AS lab, "
            + (f"d.ts, {sql.template(e.date)} AS dtext, d.why AS dwhy, "
               if date and e.date is not None else "NULL::TIMESTAMP AS ts, NULL::VARCHAR AS dtext, "
               "NULL::VARCHAR AS dwhy, ")
            + ("c.lat, c.lon " if coords else "NULL::DOUBLE AS lat, NULL::DOUBLE AS lon ")
            + f"FROM {st} s JOIN {ids} m ON m.raw = {ident} "
            + (f"LEFT JOIN {date.table} d ON d.text = {sql.template(e.date)} " if date else "")
            + (f"LEFT JOIN {coords} c ON c.la = {stage_column(e.lat)} "
               f"AND c.lo = {stage_column(e.lon)} " if coords else "")
            + f"WHERE {mine} AND m.key IS NOT NULL"), {"type": e.type})
        bad = self._q(f"SELECT s.rowid AS pos, m.raw, m.why FROM {st} s JOIN {ids} m "
                      f"ON m.raw = {ident} WHERE {mine} AND m.key IS NULL ORDER BY pos"
                      ).fetchnumpy()
        invalid = np.zeros(self.n, dtype=bool)
        if len(bad["pos"]):
            pos = bad["pos"].astype(np.int64)
            bad_identities(self.issue, pos, pd.Series(bad["raw"], dtype=object),
                           np.asarray(bad["why"], dtype=object), role, e.type, column)
            invalid[pos] = True
        self._attribute_rows(j, e.attributes, mine)
        return invalid

    def _identities(self, name: str, type_name: str, raws: str) -> None:
        """Table ``name`` (raw, key, why) of the distinct texts ``raws``: keys decided in
        SQL where the rule is plain (bulk_rules.py), the rest through the normaliser."""
        norm = self.norm
        kind = norm.chart.catalogue.entity_type(type_name).identity
        decided = identity_select(kind, norm.region or norm.chart.region, raws)
        if decided is None:
            self._distinct(name, raws, lambda r: identity_keys(norm, type_name, r))
            return
        self._temp(f"{name}_sql", decided)
        self._distinct(name, f"SELECT raw FROM {name}_sql WHERE key IS NULL",
                       lambda r: identity_keys(norm, type_name, r))
        self.conn.execute(f"INSERT INTO {name} SELECT raw, key, NULL FROM {name}_sql "
                          "WHERE key IS NOT NULL")

    def _coordinates(self, e, mine: str) -> str:
        """The distinct latitude/longitude pairs read once; a pair that cannot be read is a
        warning on each of its rows (the entity is made without coordinates)."""
        st, la, lo = self.stage.table, stage_column(e.lat), stage_column(e.lon)
        pairs = self._q(f"SELECT DISTINCT {la} AS la, {lo} AS lo FROM {st} s WHERE {mine} "
                        f"AND {la} <> '' AND {lo} <> ''").fetchall()
        name = f"bulk_coords_{len(self.temps)}"
        self._arrow(name, coordinates(pairs))
        for pos, a, b, why in self._q(
                f"SELECT s.rowid, c.la, c.lo, c.why FROM {st} s JOIN {name} c ON c.la = {la} "
                f"AND c.lo = {lo} WHERE {mine} AND c.why IS NOT NULL ORDER BY 1").fetchall():
            self.issue(pos, f"{e.lat}, {e.lon}", f"{a}, {b}", f"coordinates: {why}", WARNING,
                       f"coordinates in {e.lat!r}, {e.lon!r} could not be read, such as "
                       "{example}; left empty")
        return name

    def _attribute_rows(self, j: int, attributes: list[AttributeSpec], mine: str) -> None:
        parts = [f"SELECT {j} AS role, {k} AS attr, s.rowid AS pos, {self.sql.template(a.column)} "
                 f"AS raw FROM {self.stage.table} s WHERE {mine}"
                 for k, a in enumerate(attributes)]
        self._temp(f"bulk_attr_{j}", "SELECT * FROM (" + (" UNION ALL ".join(parts) or
                   "SELECT 0 AS role, 0 AS attr, 0::BIGINT AS pos, ''::VARCHAR AS raw "
                   "WHERE false") + ") WHERE raw <> ''")

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
        rows = f"FROM {st} s WHERE s.rowid IN (SELECT pos FROM bulk_keep) AND {text} <> ''"
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

    # ----- entities, their attributes and records --------------------------------------------
    def _entities(self, made: np.ndarray) -> None:
        """One row per identity of the file: label, date and coordinates the first found
        (roles in spec order, then rows), the search text folded (ASCII in SQL, the rest by
        ``fold`` in Python, distinct texts once); a record for each row that ``made`` one."""
        roles = self.spec.entities.values()
        # only what the spec can give is looked for (each is an aggregate over every row)
        firsts = {"explicit": any(e.label is not None for e in roles),
                  "ts": any(e.date is not None for e in roles),
                  "lat": any(e.lat is not None for e in roles)}
        found = {"explicit": "lab IS NOT NULL AND lab <> ''", "ts": "ts IS NOT NULL",
                 "lat": "lat IS NOT NULL"}
        per_role = ", ".join(
            f"arg_min({col}, pos) FILTER (WHERE {found[of]}) AS {name}"
            for name, col, of in (("explicit", "lab", "explicit"), ("ts", "ts", "ts"),
                                  ("lat", "lat", "lat"), ("lon", "lon", "lat"))
            if firsts[of])
        per_role = ("WITH per_role AS (SELECT role, type, key, min(pos) AS first, "
                    f"arg_min(raw, pos) AS written{', ' + per_role if per_role else ''} "
                    "FROM bulk_occ GROUP BY role, type, key) ")
        # an entity's number: where it first appears (unique, in file order, unsorted)
        if len({e.type for e in roles}) == len(roles):  # each type from one role: as found
            self._temp("bulk_ent", per_role + (
                "SELECT role * $n + first AS ckey, type, key AS identity, "
                + ("coalesce(explicit, written)" if firsts["explicit"] else "written")
                + " AS label, " + ("ts" if firsts["ts"] else "NULL::TIMESTAMP") + " AS date, "
                + ("lat, lon " if firsts["lat"] else "NULL::DOUBLE AS lat, NULL::DOUBLE AS lon ")
                + "FROM per_role"), {"n": self.n})
        else:  # the first role (in spec order) that gave each
            label = ("coalesce(arg_min(explicit, role) FILTER (WHERE explicit IS NOT NULL), "
                     "arg_min(written, role))") if firsts["explicit"] \
                else "arg_min(written, role)"
            date = ("arg_min(ts, role) FILTER (WHERE ts IS NOT NULL)" if firsts["ts"]
                    else "NULL::TIMESTAMP")
            place = ("arg_min(lat, role) FILTER (WHERE lat IS NOT NULL) AS lat, "
                     "arg_min(lon, role) FILTER (WHERE lat IS NOT NULL) AS lon"
                     if firsts["lat"] else "NULL::DOUBLE AS lat, NULL::DOUBLE AS lon")
            self._temp("bulk_ent", per_role + (
                f"SELECT min(role * $n + first) AS ckey, type, key AS identity, "
                f"{label} AS label, {date} AS date, {place} "
                "FROM per_role GROUP BY type, key"), {"n": self.n})
        texts = [r[0] for r in self.conn.execute(
            "SELECT DISTINCT x FROM (SELECT label AS x FROM bulk_ent UNION ALL "
            "SELECT identity FROM bulk_ent) WHERE strlen(x) <> length(x)").fetchall()]
        self._arrow("bulk_folds", folds(texts))

        def folded(x: str, alias: str) -> str:
            return (f"CASE WHEN strlen({x}) = length({x}) THEN {ASCII_FOLD.format(x=x)} "
                    f"ELSE {alias}.f END")

        self._temp("chunk_entities", (
            "SELECT ckey, type, identity, label, date, lat, lon, "
            "CASE WHEN contains(fl, fi) THEN fl ELSE trim(fl || ' ' || fi) END AS fold FROM "
            f"(SELECT e.*, {folded('e.label', 'a')} AS fl, {folded('e.identity', 'b')} AS fi "
            "FROM bulk_ent e LEFT JOIN bulk_folds a ON a.x = e.label "
            "LEFT JOIN bulk_folds b ON b.x = e.identity)"))
        self._temp("bulk_occk", "SELECT o.role, o.pos, e.ckey FROM bulk_occ o JOIN bulk_ent e "
                   "ON e.type = o.type AND e.identity = o.key")
        self._view("chunk_entity_records", "SELECT DISTINCT ckey, pos AS rkey FROM bulk_occk")
        self._arrow("bulk_made", pa.table({"pos": pa.array(np.flatnonzero(made), pa.int64())}))
        self._temp("chunk_records", (
            "SELECT pos AS rkey, $name AS name, '' AS sheet, pos + $first AS row, "
            "$rel AS reliability, $cred AS credibility FROM bulk_made"),
            {"name": self.name, "first": self.stage.first_row,
             "rel": self.source.reliability, "cred": self.source.credibility})
        self._entity_attributes()

    def _entity_attributes(self) -> None:
        roles = list(self.spec.entities.values())
        specs = {(j, k): a for j, e in enumerate(roles) for k, a in enumerate(e.attributes)}
        self._arrow("bulk_attr_names", pa.table({
            "role": pa.array([j for j, _ in specs], pa.int64()),
            "attr": pa.array([k for _, k in specs], pa.int64()),
            "name": pa.array([a.name for a in specs.values()], pa.string())}))
        every = " UNION ALL ".join(
            f"SELECT a.role, a.attr, a.pos, a.raw, o.ckey FROM bulk_attr_{j} a "
            f"JOIN bulk_occk o ON o.pos = a.pos AND o.role = {j}" for j in range(len(roles)))
        # the first value of each (entity, name), roles in spec order then rows: a role and
        # row hold one value of a name, so role * n + row orders them without ties
        self._temp("bulk_attr_first", (
            "SELECT ckey, name, first // $n AS role, first % $n AS pos, attr, raw FROM ("
            "SELECT ckey, n.name, min(a.role * $n + a.pos) AS first, "
            "arg_min(a.attr, a.role * $n + a.pos) AS attr, "
            "arg_min(a.raw, a.role * $n + a.pos) AS raw "
            f"FROM ({every}) a JOIN bulk_attr_names n ON n.role = a.role AND n.attr = a.attr "
            "GROUP BY ckey, n.name)"), {"n": self.n})
        out: dict[str, list] = {"role": [], "attr": [], "raw": [], "value": [], "fold": [],
                                "why": []}
        for (j, k), a in specs.items():
            raws = [r[0] for r in self.conn.execute(
                "SELECT DISTINCT raw FROM bulk_attr_first WHERE role = ? AND attr = ?",
                [j, k]).fetchall()]
            for raw, made in zip(raws, attribute_values(self.norm, a, raws), strict=True):
                for key, item in zip(out, (j, k, raw, *made), strict=True):
                    out[key].append(item)
        self._arrow("bulk_attr_values", pa.table(out, schema=pa.schema([
            ("role", pa.int64()), ("attr", pa.int64()), ("raw", pa.string()),
            ("value", pa.string()), ("fold", pa.string()), ("why", pa.string())])))
        self._temp("chunk_attributes", (
            "SELECT f.ckey, f.name, v.value, v.fold, f.pos, v.raw, v.why, v.role, "
            "v.attr FROM bulk_attr_first f JOIN bulk_attr_values v ON v.role = f.role "
            "AND v.attr = f.attr AND v.raw = f.raw"))
        for pos, raw, why, j, k in self.conn.execute(
                "SELECT pos, raw, why, role, attr FROM chunk_attributes WHERE why IS NOT NULL "
                "ORDER BY pos").fetchall():
            a = specs[(j, k)]
            col = ", ".join(a.column.columns)
            self.issue(pos, col, raw, f"{a.name}: {why}", WARNING, value_group(col, a.kind, why))

    # ----- links ----------------------------------------------------------------------------
    def _links(self, summary: FileSummary) -> np.ndarray:
        """Each spec link over the rows where both its ends were made; returns the mask of
        rows that made a link."""
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
            self._temp(name, (
                f"SELECT {i} AS link, s.rowid AS pos, {group} AS grp, x.ckey AS a, y.ckey AS b, "
                f"{label} AS label, "
                + ("d.ts AS date, d.why AS dwhy, " if date else
                   "NULL::TIMESTAMP AS date, NULL::VARCHAR AS dwhy, ")
                + f"{dtext} AS dtext, {attrs} AS attributes FROM {st} s "
                f"JOIN {self._ends(roles.index(lk.source))} x ON x.raw = {source} "
                f"JOIN {self._ends(roles.index(lk.target))} y ON y.raw = {target} "
                + (f"LEFT JOIN {date.table} d ON d.text = {dtext} " if date else "")
                + " ".join(joins) + f" WHERE {source_rows} AND {target_rows}"))
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
                       "0::BIGINT AS b, '' AS label, NULL::TIMESTAMP AS date, "
                       "NULL::VARCHAR AS dwhy, NULL::VARCHAR AS dtext, "
                       "NULL::VARCHAR AS attributes WHERE false"]
        # views, not copies of millions of rows: a link's number is its spec link and first
        # row (unique without sorting); its type and the like joined from a table of one row
        # per spec link (a view takes no parameters)
        self._view("bulk_links", f"SELECT l.*, t.type, t.direction, t.strength, t.merged, "
                   f"l.link * {int(self.n)} + l.grp AS clink FROM "
                   f"({' UNION ALL '.join(selects)}) l JOIN bulk_link_types t USING (link)")
        self._view("chunk_links", (
            "SELECT clink, a, b, type, label, direction, strength, date, attributes, merged "
            "FROM bulk_links WHERE pos = grp"))
        self._view("chunk_link_records", "SELECT clink, pos AS rkey FROM bulk_links")
        return self._mask("s.rowid IN (SELECT pos FROM bulk_links)")

    def _ends(self, j: int) -> str:
        """Table ``bulk_ends_<j>``: each identity text of role ``j`` with its entity's number
        (small: a link's ends are found by the text of its row, not by joining every row's
        entities by position)."""
        name = f"bulk_ends_{j}"
        if name not in self.temps:
            ids, type_name = self.ends[j][2:]
            self._temp(name, f"SELECT m.raw, e.ckey FROM {ids} m JOIN bulk_ent e "
                       "ON e.type = $type AND e.identity = m.key", {"type": type_name})
        return name

    def _link_values(self, i: int, k: int, a: AttributeSpec) -> str:
        """A link attribute's distinct texts read once, each as its JSON member
        (``bulk_values.link_values``)."""
        expr = self.sql.template(a.column)
        raws = [r[0] for r in self._q(
            f"SELECT DISTINCT {expr} FROM {self.stage.table} s WHERE {expr} <> '' AND "
            "s.rowid IN (SELECT pos FROM bulk_keep)").fetchall()]
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
                    (f"entities.{role}", f"SELECT pos, dtext, dwhy FROM bulk_role_{j}"))
        for i, lk in enumerate(self.spec.links):
            if lk.date is not None:
                found = self.dates[(lk.date.text, lk.date_formats)]
                uses.setdefault(found.table, []).append(
                    (f"links[{i}]", f"SELECT pos, dtext, dwhy FROM bulk_link_{i}"))
        columns = {d.table: d.column for d in self.dates.values()}
        for table, used in uses.items():
            column = columns[table]
            rows = " UNION ALL ".join(sql for _, sql in used)
            for pos, text, why in self.conn.execute(
                    f"SELECT DISTINCT pos, dtext, dwhy FROM ({rows}) WHERE dwhy IS NOT NULL "
                    "ORDER BY pos").fetchall():
                self.issue(pos, column, text, f"date left empty: {why}", WARNING,
                           f"dates in {column!r} could not be read, such as {{example}}; left "
                           "empty (the row's entities and links are made, undated)")
            empty = np.zeros(self.n, dtype=bool)
            empty[self.conn.execute(f"SELECT DISTINCT pos FROM ({rows}) WHERE dtext = ''"
                                    ).fetchnumpy()["pos"]] = True
            names = ", ".join(name for name, _ in used)
            self.issue.rows(empty, column, f"empty date: {names} undated",
                            f"row(s) with an empty date in {column!r}: undated ({names})")

