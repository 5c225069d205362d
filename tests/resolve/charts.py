"""A small investigation chart in which one recruiter, one agency and one city appear under
several spellings, as they do when sources are put together; and strangers who must not be
offered as duplicates."""

from __future__ import annotations

from datetime import datetime

from workbench.model import Chart, Entity, Kind, Link, Value

RECRUITER = ("p1", "p2", "p3", "p4", "p5")
STRANGERS = ("p6", "p7", "p9", "p10")
FORMULA_PAIR = ("p11", "p8")  # a scraped label that a spreadsheet would run


def _person(eid: str, label: str, dob: str | None = None, **attrs: str) -> Entity:
    attributes = {name.replace("_", " "): Value(Kind.TEXT, text) for name, text in attrs.items()}
    if dob:
        attributes["date of birth"] = Value(Kind.DATETIME, datetime.fromisoformat(dob))
    return Entity(eid, "Person", label, identity=label.casefold(), attributes=attributes)


def recruiter_chart() -> Chart:
    chart = Chart("Recruiter under five spellings")
    chart.add_entities([
        _person("p1", "Mohammed Al-Hassan", "1985-03-02", nationality="Syria",
                passport="N1234567"),
        _person("p2", "Muhamad Alhassan", "1985-03-02", nationality="SY"),
        _person("p3", "Мухаммед Аль-Хасан"),
        _person("p4", "AL HASSAN, Mohammed", "1986-03-02"),
        _person("p5", "M. Al Hassan, b. 1985"),
        _person("p6", "Olena Kovalenko", "1992-07-14", nationality="Ukraine"),
        _person("p7", "Ahmed Karimi", "1979-11-30", nationality="Afghanistan"),
        _person("p8", "Maria Silva", "1990-01-01", nationality="Brazil"),
        _person("p9", "John Smith", "1970-05-05", nationality="United Kingdom"),
        _person("p10", "Jane Doe", "1988-08-08", nationality="U.K."),
        _person("p11", "=Maria Silva", "1990-01-01", nationality="BR"),
        Entity("ph1", "Phone", "+44 7700 900123", identity="+447700900123"),
        Entity("o1", "Organisation", "Sunrise Travel Ltd", identity="sunrise travel ltd"),
        Entity("o2", "Organisation", "SUNRISE TRAVEL LIMITED", identity="sunrise travel limited"),
        Entity("o3", "Organisation", "Blue Sky Recruitment GmbH", identity="blue sky gmbh"),
        Entity("o4", "Organisation", "Northern Logistics S.A.", identity="northern logistics"),
        Entity("l1", "Location", "Lagos", identity="lagos"),
        Entity("l2", "Location", "Lagos, Nigeria", identity="lagos, nigeria"),
        Entity("l3", "Location", "Berlin", identity="berlin"),
    ])
    chart.add_links([
        Link("k1", "p1", "ph1", "Calls"),
        Link("k2", "p3", "ph1", "Calls"),
        Link("k3", "p1", "o1", "Works for"),
        Link("k4", "p2", "o2", "Works for"),
    ])
    return chart
