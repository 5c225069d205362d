"""Finding entities in a store by what an analyst types.

Text is compared folded (rows.fold: transliterated, case-folded, punctuation and spacing
collapsed), so case, accents, scripts and spacing do not matter; what was typed is also
normalised as every identity kind would normalise it, so '07700 900123' finds the phone
'+447700900123' exactly. Small typos are caught by Jaro-Winkler similarity (DuckDB's
built-in, no extension to download) over the whole label and over each of its words. The
ranking: the identity itself, then the label exactly, starting with, containing the text,
an attribute containing it, and last similar spellings. All of it runs inside the database.

Similar spellings are not compared with every word of every label: a word is first compared
with the store's distinct words (``label_words``, kept by each import), and only the labels
holding one of the close words are scored. Strings whose lengths and digits put them out of
reach are skipped unread, by a bound that never skips a match (:func:`_reach`), so the
result is the one a comparison with every label gives.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import duckdb

from workbench.model import Kind, ParseError
from workbench.model.kinds import identity_key
from workbench.store.interface import SearchHit, StoreError
from workbench.store.rows import fold

SIMILAR = 0.88  # Jaro-Winkler similarity from which a spelling counts as a typo's
# Jaro-Winkler's most: the Jaro similarity raised by 0.1 of what it lacks per common first
# character, for at most 4 (JW <= 0.6 * Jaro + 0.4); Jaro = (m/|a| + m/|b| + (m - t)/m) / 3
# with m matching characters, so Jaro <= (m/|a| + m/|b| + 1) / 3
_REACH = 5 * (SIMILAR - 0.4)  # what m/|a| + m/|b| + 1 must reach for a similar spelling
_IDENTITY_KINDS = (Kind.TEXT, Kind.PHONE, Kind.EMAIL, Kind.USERNAME, Kind.URL, Kind.COUNTRY)


def identity_keys(text: str, region: str = "GB") -> list[str]:
    """What ``text`` would be as an identity of each kind (those it is valid for)."""
    keys: list[str] = []
    for kind in _IDENTITY_KINDS:
        try:
            key = identity_key(kind, text, region=region)
        except (ParseError, ValueError):
            continue
        if key not in keys:
            keys.append(key)
    return keys


_EXACT = """
WITH typed AS (
    SELECT id, identity, fold FROM entities
    WHERE len($types) = 0 OR list_contains($types, type)
),
candidates AS (
    -- each kind of match its own scan, so that the cheap ones (the identity: milliseconds)
    -- never wait on the dear ones; a match of a better kind always scores higher
    SELECT id, 1.0 AS score, 'identity' AS matched FROM typed
    WHERE list_contains($keys, identity)
    UNION ALL
    SELECT id, CASE WHEN fold = $q THEN 0.98 WHEN starts_with(fold, $q) THEN 0.95
        ELSE 0.9 END, 'label' FROM typed
    WHERE contains(fold, $q)
    UNION ALL
    SELECT a.entity_id, 0.85, 'attribute ' || a.name
    FROM entity_attributes a JOIN entities e ON e.id = a.entity_id
    WHERE contains(a.fold, $q) AND (len($types) = 0 OR list_contains($types, e.type))
),
"""
# the same with similar spellings, run when the exact matches left room on the page (so
# fewer than $limit labels contain the text)
_SIMILAR = """
WITH typed AS NOT MATERIALIZED (
    -- each use its own scan with its own filter, not one copy of every label
    SELECT id, identity, fold FROM entities
    WHERE len($types) = 0 OR list_contains($types, type)
),
close_ids AS MATERIALIZED ({close_ids}),
labels AS MATERIALIZED (
    -- one scan of the labels for two kinds of match: containing the text (scored here),
    -- and the whole label similar (only one near enough in length can be; kept with its
    -- text, to be scored below)
    SELECT id, CASE WHEN fold = $q THEN 0.98 WHEN starts_with(fold, $q) THEN 0.95
        WHEN contains(fold, $q) THEN 0.9 END AS score,
        CASE WHEN NOT contains(fold, $q) THEN fold END AS fold FROM typed
    WHERE contains(fold, $q) OR length(fold) BETWEEN $shortest AND $longest
        AND jaro_winkler_similarity(fold, $q) >= $similar
),
near AS (
    -- the only labels that can be similar: those above, and those holding a close word
    -- (a label without one has every word further than SIMILAR): a few, scored apart
    SELECT id, fold FROM labels WHERE score IS NULL
    UNION
    SELECT id, fold FROM typed WHERE id IN (SELECT id FROM close_ids)
),
candidates AS (
    SELECT id, 1.0 AS score, 'identity' AS matched FROM typed
    WHERE list_contains($keys, identity)
    UNION ALL
    SELECT id, score, 'label' FROM labels WHERE score IS NOT NULL
    UNION ALL
    SELECT a.entity_id, 0.85, 'attribute ' || a.name
    FROM entity_attributes a JOIN entities e ON e.id = a.entity_id
    WHERE contains(a.fold, $q) AND (len($types) = 0 OR list_contains($types, e.type))
    UNION ALL
    SELECT id, score, 'similar label' FROM (
        SELECT id, 0.8 * greatest(jaro_winkler_similarity(fold, $q),
            CASE WHEN $single THEN list_max(list_transform(string_split(fold, ' '),
                lambda w: jaro_winkler_similarity(w, $q))) ELSE 0 END) AS score
        FROM near)
    WHERE score >= 0.8 * $similar
),
"""
_BEST = """best AS (
    SELECT id, arg_max(matched, score) AS matched, max(score)::DOUBLE AS score
    FROM candidates GROUP BY id
    ORDER BY score DESC, id LIMIT $limit
)
"""
_DETAILS = """, reach AS MATERIALIZED (
    -- the links of each hit, read once for its count of links and of sources
    SELECT end1 AS id, source_id, record_id FROM links WHERE end1 IN (SELECT id FROM best)
    UNION ALL
    SELECT end2, source_id, record_id FROM links
    WHERE end2 IN (SELECT id FROM best) AND end1 <> end2
)
SELECT e.id, e.type, e.label, e.identity, b.score, b.matched,
    coalesce(lc.n, 0) AS links, coalesce(sc.n, 0) AS sources
FROM best b JOIN entities e ON e.id = b.id
LEFT JOIN (SELECT id, count(*) AS n FROM reach GROUP BY id) lc ON lc.id = e.id
LEFT JOIN (
    -- the sources of an entity's records: those of the links that reach it (a link's
    -- source is its first record's), a merged link's further records, and the records
    -- that made it without a link (the tables behind the view entity_records)
    SELECT id, count(DISTINCT source_id) AS n FROM (
        SELECT id, source_id FROM reach WHERE record_id IS NOT NULL
        UNION ALL
        SELECT unnest([l.end1, l.end2]), r.source_id FROM link_records_more x
        JOIN links l ON l.id = x.link_id JOIN record_rows r ON r.id = x.record_id
        WHERE l.end1 IN (SELECT id FROM best) OR l.end2 IN (SELECT id FROM best)
        UNION ALL
        SELECT x.entity_id, r.source_id FROM entity_records_more x
        JOIN record_rows r ON r.id = x.record_id WHERE x.entity_id IN (SELECT id FROM best))
    GROUP BY id) sc ON sc.id = e.id
ORDER BY b.score DESC, links DESC, e.id
"""
_NO_IDS = "SELECT NULL::BIGINT AS id WHERE false"
# the labels holding close word $w<k> as a whole word: only the $limit first by id, since
# each scores the same and the ranking breaks ties by id (the scan stops reading row groups
# past the limit's id, so a word in millions of labels costs milliseconds)
_HOLDING = ("(SELECT id FROM typed WHERE NOT contains(fold, $q) AND contains(fold, $w{k}) "
            "AND regexp_matches(fold, $p{k}) ORDER BY id LIMIT $limit)")


def search(conn: duckdb.DuckDBPyConnection, text: str, *, types: Sequence[str] = (),
           limit: int = 20) -> list[SearchHit]:
    q = fold(text)
    if not q:
        return []
    params = {"q": q, "keys": identity_keys(text), "types": list(types),
              "limit": max(1, int(limit))}
    rows = conn.execute(_EXACT + _BEST + _DETAILS, params).fetchall()
    if len(rows) < params["limit"] and len(q) >= 4 and not any(r[5] == "identity"
                                                                for r in rows):
        # room left and no identity typed exactly: look for similar spellings too (they
        # rank below every exact match, so a full page of exact matches never needs the
        # slower comparison)
        shortest, longest = _reach(len(q))
        close = _close_words(conn, q) if " " not in q else []
        words = {f"w{k}": w for k, w in enumerate(close)}
        patterns = {f"p{k}": rf"\b{re.escape(w)}\b" for k, w in enumerate(close)}
        sql = _SIMILAR.format(close_ids=" UNION ALL ".join(
            _HOLDING.format(k=k) for k in range(len(close))) or _NO_IDS) + _BEST + _DETAILS
        rows = conn.execute(sql, params | words | patterns | {
            "single": " " not in q, "similar": SIMILAR, "shortest": shortest,
            "longest": longest}).fetchall()
    return _hits(rows)


def _reach(n: int) -> tuple[int, int]:
    """The lengths a string must have to be a similar spelling of one of ``n``
    characters: with m <= min(n, k) matches, m/n + m/k + 1 >= _REACH needs
    k >= (_REACH - 2) n and k <= n / (_REACH - 2)."""
    return math.ceil((_REACH - 2) * n - 1e-9), math.floor(n / (_REACH - 2) + 1e-9)


def _close_words(conn: duckdb.DuckDBPyConnection, q: str) -> list[str]:
    """The store's words similar to the one word ``q``. A digit matches only a digit and
    a letter only a letter, so a word of l letters and d digits has at most
    m = min(l, n - e) + min(d, e) characters in common with ``q`` (n characters, e of
    them digits): a word that bound puts out of reach is not compared, and one with fewer
    than (_REACH - 2) n - e letters is not even read (label_words is kept in order of
    letters, so whole row groups of ids and numbers are skipped)."""
    n, e = len(q), sum(c.isdigit() for c in q)
    return [w for (w,) in conn.execute(
        "SELECT word FROM (SELECT word, least(letters, $n - $e) + least(digits, $e) AS m, "
        "letters + digits AS k FROM label_words WHERE letters >= $fewest) "
        "WHERE m > 0 AND m / $n + m / k + 1 >= $reach "
        "AND jaro_winkler_similarity(word, $q) >= $similar ORDER BY word",
        {"n": float(n), "e": e, "fewest": math.ceil((_REACH - 2) * n - e - 1e-9),
         "reach": _REACH - 1e-9, "q": q, "similar": SIMILAR}).fetchall()]


def entity_row(conn: duckdb.DuckDBPyConnection, entity: int) -> SearchHit | None:
    """One entity as a search row (type, label, links, sources), or None."""
    rows = conn.execute("WITH best AS (SELECT $id::BIGINT AS id, 'id' AS matched, "
                        "1.0 AS score) " + _DETAILS, {"id": int(entity)}).fetchall()
    return _hits(rows)[0] if rows else None


def _hits(rows: list[tuple]) -> list[SearchHit]:
    return [SearchHit(id=r[0], type=r[1], label=r[2], identity=r[3], score=round(r[4], 3),
                      matched=r[5], links=r[6], sources=r[7]) for r in rows]


def resolve_seed(conn: duckdb.DuckDBPyConnection, seed: str, where: str) -> int:
    """A seed as the analyst gave it: an entity id, else the best match for the text."""
    text = seed.strip()
    if text.isdigit():
        found = conn.execute("SELECT id FROM entities WHERE id = ?", [int(text)]).fetchone()
        if found is not None:
            return int(found[0])
    hits = search(conn, text, limit=1)
    if not hits:
        raise StoreError(f"{where}: no entity matches {seed!r} (try 'workbench store search')")
    return hits[0].id
