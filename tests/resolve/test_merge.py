"""Merge and unmerge in the model: one entity with both sources, links re-pointed, nothing
dropped, and unmerge giving back exactly the entities and links there were, also after the
chart is saved and reopened."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from workbench.io import load_chart, save_chart
from workbench.model import Chart, Direction, Entity, Kind, SourceRecord, Value
from workbench.model.merge import POSSIBLY_SAME_AS, MergeError, plan_merge

WHEN = datetime(2026, 11, 3, 14, 5, tzinfo=UTC)


def people_chart() -> Chart:
    """The same recruiter from two sources, as the sources spell him, with their links."""
    chart = Chart("Recruiters")
    a = chart.make_entity(
        "Person", "Mohammed Al-Hassan", identity="Mohammed Al-Hassan",
        attributes={"date of birth": Value(Kind.TEXT, "1985"),
                    "phone": Value(Kind.PHONE, "+447700900123"),
                    "nationality": Value(Kind.TEXT, "Syrian")},
        provenance=[SourceRecord("hotline", "hotline.xlsx", "Jan", 14, reliability="B",
                                 credibility="2")], x=10.0, y=20.0)
    b = chart.make_entity(
        "Person", "Мухаммед Аль-Хасан", identity="Мухаммед Аль-Хасан",
        attributes={"date of birth": Value(Kind.TEXT, "1986"),
                    "phone": Value(Kind.PHONE, "+447700900123"),
                    "email": Value(Kind.EMAIL, "m.hassan@example.org"),
                    "aliases": Value(Kind.TEXT, "Muhamad Alhassan")},
        provenance=[SourceRecord("court records", "court.csv", row=7)], x=300.0, y=-40.0,
        date=datetime(2015, 11, 13, 21, 20), coordinates=(48.86, 2.35))
    victim = chart.make_entity("Person", "Victim 1", x=100.0, y=100.0)
    flat = chart.make_entity("Address", "12 Rue X", x=200.0, y=0.0)
    chart.make_link(a.id, victim.id, "Associate", label="recruited")
    chart.make_link(b.id, victim.id, "Associate", label="recruited")  # parallel once merged
    chart.make_link(b.id, flat.id, "Lives at", direction=Direction.FORWARD,
                    attributes={"since": Value(Kind.NUMBER, 2014)})
    chart.make_link(a.id, b.id, "Calls", direction=Direction.FORWARD)  # between the two
    chart.make_link(a.id, b.id, POSSIBLY_SAME_AS)  # an earlier "not sure"
    return chart


def merge_two(chart: Chart) -> str:
    a, b = (e.id for e in list(chart.entities.values())[:2])
    chart.merge(plan_merge(chart, [a, b], by="amina", at=WHEN, method="review",
                           probability=0.97,
                           evidence={"name": ("agree", "same after transliteration"),
                                     "date of birth": ("disagree", "1985 vs 1986")}))
    return a


def test_merge_keeps_one_entity_with_both_sources_links_and_every_value():
    chart = people_chart()
    before = len(chart.entities)
    survivor = merge_two(chart)
    assert len(chart.entities) == before - 1
    merged = chart.entity(survivor)
    assert merged.label == "Mohammed Al-Hassan" and (merged.x, merged.y) == (10.0, 20.0)
    assert [s.source for s in merged.provenance] == ["hotline", "court records"]
    values = {k: v.value for k, v in merged.attributes.items()}
    assert values["date of birth"] == "1985" and values["date of birth (2)"] == "1986"
    assert values["phone"] == "+447700900123" and "phone (2)" not in values  # same value once
    assert values["email"] == "m.hassan@example.org" and values["nationality"] == "Syrian"
    assert values["aliases"] == "Мухаммед Аль-Хасан; Muhamad Alhassan"
    assert merged.date == datetime(2015, 11, 13, 21, 20) and merged.coordinates == (48.86, 2.35)
    links = chart.links_of(survivor)
    recruited = [lk for lk in links if lk.label == "recruited"]
    assert len(recruited) == 2  # parallel links kept, not folded into one
    assert {lk.type for lk in links} == {"Associate", "Lives at", "Calls"}
    calls = next(lk for lk in links if lk.type == "Calls")
    assert calls.end1 == calls.end2 == survivor  # a call between the two: a loop, not lost
    assert not any(lk.type == POSSIBLY_SAME_AS for lk in chart.links.values())
    record = chart.merge_record(survivor)
    assert record.by == "amina" and record.at == WHEN and record.probability == 0.97
    assert record.joined == [survivor, list(record.joined)[1]]


def test_conflicting_dates_and_places_are_kept_as_attributes():
    chart = Chart()
    a = chart.make_entity("Event", "Attack", date=datetime(2015, 11, 13), coordinates=(1, 2))
    b = chart.make_entity("Event", "Attack (2)", date=datetime(2015, 11, 14),
                          coordinates=(3, 4), attributes={"date": Value(Kind.TEXT, "Friday")})
    chart.merge(plan_merge(chart, [a.id, b.id], by="x", at=WHEN))
    merged = chart.entity(a.id)
    assert merged.date == datetime(2015, 11, 13) and merged.coordinates == (1, 2)
    assert merged.attributes["date"].value == "Friday"
    assert merged.attributes["date (2)"] == Value(Kind.DATETIME, datetime(2015, 11, 14))
    assert merged.attributes["coordinates (2)"] == Value(Kind.COORDINATES, (3, 4))


def test_unmerge_gives_back_exactly_the_entities_and_links():
    chart = people_chart()
    original = people_chart()
    survivor = merge_two(chart)
    assert chart != original
    chart.unmerge(survivor)
    assert chart == original  # ids, attributes, sources, positions, links, no record left


def test_unmerge_after_save_and_reopen_gives_back_exactly(tmp_path):
    chart = people_chart()
    original = people_chart()
    survivor = merge_two(chart)
    path = tmp_path / "merged.wbchart"
    save_chart(chart, path)
    reopened = load_chart(path)
    assert reopened.merges == chart.merges
    assert reopened.merge_record(survivor).evidence["date of birth"] == ("disagree",
                                                                        "1985 vs 1986")
    reopened.unmerge(survivor)
    original.modified = reopened.modified = chart.modified
    assert reopened == original


def test_merge_of_a_merge_unmerges_one_step_at_a_time():
    chart = people_chart()
    survivor = merge_two(chart)
    after_first = load_and_copy(chart)
    third = chart.make_entity("Person", "M. Al Hassan, b. 1985",
                              provenance=[SourceRecord("adverts")])
    chart.merge(plan_merge(chart, [survivor, third.id], by="amina", at=WHEN))
    assert len(chart.merges) == 2
    chart.unmerge(survivor)
    chart.remove_entities([third.id])
    assert chart.entities == after_first.entities and chart.links == after_first.links
    chart.unmerge(survivor)
    assert chart.entities == people_chart().entities


def load_and_copy(chart: Chart) -> Chart:
    from workbench.io.chartjson import chart_from_json, chart_to_json

    return chart_from_json(chart_to_json(chart))


def test_links_drawn_after_the_merge_stay_with_the_entity_on_unmerge():
    chart = people_chart()
    survivor = merge_two(chart)
    other = chart.make_entity("Person", "Driver")
    later = chart.make_link(survivor, other.id, "Associate")
    chart.unmerge(survivor)
    assert chart.link(later.id).end1 == survivor
    assert len(chart.entities) == len(people_chart().entities) + 1


def test_new_ids_never_take_an_id_a_merge_may_give_back(tmp_path):
    chart = people_chart()
    merge_two(chart)
    path = tmp_path / "c.wbchart"
    save_chart(chart, path)
    reopened = load_chart(path)  # its id counter starts again at 1
    absorbed = reopened.merges[0].joined[1]
    new = [reopened.make_entity("Person", f"P{i}").id for i in range(8)]
    assert absorbed not in new
    reopened.unmerge(reopened.merges[0].survivor)  # still possible


def test_unmerge_refuses_while_another_entity_has_the_identity_back():
    chart = people_chart()
    survivor = merge_two(chart)
    key = chart.identity_for("Person", "Мухаммед Аль-Хасан")
    assert chart.find("Person", key).id == survivor  # an import would add to the merged one
    chart.add_entities([Entity(chart.new_id("e"), "Person", "Мухаммед", identity=key)])
    with pytest.raises(MergeError, match="now has the identity"):
        chart.unmerge(survivor)
    assert chart.merge_record(survivor) is not None  # nothing changed


def test_unmerge_of_an_entity_never_merged_says_so():
    chart = people_chart()
    with pytest.raises(MergeError, match="not a merged entity"):
        chart.unmerge(next(iter(chart.entities)))
    with pytest.raises(MergeError, match="at least two"):
        plan_merge(chart, [next(iter(chart.entities))], by="x", at=WHEN)


PEOPLE_CSV = """\
Name,Phone,Source row note
Mohammed Al-Hassan,07700 900123,hotline
Muhamad Alhassan,07700 900999,court
"""

PEOPLE_SPEC = """\
source: {name: Hotline people}
region: GB
entities:
  person: {type: Person, identity: "{Name}"}
  phone: {type: Phone, identity: "{Phone}"}
links:
  - {from: person, to: phone, type: Uses, direction: forward}
"""


def test_rows_imported_again_after_a_merge_join_the_merged_entity(tmp_path):
    """Without this, the next import of the same file brought the duplicate back (and the
    merge could no longer be undone)."""
    from workbench.io.importer import import_files
    from workbench.io.importspec import parse_spec

    data = tmp_path / "people.csv"
    data.write_text(PEOPLE_CSV, encoding="utf-8")
    chart = Chart()
    import_files(parse_spec(PEOPLE_SPEC), [data], into=chart)
    first, second = (chart.find("Person", n).id for n in ("mohammed al-hassan",
                                                          "muhamad alhassan"))
    before = load_and_copy(chart)
    chart.merge(plan_merge(chart, [first, second], by="amina", at=WHEN))
    people = len(chart.entities)
    import_files(parse_spec(PEOPLE_SPEC.replace("Hotline people", "Second look")), [data],
                 into=chart)
    assert len(chart.entities) == people  # no duplicate came back
    merged = chart.entity(first)
    assert [s.source for s in merged.provenance].count("Second look") == 2
    chart.unmerge(first)  # still possible; the later sources stay with the first entity
    assert chart.entity(second) == before.entity(second)
    assert [(s.source, s.row) for s in chart.entity(first).provenance] == [
        ("Hotline people", 2), ("Second look", 2), ("Second look", 3)]
    assert chart.find("Person", "muhamad alhassan").id == second


def test_an_import_after_a_merge_never_takes_an_id_unmerge_gives_back(tmp_path):
    """The importer numbered new items after the highest id on the chart: when the merged
    away entity had it, the next import took its id and Unmerge was refused."""
    from workbench.io.importer import import_files
    from workbench.io.importspec import parse_spec

    chart = Chart()
    first = chart.make_entity("Person", "Mohammed Al-Hassan")
    last = chart.make_entity("Person", "Muhamad Alhassan")  # the highest id
    chart.merge(plan_merge(chart, [first.id, last.id], by="amina", at=WHEN))
    data = tmp_path / "people.csv"
    data.write_text("Name,Phone\nAna Lima,07700 900555\n", encoding="utf-8")
    import_files(parse_spec(PEOPLE_SPEC), [data], into=chart)
    assert last.id not in chart.entities and last.id not in chart.links
    chart.unmerge(first.id)
    assert chart.entity(last.id).label == "Muhamad Alhassan"


def test_other_names_are_kept_beside_an_aliases_attribute_that_is_not_text():
    chart = Chart()
    a = chart.make_entity("Person", "Ana Petrova", attributes={"aliases": Value(Kind.NUMBER, 3)})
    b = chart.make_entity("Person", "Anna Petrova")
    chart.merge(plan_merge(chart, [a.id, b.id], by="x", at=WHEN))
    merged = chart.entity(a.id).attributes
    assert merged["aliases"] == Value(Kind.NUMBER, 3)
    assert merged["aliases (2)"] == Value(Kind.TEXT, "Anna Petrova")
