from dataclasses import FrozenInstanceError, replace
from datetime import datetime

import pytest

from workbench.model import (
    Chart,
    ChartError,
    Direction,
    Entity,
    EntityType,
    Kind,
    Link,
    Selection,
    SourceRecord,
    Value,
    default_catalogue,
)
from workbench.model.provenance import records_of


def test_catalogue_has_the_types_analysts_need():
    cat = default_catalogue()
    for name in ["Person", "Organisation", "Location", "Country", "Phone", "Email", "Username",
                 "Website", "Account", "Vehicle", "Document", "Event", "Advert", "Address",
                 "Money transfer"]:
        assert name in cat.entity_types
        assert cat.entity_types[name].icon.startswith("mdi6.")
    for name in ["Associate", "Family", "Calls", "Emails", "Pays", "Owns", "Works for",
                 "Lives at", "Located at", "Travels to", "Trafficked from", "Trafficked to",
                 "Transits through", "Posts", "Uses"]:
        assert name in cat.link_types
    assert cat.entity_types["Phone"].identity is Kind.PHONE
    assert cat.entity_type("Spaceship").name == "Spaceship"  # unknown types still draw


def test_same_phone_from_two_sources_is_one_entity_with_both_provenances():
    chart = Chart()
    added = []
    chart.entities_added.connect(added.extend)
    a = chart.make_entity("Phone", "07700 900123", identity="07700 900123",
                          provenance=[SourceRecord("call records", "calls.csv", row=2)])
    b = chart.make_entity("Phone", "+44 7700 900123", identity="+44 7700 900123",
                          provenance=[SourceRecord("hotline", "hotline.xlsx", "Jan", 14)],
                          attributes={"carrier": Value(Kind.TEXT, "EE")})
    assert a is b
    assert len(chart.entities) == 1 and added == [a]
    assert [s.source for s in a.provenance] == ["call records", "hotline"]
    assert a.attributes["carrier"].value == "EE"
    # an email with the same text is a different identity
    chart.make_entity("Email", "x@y.com", identity="X@y.com")
    assert chart.find("Email", "x@y.com") is not None
    assert len(chart.entities) == 2


def test_remove_entity_takes_its_links_and_comes_back_whole():
    chart = Chart()
    a = chart.make_entity("Person", "Ana")
    b = chart.make_entity("Person", "Bo")
    c = chart.make_entity("Person", "Cy")
    ab = chart.make_link(a.id, b.id, "Associate")
    bc = chart.make_link(b.id, c.id, "Family", direction=Direction.BOTH)
    entities, links = chart.remove_entities([b.id])
    assert set(chart.entities) == {a.id, c.id} and not chart.links
    assert {lk.id for lk in links} == {ab.id, bc.id}
    chart.add_entities(entities)
    chart.add_links(links)
    assert chart.links_between(a.id, b.id) == [ab]
    assert sorted(lk.id for lk in chart.links_of(b.id)) == sorted([ab.id, bc.id])


def test_updates_return_old_values_and_keep_identity_index():
    chart = Chart()
    changes = []
    chart.entity_changed.connect(lambda e, names: changes.append(names))
    p = chart.make_entity("Phone", "a", identity="+447700900123")
    q = chart.make_entity("Phone", "b", identity="+447700900124")
    old = chart.update_entity(p.id, label="main phone")
    assert old == {"label": "a"} and changes == [("label",)]
    with pytest.raises(ChartError, match="already has identity"):
        chart.update_entity(q.id, identity="+447700900123")
    chart.update_entity(p.id, identity="+447700900999")
    assert chart.find("Phone", "+447700900999") is p
    assert chart.find("Phone", "+447700900123") is None
    moved = chart.move_entities({p.id: (10, 20)})
    assert moved == {p.id: (0.0, 0.0)} and (p.x, p.y) == (10.0, 20.0)


def test_links_need_both_ends_and_several_links_between_a_pair_are_allowed():
    chart = Chart()
    a = chart.make_entity("Person", "Ana")
    b = chart.make_entity("Person", "Bo")
    chart.make_link(a.id, b.id, "Calls", direction=Direction.FORWARD)
    chart.make_link(a.id, b.id, "Calls", direction=Direction.REVERSE)
    assert len(chart.links_between(b.id, a.id)) == 2
    with pytest.raises(ChartError, match="missing entity"):
        chart.make_link(a.id, "nope", "Calls")


def test_a_batch_of_links_with_one_bad_link_adds_none_of_them():
    """Links are checked as a batch (a chart file's 551,000 at once): one bad link names
    itself and leaves the chart as it was, instead of half the batch added."""
    chart = Chart()
    chart.add_entities([Entity("a", "Person", "A"), Entity("b", "Person", "B")])
    good = Link("l1", "a", "b", "Calls")
    for bad, message in ((Link("l2", "a", "zz", "Calls"), "link 'l2' refers to missing "
                          "entity 'zz'"),
                         (Link("l1", "b", "a", "Calls"), "id 'l1' is already in the chart"),
                         (Link("a", "b", "a", "Calls"), "id 'a' is already in the chart")):
        with pytest.raises(ChartError, match=message):
            chart.add_links([good, bad])
        assert chart.links == {} and chart.links_of("a") == []
    chart.add_links([good, Link("l2", "b", "b", "Calls")])
    assert [lk.id for lk in chart.links_of("b")] in (["l1", "l2"], ["l2", "l1"])
    assert [lk.id for lk in chart.links_of("a")] == ["l1"]


def test_source_records_are_built_and_checked_like_a_dataclass():
    """SourceRecord writes its own __init__ (speed); it keeps the dataclass's arguments,
    checks, equality, hashing and immutability."""
    when = datetime(2026, 3, 1, 9, 30)
    by_place = SourceRecord("calls", "calls.csv", "", 4, when, "B", "2", "")
    by_name = SourceRecord("calls", file="calls.csv", row=4, imported_at=when,
                           reliability="B", credibility="2")
    assert by_place == by_name and hash(by_place) == hash(by_name) and by_name.grade == "B2"
    assert replace(by_name, row=5).row == 5 and by_name.sheet == "" and by_name.handling == ""
    with pytest.raises(FrozenInstanceError):
        by_name.row = 5  # type: ignore[misc]
    with pytest.raises(ValueError, match="reliability must be one of A-E, not 'Z'"):
        SourceRecord("calls", reliability="Z")
    with pytest.raises(ValueError, match="credibility must be 1-5, not '9'"):
        SourceRecord("calls", credibility="9")


def test_source_records_built_from_columns_are_the_records_the_class_makes():
    """records_of (a chart file's sources, a field at a time) gives records equal to, hashing
    and frozen like, those built one by one, and refuses the grades the class refuses."""
    when = datetime(2026, 3, 1, 9, 30)
    made = records_of(["calls", "hotline"], ["calls.csv", ""], ["", "Jan"], [4, None],
                      [when, None], ["B", ""], ["2", ""], ["", "P"])
    assert made == [SourceRecord("calls", "calls.csv", "", 4, when, "B", "2", ""),
                    SourceRecord("hotline", sheet="Jan", handling="P")]
    assert type(made[0]) is SourceRecord and made[0].grade == "B2"
    assert hash(made[1]) == hash(SourceRecord("hotline", sheet="Jan", handling="P"))
    with pytest.raises(FrozenInstanceError):
        made[0].row = 5  # type: ignore[misc]
    with pytest.raises(ValueError, match="reliability must be one of A-E, not 'Z'"):
        records_of(["calls"], [""], [""], [None], [None], ["Z"], [""], [""])
    with pytest.raises(ValueError, match="credibility must be 1-5, not '9'"):
        records_of(["calls"], [""], [""], [None], [None], [""], ["9"], [""])
    with pytest.raises(ValueError, match="one value per record"):
        records_of(["calls", "x"], [""], [""], [None], [None], [""], [""], [""])
    assert records_of([], [], [], [], [], [], [], []) == []


def test_chart_types_extend_the_catalogue():
    chart = Chart()
    chart.add_types([EntityType("Hotel", "mdi6.bed", "#123456")])
    assert chart.entity_type("Hotel").colour == "#123456"
    assert chart.entity_type("Person").name == "Person"


def test_selection_announces_changes_once():
    sel = Selection()
    seen = []
    sel.changed.connect(lambda: seen.append((sel.entities, sel.links)))
    sel.set(["e1"])
    sel.set(["e1"])
    sel.add(links=["l2"])
    sel.discard_missing(["e1"], [])
    assert seen == [({"e1"}, set()), ({"e1"}, {"l2"}), (set(), {"l2"})]
