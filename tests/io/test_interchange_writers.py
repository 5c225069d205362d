"""Maltego .mtgx, Cytoscape CX and FollowTheMoney streams written by `workbench convert`:
each file checked by an independent parse (zipfile and lxml, json against CX's aspects, json
against the FollowTheMoney schemata), then read back by Workbench with its ids, labels,
types, attributes, weights and directions."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime

import pytest
from lxml import etree

from tests.conftest import REPO
from workbench.cli import main
from workbench.io import save_chart
from workbench.io.interchange import read_chart, write_chart
from workbench.io.interchange.ftm_schema import CATALOGUE_TYPES, CHART_TYPES, EDGES
from workbench.model import (
    Chart,
    DatePrecision,
    Direction,
    EntityType,
    Kind,
    Strength,
    Value,
)

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
MTG = "{http://maltego.paterva.com/xml/mtgx}"
DONATIONS = REPO / "tests" / "data" / "interchange" / "nomenklatura-donations.ijson"
CX_TYPES = {"boolean", "double", "integer", "long", "string"}


def _case() -> Chart:
    """People, a phone, a company, a vessel of the chart's own type, a place with
    coordinates; links forward, reversed, two-way and undirected, weighted and dated."""
    chart = Chart("Harbour case")
    chart.add_types([EntityType("Smuggler", icon="mdi6.ferry", colour="#ff8800")])
    ana = chart.make_entity("Person", "Ana Kowalska", attributes={
        "age": Value(Kind.NUMBER, 31), "nationality": Value(Kind.TEXT, "PL"),
        "minor": Value(Kind.FLAG, False), "height": Value(Kind.NUMBER, 1.72)}, x=10.0, y=5.0)
    phone = chart.make_entity("Phone", "+447700900123", identity="+447700900123", x=80.0,
                              y=12.25)
    firm = chart.make_entity("Organisation", "Baltic Freight Ltd", x=120.0, y=-40.5)
    kofi = chart.make_entity("Smuggler", "Kofi", x=-60.0, y=30.0)
    port = chart.make_entity("Location", "Gdansk port", coordinates=(54.35, 18.65), x=-5.0,
                             y=200.0)
    chart.make_link(ana.id, phone.id, "Calls", label="uses",
                    attributes={"weight": Value(Kind.NUMBER, 3)})
    chart.make_link(firm.id, ana.id, "Works for", label="employs", direction=Direction.REVERSE,
                    attributes={"weight": Value(Kind.NUMBER, 0.5)},
                    date=datetime(2019, 3, 1), date_precision=DatePrecision.MONTH)
    chart.make_link(kofi.id, ana.id, "Associate", direction=Direction.NONE,
                    strength=Strength.UNCONFIRMED)
    chart.make_link(kofi.id, port.id, "Linked to", label="seen at", direction=Direction.BOTH,
                    date=datetime(2020, 5, 17, 14, 30))
    return chart


def _arrow(link) -> tuple[str, str, str]:
    """A link as drawn: a reversed link is its ends the other way round, forward."""
    if link.direction is Direction.REVERSE:
        return link.end2, link.end1, Direction.FORWARD.value
    return link.end1, link.end2, link.direction.value


def _converted(tmp_path, name: str) -> tuple[Chart, object]:
    chart = _case()
    source = tmp_path / "case.wbchart"
    save_chart(chart, source)
    target = tmp_path / name
    assert main(["convert", str(source), str(target)]) == 0
    return chart, target


def _same_chart(chart: Chart, back: Chart, extra: set[str] = frozenset()) -> None:
    """Counts, ids, labels, types, positions, attributes, weights, dates and directions."""
    assert back.entities.keys() == chart.entities.keys()
    assert back.links.keys() == chart.links.keys()
    for entity in chart.entities.values():
        got = back.entities[entity.id]
        assert (got.label, got.type, got.x, got.y) == \
            (entity.label, entity.type, entity.x, entity.y)
        assert {k: v for k, v in got.attributes.items() if k not in extra} == \
            entity.attributes
        assert got.coordinates == entity.coordinates
    for link in chart.links.values():
        got = back.links[link.id]
        assert (got.label, got.type, _arrow(got), got.strength) == \
            (link.label, link.type, _arrow(link), link.strength)
        assert got.attributes == link.attributes  # the weight a number, as it was
        assert (got.date, got.date_precision) == (link.date, link.date_precision)


# ----- Maltego ---------------------------------------------------------------------------------
def test_mtgx_is_a_maltego_graph_and_reads_back(tmp_path):
    chart, path = _converted(tmp_path, "case.mtgx")
    with zipfile.ZipFile(path) as archive:
        assert "Version.properties" in archive.namelist()
        root = etree.fromstring(archive.read("Graphs/Graph1.graphml"))
    nodes = root.findall(f"{GRAPHML}graph/{GRAPHML}node")
    edges = root.findall(f"{GRAPHML}graph/{GRAPHML}edge")
    assert len(nodes) == len(chart.entities) and len(edges) == len(chart.links)
    by_id = {}
    for node in nodes:
        entity = node.find(f".//{MTG}MaltegoEntity")
        first = entity.find(f"{MTG}Properties/{MTG}Property")
        by_id[node.get("id")] = (entity.get("type"), first.findtext(f"{MTG}Value"))
        assert node.find(f".//{MTG}EntityRenderer/{MTG}Position") is not None
    assert {label: kind for kind, label in by_id.values()} == {
        "Ana Kowalska": "maltego.Person", "+447700900123": "maltego.PhoneNumber",
        "Baltic Freight Ltd": "maltego.Organization", "Kofi": "workbench.Smuggler",
        "Gdansk port": "maltego.Location"}
    ana = next(n for n in nodes if by_id[n.get("id")][1] == "Ana Kowalska")
    age = next(p for p in ana.iter(f"{MTG}Property") if p.get("displayName") == "age")
    assert (age.get("type"), age.findtext(f"{MTG}Value")) == ("int", "31")
    employs = next(e for e in edges if any(
        v.text == "employs" for v in e.iter(f"{MTG}Value")))
    weights = {p.get("name"): (p.get("type"), p.findtext(f"{MTG}Value"))
               for e in edges for p in e.iter(f"{MTG}Property") if "weight" in p.get("name")}
    assert weights == {"maltego.link.weight": ("int", "3"), "weight": ("float", "0.5")}
    firm = next(i for i, (_, label) in by_id.items() if label == "Baltic Freight Ltd")
    assert employs.get("target") == firm  # reversed: drawn from Ana to the firm
    warnings: list[str] = []
    _same_chart(chart, read_chart(path, warnings))  # no 'Maltego type': the type says it
    assert warnings == []


def test_a_maltego_entity_goes_back_as_the_type_it_had(tmp_path):
    """An IPv4Address read from Maltego is written as maltego.IPv4Address again."""
    from tests.io.test_interchange_maltego import GRAPH

    source = tmp_path / "in.mtgx"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("Graphs/Graph1.graphml", GRAPH)
    chart = read_chart(source)
    write_chart(chart, tmp_path / "out.mtgx")
    with zipfile.ZipFile(tmp_path / "out.mtgx") as archive:
        root = etree.fromstring(archive.read("Graphs/Graph1.graphml"))
    kinds = sorted(e.get("type") for e in root.iter(f"{MTG}MaltegoEntity"))
    assert kinds == ["maltego.IPv4Address", "maltego.Person", "maltego.PhoneNumber"]
    again = read_chart(tmp_path / "out.mtgx")
    assert sorted(e.type for e in again.entities.values()) == \
        sorted(e.type for e in chart.entities.values())


# ----- CX ----------------------------------------------------------------------------------
def test_cx_has_the_aspects_cytoscape_reads_and_reads_back(tmp_path):
    chart, path = _converted(tmp_path, "case.cx")
    document = json.loads(path.read_text())
    assert isinstance(document, list) and all(len(f) == 1 for f in document)
    assert document[0] == {"numberVerification": [{"longNumber": 281474976710655}]}
    assert document[-1] == {"status": [{"error": "", "success": True}]}
    aspects = {name: elements for fragment in document for name, elements in fragment.items()}
    counts = {m["name"]: m["elementCount"] for m in aspects["metaData"]}
    for name, elements in aspects.items():
        if name not in ("numberVerification", "metaData", "status"):
            assert counts[name] == len(elements), name
    node_ids = [n["@id"] for n in aspects["nodes"]]
    edge_ids = [e["@id"] for e in aspects["edges"]]
    assert all(isinstance(i, int) for i in node_ids + edge_ids)
    assert len(set(node_ids + edge_ids)) == len(node_ids) + len(edge_ids)
    assert len(node_ids) == len(chart.entities) and len(edge_ids) == len(chart.links)
    assert all(e["s"] in node_ids and e["t"] in node_ids for e in aspects["edges"])
    assert {n["n"] for n in aspects["nodes"]} == {e.label for e in chart.entities.values()}
    for aspect, owners in (("nodeAttributes", node_ids), ("edgeAttributes", edge_ids)):
        for element in aspects[aspect]:
            assert element["po"] in owners and element.get("d", "string") in CX_TYPES
    assert {p["node"] for p in aspects["cartesianLayout"]} == set(node_ids)
    weights = {a["po"]: (a["v"], a["d"]) for a in aspects["edgeAttributes"]
               if a["n"] == "weight"}
    assert sorted(weights.values()) == [(0.5, "double"), (3, "long")]
    _same_chart(chart, read_chart(path))


def test_the_ndex_cx_file_goes_back_out_with_its_counts(tmp_path):
    """A real CX file read and written again: the same nodes, edges and names."""
    source = REPO / "tests" / "data" / "interchange" / "ndex-simple_test.cx"
    chart = read_chart(source)
    write_chart(chart, tmp_path / "again.cx")
    again = read_chart(tmp_path / "again.cx")
    original = {n: e for f in json.loads(source.read_text()) for n, e in f.items()}
    assert len(again.entities) == len(original["nodes"])
    assert len(again.links) == len(original["edges"])
    assert sorted(e.label for e in again.entities.values()) == \
        sorted(str(n.get("n", n["@id"])) for n in original["nodes"])


# ----- FollowTheMoney ----------------------------------------------------------------------
def _check_ftm(lines: list[dict]) -> None:
    """Each object an entity of a schema FollowTheMoney defines, with what that schema
    requires: a thing its name ('full' for an Address), a relationship both its ends, each
    naming an entity of the stream; every property a list of text."""
    ids = [line["id"] for line in lines]
    assert len(set(ids)) == len(ids)
    for line in lines:
        schema, properties = line["schema"], line["properties"]
        assert schema in set(CATALOGUE_TYPES) | set(CHART_TYPES) | set(EDGES) | \
            {"LegalEntity"}, schema
        assert all(isinstance(v, list) and all(isinstance(t, str) for t in v)
                   for v in properties.values())
        if schema in EDGES:
            for end in (EDGES[schema].source, EDGES[schema].target):
                assert properties[end] and all(i in ids for i in properties[end])
        else:
            assert properties["full" if schema == "Address" else "name"][0]


def test_ftm_stream_follows_the_schemata_and_reads_back(tmp_path):
    chart, path = _converted(tmp_path, "case.ftm.json")
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    _check_ftm(lines)
    assert len(lines) == len(chart.entities) + len(chart.links)
    schemas = {line["caption"]: line["schema"] for line in lines if line["caption"]}
    assert schemas == {"Ana Kowalska": "Person", "+447700900123": "LegalEntity",
                       "Baltic Freight Ltd": "Organization", "Kofi": "LegalEntity",
                       "Gdansk port": "Address", "uses": "Call",
                       "employs": "Employment", "seen at": "UnknownLink"}
    phone = next(line for line in lines if line["caption"] == "+447700900123")
    assert phone["properties"]["phone"] == ["+447700900123"]
    employs = next(line for line in lines if line["caption"] == "employs")
    ana = next(line["id"] for line in lines if line["caption"] == "Ana Kowalska")
    assert employs["properties"]["employee"] == [ana]  # reversed: as the arrow points
    assert employs["properties"]["startDate"] == ["2019-03"]  # at its precision
    assert employs["properties"]["weight"] == ["0.5"]
    warnings: list[str] = []
    _same_chart(chart, read_chart(path, warnings))
    assert warnings == []
    back = read_chart(path)
    assert back.title == "Harbour case" and back.entity_type("Smuggler").colour == "#ff8800"


def test_a_stream_read_from_opensanctions_goes_back_with_its_ids_and_schemata(tmp_path):
    chart = read_chart(DONATIONS)
    path = tmp_path / "donations.ftm"
    write_chart(chart, path)
    original = [json.loads(line) for line in DONATIONS.read_text().splitlines()]
    written = [json.loads(line) for line in path.read_text().splitlines()]
    _check_ftm(written)
    by_id = {w["id"]: w for w in written}
    for entity in original:
        assert by_id[entity["id"]]["schema"] == entity["schema"]
        for name, values in entity["properties"].items():
            assert by_id[entity["id"]]["properties"][name] == ["; ".join(values)]
    again = read_chart(path)
    assert len(again.entities) == len(chart.entities)
    assert len(again.links) == len(chart.links)
    assert {e.attributes["FtM id"].value for e in again.entities.values()} == \
        {e.attributes["FtM id"].value for e in chart.entities.values()}


@pytest.mark.parametrize("name", ["case.mtgx", "case.cx", "case.ftm"])
def test_a_bad_target_leaves_the_old_file(tmp_path, name, capsys):
    """Converting into a folder that does not exist: one line, exit code 2, nothing else
    touched."""
    source = tmp_path / "case.wbchart"
    save_chart(_case(), source)
    assert main(["convert", str(source), str(tmp_path / "nowhere" / name)]) == 2
    assert "workbench convert:" in capsys.readouterr().err


def test_an_empty_chart_is_not_written_as_an_empty_stream(tmp_path, capsys):
    source = tmp_path / "empty.wbchart"
    save_chart(Chart("empty"), source)
    assert main(["convert", str(source), str(tmp_path / "empty.ftm")]) == 2
    assert "empty.ftm: the chart has no entities" in capsys.readouterr().err
    assert not (tmp_path / "empty.ftm").exists()
