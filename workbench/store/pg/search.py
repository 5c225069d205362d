"""Finding entities in the shared store by what an analyst types, with pg_trgm.

The same folded text as the embedded store searches (``rows.fold``: transliterated,
case-folded, punctuation and spacing collapsed), kept per source in ``entity_sources.fold``,
is matched through its trigram index: the identity as every kind would normalise the typed
text (1.0), the label exactly (0.98), starting with it (0.95), containing it (0.9, an indexed
``LIKE``), an attribute containing it (0.85), then spellings whose trigrams are close to the
whole label or to one of its words (typos: 0.8 times pg_trgm's similarity, from
``SIMILAR``). Ties go to the entity with more links. Row-level security filters every table
read: an analyst matches only what the sources they may see say, and counts only the links
and sources they may see; the label shown is the one the first such source gave.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg

from workbench.store.interface import SearchHit, StoreError
from workbench.store.rows import fold
from workbench.store.search import identity_keys

SIMILAR = 0.5  # pg_trgm (word) similarity from which a spelling counts as a typo's

# Run by the administrator (a superuser) when the store is made. Row-level security lets
# the planner use an index for a condition only if its operator is LEAKPROOF (else the
# policy must be checked on every row first, and a trigram search reads the whole table:
# 1.3 s instead of 30 ms at 100,000 entities). These four compare their two arguments and
# raise no error that depends on a row's value (LIKE fails only on a malformed pattern, which
# is ours), so they are declared so in this database; and identities get their own index.
SEARCH_SETUP = """
CREATE INDEX entities_identity ON entities (identity);
ALTER FUNCTION pg_catalog.textlike(text, text) LEAKPROOF;
ALTER FUNCTION similarity_op(text, text) LEAKPROOF;
ALTER FUNCTION word_similarity_op(text, text) LEAKPROOF;
ALTER FUNCTION word_similarity_commutator_op(text, text) LEAKPROOF;
"""

_LABEL_SCORE = """CASE WHEN s.fold = %(q)s THEN 0.98 WHEN s.fold LIKE %(start)s THEN 0.95
        WHEN s.fold LIKE %(inside)s THEN 0.9
        ELSE 0.8 * greatest(similarity(s.fold, %(q)s), word_similarity(%(q)s, s.fold)) END"""

_MATCHES = """
WITH matches AS (
    SELECT e.id, 1.0 AS score, 'identity' AS matched FROM entities e
    WHERE e.identity = ANY(%(keys)s::text[])
    UNION ALL
    SELECT s.entity_id, {score},
        CASE WHEN s.fold LIKE %(inside)s THEN 'label' ELSE 'similar label' END
    FROM entity_sources s WHERE {label_match}
    UNION ALL
    SELECT a.entity_id, 0.85, 'attribute ' || a.name FROM entity_attributes a
    WHERE a.fold <> '' AND a.fold LIKE %(inside)s
),
best AS (
    SELECT DISTINCT ON (m.id) m.id, m.matched, m.score FROM matches m
    JOIN entities e ON e.id = m.id
    WHERE (cardinality(%(types)s::text[]) = 0 OR e.type = ANY(%(types)s::text[]))
    ORDER BY m.id, m.score DESC, m.matched
),
top AS (SELECT * FROM best ORDER BY score DESC, id LIMIT %(limit)s)
"""

# what an analyst sees of an entity: the first visible source's label, counts they may see
DETAILS = """SELECT e.id, e.type, v.label, e.identity, b.score, b.matched,
    (SELECT count(*) FROM links l WHERE l.end1 = e.id)
    + (SELECT count(*) FROM links l WHERE l.end2 = e.id AND l.end1 <> e.id) AS links,
    (SELECT count(*) FROM entity_sources s WHERE s.entity_id = e.id) AS sources
FROM top b JOIN entities e ON e.id = b.id
JOIN LATERAL (SELECT s.label FROM entity_sources s WHERE s.entity_id = e.id
              ORDER BY s.source_id LIMIT 1) v ON true
ORDER BY b.score DESC, links DESC, e.id
"""

_EXACT = (_MATCHES.format(score=_LABEL_SCORE, label_match="s.fold LIKE %(inside)s")
          + DETAILS)
_SIMILAR = (_MATCHES.format(score=_LABEL_SCORE, label_match="(s.fold LIKE %(inside)s "
                            "OR s.fold %% %(q)s OR %(q)s <%% s.fold)") + DETAILS)


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search(conn: psycopg.Connection, text: str, *, types: Sequence[str] = (),
           limit: int = 20) -> list[SearchHit]:
    q = fold(text)
    if not q:
        return []
    params: dict[str, Any] = {
        "q": q, "start": _like(q) + "%", "inside": "%" + _like(q) + "%",
        "keys": identity_keys(text), "types": list(types), "limit": max(1, int(limit))}
    rows = conn.execute(_EXACT, params).fetchall()
    if len(rows) < params["limit"] and len(q) >= 4 and not any(r[5] == "identity"
                                                                for r in rows):
        # room left and no identity typed exactly: similar spellings too, through the
        # trigram index, with pg_trgm's thresholds set for this transaction only
        conn.execute("SELECT set_config('pg_trgm.similarity_threshold', %(s)s, true), "
                     "set_config('pg_trgm.word_similarity_threshold', %(s)s, true)",
                     {"s": str(SIMILAR)})
        rows = conn.execute(_SIMILAR, params).fetchall()
    return _hits(rows)


def entity_row(conn: psycopg.Connection, entity: int) -> SearchHit | None:
    """One entity as a search row (type, label, links, sources), or None when there is
    none the analyst may see."""
    rows = conn.execute("WITH top AS (SELECT %(id)s::bigint AS id, 'id' AS matched, "
                        "1.0 AS score) " + DETAILS, {"id": int(entity)}).fetchall()
    return _hits(rows)[0] if rows else None


def _hits(rows: list[tuple]) -> list[SearchHit]:
    return [SearchHit(id=r[0], type=r[1], label=r[2], identity=r[3],
                      score=round(float(r[4]), 3), matched=r[5], links=r[6], sources=r[7])
            for r in rows]


def resolve_seed(conn: psycopg.Connection, seed: str, where: str) -> int:
    """A seed as the analyst gave it: an entity id they may see, else the best match."""
    text = seed.strip()
    if text.isdigit() and int(text) < 2 ** 63:
        found = conn.execute("SELECT id FROM entities WHERE id = %s", [int(text)]).fetchone()
        if found is not None:
            return int(found[0])
    hits = search(conn, text, limit=1)
    if not hits:
        raise StoreError(f"{where}: no entity matches {seed!r} (try 'workbench store search')")
    return hits[0].id
