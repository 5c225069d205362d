"""GraphML that Workbench writes is valid against GraphML's own XML Schema (graphml.xsd with
graphml-structure.xsd, kept in tests/data/xsd; see tests/data/README), checked with lxml and
no network: the schema's URL is answered from the local copy."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import REPO
from workbench.io import load_chart
from workbench.io.interchange import read_chart, write_chart
from workbench.model import Chart, DatePrecision, Direction, EntityType, Kind, SourceRecord, Value

XSD = REPO / "tests" / "data" / "xsd"
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


class _Local(etree.Resolver):
    """graphml.xsd names graphml-structure.xsd by its URL on graphdrawing.org: the copy
    beside it is used instead (nothing is fetched)."""

    def resolve(self, url, pubid, context):
        local = XSD / url.rsplit("/", 1)[-1]
        return self.resolve_filename(str(local), context) if local.exists() else None


@pytest.fixture(scope="module")
def graphml_schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_Local())
    return etree.XMLSchema(etree.parse(str(XSD / "graphml.xsd"), parser))


def _errors(schema: etree.XMLSchema, path: Path) -> list[str]:
    schema.validate(etree.parse(str(path)))
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def test_the_routes_sample_as_graphml_is_valid(graphml_schema, tmp_path):
    path = tmp_path / "routes.graphml"
    write_chart(load_chart(REPO / "sample_charts" / "trafficking-routes.wbchart"), path)
    assert _errors(graphml_schema, path) == []


def test_every_field_workbench_writes_is_valid_graphml(graphml_schema, tmp_path):
    """Types of the chart's own, dates at a precision, coordinates, sources with grades,
    number, flag, phone and date attributes, attribute names that are not XML name tokens
    (the schema's rule for attr.name), every direction, and text GraphML cannot hold as it
    is (a control character, markup); read back, the attributes have their own names."""
    chart = Chart("Harbour <case> \x07")
    chart.add_types([EntityType("Smuggler", icon="mdi6.ferry", colour="#ff8800")])
    kofi = chart.make_entity("Smuggler", "Kofi <b>\x0b", attributes={
        "age": Value(Kind.NUMBER, 41), "armed": Value(Kind.FLAG, True),
        "phone": Value(Kind.PHONE, "+447700900123"),
        "first seen": Value(Kind.DATETIME, datetime(2021, 6, 1, 8, 30)),
        "größe (cm)": Value(Kind.NUMBER, 181), "first_seen": Value(Kind.TEXT, "taken"),
        "名字": Value(Kind.TEXT, "科菲")},
        provenance=[SourceRecord("police report", file="r.xlsx", sheet="S", row=4)],
        coordinates=(54.35, 18.65), x=1.5, y=-2.0)
    kofi.date, kofi.date_precision = datetime(2020, 1, 1), DatePrecision.YEAR
    ana = chart.make_entity("Person", "Ana", x=80.0, y=10.0)
    for direction in Direction:
        chart.make_link(kofi.id, ana.id, "Associate", direction=direction,
                        attributes={"weight": Value(Kind.NUMBER, 2.5)})
    path = tmp_path / "case.graphml"
    write_chart(chart, path)
    assert _errors(graphml_schema, path) == []
    names = {k.get("attr.name") for k in etree.parse(str(path)).iter(f"{GRAPHML}key")}
    assert {"first_seen", "first_seen_2", "größe__cm_", "名字"} <= names
    back = read_chart(path)  # the control characters come back as '\ufffd', the rest as it was
    assert back.entities[kofi.id].attributes == kofi.attributes
    assert back.links == chart.links


def test_the_schema_finds_what_breaks_it(graphml_schema, tmp_path):
    """The check is not empty: an edge to a node that is not there, or a graph without
    edgedefault, is refused by the schema itself."""
    chart = Chart("two")
    a, b = chart.make_entity("Person", "A"), chart.make_entity("Person", "B")
    chart.make_link(a.id, b.id, "Associate")
    path = tmp_path / "two.graphml"
    write_chart(chart, path)
    text = path.read_text()
    broken = tmp_path / "broken.graphml"
    broken.write_text(text.replace(f'target="{b.id}"', 'target="nowhere"'))
    assert any("edge_target_ref" in e for e in _errors(graphml_schema, broken))
    broken.write_text(re.sub(r' edgedefault="\w+"', "", text))
    assert any("edgedefault" in e for e in _errors(graphml_schema, broken))
