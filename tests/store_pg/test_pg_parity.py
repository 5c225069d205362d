"""The same files imported into a ``.wbstore`` and, handled for all, into the shared store
read the same from either: search rows, charts, previews, expansions and paths."""

from __future__ import annotations

import pytest

from tests.store_pg.conftest import analyst, make_store, password
from tests.store_pg.test_pg_visibility import CALLS, CALLS_SPEC, ROUTES, ROUTES_SPEC
from workbench.io.importspec import load_spec
from workbench.model import Chart
from workbench.store import Filters, open_store
from workbench.store.charting import add_expansion, store_setting
from workbench.store.pg import parse_handling

IMPORTS = ((CALLS_SPEC, CALLS), (ROUTES_SPEC, ROUTES))


@pytest.fixture(scope="module")
def stores(cluster, tmp_path_factory):
    db = make_store(cluster, {"NGO": ["ana"], "Police": ["bob"]})
    duck = tmp_path_factory.mktemp("parity") / "same.wbstore"
    ana, bob = analyst(db, "ana"), analyst(db, "bob")
    with open_store(duck, create=True) as store:
        for spec, data in IMPORTS:
            store.import_files(load_spec(spec), spec.read_text(), [data])
    with open_store(cluster.analyst_url(db, ana, password(ana))) as store:
        for spec, data in IMPORTS:
            store.import_files(load_spec(spec), spec.read_text(), [data],
                               handling=parse_handling("all"))
    with open_store(duck, read_only=True) as embedded, \
            open_store(cluster.analyst_url(db, bob, password(bob))) as shared:
        yield embedded, shared


def _rows(hits) -> list[tuple]:
    return [(h.type, h.identity, h.label, h.links, h.sources) for h in hits]


def _identity_of(store, chart: Chart) -> set[tuple[str, str]]:
    return {(e.type, e.identity) for e in chart.entities.values()}


def test_search_rows_are_the_same(stores):
    """The same rows and scores (ties are ordered by store id, which the engines give out
    differently, so compared as sets)."""
    embedded, shared = stores
    for text in ("handset 5", "nigeria", "handset 12", "italy"):
        mine, theirs = embedded.search(text, limit=500), shared.search(text, limit=500)
        exact = {(*r, h.score) for r, h in zip(_rows(theirs), theirs, strict=True)
                 if h.matched != "similar label"}
        assert exact == {(*r, h.score) for r, h in zip(_rows(mine), mine, strict=True)
                         if h.matched != "similar label"}, text
        assert exact


def test_charts_previews_expansions_and_paths_are_the_same(stores):
    embedded, shared = stores
    (a,), (b,) = embedded.search("handset 5", limit=1), shared.search("handset 5", limit=1)
    for hops in (1, 2):
        one, two = embedded.chart([a.id], hops=hops, max_entities=5000), \
            shared.chart([b.id], hops=hops, max_entities=5000)
        assert _identity_of(embedded, one) == _identity_of(shared, two)
        assert len(one.links) == len(two.links)
        assert one.settings["display"] == two.settings["display"]
    # under a cap, ties are broken by store id: the counts agree, not always the members
    p1, p2 = embedded.preview([a.id], hops=2, max_entities=40), \
        shared.preview([b.id], hops=2, max_entities=40)
    assert (p1.entities, p1.entity_types) == (p2.entities, p2.entity_types) == \
        (40, {"Handset": 40}) and p1.more and p2.more
    # what one hop's cap left out does not depend on ties: the same count, said by the chart
    one, two = embedded.chart([a.id], hops=1, max_entities=5), \
        shared.chart([b.id], hops=1, max_entities=5)
    assert store_setting(one)["left_out"] == store_setting(two)["left_out"] == \
        shared.preview([b.id], hops=1, max_entities=5).more > 0
    calls = Filters(link_types=("Calls",))
    one, two = Chart(), Chart()
    add_expansion(one, embedded, embedded.expand(one, a.id, hops=1, filters=calls))
    add_expansion(two, shared, shared.expand(two, b.id, hops=1, filters=calls))
    assert _identity_of(embedded, one) == _identity_of(shared, two)
    assert store_setting(two)["engine"] == "postgresql"
    far = [embedded.search("handset 300", limit=1)[0].id, shared.search("handset 300",
                                                                         limit=1)[0].id]
    assert len(embedded.shortest_path(a.id, far[0])) == len(shared.shortest_path(b.id, far[1]))


def _connections(chart: Chart) -> dict[tuple, tuple]:
    """Each line of a chart by its ends' identities, type and direction: its label, dates,
    counts and first records' rows."""
    def ident(cid: str) -> tuple[str, str]:
        e = chart.entities[cid]
        return (e.type, e.identity)

    return {(ident(lk.end1), ident(lk.end2), lk.type, lk.direction.value): (
        lk.label, lk.date, {k: v.value for k, v in lk.attributes.items()
                            if k in ("links", "records", "end")},
        [r.row for r in lk.provenance]) for lk in chart.links.values()}


def test_connections_and_show_each_link_are_the_same(stores):
    """A link per connection, grouped in each engine's SQL: the same lines, counts, first
    and last dates and first records; its further records and Show Each Link bring the
    same from the store."""
    embedded, shared = stores
    (a,), (b,) = embedded.search("handset 1", limit=1), shared.search("handset 1", limit=1)
    one = embedded.chart([a.id], hops=1, max_entities=5000)  # no cap: ties differ
    two = shared.chart([b.id], hops=1, max_entities=5000)
    assert _connections(one) == _connections(two)
    several = [lk for lk in one.links.values() if lk.id in store_setting(one)["connections"]]
    assert several
    line = max(several, key=lambda lk: (lk.attributes["links"].value, lk.id))
    (twin,) = [lk for lk in two.links.values() if lk.label == line.label and
               (two.entities[lk.end1].identity, two.entities[lk.end2].identity) ==
               (one.entities[line.end1].identity, one.entities[line.end2].identity)
               and lk.type == line.type]
    # the line carries its first record; the store gives the rest, the same from either
    firsts = embedded.first_records(one, line.id, limit=20)
    assert [(r.source, r.file, r.row, r.grade) for r in firsts] == [
        (r.source, r.file, r.row, r.grade) for r in shared.first_records(two, twin.id,
                                                                          limit=20)]
    assert firsts[:1] == line.provenance and len(firsts) == min(
        20, line.attributes["records"].value) > 1
    mine, theirs = embedded.each_link(one, line.id), shared.each_link(two, twin.id)
    assert len(mine.links) == len(theirs.links) == line.attributes["links"].value > 1
    assert sorted((lk.date, [r.row for r in lk.provenance]) for lk in mine.links) == \
        sorted((lk.date, [r.row for r in lk.provenance]) for lk in theirs.links)
    add_expansion(two, shared, theirs)
    assert twin.id not in two.links
    p1 = embedded.preview([a.id], hops=1, max_entities=5000)
    p2 = shared.preview([b.id], hops=1, max_entities=5000)
    assert (p1.links, p1.connections) == (p2.links, p2.connections) == (
        sum(int(lk.attributes["links"].value) if "links" in lk.attributes else 1
            for lk in one.links.values()), len(one.links))
