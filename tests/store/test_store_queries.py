"""Search, charts, expansion and paths on real stores, checked against pandas and networkx
working on the source files themselves."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import datetime

import networkx as nx
import pandas as pd
import pytest

from tests.store.conftest import SAMPLES
from workbench.io import load_chart, save_chart
from workbench.io.importer import import_files
from workbench.io.importspec import parse_spec
from workbench.model import Chart
from workbench.store import Filters, StoreError, open_store
from workbench.store.charting import add_expansion, store_setting

CALLS = pd.read_csv(SAMPLES / "data" / "vast2008_call_records.csv", dtype=str,
                    keep_default_na=False)

PEOPLE_SPEC = """
entities:
  person: {type: Person, identity: "{Name}"}
  phone: {type: Phone, identity: "{Phone}"}
  email: {type: Email, identity: "{Email}"}
attributes:
  person: {note: {column: Note}}
links:
  - {from: person, to: phone, type: Uses}
  - {from: person, to: email, type: Uses}
"""
PEOPLE = """Name,Phone,Email,Note
José Núñez,+44 7700 900123,Jose@Example.com,seen at the harbour
Абдельхамид Абаауд,07700 900456,,
Anna-Maria  Schmidt,,anna@example.org,
Joseph Nunes,,,
"""


@pytest.fixture
def people(tmp_path):
    data = tmp_path / "people.csv"
    data.write_text(PEOPLE, encoding="utf-8")
    with open_store(tmp_path / "people.wbstore", create=True) as store:
        store.import_files(parse_spec(PEOPLE_SPEC), PEOPLE_SPEC, [data])
        yield store


def _top(store, text: str, **options) -> tuple[str, str]:
    hit = store.search(text, **options)[0]
    return hit.label, hit.matched


def test_search_forgives_case_accents_spacing_scripts_and_typos(people):
    assert _top(people, "jose nunez") == ("José Núñez", "label")
    assert _top(people, "JOSÉ   NÚÑEZ") == ("José Núñez", "identity")  # the name's key
    assert _top(people, "abaaud") == ("Абдельхамид Абаауд", "label")  # transliterated
    assert _top(people, "Schmidd")[0] == "Anna-Maria  Schmidt"  # a typo
    assert _top(people, "anna maria schmidt") == ("Anna-Maria  Schmidt", "label")
    # what was typed is normalised as an identity too: the phone's own key, exactly
    phone = people.search("07700 900123")[0]
    assert (phone.identity, phone.label, phone.matched) == ("+447700900123", "+44 7700 900123",
                                                            "identity")
    assert _top(people, "JOSE@example.com") == ("Jose@Example.com", "identity")
    assert _top(people, "harbour") == ("José Núñez", "attribute note")
    assert people.search("nothing like it") == []


def test_search_ranks_exact_before_similar_and_filters_by_type(people):
    labels = [h.label for h in people.search("jose nunez")]
    assert labels[0] == "José Núñez" and "Joseph Nunes" in labels
    assert [h.label for h in people.search("07700 900123", types=["Person"])] == []
    hit = people.search("José Núñez")[0]
    assert (hit.links, hit.sources) == (2, 1)  # the phone and the e-mail


def test_search_counts_links_as_the_file_has_them(sample_store):
    hit = sample_store.search("Handset 1", types=["Handset"])[0]
    assert hit.identity == "1"
    calls = ((CALLS["From"] == "1") | (CALLS["To"] == "1")).sum()
    assert hit.links == calls
    assert hit.sources == 1


def _handset(store, number: str) -> int:
    return store.conn.execute("SELECT id FROM entities WHERE type = 'Handset' AND "
                              "identity = ?", [number]).fetchone()[0]


def _neighbours(number: str) -> set[str]:
    return set(CALLS.loc[CALLS["From"] == number, "To"]) | set(
        CALLS.loc[CALLS["To"] == number, "From"])


def _stood_for(chart) -> Counter:
    """How many store links each (caller, callee) line of the chart stands for."""
    return Counter({(chart.entities[lk.end1].identity, chart.entities[lk.end2].identity):
                    int(lk.attributes["links"].value) if "links" in lk.attributes else 1
                    for lk in chart.links.values()})


def test_a_chart_of_a_neighbourhood_is_what_the_file_says(sample_store, tmp_path):
    seed = _handset(sample_store, "5")
    chart = sample_store.chart([seed], hops=1)
    expected = _neighbours("5") | {"5"}
    assert {e.identity for e in chart.entities.values()} == expected
    among = CALLS[CALLS["From"].isin(expected) & CALLS["To"].isin(expected)]
    # one line per caller and callee, standing for the calls between them
    assert _stood_for(chart) == Counter(zip(among["From"], among["To"], strict=True))
    # the chart remembers its store and every item's store id, and keeps provenance
    setting = store_setting(chart)
    assert setting["file"] == str(sample_store.path)
    assert set(setting["entities"]) == set(chart.entities)
    assert set(setting["links"]) | set(setting["connections"]) == set(chart.links)
    link = next(iter(chart.links.values()))
    assert link.provenance[0].source == "VAST 2008 call records"
    assert link.provenance[0].file == "vast2008_call_records.csv"
    # laid out: no two entities on one spot; many calls between two handsets are one line,
    # wider the more it stands for
    assert len({(round(e.x), round(e.y)) for e in chart.entities.values()}) == len(expected)
    assert chart.settings["display"] == {"link_width": "links"}
    save_chart(chart, tmp_path / "c.wbchart")
    again = load_chart(tmp_path / "c.wbchart")
    assert store_setting(again) == setting and again.content() == chart.content()


def test_the_cap_keeps_the_closest_entities(sample_store):
    seed = _handset(sample_store, "1")
    chart = sample_store.chart([seed], hops=2, max_entities=10)
    assert len(chart.entities) == 10
    calls = pd.concat([CALLS.loc[CALLS["From"] == "1", "To"],
                       CALLS.loc[CALLS["To"] == "1", "From"]]).value_counts()
    kept = {e.identity for e in chart.entities.values()} - {"1"}
    assert kept <= set(calls.index)  # one hop before two
    assert calls[list(kept)].min() >= calls.drop(list(kept)).max()
    preview = sample_store.preview([seed], hops=2, max_entities=10)
    assert (preview.entities, preview.entity_types) == (10, {"Handset": 10})
    assert preview.connections == len(chart.links)
    assert preview.links == sum(_stood_for(chart).values())
    assert preview.more > 0


def test_filters_by_link_type_and_date(sample_store):
    (abaaoud,) = [h.id for h in sample_store.search("Abdelhamid Abaaoud", limit=1)]
    # a few pairs with two links of one type: one line each, drawn wider
    drawn = sample_store.chart([abaaoud], hops=1)
    assert drawn.settings["display"] == {"link_width": "links"}
    assert {lk.attributes["links"].value for lk in drawn.links.values()
            if "links" in lk.attributes} == {2}
    chart = sample_store.chart([abaaoud], hops=1, filters=Filters(link_types=("Associate",)))
    assert {lk.type for lk in chart.links.values()} == {"Associate"}
    assert {e.type for e in chart.entities.values()} == {"Person"}
    start, end = datetime(2006, 6, 2), datetime(2006, 6, 3, 23, 59)
    seed = _handset(sample_store, "5")
    chart = sample_store.chart([seed], hops=1, filters=Filters(start=start, end=end))
    when = pd.to_datetime(CALLS["Datetime"], format="%Y%m%d %H%M")
    window = CALLS[(when >= start) & (when <= end)]
    expected = set(window.loc[window["From"] == "5", "To"]) | set(
        window.loc[window["To"] == "5", "From"]) | {"5"}
    assert {e.identity for e in chart.entities.values()} == expected
    last = {lk.id: lk.attributes["end"].value if "end" in lk.attributes else lk.date
            for lk in chart.links.values()}  # a line of many calls: first to last
    assert all(start <= lk.date <= last[lk.id] <= end for lk in chart.links.values())


def test_filters_by_entity_type_walk_only_to_those_types(sample_store):
    """``--types``: the walk reaches only entities of those types (the seed whatever its
    type), hop after hop, as plain SQL over the links finds them."""
    (abaaoud,) = [h.id for h in sample_store.search("Abdelhamid Abaaoud", limit=1)]
    conn = sample_store.conn

    def neighbours(ids: set[int], types: tuple[str, ...]) -> set[int]:
        return {r[0] for r in conn.execute(
            "SELECT e.id FROM (SELECT end2 AS other FROM links WHERE end1 IN (SELECT unnest($i)) "
            "UNION ALL SELECT end1 FROM links WHERE end2 IN (SELECT unnest($i))) n "
            "JOIN entities e ON e.id = n.other WHERE list_contains($t, e.type)",
            {"i": sorted(ids), "t": list(types)}).fetchall()}

    for types in (("Person",), ("Location", "Event")):
        one = neighbours({abaaoud}, types) | {abaaoud}
        two = one | neighbours(one, types)
        assert len(one) > 1 and (len(two) > len(one) or types != ("Person",))
        for hops, expected in ((1, one), (2, two)):
            chart = sample_store.chart([abaaoud], hops=hops, max_entities=1000,
                                       filters=Filters(types=types))
            assert {int(s) for s in store_setting(chart)["entities"].values()} == expected


def test_expand_adds_only_what_is_new_and_leaves_the_layout_alone(sample_store):
    seed = _handset(sample_store, "5")
    chart = sample_store.chart([seed], hops=1, max_entities=4)
    before = {e.id: (e.x, e.y) for e in chart.entities.values()}
    other = next(e for e in chart.entities.values() if e.identity != "5")
    sid = int(store_setting(chart)["entities"][other.id])
    found = sample_store.expand(chart, sid, hops=1)
    add_expansion(chart, sample_store, found)
    identities = {e.identity for e in chart.entities.values()}
    assert identities == {e for e in identities if e} and len(identities) == len(chart.entities)
    assert _neighbours(other.identity) <= identities
    assert {e.id: (e.x, e.y) for e in chart.entities.values() if e.id in before} == before
    setting = store_setting(chart)
    held = [*setting["links"].values(), *setting.get("connections", {}).values()]
    assert len(set(held)) == len(held) == len(chart.links)  # no link twice
    assert set(setting["entities"]) == set(chart.entities)
    again = sample_store.expand(chart, sid, hops=1)
    assert (again.entities, again.links) == ([], [])


def test_shortest_path_matches_networkx(sample_store):
    graph = nx.Graph(list(zip(CALLS["From"], CALLS["To"], strict=True)))
    for a, b in (("5", "300"), ("1", "399"), ("97", "12")):
        steps = sample_store.shortest_path(_handset(sample_store, a), _handset(sample_store, b))
        assert len(steps) - 1 == nx.shortest_path_length(graph, a, b), (a, b)
        for before, step in itertools.pairwise(steps):
            ends = sample_store.conn.execute("SELECT end1, end2 FROM links WHERE id = ?",
                                             [step.link]).fetchone()
            assert set(ends) == {before.entity, step.entity}
    country = sample_store.search("Nigeria", limit=1)[0].id
    assert sample_store.shortest_path(_handset(sample_store, "5"), country) == []


def test_a_seed_is_an_id_or_the_best_match(sample_store):
    seed = _handset(sample_store, "5")
    assert sample_store.resolve_seed(str(seed)) == seed
    assert sample_store.resolve_seed("handset 5") == seed
    with pytest.raises(StoreError, match="no entity matches"):
        sample_store.resolve_seed("zzzz qqqq")


def test_new_in_the_store_lists_what_came_after_the_chart(tmp_path):
    spec = SAMPLES / "specs" / "call-records.yaml"
    later = tmp_path / "later.csv"
    later.write_text("From,To,Datetime,Duration(seconds),Cell Tower\n"
                     "5,9999,20060701 1200,60,1\n5,9999,20060701 1300,60,1\n"
                     "1,5,20060701 1400,60,1\n7777,8888,20060701 1500,60,1\n")
    with open_store(tmp_path / "s.wbstore", create=True) as store:
        store.import_files(parse_spec(spec.read_text()), "", [SAMPLES / "data" /
                                                              "vast2008_call_records.csv"])
        seed = _handset(store, "5")
        chart = store.chart([seed], hops=1)
        setting = store_setting(chart)
        ids = [int(v) for v in setting["entities"].values()]
        assert setting["last_source"] == 1
        assert store.news(ids, setting["last_source"]).links == 0
        store.import_files(parse_spec(spec.read_text()), "", [later])  # in the same second
        news = store.news(ids, setting["last_source"])
        assert (news.links, news.link_types) == (3, {"Calls": 3})  # 7777 -> 8888 touches none
        assert (news.entities, news.entity_types) == (1, {"Handset": 1})  # 9999; 1 is on it
        # expanding an entity keeps the drawing's mark, and the links it brought are not news
        found = store.expand(chart, _handset(store, "1"), hops=1)
        add_expansion(chart, store, found)
        after = store_setting(chart)
        assert (after["last_source"], after["drawn_at"]) == (1, setting["drawn_at"])
        known = [int(v) for v in after["links"].values()]
        again = store.news([int(v) for v in after["entities"].values()], 1, known_links=known)
        assert again.links == news.links - len(set(known) & _links_of(store, 2))


def test_any_chart_can_be_expanded_without_drawing_an_entity_twice(sample_store):
    """A chart imported from the relationships file (not drawn from the store): expanding
    Abaaoud from the store uses the Abaaoud already on it and adds what the store knows."""
    chart = Chart()
    import_files(SAMPLES / "specs" / "nov13-relationships.yaml",
                 [SAMPLES / "data" / "nov13_relationships.csv"], into=chart)
    on_chart = chart.find("Person", "abdelhamid abaaoud")
    before = len(chart.entities)
    abaaoud = sample_store.search("Abdelhamid Abaaoud", limit=1)[0].id
    found = sample_store.expand(chart, abaaoud, hops=1)
    add_expansion(chart, sample_store, found)
    keys = [(e.type, e.identity) for e in chart.entities.values()]
    assert len(keys) == len(set(keys))
    assert store_setting(chart)["entities"][on_chart.id] == abaaoud
    assert len(chart.entities) >= before


def _links_of(store, source_id: int) -> set[int]:
    return {r[0] for r in store.conn.execute("SELECT id FROM links WHERE source_id = ?",
                                             [source_id]).fetchall()}
