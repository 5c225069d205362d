"""Reading the shared store as each analyst of three organisations: search, charts,
expansions, paths and "new in the store" give exactly what the sharing allows, checked
against the raw tables read as the superuser; an entity known only from hidden records
appears in none of them."""

from __future__ import annotations

import pytest

from tests.store_pg.conftest import analyst, make_store, password
from tests.store_pg.three_orgs import AGREEMENTS, ORGS, Raw, Source, write
from workbench.model import Chart
from workbench.store import Filters, PasswordNeeded, StoreError, open_store
from workbench.store.charting import add_expansion, links_between, store_setting

ROLES = {"NGO": "ana", "Police": "bob", "Bank": "cat"}


@pytest.fixture(scope="module")
def shared(cluster) -> str:
    database = make_store(cluster, ORGS, AGREEMENTS)
    with cluster.superuser(database) as conn:
        write(conn)
    return database


@pytest.fixture(scope="module")
def raw(cluster, shared) -> dict[str, Raw]:
    with cluster.superuser(shared) as conn:
        return {org: Raw(conn, org) for org in ORGS}


def url(cluster, database: str, org: str, with_password: bool = True) -> str:
    role = analyst(database, ROLES[org])
    return cluster.analyst_url(database, role, password(role) if with_password else None)


@pytest.fixture(params=list(ORGS))
def as_org(request, cluster, shared, raw):
    org = request.param
    with open_store(url(cluster, shared, org)) as store:
        yield org, store, raw[org]


def test_the_sharing_gives_each_organisation_its_sources(raw):
    names = {org: len(r.sources) for org, r in raw.items()}
    assert names == {"NGO": 3, "Police": 3, "Bank": 2}
    assert raw["Police"].hidden and raw["Bank"].hidden and raw["NGO"].hidden


def test_search_finds_what_the_analyst_may_see_and_nothing_else(as_org):
    org, store, r = as_org
    for text in ("grace", "handset", "+44 7700", "blessing", "caller", "ivan petrov", "gb00"):
        hits = store.search(text, limit=500)
        exact = {h.id for h in hits if h.matched != "similar label"}
        assert exact == r.matching(text), (org, text)
        assert not {h.id for h in hits} & r.hidden, (org, text)
        for h in hits:
            assert h.label == r.labels[h.id]
            assert h.links == r.graph.degree(h.id) - nx_self_loops(r, h.id)


def nx_self_loops(r: Raw, entity: int) -> int:
    return sum(1 for a, b, _, _ in r.links.values() if a == b == entity)


def test_search_forgives_scripts_typos_and_spacing(cluster, shared):
    with open_store(url(cluster, shared, "Police")) as store:
        assert store.search("Ivan Petrov")[0].label == "Иван Петров"  # transliterated
        assert store.search("okafr")[0].label == "Grace Okafor"  # a typo, by trigrams
        assert store.search("GRACE   okafor")[0].label == "Grace Okafor"
        phone = store.search("07700 900001")[0]  # typed as dialled: the identity itself
        assert (phone.identity, phone.matched, phone.label) == ("+447700900001", "identity",
                                                                "+44 7700 900001")
        assert phone.sources == 2  # the referral and the cases; not the victims' file
    with open_store(url(cluster, shared, "NGO")) as store:
        assert store.search("07700 900001")[0].label == "Blessing's phone"
        assert store.search("hotline tip")[0].matched == "attribute note"


def test_a_hidden_entity_is_nowhere(cluster, shared, raw):
    with cluster.superuser(shared) as conn:
        blessing = conn.execute("SELECT id FROM entities WHERE identity = 'blessing eze'"
                                ).fetchone()[0]
    for org in ("Police", "Bank"):
        assert blessing in raw[org].hidden
        with open_store(url(cluster, shared, org)) as store:
            assert store.search("Blessing") == []
            assert store.search("blessing eze") == []
            assert store.entity(blessing) is None
            with pytest.raises(StoreError, match="no entity matches"):
                store.resolve_seed(str(blessing))
            grace = store.search("grace okafor")[0].id
            chart = store.chart([grace], hops=3, max_entities=1000)
            assert blessing not in store_setting(chart)["entities"].values()
            assert not any("Blessing" in e.label for e in chart.entities.values())
            assert all(p.source != "Victims" for e in chart.entities.values()
                       for p in e.provenance)
            assert store.shortest_path(grace, blessing) == []


def test_a_chart_is_the_visible_neighbourhood(as_org):
    org, store, r = as_org
    grace = store.search("grace okafor")[0].id
    chart = store.chart([grace], hops=2, max_entities=1000)
    setting = store_setting(chart)
    drawn = set(setting["entities"].values())
    assert drawn == r.within(grace, 2), org
    assert set(setting["links"].values()) == r.links_among(drawn)
    for cid, sid in setting["entities"].items():
        entity = chart.entity(cid)
        assert entity.label == r.labels[sid]
    assert {p.source for item in [*chart.entities.values(), *chart.links.values()]
            for p in item.provenance} <= _source_names(r)
    assert setting["file"] == store.location and "pw-" not in setting["file"]
    assert setting["engine"] == "postgresql"


def _source_names(r: Raw) -> set[str]:
    names = {1: "Routes", 2: "Victims", 3: "Referral", 4: "Cases", 5: "Hotline"}
    return {names[s] for s in r.sources}


def test_expand_and_preview_bring_only_what_the_analyst_may_see(as_org):
    org, store, r = as_org
    phone = store.search("07700 900001")[0].id
    chart = Chart()
    found = store.expand(chart, phone, hops=1, max_entities=1000)
    add_expansion(chart, store, found)
    assert set(store_setting(chart)["entities"].values()) == r.within(phone, 1), org
    preview = store.preview([phone], hops=2, max_entities=1000)
    assert set(preview.entity_ids) == r.within(phone, 2)
    assert preview.links == len(r.links_among(r.within(phone, 2)))
    more = store.expand(chart, phone, hops=2, max_entities=1000)
    assert set(more.entity_ids.values()) == r.within(phone, 2) - r.within(phone, 1)


def test_paths_cross_only_visible_links(as_org, cluster, shared):
    import networkx as nx

    org, store, r = as_org
    with cluster.superuser(shared) as conn:
        ids = dict(conn.execute("SELECT identity, id FROM entities").fetchall())
    for a, b in (("grace okafor", "milan"), ("иван петров", "grace okafor"),
                 ("blessing eze", "lagos"), ("gb000001", "hidden caller")):
        steps = store.shortest_path(ids[a], ids[b])
        if ids[a] in r.hidden or ids[b] in r.hidden or not nx.has_path(r.graph, ids[a],
                                                                         ids[b]):
            assert steps == [], (org, a, b)
            continue
        assert len(steps) - 1 == nx.shortest_path_length(r.graph, ids[a], ids[b]), (org, a, b)
        for step in steps[1:]:
            assert step.link in r.links


def test_new_in_the_store_counts_only_visible_later_sources(as_org):
    org, store, r = as_org
    grace = store.search("grace okafor")[0].id
    news = store.news([grace], 1)  # everything after the routes (source 1)
    later = {lid for lid, (a, b, _, source) in r.links.items()
             if grace in (a, b) and source > 1}
    assert news.links == len(later) > 0, org


def test_new_links_between_entities_on_the_chart_are_news_and_come_back(as_org):
    """"New in the store" lists later links joining two entities already on the chart, as
    the analyst may see them, and links_between adds them (no entity) to a chart."""
    org, store, r = as_org
    later = {lid for lid, (_, _, _, source) in r.links.items() if source > 1}
    ends = sorted({e for lid in later for e in r.links[lid][:2]})
    news = store.news(ends, 1)
    assert set(news.link_ids) == later and news.entities == 0, org
    chart = store.chart(ends, hops=0)
    drawn = {cid: sid for cid, sid in store_setting(chart)["links"].items()}
    assert set(drawn.values()) == r.links_among(set(ends))
    chart.remove_links([cid for cid, sid in drawn.items() if sid in later])
    found = links_between(store, chart, list(news.link_ids))
    assert set(found.link_ids.values()) == later and not found.entities
    add_expansion(chart, store, found)
    assert set(store_setting(chart)["links"].values()) == r.links_among(set(ends))


def test_filters_and_info(cluster, shared, raw):
    with open_store(url(cluster, shared, "Bank")) as store:
        info = store.info()
        grace = store.search("grace okafor")[0].id
        chart = store.chart([grace], hops=1, filters=Filters(link_types=("Holder",)))
    assert info.engine == "postgresql" and "pw-" not in info.path
    assert info.entities == len(raw["Bank"].labels)
    assert info.links == len(raw["Bank"].links)
    assert [s.name for s in info.sources] == ["Routes", "Referral"]
    assert {lk.type for lk in chart.links.values()} == {"Holder"}


def test_every_read_is_in_the_audit_log(cluster, shared):
    with open_store(url(cluster, shared, "Bank")) as store:
        store.search("grace")
    role = analyst(shared, "cat")
    with cluster.superuser(shared) as conn:
        row = conn.execute("SELECT action, detail->>'text' FROM audit WHERE role = %s "
                           "ORDER BY id DESC LIMIT 1", [role]).fetchone()
    assert row == ("search", "grace")


def test_a_password_not_given_is_asked_for(cluster, shared, monkeypatch):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", "/nonexistent")
    bare = url(cluster, shared, "NGO", with_password=False)
    with pytest.raises(PasswordNeeded, match="a password is needed"):
        open_store(bare)
    role = analyst(shared, "ana")
    with open_store(bare, password=password(role)) as store:
        assert store.location == bare and store.search("lagos")


def test_the_shared_engine_has_every_method_of_both_interfaces_with_its_parameters():
    import inspect

    from workbench.store import DuckStore, Store
    from workbench.store.interface import ItemRows
    from workbench.store.pg import PgStore

    for interface in (Store, ItemRows):
        wanted = {n: v for n, v in vars(interface).items()
                  if callable(v) and not n.startswith("_")}
        for engine in (PgStore, DuckStore):
            for name, method in wanted.items():
                ours = inspect.signature(getattr(engine, name)).parameters
                for param in inspect.signature(method).parameters.values():
                    assert param.name in ours, (engine, name, param.name)
                    assert ours[param.name].default == param.default, (engine, name)


def test_a_search_under_the_policies_can_use_the_trigram_index(cluster, shared):
    """Row-level security lets the planner use an index only through LEAKPROOF operators;
    without them every search reads the whole table (a second at 100,000 entities)."""
    role = analyst(shared, "bob")
    with __import__("psycopg").connect(cluster.analyst_url(shared, role, password(role)),
                                       options="-c search_path=workbench,public") as conn:
        conn.execute("SET enable_seqscan = off")  # the index, if the policies allow it
        for condition in ("fold LIKE '%grace%'", "fold % 'grace'", "'grace' <% fold"):
            plan = " ".join(r[0] for r in conn.execute(
                f"EXPLAIN SELECT entity_id FROM entity_sources WHERE {condition}"))
            assert "entity_sources_fold" in plan, (condition, plan)
        plan = " ".join(r[0] for r in conn.execute(
            "EXPLAIN SELECT id FROM entities WHERE identity = 'grace okafor'"))
        assert "entities_identity" in plan


def test_a_connection_counts_and_shows_only_the_links_the_analyst_may_see(cluster):
    """Three calls from one phone to another, two in a source for all and one in the
    police's own: the police draw one line of three and Show Each Link gives three; the
    NGO draws one of two, and its Show Each Link gives those two."""
    database = make_store(cluster, {"NGO": ["ana"], "Police": ["bob"]})
    a, b = ("Phone", "+447700900001", "caller"), ("Phone", "+447700900002", "callee")
    with cluster.superuser(database) as conn:
        write(conn, [Source("Calls", "NGO", "all", entities=[a, b],
                            links=[(0, 1, "Calls"), (0, 1, "Calls")]),
                     Source("Cases", "Police", "owner", entities=[a, b],
                            links=[(0, 1, "Calls")])])
    for org, role, count in (("Police", "bob", 3), ("NGO", "ana", 2)):
        name = analyst(database, role)
        with open_store(cluster.analyst_url(database, name, password(name))) as store:
            seed = store.search("caller", limit=1)[0].id
            chart = store.chart([seed], hops=1)
            (line,) = chart.links.values()
            assert (line.label, line.attributes["links"].value) == (f"{count} Calls", count)
            assert line.attributes["records"].value == count
            found = store.each_link(chart, line.id)
            assert len(found.links) == count, org
            assert {r.source for lk in found.links for r in lk.provenance} == (
                {"Calls", "Cases"} if org == "Police" else {"Calls"})
