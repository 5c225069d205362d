"""What the matcher sees of an entity: its attributes under their usual names and what is
linked to it, normalised as import normalises them."""

from __future__ import annotations

from datetime import datetime

from workbench.model import Chart, Entity, Kind, Link, Value
from workbench.resolve.records import chart_records, date_text, entity_record, record_table
from workbench.resolve.tables import Columns, table_records


def _chart() -> Chart:
    chart = Chart()
    chart.add_entities([
        Entity("p1", "Person", "Olena Kovalenko", identity="olena kovalenko", attributes={
            "Date of Birth": Value(Kind.DATETIME, datetime(1992, 7, 14)),
            "Mobile": Value(Kind.TEXT, "07700 900123"),
            "contact": Value(Kind.EMAIL, "olena@example.org"),
            "Nationality": Value(Kind.TEXT, "U.K."),
            "Passport no.": Value(Kind.TEXT, "FA 123-456"),
            "Home address": Value(Kind.TEXT, "12 Вулиця Шевченка, Kyiv"),
            "Eye colour": Value(Kind.TEXT, "brown"),
        }),
        Entity("ph", "Phone", "+44 7700 900999", identity="+447700900999"),
        Entity("em", "Email", "O.K@Example.org", identity="o.k@example.org"),
        Entity("f", "Organisation", "Blue Sky GmbH", identity="blue sky gmbh"),
        Entity("l", "Location", "Lagos", identity="lagos"),
        Entity("a", "Address", "Dr. Smith House, Lagos", identity="dr smith house, lagos"),
    ])
    chart.add_links([Link("k1", "p1", "ph", "Calls"), Link("k2", "em", "p1", "Uses"),
                     Link("k3", "p1", "f", "Works for")])
    return chart


def test_attributes_and_linked_phones_and_emails_make_one_record():
    record = entity_record(_chart(), _chart().entity("p1"))
    assert record.dob == "1992-07-14"
    assert record.phones == {"+447700900123", "+447700900999"}  # typed and linked, E.164
    assert record.emails == {"olena@example.org", "o.k@example.org"}
    assert record.nationality == "GB"
    assert record.id_number == "fa123456"
    assert record.address == "12 vulitsya shevchenka kyiv"
    assert record.neighbours == {"f"}  # the firm; phones and e-mails are fields, not neighbours


def test_records_of_the_chosen_types_only_and_places_named_by_the_namer():
    chart = _chart()
    assert [r.unique_id for r in chart_records(chart, ["Person"])] == ["p1"]
    place = chart_records(chart, ["Location"], place_namer=lambda text: "Lagos, Nigeria")[0]
    assert place.place == "Lagos, Nigeria"
    # an address is not a place: two addresses in one city must not agree on "Lagos"
    address = chart_records(chart, ["Address"], place_namer=lambda text: "Lagos, Nigeria")[0]
    assert address.place is None and address.name.plain == "drsmithhouselagos"
    firm = chart_records(chart, ["Organisation"])[0]
    assert firm.name.key == "blue sky"
    table = record_table(chart_records(chart, ["Person", "Organisation"]))
    assert table.num_rows == 2 and table.column("phones")[1].as_py() is None


def test_dates_in_the_forms_sources_write_them():
    assert date_text("1985-03-02") == "1985-03-02"
    assert date_text("02/03/1985") == "1985-03-02"
    assert date_text(" 1985 ") == "1985"
    assert date_text("1985-13-02") is None and date_text("unknown") is None


def test_a_table_of_people_feeds_the_same_fields():
    columns = Columns(id="id", name=("first", "last"), dob="born", phone="tel",
                      address=("street", "town"))
    rows = [{"id": "r1", "first": "Bob", "last": "Smith", "born": "19850302",
             "tel": "+44 7700 900123", "street": "1 High St", "town": None},
            {"id": "r2", "first": "", "last": "Nobody", "born": float("nan"), "tel": "n/a",
             "street": None, "town": None}]
    table = table_records(rows, columns).to_pylist()
    assert table[0]["name_key"] == "robert smith" and table[0]["dob"] == "1985-03-02"
    assert table[0]["phones"] == ["+447700900123"] and table[0]["address"] == "1 high st"
    assert table[1]["dob"] is None and table[1]["phones"] is None
