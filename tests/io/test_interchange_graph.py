"""GraphML and GEXF: real Gephi files in, Workbench files out and back, read by networkx."""

from __future__ import annotations

import networkx as nx
import pytest
from lxml import etree

from tests.conftest import REPO
from workbench.io import load_chart
from workbench.io.interchange import InterchangeError, read_chart, write_chart
from workbench.model import Chart, Direction, Kind, Strength

SAMPLE = REPO / "sample_charts" / "nov13-network.wbchart"


# ----- real files written by Gephi ------------------------------------------------------------
def test_les_miserables_gexf_matches_an_independent_read(real_data):
    path = real_data / "les-miserables.gexf"
    chart = read_chart(path)
    reference = nx.read_gexf(path)
    assert len(chart.entities) == reference.number_of_nodes() == 77
    assert len(chart.links) == reference.number_of_edges() == 254
    by_label = {e.label: e for e in chart.entities.values()}
    valjean = by_label["Valjean"]
    ref = next(d for _, d in reference.nodes(data=True) if d["label"] == "Valjean")
    assert valjean.x == pytest.approx(ref["viz"]["position"]["x"])
    assert valjean.y == pytest.approx(ref["viz"]["position"]["y"])
    # Gephi's size is pixels (100 for Valjean, the largest): kept as data and drawn in
    # Workbench's range (1x for the smallest to 3x for the largest), not 100 times larger.
    sizes = [d["viz"]["size"] for _, d in reference.nodes(data=True)]
    assert max(sizes) == ref["viz"]["size"] and valjean.style.size == 3.0
    assert valjean.attributes["size"].value == pytest.approx(ref["viz"]["size"])
    drawn = [e.style.size or 1.0 for e in chart.entities.values()]
    assert min(drawn) == 1.0 and max(drawn) == 3.0
    colour = ref["viz"]["color"]
    assert valjean.style.colour == "#{:02x}{:02x}{:02x}".format(colour["r"], colour["g"],
                                                               colour["b"])
    assert valjean.attributes["Modularity Class"].kind is Kind.NUMBER
    assert valjean.attributes["Modularity Class"].value == ref["Modularity Class"]
    # Every item says where it came from: file and line.
    assert valjean.provenance[0].file == "les-miserables.gexf"
    assert valjean.provenance[0].row > 10
    # Degree is the same as networkx sees it.
    ref_id = next(n for n, d in reference.nodes(data=True) if d["label"] == "Valjean")
    assert len(chart.links_of(valjean.id)) == reference.degree(ref_id)


def test_airlines_graphml_positions_and_coordinates_from_the_tooltip(real_data):
    path = real_data / "airlines.graphml"
    chart = read_chart(path)
    reference = nx.read_graphml(path)
    assert len(chart.entities) == reference.number_of_nodes() == 235
    assert len(chart.links) == reference.number_of_edges()
    by_label = {e.label: e for e in chart.entities.values()}
    lit = by_label["LIT"]  # the airport code before the parenthesis of the tooltip
    assert lit.x == pytest.approx(reference.nodes["0"]["x"])
    assert lit.y == pytest.approx(reference.nodes["0"]["y"])
    assert lit.coordinates == pytest.approx((34.729444, -92.224444))
    assert all(e.coordinates is not None for e in chart.entities.values())
    assert lit.attributes["tooltip"].value == reference.nodes["0"]["tooltip"]


# ----- Workbench files: read back by networkx and by us ----------------------------------------
@pytest.mark.parametrize("ext", ["graphml", "gexf"])
def test_round_trip_of_a_chart_using_every_field(rich_chart, tmp_path, ext):
    path = tmp_path / f"chart.{ext}"
    write_chart(rich_chart, path)
    back = read_chart(path)
    assert back == rich_chart
    anna = next(e for e in back.entities.values() if e.label == "Anna Kowalska")
    assert anna.attributes["phone"].kind is Kind.PHONE
    assert anna.attributes["type"].value == "clashes with our column"
    assert back.marking == "OFFICIAL-SENSITIVE"


@pytest.mark.parametrize("ext", ["graphml", "gexf"])
def test_round_trip_of_the_sample_chart(tmp_path, ext):
    chart = load_chart(SAMPLE)
    path = tmp_path / f"nov13.{ext}"
    write_chart(chart, path)
    assert read_chart(path) == chart


def test_graphml_export_is_what_networkx_and_gephi_read(rich_chart, tmp_path):
    path = tmp_path / "chart.graphml"
    write_chart(rich_chart, path)
    graph = nx.read_graphml(path)
    assert graph.number_of_nodes() == len(rich_chart.entities)
    assert graph.number_of_edges() == len(rich_chart.links)  # the two parallel links survive
    anna = next(e for e in rich_chart.entities.values() if e.label == "Anna Kowalska")
    node = graph.nodes[anna.id]
    assert node["label"] == "Anna Kowalska"
    assert node["type"] == "Person"
    assert (node["x"], node["y"]) == (anna.x, anna.y)
    assert (node["r"], node["g"], node["b"]) == (0x1F, 0x5F, 0xA8)  # the Person colour
    assert node["age"] == 27.0 and node["minor"] is False
    assert node["latitude"] == pytest.approx(52.2297)
    labels = {d.get("label") for _, _, d in graph.edges(data=True)}
    assert "recruited in Lodz" in labels


def test_gexf_export_is_what_networkx_reads(rich_chart, tmp_path):
    path = tmp_path / "chart.gexf"
    write_chart(rich_chart, path)
    graph = nx.read_gexf(path)
    assert graph.number_of_nodes() == len(rich_chart.entities)
    assert graph.number_of_edges() == len(rich_chart.links)
    phone = next(e for e in rich_chart.entities.values() if e.type == "Phone")
    node = graph.nodes[phone.id]
    assert node["label"] == phone.label
    assert node["viz"]["position"]["x"] == pytest.approx(200.0)
    assert node["viz"]["color"]["r"] == 255 and node["viz"]["color"]["g"] == 0
    assert node["viz"]["size"] == pytest.approx(2.0)
    # GEXF 1.3 in the namespace Gephi's exporter and networkx write (networkx reads no other).
    root = etree.parse(str(path)).getroot()
    assert root.tag == "{http://gexf.net/1.3}gexf" and root.get("version") == "1.3"


def test_directions_and_strengths_survive(rich_chart, tmp_path):
    path = tmp_path / "chart.graphml"
    write_chart(rich_chart, path)
    back = read_chart(path)
    found = {(lk.direction, lk.strength) for lk in back.links.values()}
    assert (Direction.REVERSE, Strength.TENTATIVE) in found
    assert (Direction.BOTH, Strength.UNCONFIRMED) in found


# ----- bad and hostile files -----------------------------------------------------------------
def test_entity_expansion_is_refused(tmp_path):
    bomb = tmp_path / "bomb.graphml"
    bomb.write_text('<?xml version="1.0"?>\n<!DOCTYPE g [<!ENTITY a "aaaaaaaaaa">'
                    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
                    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph>'
                    '<node id="n1"/></graph></graphml>')
    with pytest.raises(InterchangeError, match=r"bomb\.graphml: declares XML entities"):
        read_chart(bomb)


def test_external_entities_are_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    xxe = tmp_path / "xxe.gexf"
    xxe.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE g [<!ENTITY x SYSTEM "file://{secret}">]>'
                   '<gexf xmlns="http://gexf.net/1.2"><graph><nodes>'
                   '<node id="1" label="&x;"/></nodes><edges/></graph></gexf>')
    with pytest.raises(InterchangeError):
        read_chart(xxe)


def test_a_link_to_a_missing_node_names_file_line_and_node(tmp_path):
    bad = tmp_path / "bad.graphml"
    bad.write_text('<?xml version="1.0"?>\n<graphml xmlns="http://graphml.graphdrawing.org/'
                   'xmlns">\n<graph edgedefault="directed">\n<node id="a"/>\n'
                   '<edge source="a" target="zz"/>\n</graph></graphml>')
    with pytest.raises(InterchangeError, match=r"bad.graphml, line 5.*'zz'"):
        read_chart(bad)


@pytest.mark.parametrize("content, reason", [
    ("not xml at all", "not well-formed XML"),
    ('<?xml version="1.0"?><svg/>', "not a GraphML file"),
])
def test_damaged_files_are_refused_with_a_reason(tmp_path, content, reason):
    path = tmp_path / "x.graphml"
    path.write_text(content)
    with pytest.raises(InterchangeError, match=reason):
        read_chart(path)


def test_unknown_extension_is_refused(tmp_path):
    (tmp_path / "chart.vsdx").write_text("a Visio drawing, say")
    with pytest.raises(InterchangeError, match=r"chart\.vsdx: not a chart file Workbench reads"):
        read_chart(tmp_path / "chart.vsdx")
    with pytest.raises(InterchangeError, match=r"cannot write \.vsdx"):
        write_chart(Chart(), tmp_path / "chart.vsdx")


def test_a_failed_write_leaves_the_old_file(rich_chart, tmp_path):
    path = tmp_path / "chart.gexf"
    path.write_text("previous export")
    rich_chart.entities[next(iter(rich_chart.entities))].attributes["bad"] = None  # type: ignore
    with pytest.raises(Exception):  # noqa: B017 - any failure, as long as the file is kept
        write_chart(rich_chart, path)
    assert path.read_text() == "previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["chart.gexf"]


@pytest.mark.parametrize("ext", ["graphml", "gexf", "anx"])
def test_control_characters_from_scraped_text_do_not_break_an_export(rich_chart, tmp_path, ext):
    entity = next(iter(rich_chart.entities.values()))
    rich_chart.update_entity(entity.id, label="Ann\x00a\x1b[31m")
    path = tmp_path / f"c.{ext}"
    write_chart(rich_chart, path)
    back = read_chart(path)
    assert back.entities[entity.id].label == "Ann\ufffda\ufffd[31m"


def test_yed_labels_positions_and_colours(tmp_path):
    """yEd writes labels and boxes in its own y: elements, not as plain data."""
    path = tmp_path / "yed.graphml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:y="http://www.yworks.com/xml/graphml">\n'
        '<key for="node" id="d6" yfiles.type="nodegraphics"/>\n'
        '<key for="edge" id="d10" yfiles.type="edgegraphics"/>\n'
        '<graph edgedefault="directed" id="G">\n'
        '<node id="n0"><data key="d6"><y:ShapeNode><y:Geometry height="30.0" width="40.0" '
        'x="100.0" y="50.0"/><y:Fill color="#FF9900" transparent="false"/>'
        '<y:NodeLabel>Olena</y:NodeLabel></y:ShapeNode></data></node>\n'
        '<node id="n1"><data key="d6"><y:ShapeNode><y:Geometry height="30.0" width="30.0" '
        'x="0.0" y="0.0"/><y:NodeLabel>Safe house</y:NodeLabel></y:ShapeNode></data></node>\n'
        '<edge id="e0" source="n0" target="n1"><data key="d10"><y:PolyLineEdge>'
        '<y:EdgeLabel>stays at</y:EdgeLabel></y:PolyLineEdge></data></edge>\n'
        '</graph></graphml>\n')
    chart = read_chart(path)
    olena = next(e for e in chart.entities.values() if e.label == "Olena")
    assert (olena.x, olena.y) == (120.0, 65.0)
    assert olena.style.colour == "#ff9900"
    assert not olena.attributes  # the drawing is not data
    link = next(iter(chart.links.values()))
    assert link.label == "stays at" and link.direction is Direction.FORWARD


def test_nodes_inside_groups_are_read(tmp_path):
    """yEd and other editors nest a group's members in a graph inside the group node."""
    path = tmp_path / "groups.graphml"
    path.write_text(
        '<?xml version="1.0"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
        '<key id="l" for="node" attr.name="label" attr.type="string"/>\n'
        '<graph id="G" edgedefault="undirected">\n'
        '<node id="g1"><data key="l">Gang</data><graph id="g1:" edgedefault="undirected">\n'
        '<node id="g1::n0"><data key="l">Member A</data></node>\n'
        '<node id="g1::n1"><data key="l">Member B</data></node>\n'
        '<edge source="g1::n0" target="g1::n1"/></graph></node>\n'
        '<node id="n2"><data key="l">Outsider</data></node>\n'
        '<edge source="n2" target="g1::n0"/>\n</graph></graphml>\n')
    chart = read_chart(path)
    assert sorted(e.label for e in chart.entities.values()) == [
        "Gang", "Member A", "Member B", "Outsider"]
    assert len(chart.links) == 2


def test_gexf_hierarchy_members_are_read(tmp_path):
    path = tmp_path / "tree.gexf"
    path.write_text(
        '<?xml version="1.0"?>\n<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">'
        '<graph defaultedgetype="directed"><nodes>\n'
        '<node id="a" label="Network"><nodes><node id="b" label="Cell"/></nodes></node>\n'
        '</nodes><edges><edge id="0" source="a" target="b"/></edges></graph></gexf>\n')
    chart = read_chart(path)
    assert sorted(e.label for e in chart.entities.values()) == ["Cell", "Network"]
    assert next(iter(chart.links.values())).direction is Direction.FORWARD
