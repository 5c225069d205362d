"""A shared store of three organisations, written as the superuser straight into the tables,
and what each analyst may see of it worked out from those raw tables in Python.

NGO, Police and Bank; NGO and Bank each have a sharing agreement with Police. Five sources:
NGO's routes for all; NGO's victims for the owner only; Bank's referral shared with Police;
Police's own cases; NGO's hotline shared with Bank, which has no agreement with NGO, so Bank
does not see it. Entities overlap between sources (Grace, the phone +447700900001, and
generated phones), so one entity shows different labels, provenance and links to different
analysts. The expected answers here re-state the sharing rule independently of the row
policies (handling ``all``; the owner; ``named`` with a list naming the reader and an
agreement from owner to reader) and read the tables as the superuser, whom no policy
filters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import psycopg

from workbench.store.rows import fold

ORGS = {"NGO": ["ana"], "Police": ["bob"], "Bank": ["cat"]}
AGREEMENTS = (("NGO", "Police"), ("Bank", "Police"))
GENERATED = 12  # phones each source adds, every third one shared with the other sources


@dataclass
class Source:
    name: str
    org: str
    handling: str
    shared_with: tuple[str, ...] = ()
    entities: list[tuple[str, str, str]] = field(default_factory=list)  # type, identity, label
    links: list[tuple[int, int, str]] = field(default_factory=list)  # indexes into entities
    attributes: list[tuple[int, str, str]] = field(default_factory=list)  # entity, name, text


def sources() -> list[Source]:
    grace, lagos, milan = ("Person", "grace okafor", "Grace Okafor"), \
        ("Location", "lagos", "Lagos"), ("Location", "milan", "Milan")
    phone = ("Phone", "+447700900001", "+44 7700 900001")
    made = [
        Source("Routes", "NGO", "all", entities=[grace, lagos, milan],
               links=[(0, 1, "Travelled"), (0, 2, "Travelled"), (1, 2, "Route")],
               attributes=[(0, "nationality", "Nigerian")]),
        Source("Victims", "NGO", "owner",
               entities=[("Person", "blessing eze", "Blessing Eze"),
                         (phone[0], phone[1], "Blessing's phone"), grace],
               links=[(0, 1, "Uses"), (0, 2, "Knows")],
               attributes=[(0, "age", "17"), (2, "note", "recruiter of Blessing")]),
        Source("Referral", "Bank", "named", ("Police",),
               entities=[phone, ("Account", "gb000001", "GB00 0001"),
                         ("Person", "grace okafor", "OKAFOR, Grace")],
               links=[(1, 0, "Registered to"), (1, 2, "Holder")]),
        Source("Cases", "Police", "owner",
               entities=[("Person", "иван петров", "Иван Петров"), phone, milan],
               links=[(0, 1, "Calls"), (0, 2, "Seen in")]),
        Source("Hotline", "NGO", "named", ("Bank",),
               entities=[("Person", "hidden caller", "Hidden Caller"), phone],
               links=[(0, 1, "Calls")], attributes=[(1, "note", "hotline tip")]),
    ]
    for n, source in enumerate(made, start=1):  # a fan of phones around each source's first
        for k in range(GENERATED):
            number = f"+4477009{k:05d}" if k % 3 == 0 else f"+447700{n}{k:05d}"
            source.entities.append(("Phone", number, f"handset {n}-{k}"))
            source.links.append((0, len(source.entities) - 1, "Calls"))
    return made


def write(conn: psycopg.Connection, made: list[Source] | None = None) -> None:
    """Write the five sources (or ``made``) as an import would have (the superuser bypasses
    policies)."""
    orgs = dict(conn.execute("SELECT name, id FROM organisations").fetchall())
    record_row = 0
    for source in sources() if made is None else made:
        shared = [orgs[o] for o in source.shared_with]
        sid = conn.execute(
            "INSERT INTO sources (org_id, handling, shared_with, name, file, file_hash, "
            "rows_read, rows_imported, imported_at, spec_name, spec, imported_by) VALUES "
            "(%s, %s, %s, %s, %s, %s, 1, 1, now(), 'spec', '', 'postgres') RETURNING id",
            [orgs[source.org], source.handling, shared, source.name,
             f"{source.name.lower()}.csv", f"hash-{source.name}"]).fetchone()[0]
        ids = []
        for type_, identity, label in source.entities:
            conn.execute("INSERT INTO entities (type, identity) VALUES (%s, %s) "
                         "ON CONFLICT DO NOTHING", [type_, identity])
            eid = conn.execute("SELECT id FROM entities WHERE type = %s AND identity = %s",
                               [type_, identity]).fetchone()[0]
            ids.append(eid)
            conn.execute("INSERT INTO entity_sources (entity_id, source_id, label, fold) "
                         "VALUES (%s, %s, %s, %s)", [eid, sid, label,
                                                     fold(f"{label} {identity}")])
        for owner, name, text in source.attributes:
            conn.execute("INSERT INTO entity_attributes VALUES (%s, %s, %s, %s, %s)",
                         [ids[owner], sid, name, f'{{"kind": "text", "value": "{text}"}}',
                          fold(text)])
        for a, b, link_type in source.links:
            record_row += 1
            rid = conn.execute(
                "INSERT INTO records (source_id, org_id, handling, shared_with, name, sheet, "
                "\"row\", reliability, credibility) VALUES (%s, %s, %s, %s, %s, '', %s, 'B', "
                "'2') RETURNING id", [sid, orgs[source.org], source.handling, shared,
                                      source.name, record_row]).fetchone()[0]
            lid = conn.execute(
                "INSERT INTO links (end1, end2, type, label, direction, strength, merged, "
                "source_id, org_id, handling, shared_with) VALUES (%s, %s, %s, '', 'forward', "
                "'confirmed', false, %s, %s, %s, %s) RETURNING id",
                [ids[a], ids[b], link_type, sid, orgs[source.org], source.handling,
                 shared]).fetchone()[0]
            conn.execute("INSERT INTO link_records VALUES (%s, %s, %s)", [lid, rid, sid])
            for end in (ids[a], ids[b]):
                conn.execute("INSERT INTO entity_records VALUES (%s, %s, %s)", [end, rid, sid])


class Raw:
    """What one organisation's analysts may see, from the raw tables."""

    def __init__(self, conn: psycopg.Connection, organisation: str) -> None:
        org = conn.execute("SELECT id FROM organisations WHERE name = %s",
                           [organisation]).fetchone()[0]
        agreements = set(conn.execute("SELECT owner_org, with_org FROM sharing").fetchall())
        self.sources = {sid for sid, owner, handling, shared in conn.execute(
            "SELECT id, org_id, handling, shared_with FROM sources").fetchall()
            if owner == org or handling == "all"
            or (handling == "named" and org in shared and (owner, org) in agreements)}
        seen = list(self.sources)
        self.labels: dict[int, str] = {}
        for eid, label in conn.execute(
                "SELECT entity_id, label FROM entity_sources WHERE source_id = ANY(%s) "
                "ORDER BY source_id DESC", [seen]).fetchall():
            self.labels[eid] = label  # the earliest visible source's, written last
        self.folds = conn.execute("SELECT entity_id, fold FROM entity_sources "
                                  "WHERE source_id = ANY(%s) UNION ALL "
                                  "SELECT entity_id, fold FROM entity_attributes "
                                  "WHERE source_id = ANY(%s)", [seen, seen]).fetchall()
        self.links = {lid: (a, b, t, source) for lid, a, b, t, source in conn.execute(
            "SELECT id, end1, end2, type, source_id FROM links WHERE source_id = ANY(%s)",
            [seen]).fetchall()}
        self.graph = nx.MultiGraph()
        self.graph.add_nodes_from(self.labels)
        for lid, (a, b, _, _) in self.links.items():
            self.graph.add_edge(a, b, key=lid)
        self.hidden = {eid for (eid,) in conn.execute("SELECT id FROM entities").fetchall()
                       } - set(self.labels)

    def matching(self, text: str) -> set[int]:
        """Entities whose visible label, identity or attribute contains ``text`` (folded)."""
        return {eid for eid, folded in self.folds if fold(text) in folded}

    def within(self, seed: int, hops: int) -> set[int]:
        return set(nx.single_source_shortest_path_length(self.graph, seed, cutoff=hops))

    def links_among(self, entities: set[int]) -> set[int]:
        return {lid for lid, (a, b, _, _) in self.links.items()
                if a in entities and b in entities}
