"""Maltego .mtgx: a zip of GraphML whose nodes carry Maltego entities. A graph Maltego
Community Edition wrote (tests/data/README) is checked against an independent parse; the
small one built here, in the same layout (keys d0-d3, mtg:MaltegoEntity, mtg:EntityRenderer,
mtg:MaltegoLink), adds what that graph lacks (notes, weights, reversed links)."""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree

from tests.conftest import REPO
from workbench.io.interchange import InterchangeError, read_chart, sniff
from workbench.model import Direction

MTG = "http://maltego.paterva.com/xml/mtgx"


def _entity(node_id: str, kind: str, props: list[tuple[str, str, str]], x: float,
            y: float, notes: str = "") -> str:
    body = "".join(f'<mtg:Property displayName="{shown}" hidden="false" name="{name}" '
                   f'nullable="true" readonly="false" type="string"><mtg:Value>{value}'
                   '</mtg:Value></mtg:Property>' for name, shown, value in props)
    note = f"<mtg:Notes>{notes}</mtg:Notes>" if notes else ""
    return (f'<node id="{node_id}"><data key="d0"><mtg:MaltegoEntity xmlns:mtg="{MTG}" '
            f'type="{kind}"><mtg:Properties>{body}</mtg:Properties>{note}</mtg:MaltegoEntity>'
            f'</data><data key="d1"><mtg:EntityRenderer xmlns:mtg="{MTG}"><mtg:Position '
            f'x="{x}" y="{y}"/></mtg:EntityRenderer></data></node>\n')


def _link(edge_id: str, source: str, target: str, props: list[tuple[str, str]]) -> str:
    body = "".join(f'<mtg:Property displayName="{name}" hidden="false" name="{name}" '
                   f'nullable="true" readonly="false" type="string"><mtg:Value>{value}'
                   '</mtg:Value></mtg:Property>' for name, value in props)
    return (f'<edge id="{edge_id}" source="{source}" target="{target}"><data key="d2">'
            f'<mtg:MaltegoLink xmlns:mtg="{MTG}" type="maltego.link.manual-link">'
            f'<mtg:Properties>{body}</mtg:Properties></mtg:MaltegoLink></data></edge>\n')


GRAPH = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
    '<key attr.name="MaltegoEntity" for="node" id="d0"/>\n'
    '<key for="node" id="d1" yfiles.type="nodegraphics"/>\n'
    '<key attr.name="MaltegoLink" for="edge" id="d2"/>\n'
    '<key for="edge" id="d3" yfiles.type="edgegraphics"/>\n'
    '<graph edgedefault="directed" id="G">\n'
    + _entity("n0", "maltego.Person", [("person.fullname", "Full Name", "Olena Petrenko"),
                                       ("person.firstnames", "First Names", "Olena")],
              -120.5, 40.0, "Seen at the border")
    + _entity("n1", "maltego.PhoneNumber", [("phonenumber", "Phone Number",
                                             "+44 7700 900123")], 80.0, 10.0)
    + _entity("n2", "maltego.IPv4Address", [("ipv4-address", "IP Address", "10.0.0.7")],
              0.0, 200.0)
    + _link("e0", "n0", "n1", [("maltego.link.manual.type", "uses"),
                               ("maltego.link.weight", "3"),
                               ("maltego.link.color", "8421505")])
    + _link("e1", "n2", "n1", [("maltego.link.is_reversed", "true")])
    + '</graph>\n</graphml>\n')


@pytest.fixture
def mtgx(tmp_path):
    path = tmp_path / "case.mtgx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Graphs/Graph1.graphml", GRAPH)
        archive.writestr("Version.properties", "maltego.graph.version=1.2\n")
    return path


def test_maltego_entities_map_to_workbench_types(mtgx):
    warnings: list[str] = []
    chart = read_chart(mtgx, warnings)
    reference = etree.fromstring(GRAPH.encode())
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(chart.entities) == len(reference.findall(".//g:node", ns)) == 3
    assert len(chart.links) == len(reference.findall(".//g:edge", ns)) == 2
    by_label = {e.label: e for e in chart.entities.values()}
    olena = by_label["Olena Petrenko"]
    assert olena.type == "Person" and (olena.x, olena.y) == (-120.5, 40.0)
    assert olena.attributes["First Names"].value == "Olena"
    assert olena.attributes["notes"].value == "Seen at the border"
    assert "Maltego type" not in olena.attributes  # maltego.Person: said by the type
    phone = by_label["+44 7700 900123"]
    assert phone.type == "Phone" and phone.identity == "+447700900123"
    assert by_label["10.0.0.7"].type == "IPv4Address"
    assert by_label["10.0.0.7"].attributes["Maltego type"].value == "maltego.IPv4Address"
    uses = next(lk for lk in chart.links.values() if lk.label == "uses")
    assert (uses.end1, uses.end2) == (olena.id, phone.id)
    assert uses.direction is Direction.FORWARD and uses.attributes["weight"].value == 3
    assert "maltego.link.color" not in uses.attributes
    reversed_link = next(lk for lk in chart.links.values() if lk.label != "uses")
    assert (reversed_link.end1, reversed_link.end2) == (phone.id, by_label["10.0.0.7"].id)


def test_a_maltego_file_is_found_by_content(mtgx, tmp_path):
    renamed = tmp_path / "case.zip"
    renamed.write_bytes(mtgx.read_bytes())
    assert sniff(renamed) == ".mtgx"
    assert len(read_chart(renamed).entities) == 3


def test_a_zip_without_a_maltego_graph_gets_one_line(tmp_path):
    path = tmp_path / "other.mtgx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(InterchangeError, match="no Maltego graph in it"):
        read_chart(path)


def test_entities_in_a_maltego_graph_are_refused(tmp_path):
    path = tmp_path / "hostile.mtgx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Graphs/Graph1.graphml",
                         '<?xml version="1.0"?><!DOCTYPE g [<!ENTITY x "boom">]>'
                         '<graphml><graph><node id="a">&x;</node></graph></graphml>')
    with pytest.raises(InterchangeError, match="entities"):
        read_chart(path)


# ----- a graph Maltego itself wrote ------------------------------------------------------------
REAL = REPO / "tests" / "data" / "interchange" / "maltego-vt-graph.graphml"
GRAPHML_NS = {"g": "http://graphml.graphdrawing.org/xmlns", "mtg": MTG}


@pytest.fixture
def real_mtgx(tmp_path):
    """The graph Maltego Community Edition 4.2.6 wrote (tests/data/README), in the zip
    Maltego keeps it in."""
    path = tmp_path / "vt.mtgx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(REAL, "Graphs/Graph1.graphml")
    return path


def test_a_graph_maltego_wrote_matches_an_independent_parse(real_mtgx):
    with zipfile.ZipFile(real_mtgx) as archive:
        root = etree.fromstring(archive.read("Graphs/Graph1.graphml"))
    nodes = root.findall(".//g:node", GRAPHML_NS)
    edges = root.findall(".//g:edge", GRAPHML_NS)
    warnings: list[str] = []
    chart = read_chart(real_mtgx, warnings)
    assert len(chart.entities) == len(nodes) == 6 and len(chart.links) == len(edges) == 6
    for node in nodes:  # the value Maltego shows: its first property, or properties.<type>
        entity = node.find(".//mtg:MaltegoEntity", GRAPHML_NS)
        short = entity.get("type").rpartition(".")[2].lower()
        props = {p.get("name"): p.findtext("mtg:Value", "", GRAPHML_NS)
                 for p in entity.iter(f"{{{MTG}}}Property")}
        first = entity.find(".//mtg:Property/mtg:Value", GRAPHML_NS).text
        got = chart.entities[node.get("id")]
        assert got.label == (props.get(f"properties.{short}") or first)
        position = node.find(".//mtg:Position", GRAPHML_NS)
        assert (got.x, got.y) == (float(position.get("x")), float(position.get("y")))
    by_label = {e.label: e for e in chart.entities.values()}
    assert by_label["John Doe"].type == "Person"
    assert by_label["John Doe"].attributes["Surname"].value == "Doe"
    assert by_label["443"].type == "Port"  # maltego.Port shows properties.port, not port.number
    assert by_label["443"].attributes["Port number"].value == 0
    assert by_label["mail.paterva.com"].attributes["Priority"].value == 0  # typed int
    assert by_label["74.207.243.85"].attributes["Internal"].value is False  # typed boolean
    assert by_label["paterva.com"].type == "Website"
    assert by_label["paterva.com"].attributes["Maltego type"].value == "maltego.Domain"
    for edge in edges:  # source to target, labelled by maltego.link.manual.type
        link = chart.links[edge.get("id")]
        assert (link.end1, link.end2) == (edge.get("source"), edge.get("target"))
        label = edge.find(".//mtg:Property[@name='maltego.link.manual.type']/mtg:Value",
                          GRAPHML_NS).text or ""
        assert link.label == label and link.direction is Direction.FORWARD
        assert "Color" not in link.attributes and "Show Label" not in link.attributes
    assert sorted(lk.label for lk in chart.links.values() if lk.label) == ["aa", "to"]
    assert warnings == []


def test_a_graph_maltego_wrote_goes_back_out_as_it_came(real_mtgx, tmp_path):
    """Written as .mtgx again: Maltego's own types (maltego.Domain, maltego.Port) and
    values, and read back the same chart."""
    from workbench.io.interchange import write_chart

    chart = read_chart(real_mtgx)
    write_chart(chart, tmp_path / "again.mtgx")
    with zipfile.ZipFile(tmp_path / "again.mtgx") as archive:
        root = etree.fromstring(archive.read("Graphs/Graph1.graphml"))
    kinds = {n.get("id"): n.find(".//mtg:MaltegoEntity", GRAPHML_NS).get("type")
             for n in root.iter("{http://graphml.graphdrawing.org/xmlns}node")}
    original = etree.parse(str(REAL)).getroot()
    assert kinds == {n.get("id"): n.find(".//mtg:MaltegoEntity", GRAPHML_NS).get("type")
                     for n in original.iter("{http://graphml.graphdrawing.org/xmlns}node")}
    again = read_chart(tmp_path / "again.mtgx")
    assert {e.id: (e.label, e.type) for e in again.entities.values()} == \
        {e.id: (e.label, e.type) for e in chart.entities.values()}
