"""One chunk of an import landing in PostgreSQL: COPYed into temporary staging tables, then
merged into the store's tables by a handful of set-based statements.

The chunk's Arrow tables (workbench.store.rows) are written as CSV straight into ``COPY ...
FROM STDIN``: the server's bulk path, no row inserted on its own. Then, inside the import's
transaction:

1. ``wb_entity_ids`` (policies.py) inserts the chunk's identities with ``ON CONFLICT (type,
   identity) DO NOTHING`` and returns every identity's id, so two analysts importing the same
   phone at once get one entity: the database's unique key decides, not the client;
2. what this source says about each entity (label, date, place, search text) and its
   attributes, once per entity and source;
3. the source records, with the ids their staging rows drew from the table's sequence as
   COPY wrote them, and the provenance of entities;
4. the links: a spec link with ``merge: true`` joins the store's link of its type between the
   same ends with the same owner and handling (a unique index, ``ON CONFLICT DO NOTHING``),
   every other link is new (with the id its staging row drew); then their provenance.

Every row written carries the source's id and the records and links its owner and handling,
which the row-level policies check on the way in (an analyst can only write rows of a source
of their own) and on the way out.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv

from workbench.store.rows import ChunkRows

# A record's and a link's id is drawn from its table's sequence as COPY writes the staging
# row (the column default), so no statement of its own maps chunk keys to new ids; a merged
# link's drawn id goes unused when the store has the link already (a gap, as the sequences'
# caches leave anyway). The key columns are primary keys: the planner's only knowledge of a
# staging table (they are never ANALYZEd) and what keeps its joins hash joins.
STAGING = """
CREATE TEMP TABLE s_entities (ckey BIGINT, type TEXT, identity TEXT, label TEXT,
    date TIMESTAMP, lat DOUBLE PRECISION, lon DOUBLE PRECISION, fold TEXT) ON COMMIT DROP;
CREATE TEMP TABLE s_attributes (ckey BIGINT, name TEXT, value TEXT, fold TEXT) ON COMMIT DROP;
CREATE TEMP TABLE s_records (rkey BIGINT PRIMARY KEY, name TEXT, sheet TEXT, "row" BIGINT,
    reliability TEXT, credibility TEXT,
    id BIGINT NOT NULL DEFAULT nextval('workbench.records_id_seq')) ON COMMIT DROP;
CREATE TEMP TABLE s_entity_records (ckey BIGINT, rkey BIGINT) ON COMMIT DROP;
CREATE TEMP TABLE s_links (clink BIGINT PRIMARY KEY, a BIGINT, b BIGINT, type TEXT,
    label TEXT, direction TEXT, strength TEXT, date TIMESTAMP, attributes TEXT, merged BOOLEAN,
    id BIGINT NOT NULL DEFAULT nextval('workbench.links_id_seq')) ON COMMIT DROP;
CREATE TEMP TABLE s_link_records (clink BIGINT, rkey BIGINT) ON COMMIT DROP;
CREATE TEMP TABLE m_entities (ckey BIGINT PRIMARY KEY, id BIGINT, created BOOLEAN)
    ON COMMIT DROP;
CREATE TEMP TABLE m_links (clink BIGINT PRIMARY KEY, end1 BIGINT, end2 BIGINT, type TEXT,
    id BIGINT) ON COMMIT DROP;
"""
_TABLES = ("entities", "attributes", "records", "entity_records", "links", "link_records")
_TEMP = ", ".join([*(f"s_{t}" for t in _TABLES), "m_entities", "m_links"])


@dataclass(frozen=True, slots=True)
class Owner:
    """Who a source's rows belong to and who may see them, as the tables store it."""

    source_id: int
    org_id: int
    handling: str
    shared_with: list[int]


def create_staging(conn: psycopg.Connection) -> None:
    """The staging tables, dropped when the import's transaction ends. The merges join a
    chunk's staging tables by hash, whose tables (a few MB each at 100,000 rows) must fit
    the transaction's ``work_mem`` (default 4 MB), else they are split into batches written
    to disk and read back."""
    conn.execute("SET LOCAL work_mem = '64MB'")
    conn.execute(STAGING)


def copy_table(conn: psycopg.Connection, name: str, table: pa.Table) -> None:
    """``table`` into staging table ``name`` through COPY (CSV: an unquoted empty field is
    NULL, a quoted one an empty string, as pyarrow writes them)."""
    if not table.num_rows:
        return
    buffer = io.BytesIO()
    pacsv.write_csv(table, buffer, pacsv.WriteOptions(include_header=False))
    columns = ", ".join(f'"{c}"' for c in table.column_names)
    with conn.cursor().copy(f"COPY {name} ({columns}) FROM STDIN (FORMAT csv)") as copy:
        copy.write(buffer.getbuffer())


def land(conn: psycopg.Connection, rows: ChunkRows, owner: Owner) -> tuple[int, int]:
    """Merge one chunk into the store; returns (entities new to the store, links added)."""
    conn.execute(f"TRUNCATE {_TEMP}")
    for name in _TABLES:
        copy_table(conn, f"s_{name}", getattr(rows, name))
    source = owner.source_id
    conn.execute(
        "INSERT INTO m_entities SELECT n - 1, id, created FROM wb_entity_ids("
        "(SELECT coalesce(array_agg(type ORDER BY ckey), '{}') FROM s_entities), "
        "(SELECT coalesce(array_agg(identity ORDER BY ckey), '{}') FROM s_entities))")
    new = conn.execute("SELECT count(*) FROM m_entities WHERE created").fetchone()[0]
    conn.execute(
        "INSERT INTO entity_sources (entity_id, source_id, label, date, lat, lon, fold) "
        "SELECT m.id, %s, n.label, n.date, n.lat, n.lon, n.fold "
        "FROM s_entities n JOIN m_entities m USING (ckey) "
        "ON CONFLICT (entity_id, source_id) DO NOTHING", [source])
    conn.execute(
        "INSERT INTO entity_attributes (entity_id, source_id, name, value, fold) "
        "SELECT m.id, %s, a.name, a.value, a.fold "
        "FROM s_attributes a JOIN m_entities m USING (ckey) "
        "ON CONFLICT (entity_id, name, source_id) DO NOTHING", [source])
    conn.execute(
        "INSERT INTO records (id, source_id, org_id, handling, shared_with, name, sheet, "
        "\"row\", reliability, credibility) SELECT r.id, %s, %s, %s, %s::int[], r.name, r.sheet, "
        "r.\"row\", r.reliability, r.credibility FROM s_records r",
        [source, owner.org_id, owner.handling, owner.shared_with])
    conn.execute(
        "INSERT INTO entity_records (entity_id, record_id, source_id) "
        "SELECT e.id, r.id, %s FROM s_entity_records x "
        "JOIN m_entities e USING (ckey) JOIN s_records r USING (rkey)", [source])
    return int(new), _links(conn, owner)


def _links(conn: psycopg.Connection, owner: Owner) -> int:
    """The chunk's links: every one not merged is new, with the id its staging row drew; a
    merged one joins the store's link of its type between the same ends and owner."""
    mine = [owner.source_id, owner.org_id, owner.handling, owner.shared_with]
    ends = "JOIN m_entities a ON a.ckey = l.a JOIN m_entities b ON b.ckey = l.b"
    added = conn.execute(
        "INSERT INTO links (id, end1, end2, type, label, direction, strength, date, "
        "attributes, merged, source_id, org_id, handling, shared_with) "
        "SELECT l.id, a.id, b.id, l.type, l.label, l.direction, l.strength, l.date, "
        f"l.attributes, false, %s, %s, %s, %s::int[] FROM s_links l {ends} "
        "WHERE NOT l.merged", mine).rowcount
    conn.execute(
        "INSERT INTO link_records (link_id, record_id, source_id) "
        "SELECT l.id, r.id, %s FROM s_link_records x JOIN s_links l USING (clink) "
        "JOIN s_records r USING (rkey) WHERE NOT l.merged", [owner.source_id])
    if not conn.execute("INSERT INTO m_links SELECT l.clink, a.id, b.id, l.type "
                        f"FROM s_links l {ends} WHERE l.merged").rowcount:
        return max(int(added), 0)
    added += conn.execute(
        "INSERT INTO links (id, end1, end2, type, label, direction, strength, date, "
        "attributes, merged, source_id, org_id, handling, shared_with) "
        "SELECT DISTINCT ON (m.type, m.end1, m.end2) l.id, m.end1, m.end2, l.type, l.label, "
        "l.direction, l.strength, l.date, l.attributes, true, %s, %s, %s, %s::int[] "
        "FROM s_links l JOIN m_links m USING (clink) "
        "ORDER BY m.type, m.end1, m.end2, l.clink "
        "ON CONFLICT (type, end1, end2, org_id, handling, shared_with) WHERE merged "
        "DO NOTHING", mine).rowcount
    # a new statement: it sees a merged link another import committed meanwhile
    conn.execute(
        "UPDATE m_links m SET id = x.id FROM links x WHERE x.merged "
        "AND x.type = m.type AND x.end1 = m.end1 AND x.end2 = m.end2 AND x.org_id = %s "
        "AND x.handling = %s AND x.shared_with = %s::int[]", mine[1:])
    conn.execute(
        "INSERT INTO link_records (link_id, record_id, source_id) "
        "SELECT m.id, r.id, %s FROM s_link_records x "
        "JOIN m_links m USING (clink) JOIN s_records r USING (rkey)", [owner.source_id])
    return max(int(added), 0)
