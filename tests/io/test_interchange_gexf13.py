"""GEXF that Workbench writes is GEXF 1.3, valid against the grammar the GEXF working group
publishes at gexf.net/1.3 (gexf.rng, dynamics.rng, viz.rng kept in tests/data/xsd; see
tests/data/README), checked with lxml and no network, viz elements included; networkx reads
it as Gephi does; Workbench reads it, and its own older GEXF 1.2 exports, back exactly."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import networkx as nx
import pytest
from lxml import etree

from tests.conftest import REPO
from workbench.io import load_chart
from workbench.io.interchange import read_chart, write_chart
from workbench.io.interchange.common import value_from_text
from workbench.model import (
    Chart,
    DatePrecision,
    Direction,
    EntityType,
    Kind,
    LinkType,
    SourceRecord,
    Strength,
    Value,
)

XSD = REPO / "tests" / "data" / "xsd"
OLD_EXPORT = REPO / "tests" / "data" / "interchange" / "workbench-0.1.0-gexf12.gexf"
ROUTES = REPO / "sample_charts" / "trafficking-routes.wbchart"


@pytest.fixture(scope="module")
def gexf_grammar() -> etree.RelaxNG:
    """gexf.rng includes dynamics.rng and viz.rng by relative name: the copies beside it."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.RelaxNG(etree.parse(str(XSD / "gexf.rng"), parser))


def _errors(grammar: etree.RelaxNG, path: Path) -> list[str]:
    grammar.validate(etree.parse(str(path)))
    return [f"line {e.line}: {e.message}" for e in grammar.error_log]


def every_field_chart() -> Chart:
    """Attributes of every kind, a chart's own types, dates at precisions, coordinates,
    graded sources, weights, every direction and strength, names with spaces (a label with
    two spaces and a trailing one). tests/data/interchange/workbench-0.1.0-gexf12.gexf is
    this chart as Workbench 0.1.0 wrote it (GEXF 1.2, before this change)."""
    chart = Chart("Harbour case: every field")
    chart.created = datetime(2026, 11, 30, 9, 15)
    chart.modified = datetime(2026, 12, 1, 17, 40, 5)
    chart.marking = "OFFICIAL-SENSITIVE"
    chart.add_types([EntityType("Smuggler", icon="mdi6.ferry", colour="#ff8800")],
                    [LinkType("Smuggles", colour="#00aa11", directed=True)])
    kinds = {"home page": ("url", "https://example.org/kofi"),
             "e-mail": ("email", "Kofi.Mensah@Example.org"),
             "handle": ("username", "KofiM"), "phone": ("phone", "+44 7700 900123"),
             "seen at": ("coordinates", "54.35, 18.65"), "born in": ("country", "Ghana"),
             "first seen": ("datetime", "2021-06-01T08:30:00"), "age": ("number", "41"),
             "height (m)": ("number", "1.81"), "armed": ("flag", "true"),
             "notes": ("text", "met at the  harbour\non a Tuesday")}
    kofi = chart.make_entity(
        "Smuggler", "Kofi Mensah", identity="Kofi Mensah",
        attributes={name: value_from_text(kind, text, name)
                    for name, (kind, text) in kinds.items()},
        provenance=[SourceRecord("police report", file="case 12.xlsx", sheet="Arrests", row=4,
                                 reliability="B", credibility="2")],
        coordinates=(5.6037, -0.187), x=-120.5, y=40.25)
    kofi.date, kofi.date_precision = datetime(2020, 1, 1), DatePrecision.YEAR
    ana = chart.make_entity("Person", "Ana  Kowalska ", x=80.0, y=-10.0)
    phone = chart.make_entity("Phone", "+48 600 100 200", identity="+48 600 100 200",
                              x=10.0, y=90.0)
    boat = chart.make_entity("Vehicle", "Blue Star (boat)", x=200.0, y=5.0)
    chart.make_link(kofi.id, ana.id, "Smuggles", label="moved her", direction=Direction.FORWARD,
                    attributes={"weight": Value(Kind.NUMBER, 2.5)},
                    date=datetime(2021, 6, 2, 23, 10), date_precision=DatePrecision.MINUTE)
    chart.make_link(ana.id, phone.id, "Associate", direction=Direction.NONE,
                    strength=Strength.TENTATIVE, attributes={"weight": Value(Kind.NUMBER, 1)})
    chart.make_link(kofi.id, boat.id, "Associate", label="owns", direction=Direction.REVERSE,
                    strength=Strength.UNCONFIRMED,
                    attributes={"weight": Value(Kind.NUMBER, 0.5),
                                "paid (EUR)": Value(Kind.NUMBER, 12000)})
    chart.make_link(phone.id, boat.id, "Associate", direction=Direction.BOTH)
    return chart


def test_the_routes_sample_as_gexf_is_valid_gexf_1_3_and_comes_back_exactly(gexf_grammar,
                                                                            tmp_path):
    chart = load_chart(ROUTES)
    path = tmp_path / "routes.gexf"
    write_chart(chart, path)
    assert _errors(gexf_grammar, path) == []
    warnings: list[str] = []
    assert read_chart(path, warnings) == chart
    assert warnings == []


def test_every_field_workbench_writes_is_valid_gexf_1_3(gexf_grammar, tmp_path):
    """Valid as Workbench 0.1.0 wrote it was not: GEXF 1.2's namespace and version,
    ``<wb:chart>`` inside ``<meta>`` and ``mode`` on ``<attributes>`` (which the grammar at
    gexf.net/1.3 does not have); the metadata is now in processing instructions."""
    chart = every_field_chart()
    path = tmp_path / "case.gexf"
    write_chart(chart, path)
    assert _errors(gexf_grammar, path) == []
    root = etree.parse(str(path)).getroot()
    assert (root.tag, root.get("version")) == ("{http://gexf.net/1.3}gexf", "1.3")
    assert root.nsmap["viz"] == "http://gexf.net/1.3/viz"
    assert [pi.target for pi in root.xpath("processing-instruction()")] == ["workbench-chart"]
    assert read_chart(path) == chart


def test_the_grammar_refuses_what_workbench_0_1_wrote(gexf_grammar, tmp_path):
    """The check is not empty: Workbench 0.1.0's GEXF is refused for its namespace; in the
    1.3 namespace, for ``<wb:chart>`` inside ``<meta>``; and today's export with ``mode`` on
    ``<attributes>`` as 0.1.0 wrote it, for that attribute."""
    assert any("wrong namespace" in e for e in _errors(gexf_grammar, OLD_EXPORT))
    text = OLD_EXPORT.read_text(encoding="utf-8").replace(
        "http://www.gexf.net/1.2draft", "http://gexf.net/1.3").replace(
        'version="1.2"', 'version="1.3"')
    gexf_grammar.validate(etree.fromstring(text.encode()))
    assert "Expecting element graph, got meta" in [e.message for e in gexf_grammar.error_log]
    path = tmp_path / "case.gexf"
    write_chart(every_field_chart(), path)
    text = path.read_text(encoding="utf-8").replace('<attributes class="node">',
                                                    '<attributes class="node" mode="static">')
    gexf_grammar.validate(etree.fromstring(text.encode()))
    assert "Invalid attribute mode for element attributes" in \
        [e.message for e in gexf_grammar.error_log]


def test_networkx_reads_the_export_as_gephi_does(tmp_path):
    """An independent parse (networkx.read_gexf, which reads GEXF 1.3 only in the namespace
    Gephi's exporter writes): counts, labels, attributes, weights and directions."""
    chart = every_field_chart()
    path = tmp_path / "case.gexf"
    write_chart(chart, path)
    graph = nx.read_gexf(path)
    assert graph.is_directed()
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (4, 4)
    labels = {n: d["label"] for n, d in graph.nodes(data=True)}
    assert labels == {e.id: e.label for e in chart.entities.values()}
    kofi = graph.nodes[next(i for i, label in labels.items() if label == "Kofi Mensah")]
    assert (kofi["type"], kofi["age"], kofi["armed"]) == ("Smuggler", 41.0, True)
    assert (kofi["height (m)"], kofi["e-mail"]) == (1.81, "kofi.mensah@example.org")
    assert kofi["first seen"] == "2021-06-01T08:30:00"
    assert kofi["notes"] == "met at the  harbour\non a Tuesday"
    assert (kofi["latitude"], kofi["longitude"]) == (5.6037, -0.187)
    assert kofi["viz"]["position"] == {"x": -120.5, "y": 40.25, "z": 0.0}
    edges = {(u, v): d for u, v, d in graph.edges(data=True)}
    links = {(lk.end1, lk.end2): lk for lk in chart.links.values()}
    assert edges.keys() == links.keys()
    assert {ends: d.get("weight") for ends, d in edges.items()} == \
        {ends: lk.attributes["weight"].value if "weight" in lk.attributes else None
         for ends, lk in links.items()}
    assert {ends: d["direction"] for ends, d in edges.items()} == \
        {ends: lk.direction.value for ends, lk in links.items()}
    moved, owns = (next(d for d in edges.values() if d.get("label") == label)
                   for label in ("moved her", "owns"))
    assert (moved["date"], moved["type"], owns["paid (EUR)"]) == \
        ("2021-06-02T23:10:00", "Smuggles", 12000.0)


def test_workbench_s_gexf_1_2_exports_read_back_whole():
    """Files Workbench wrote before GEXF 1.3 keep their metadata in ``<wb:chart>``: read
    back exactly, kinds, types and precisions included."""
    warnings: list[str] = []
    assert read_chart(OLD_EXPORT, warnings) == every_field_chart()
    assert warnings == []


def test_metadata_over_a_million_characters_goes_in_parts(gexf_grammar, tmp_path):
    """The metadata is split as in ANX (an XML parser refuses one instruction over 10 MB);
    a '?>' in it does not end an instruction early."""
    chart = every_field_chart()
    chart.description = "notes ?> " * 150_000
    path = tmp_path / "long.gexf"
    write_chart(chart, path)
    parts = etree.parse(str(path)).getroot().xpath("processing-instruction('workbench-chart')")
    assert [p.text[:4] for p in parts] == ["1/3 ", "2/3 ", "3/3 "]  # 2.1 million characters
    assert _errors(gexf_grammar, path) == []
    assert read_chart(path) == chart


def test_missing_parts_read_the_file_as_another_tool_s(tmp_path):
    """A hand-edited file with a part gone is still read (as another tool's file would
    be), and says so."""
    chart = every_field_chart()
    chart.description = "x" * 1_500_000
    path = tmp_path / "cut.gexf"
    write_chart(chart, path)
    text = path.read_text(encoding="utf-8")
    start = text.index("<?workbench-chart 2/2")
    path.write_text(text[:start] + text[text.index("?>", start) + 2:], encoding="utf-8")
    warnings: list[str] = []
    back = read_chart(path, warnings)
    assert {e.label for e in back.entities.values()} == \
        {e.label for e in chart.entities.values()}
    assert any("missing parts" in w for w in warnings)


def test_gexf_1_1_is_still_read(tmp_path):
    path = tmp_path / "old.gexf"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gexf xmlns="http://www.gexf.net/1.1draft" version="1.1"><graph defaultedgetype='
        '"directed"><attributes class="node"><attribute id="0" title="town" type="string"/>'
        '</attributes><nodes><node id="a" label="Ana"><attvalues><attvalue for="0" '
        'value="Lodz"/></attvalues></node><node id="b" label="Kofi"/></nodes><edges>'
        '<edge id="0" source="a" target="b" weight="3"/></edges></graph></gexf>\n')
    chart = read_chart(path)
    ana = next(e for e in chart.entities.values() if e.label == "Ana")
    assert ana.attributes["town"] == Value(Kind.TEXT, "Lodz")
    [link] = chart.links.values()
    assert link.attributes["weight"] == Value(Kind.NUMBER, 3.0)
    assert link.direction is Direction.FORWARD
