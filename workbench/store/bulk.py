"""The bulk path: a staged file (bulk_stage.py) turned into the store's rows inside DuckDB.

Each distinct raw value is normalised once: in SQL where the normaliser's rule reduces to
something SQL says exactly (bulk_rules.py), else in Python through the chart importer's own
normalisers (``Normaliser.identity``, ``values``, ``dates``; ``parse_coordinates``), so a
phone is the same identity whichever path imported it. The rules are the chart importer's,
written as set-based SQL: rows the filters drop and rows a ``when`` excludes make nothing; an
entity's label is the first explicit ``label:`` (roles in spec order, then rows in file
order), else its identity as its first row wrote it; its date, coordinates and each attribute
are the first found the same way; one source record per row that made an entity; one link per
row, or per pair of ends for ``merge: true`` (carrying the first row's label, date and
attributes). The result is made as the temporary tables ``chunk_*`` that the landing
(duck_land.py) reads for either path, the entities landed before the links are made (so a
link is written with its ends' store ids); the report is the chart importer's: the same
``IssueMaker``, ``account`` and ``bad_identities``, the same sentences. Dates and links are
in bulk_links.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from workbench.io.import_report import WARNING, FileSummary
from workbench.io.import_rows import account, bad_identities, value_group
from workbench.store.bulk_links import LinkWork
from workbench.store.bulk_rules import identity_select
from workbench.store.bulk_stage import stage_column
from workbench.store.bulk_values import (
    attribute_values,
    coordinates,
    folds,
    identity_keys,
)
from workbench.store.duck_land import Landing

# fold() of ASCII text, in SQL: lower case, every run of non-letters and non-digits one space;
# words of letters and digits between single spaces (most labels) only lower-cased, as the
# replacement would leave them (a match is a third of the replacement's cost)
ASCII_FOLD = ("CASE WHEN regexp_full_match({x}, '[A-Za-z0-9]+( [A-Za-z0-9]+)*') THEN lower({x}) "
              "ELSE trim(regexp_replace(lower({x}), '[^a-z0-9]+', ' ', 'g')) END")


class BulkFile(LinkWork):
    """One staged file through the specification and, by a ``Landing``, into the store."""

    # ----- the file -------------------------------------------------------------------------
    def run(self, land: Landing) -> int:
        """The file through the specification into the store by ``land``: entities first,
        so that links are made with their ends' store ids; returns the links added."""
        spec = self.spec
        head = self.stage.head
        summary = FileSummary(self.stage.path.name, "", head.encoding, head.encoding_guessed,
                              rows_read=self.n)
        self.report.files.append(summary)
        self.report.issues.extend(head.issues)
        self.report.notes.extend(self.stage.notes)
        keep = self.sql.keep(spec)
        invalid = np.zeros(self.n, dtype=bool)
        roles = []
        for j, (role, e) in enumerate(spec.entities.items()):
            bad, rows = self._role(j, role, e, keep)
            invalid |= bad
            roles.append(rows)
            summary.made[f"entities.{role} ({e.type})"] = int(rows.sum())
            self.check()
        made = np.logical_or.reduce(roles) if roles else np.zeros(self.n, dtype=bool)
        self._entities(made)
        self.check()
        land.entities()
        self.check()
        links = self._links(summary)
        linked = np.logical_or.reduce(links) if links else np.zeros(self.n, dtype=bool)
        self._entity_more(roles, links)
        self.check()
        if spec.links:
            summary.unlinked = int((made & ~linked).sum())
        account(summary, self.issue, ~self._mask(f"NOT ({keep})"), made, invalid, spec)
        self._undated()
        return land.records_and_links(ends_resolved=True)

    def _entity_more(self, roles: list[np.ndarray], links: list[np.ndarray]) -> None:
        """``chunk_entity_more``: the rows that made an entity of a role without making a
        link to it (the store reaches the rest through the links; usually none)."""
        names = list(self.spec.entities)
        parts = []
        for j, rows in enumerate(roles):
            covered = [links[i] for i, lk in enumerate(self.spec.links)
                       if names[j] in (lk.source, lk.target)]
            alone = np.flatnonzero(rows & ~np.logical_or.reduce(covered)) if covered \
                else np.flatnonzero(rows)
            if not len(alone):
                continue
            ident, _, ids, _ = self.ends[j]
            self._arrow(f"bulk_alone_{j}", pa.table({"pos": pa.array(alone, pa.int64())}))
            parts.append(f"SELECT e.ckey, s.rowid AS rkey FROM {self.stage.table} s "
                         f"JOIN {ids} m ON m.raw = {ident} JOIN bulk_ent e "
                         f"ON e.type = $t{j} AND e.identity = m.key "
                         f"WHERE s.rowid IN (SELECT pos FROM bulk_alone_{j})")
        self._temp("chunk_entity_more", "SELECT DISTINCT * FROM (" + (" UNION ALL ".join(
            parts) or "SELECT 0::BIGINT AS ckey, 0::BIGINT AS rkey WHERE false") + ")",
            {f"t{j}": e.type for j, e in enumerate(self.spec.entities.values())})

    # ----- identities of one role -----------------------------------------------------------
    def _role(self, j: int, role: str, e, keep: str) -> tuple[np.ndarray, np.ndarray]:
        """The role's identities (``bulk_ids_<j>``) and what each distinct identity text
        gives first (``bulk_first_<j>``); returns the rows whose identity is invalid and
        those that made an entity of the role."""
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
        self._firsts(j, e, ident, mine)
        self._identities(ids, e.type, f"SELECT raw FROM bulk_first_{j}")
        bad = self._q(f"SELECT s.rowid AS pos, m.raw, m.why FROM {st} s JOIN {ids} m "
                      f"ON m.raw = {ident} WHERE {mine} AND m.key IS NULL ORDER BY pos"
                      ).fetchnumpy()
        invalid = np.zeros(self.n, dtype=bool)
        if len(bad["pos"]):
            pos = bad["pos"].astype(np.int64)
            bad_identities(self.issue, pos, pd.Series(bad["raw"], dtype=object),
                           np.asarray(bad["why"], dtype=object), role, e.type, column)
            invalid[pos] = True
        return invalid, self._mask(f"{mine} AND {ident} <> ''") & ~invalid

    def _firsts(self, j: int, e, ident: str, mine: str) -> None:
        """Table ``bulk_first_<j>``: each distinct identity text of the role with the first
        row that wrote it, and the first label, date, coordinates and attribute values its
        rows give (each with the row it came from), in one grouping of the file's rows; an
        entity's firsts are then found among its few texts, not among all its rows. With a
        date or coordinates, whose every row is read through a table of distinct values,
        the role's rows are kept first as ``bulk_role_<j>`` (the dates left empty are
        reported from it)."""
        st, sql = self.stage.table, self.sql
        label = sql.template(e.label) if e.label is not None else None
        values = [sql.template(a.column) for a in e.attributes]
        date = self._date_table(e.date, e.date_formats)
        coords = self._coordinates(e, mine) if e.lat is not None else None
        rows = (f"SELECT s.rowid AS pos, {ident} AS raw"
                + (f", {label} AS lab" if label else "")
                + "".join(f", {v} AS a{k}" for k, v in enumerate(values)))
        source = f"FROM {st} s WHERE {mine} AND {ident} <> ''"
        if date is not None or coords is not None:
            dtext = sql.template(e.date) if date is not None else None
            self._temp(f"bulk_role_{j}", rows
                       + (f", d.ts, {dtext} AS dtext, d.why AS dwhy" if date else "")
                       + (", c.lat, c.lon" if coords else "") + f" FROM {st} s "
                       + (f"LEFT JOIN {date.table} d ON d.text = {dtext} " if date else "")
                       + (f"LEFT JOIN {coords} c ON c.la = {stage_column(e.lat)} "
                          f"AND c.lo = {stage_column(e.lon)} " if coords else "")
                       + f"WHERE {mine} AND {ident} <> ''")
            source = f"FROM bulk_role_{j} s"
        else:
            source = f"FROM ({rows} {source}) s"
        found = ([("explicit", "lab", "lab <> ''")] if label else []) \
            + ([("ts", "ts", "ts IS NOT NULL")] if date is not None else []) \
            + ([("lat", "lat", "lat IS NOT NULL"), ("lon", "lon", "lat IS NOT NULL")]
               if coords else []) \
            + [(f"a{k}", f"a{k}", f"a{k} <> ''") for k in range(len(values))]
        self._temp(f"bulk_first_{j}", "SELECT raw, min(pos) AS first" + "".join(
            f", arg_min({col}, pos) FILTER (WHERE {cond}) AS {name}, "
            f"min(pos) FILTER (WHERE {cond}) AS {name}_at" for name, col, cond in found)
            + f" {source} GROUP BY raw")

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

    # ----- entities, their attributes and records --------------------------------------------
    def _entities(self, made: np.ndarray) -> None:
        """One row per identity of the file: label, date and coordinates the first found
        (roles in spec order, then rows), the search text folded (ASCII in SQL, the rest by
        ``fold`` in Python, distinct texts once); a record for each row that ``made`` one."""
        roles = list(self.spec.entities.values())
        attrs = [(j, k) for j, e in enumerate(roles) for k in range(len(e.attributes))]
        # only what the spec can give is looked for (each is an aggregate over every row)
        firsts = {"explicit": any(e.label is not None for e in roles),
                  "ts": any(e.date is not None for e in roles),
                  "lat": any(e.lat is not None for e in roles)}
        # each role's identities, their firsts taken from their texts' firsts (the first
        # row of an identity is the first of the first rows of its texts)
        nulls = {"explicit": "VARCHAR", "ts": "TIMESTAMP", "lat": "DOUBLE", "lon": "DOUBLE"}
        given = {"explicit": lambda e: e.label is not None, "ts": lambda e: e.date is not None,
                 "lat": lambda e: e.lat is not None, "lon": lambda e: e.lat is not None}

        def picks(e, grouped: bool) -> str:
            """The role's firsts of an identity: over its texts, or (one text each) as
            its text's."""
            def first(x: str, name: str) -> str:
                return (f"arg_min(f.{x}, f.{x}_at) FILTER (WHERE f.{x}_at IS NOT NULL) AS "
                        f"{name}" if grouped else f"f.{x} AS {name}")

            return "".join(
                ", " + first(name, name) if given[name](e) else f", NULL::{kind} AS {name}"
                for name, kind in nulls.items() if firsts["lat" if name == "lon" else name]
            ) + "".join(  # each attribute's first value, carried to the entity
                f", {first(f'a{k}', f'a{i}_{k}')}, "
                + (f"min(f.a{k}_at)" if grouped else f"f.a{k}_at") + f" AS a{i}_{k}_at"
                if roles[i] is e else
                f", NULL::VARCHAR AS a{i}_{k}, NULL::BIGINT AS a{i}_{k}_at" for i, k in attrs)

        def per_role_of(j: int, e) -> str:
            # an identity written one way only (an advert's id, most phones) is its text's
            # firsts as they are: no second grouping of millions of texts
            one_text = self.conn.execute(f"SELECT count(key) = count(DISTINCT key) "
                                         f"FROM bulk_ids_{j}").fetchall()[0][0]
            return (f"SELECT {j} AS role, $t{j} AS type, m.key, "
                    + ("f.first, f.raw AS written" if one_text else
                       "min(f.first) AS first, arg_min(f.raw, f.first) AS written")
                    + f"{picks(e, not one_text)} FROM bulk_first_{j} f "
                    f"JOIN bulk_ids_{j} m ON m.raw = f.raw WHERE m.key IS NOT NULL"
                    + ("" if one_text else " GROUP BY m.key"))

        per_role = "WITH per_role AS (" + " UNION ALL ".join(
            per_role_of(j, e) for j, e in enumerate(roles)) + ") "
        types = {f"t{j}": e.type for j, e in enumerate(roles)}
        # an entity's number: where it first appears (unique, in file order, unsorted)
        if len({e.type for e in roles}) == len(roles):  # each type from one role: as found
            self._temp("bulk_ent", per_role + (
                "SELECT role * $n + first AS ckey, type, key AS identity, "
                + ("coalesce(explicit, written)" if firsts["explicit"] else "written")
                + " AS label, " + ("ts" if firsts["ts"] else "NULL::TIMESTAMP") + " AS date, "
                + ("lat, lon" if firsts["lat"] else "NULL::DOUBLE AS lat, NULL::DOUBLE AS lon")
                + "".join(f", a{j}_{k}, a{j}_{k}_at" for j, k in attrs)
                + " FROM per_role"), {"n": self.n, **types})
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
                f"{label} AS label, {date} AS date, {place}"
                + "".join(f", arg_min(a{j}_{k}, a{j}_{k}_at) FILTER (WHERE a{j}_{k}_at IS NOT "
                          f"NULL) AS a{j}_{k}, min(a{j}_{k}_at) AS a{j}_{k}_at"
                          for j, k in attrs)
                + " FROM per_role GROUP BY type, key"), {"n": self.n, **types})
        texts = [r[0] for r in self.conn.execute(
            "SELECT DISTINCT x FROM (SELECT label AS x FROM bulk_ent UNION ALL "
            "SELECT identity FROM bulk_ent) WHERE strlen(x) <> length(x)").fetchall()]
        self._arrow("bulk_folds", folds(texts))

        def folded(x: str, alias: str) -> str:
            if not texts:  # all ASCII: no text to look up
                return ASCII_FOLD.format(x=x)
            return (f"CASE WHEN strlen({x}) = length({x}) THEN {ASCII_FOLD.format(x=x)} "
                    f"ELSE {alias}.f END")

        self._temp("chunk_entities", (
            "SELECT ckey, type, identity, label, date, lat, lon, "
            "CASE WHEN contains(fl, fi) THEN fl ELSE trim(fl || ' ' || fi) END AS fold FROM "
            f"(SELECT e.*, {folded('e.label', 'a')} AS fl, {folded('e.identity', 'b')} AS fi "
            "FROM bulk_ent e" + (" LEFT JOIN bulk_folds a ON a.x = e.label "
                                 "LEFT JOIN bulk_folds b ON b.x = e.identity" if texts else "")
            + ")"))
        self._arrow("bulk_made", pa.table({"pos": pa.array(np.flatnonzero(made), pa.int64())}))
        # a record per row that made something: its row, and its file and grading named once
        self._view("chunk_records", f"SELECT pos AS rkey, pos + {int(self.stage.first_row)} "
                   "AS row, 0 AS okey FROM bulk_made")
        self._temp("chunk_origins", "SELECT 0 AS okey, $name AS name, '' AS sheet, "
                   "$rel AS reliability, $cred AS credibility",
                   {"name": self.name, "rel": self.source.reliability,
                    "cred": self.source.credibility})
        self._entity_attributes()

    def _entity_attributes(self) -> None:
        roles = list(self.spec.entities.values())
        specs = {(j, k): a for j, e in enumerate(roles) for k, a in enumerate(e.attributes)}
        self._arrow("bulk_attr_names", pa.table({
            "role": pa.array([j for j, _ in specs], pa.int64()),
            "attr": pa.array([k for _, k in specs], pa.int64()),
            "name": pa.array([a.name for a in specs.values()], pa.string())}))
        # each entity's first value of each of its roles' attributes (found with it)
        every = " UNION ALL ".join(
            f"SELECT {j} AS role, {k} AS attr, a{j}_{k}_at AS pos, a{j}_{k} AS raw, ckey "
            f"FROM bulk_ent WHERE a{j}_{k}_at IS NOT NULL" for j, k in specs
        ) or "SELECT 0 AS role, 0 AS attr, 0::BIGINT AS pos, ''::VARCHAR AS raw, " \
             "0::BIGINT AS ckey WHERE false"
        named = {(roles[j].type, a.name) for (j, _), a in specs.items()}
        if len(named) == len(specs):  # one role and attribute gives each name of a type
            self._view("bulk_attr_first", "SELECT a.ckey, n.name, a.role, a.pos, a.attr, a.raw "
                       f"FROM ({every}) a JOIN bulk_attr_names n USING (role, attr)")
        else:  # the first value of each (entity, name), roles in spec order then rows: a
            # role and row hold one value of a name, so role * n + row orders them
            self._temp("bulk_attr_first", (
                "SELECT ckey, name, first // $n AS role, first % $n AS pos, attr, raw FROM ("
                "SELECT ckey, n.name, min(a.role * $n + a.pos) AS first, "
                "arg_min(a.attr, a.role * $n + a.pos) AS attr, "
                "arg_min(a.raw, a.role * $n + a.pos) AS raw "
                f"FROM ({every}) a JOIN bulk_attr_names n ON n.role = a.role "
                "AND n.attr = a.attr GROUP BY ckey, n.name)"), {"n": self.n})
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
        # a view: the landing reads it once for new entities and once for known ones, and
        # a copy of every attribute of millions of adverts costs more than the join again
        self._view("chunk_attributes", (
            "SELECT f.ckey, f.name, v.value, v.fold, f.pos, v.raw, v.why, v.role, "
            "v.attr FROM bulk_attr_first f JOIN bulk_attr_values v ON v.role = f.role "
            "AND v.attr = f.attr AND v.raw = f.raw"))
        for pos, raw, why, j, k in self.conn.execute(
                "SELECT pos, raw, why, role, attr FROM chunk_attributes WHERE why IS NOT NULL "
                "ORDER BY pos").fetchall():
            a = specs[(j, k)]
            col = ", ".join(a.column.columns)
            self.issue(pos, col, raw, f"{a.name}: {why}", WARNING, value_group(col, a.kind, why))
