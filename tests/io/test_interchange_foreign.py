"""Files other tools wrote come in whole: yEd arrowheads and groups, GEXF time data,
hierarchies, GEXF 1.0 attributes and mutual edges, foreign sizes, coordinates and the columns
whose names Workbench uses for its own fields."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import networkx as nx
import pytest

from workbench.io.interchange import read_chart, write_chart
from workbench.model import Direction, Kind

DATA = Path(__file__).resolve().parents[1] / "data" / "interchange"

_YED_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:y="http://www.yworks.com/xml/graphml">\n'
    '<key for="node" id="d6" yfiles.type="nodegraphics"/>\n'
    '<key for="edge" id="d10" yfiles.type="edgegraphics"/>\n'
    '<graph edgedefault="directed" id="G">\n')


def _yed_node(node_id: str, label: str) -> str:
    return (f'<node id="{node_id}"><data key="d6"><y:ShapeNode><y:Geometry height="30.0" '
            f'width="30.0" x="0.0" y="0.0"/><y:NodeLabel>{label}</y:NodeLabel></y:ShapeNode>'
            '</data></node>\n')


def _yed_edge(edge_id: str, source: str, target: str, heads: tuple[str, str]) -> str:
    return (f'<edge id="{edge_id}" source="{source}" target="{target}"><data key="d10">'
            '<y:PolyLineEdge><y:LineStyle color="#000000" type="line" width="1.0"/>'
            f'<y:Arrows source="{heads[0]}" target="{heads[1]}"/></y:PolyLineEdge></data>'
            '</edge>\n')


def test_yed_links_point_where_their_arrowheads_do(tmp_path):
    """yEd marks every graph directed; a diagram drawn without arrowheads is undirected."""
    path = tmp_path / "arrows.graphml"
    path.write_text(
        _YED_HEAD + _yed_node("n0", "A") + _yed_node("n1", "B")
        + _yed_edge("e0", "n0", "n1", ("none", "none"))
        + _yed_edge("e1", "n0", "n1", ("none", "standard"))
        + _yed_edge("e2", "n0", "n1", ("delta", "none"))
        + _yed_edge("e3", "n0", "n1", ("standard", "standard")) + '</graph></graphml>\n')
    chart = read_chart(path)
    assert [lk.direction for lk in chart.links.values()] == [
        Direction.NONE, Direction.FORWARD, Direction.REVERSE, Direction.BOTH]
    assert nx.read_graphml(path).is_directed()  # what a reader of the flag alone gets


def test_yed_group_members_keep_their_group(tmp_path):
    path = tmp_path / "groups.graphml"
    path.write_text(
        _YED_HEAD + '<node id="n0" yfiles.foldertype="group"><data key="d6">'
        '<y:ProxyAutoBoundsNode><y:Realizers active="0"><y:GroupNode>'
        '<y:Geometry height="80.0" width="120.0" x="0.0" y="0.0"/>'
        '<y:NodeLabel>Cell Odesa</y:NodeLabel></y:GroupNode><y:GroupNode>'
        '<y:NodeLabel>Cell Odesa</y:NodeLabel></y:GroupNode></y:Realizers>'
        '</y:ProxyAutoBoundsNode></data>\n<graph edgedefault="directed" id="n0:">\n'
        + _yed_node("n0::n0", "Recruiter") + _yed_node("n0::n1", "Driver")
        + '</graph></node>\n' + _yed_node("n1", "Buyer")
        + _yed_edge("e0", "n0::n0", "n1", ("none", "none")) + '</graph></graphml>\n')
    warnings: list[str] = []
    chart = read_chart(path, warnings)
    groups = {e.label: e.attributes.get("group") for e in chart.entities.values()}
    assert groups["Recruiter"].value == groups["Driver"].value == "Cell Odesa"
    assert groups["Buyer"] is None and "Cell Odesa" in groups
    assert any("2 node(s) inside groups" in w for w in warnings)


def test_gephi_timestamps_are_dates_and_the_simplification_is_said():
    path = DATA / "gephi-timezone.gexf"
    warnings: list[str] = []
    chart = read_chart(path, warnings)
    reference = nx.read_gexf(path)
    assert len(chart.entities) == reference.number_of_nodes() == 2
    hello = next(e for e in chart.entities.values() if e.label == "Hello")
    assert hello.attributes["start"].kind is Kind.DATETIME
    assert hello.attributes["start"].value == datetime(2012, 1, 12, 15, 0)
    word = next(e for e in chart.entities.values() if e.label == "Word")
    assert word.attributes["start"].value == datetime(2012, 1, 12, 15, 0)  # as written
    assert any("time data of 2 item(s) kept as the attributes 'start'/'end'" in w
               for w in warnings)
    assert any("zone offset" in w for w in warnings)


def test_gephi_values_over_time_keep_the_last_with_a_note():
    path = DATA / "gephi-dynamicedgeweight.gexf"
    warnings: list[str] = []
    chart = read_chart(path, warnings)
    [link] = chart.links.values()
    assert link.attributes["Weight"].value == 2
    assert link.direction is Direction.FORWARD
    assert any("values over time keeps its last value" in w for w in warnings)


def test_gexf_spells_hierarchy_and_mutual_edges(tmp_path):
    path = tmp_path / "dynamic.gexf"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">\n'
        '<graph mode="dynamic" defaultedgetype="directed" timeformat="date">\n<nodes>\n'
        '<node id="a" label="Network" start="2009-01-01" end="2009-06-30">\n'
        '<nodes><node id="b" label="Cell"/></nodes></node>\n'
        '<node id="c" label="Boris"><spells><spell start="2009-01-01" end="2009-02-01"/>'
        '<spell start="2010-01-01" end="2010-03-01"/></spells></node>\n'
        '<node id="d" label="Driver" pid="b"/>\n</nodes>\n<edges>\n'
        '<edge id="0" source="c" target="d" type="mutual"/>\n'
        '<edge id="1" source="a" target="c"/>\n</edges></graph></gexf>\n')
    warnings: list[str] = []
    chart = read_chart(path, warnings)
    by_label = {e.label: e for e in chart.entities.values()}
    assert by_label["Network"].attributes["end"].value == datetime(2009, 6, 30)
    boris = by_label["Boris"].attributes
    assert (boris["start"].value, boris["end"].value) == (datetime(2009, 1, 1),
                                                          datetime(2010, 3, 1))
    assert boris["spells"].value == "2009-01-01 to 2009-02-01; 2010-01-01 to 2010-03-01"
    assert by_label["Cell"].attributes["group"].value == "Network"
    assert by_label["Driver"].attributes["group"].value == "Cell"
    directions = sorted(lk.direction.value for lk in chart.links.values())
    assert directions == ["both", "forward"]
    assert any("1 alive in several spells" in w for w in warnings)
    assert any("2 node(s) of a hierarchy" in w for w in warnings)


def test_gexf_1_0_attributes_are_read_by_their_titles(tmp_path):
    """GEXF 1.0 attvalues name their attribute with 'id', not 'for'."""
    path = tmp_path / "old.gexf"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gexf xmlns="http://www.gexf.net/1.0draft" version="1.0">\n'
        '<graph type="static"><attributes class="node" type="static">'
        '<attribute id="0" title="url" type="string"/>'
        '<attribute id="1" title="indegree" type="float"/></attributes>\n<nodes>\n'
        '<node id="0" label="Gephi"><attvalues><attvalue id="0" value="http://gephi.org"/>'
        '<attvalue id="1" value="1"/></attvalues></node>\n'
        '<node id="1" label="Webatlas"/>\n</nodes>\n'
        '<edges><edge id="0" source="0" target="1"/></edges></graph></gexf>\n')
    chart = read_chart(path)
    gephi = next(e for e in chart.entities.values() if e.label == "Gephi")
    assert gephi.attributes["url"].value == "http://gephi.org"
    assert gephi.attributes["indegree"].value == 1
    assert "" not in gephi.attributes


def test_foreign_columns_named_like_workbench_fields_stay_data(tmp_path):
    """A 'type' of FALSE is no entity type; 'sources', 'identity' and 'size' are the other
    tool's data; lat/lng columns are coordinates."""
    path = tmp_path / "foreign.graphml"
    keys = "".join(f'<key id="{k}" for="node" attr.name="{k}" attr.type="{t}"/>'
                   for k, t in (("label", "string"), ("type", "string"), ("sources", "int"),
                                ("identity", "string"), ("size", "double"), ("lat", "double"),
                                ("lng", "double"), ("latitude", "string")))
    path.write_text(
        '<?xml version="1.0"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
        f'{keys}\n<graph id="G" edgedefault="undirected">\n'
        '<node id="a"><data key="label">Olena</data><data key="type">FALSE</data>'
        '<data key="sources">3</data><data key="identity">X-1</data>'
        '<data key="size">40</data><data key="lat">46.48</data><data key="lng">30.72</data>'
        '</node>\n<node id="b"><data key="label">Anna</data><data key="type">person</data>'
        '<data key="latitude">north</data></node>\n<edge source="a" target="b"/>\n'
        '</graph></graphml>\n')
    warnings: list[str] = []
    chart = read_chart(path, warnings)
    by_label = {e.label: e for e in chart.entities.values()}
    olena, anna = by_label["Olena"], by_label["Anna"]
    assert olena.type == "Node" and olena.attributes["type"].value == "FALSE"
    assert anna.type == "Person"  # names a Workbench type
    assert anna.attributes["latitude"].value == "north" and anna.coordinates is None
    assert olena.attributes["sources"].value == 3
    assert olena.attributes["identity"].value == "X-1" and olena.identity is None
    assert olena.style.size is None and olena.attributes["size"].value == 40  # the only one
    assert olena.coordinates == pytest.approx((46.48, 30.72))
    assert olena.attributes["lat"].value == 46.48  # the columns stay data too
    assert any("names no Workbench type" in w and "'FALSE'" in w for w in warnings)
    assert any("node sizes drawn 1x to 3x the normal size" in w and "attribute 'size'" in w
               for w in warnings)


@pytest.mark.parametrize("ext", ["gml", "json", "cyjs"])
def test_workbench_files_in_plain_formats_keep_their_types_and_identities(rich_chart,
                                                                          tmp_path, ext):
    """These formats have no room for Workbench's metadata; a mark at graph level says
    Workbench wrote the file, so its 'type', 'identity' and 'sources' columns are ours."""
    path = tmp_path / f"chart.{ext}"
    write_chart(rich_chart, path)
    warnings: list[str] = []
    back = read_chart(path, warnings)
    assert {(e.label, e.type, e.identity) for e in back.entities.values()} == \
        {(e.label, e.type, e.identity) for e in rich_chart.entities.values()}
    anna = next(e for e in back.entities.values() if e.label == "Anna Kowalska")
    assert [s.source for s in anna.provenance] == ["Court record", "Hotline"]
    assert not any("names no Workbench type" in w for w in warnings)


def test_dot_keeps_attribute_names_with_spaces(rich_chart, tmp_path):
    """'first seen' was written bare, which no DOT reader (pydot, Graphviz) accepts."""
    path = tmp_path / "chart.dot"
    write_chart(rich_chart, path)
    back = read_chart(path)
    anna = next(e for e in back.entities.values() if e.label == "Anna Kowalska")
    assert anna.attributes["first seen"].value == "2016-03-04T22:15:00"
    assert anna.type == "Person" and anna.identity == "anna kowalska"


def test_ndex_cx_file_matches_its_json():
    path = DATA / "ndex-simple_test.cx"
    warnings: list[str] = []
    chart = read_chart(path, warnings)
    aspects = {k: v for fragment in json.loads(path.read_text()) for k, v in fragment.items()}
    assert len(chart.entities) == len(aspects["nodes"]) == 2
    assert len(chart.links) == len(aspects["edges"]) == 1
    assert {e.label for e in chart.entities.values()} == {n["n"] for n in aspects["nodes"]}
    assert {e.attributes["represents"].value for e in chart.entities.values()} == \
        {n["r"] for n in aspects["nodes"]}
    [link] = chart.links.values()
    assert link.label == "neighbor" and link.direction is Direction.FORWARD
    assert any("network's own attributes were not imported: name, description" in w
               for w in warnings)


def test_cx_attributes_positions_and_undirected_edges(tmp_path):
    """The aspects NDEx and Cytoscape write (as in ndex2-client's glypican2.cx), and CX2."""
    path = tmp_path / "net.cx"
    path.write_text(json.dumps([
        {"numberVerification": [{"longNumber": 281474976710655}]},
        {"nodes": [{"@id": 0, "n": "MDK", "r": "uniprot:P21741"}, {"@id": 1, "n": "GPC2"}]},
        {"edges": [{"@id": 0, "s": 1, "t": 0, "i": "in-complex-with"}]},
        {"nodeAttributes": [{"po": 0, "n": "type", "v": "Protein"},
                            {"po": 0, "n": "alias", "v": ["a", "b"], "d": "list_of_string"},
                            {"po": 1, "n": "score", "v": "2.5", "d": "double"}]},
        {"edgeAttributes": [{"po": 0, "n": "directed", "v": "false", "d": "boolean"}]},
        {"cartesianLayout": [{"node": 0, "x": -398.35, "y": 70.7},
                             {"node": 1, "x": -353.5, "y": 70.7}]},
    ]))
    chart = read_chart(path)
    by_label = {e.label: e for e in chart.entities.values()}
    mdk = by_label["MDK"]
    assert (mdk.x, mdk.y) == (-398.35, 70.7)
    assert mdk.type == "Node" and mdk.attributes["type"].value == "Protein"
    assert mdk.attributes["alias"].value == '["a","b"]'
    assert by_label["GPC2"].attributes["score"].value == 2.5
    [link] = chart.links.values()
    assert link.direction is Direction.NONE and link.label == "in-complex-with"
    cx2 = tmp_path / "net.cx2"
    cx2.write_text(json.dumps([
        {"CXVersion": "2.0", "hasFragments": False},
        {"nodes": [{"id": 1, "v": {"name": "A", "age": 30}, "x": 5.0, "y": 6.0},
                   {"id": 2, "v": {"name": "B"}}]},
        {"edges": [{"id": 3, "s": 1, "t": 2, "v": {"interaction": "pays", "weight": 4}}]},
    ]))
    chart = read_chart(cx2)
    a = next(e for e in chart.entities.values() if e.label == "A")
    assert (a.x, a.y) == (5.0, 6.0) and a.attributes["age"].value == 30
    [link] = chart.links.values()
    assert link.attributes["weight"].value == 4 and link.label == "pays"


def test_workbench_csv_lists_keep_the_chart_types(rich_chart, tmp_path):
    """Workbench's own CSV pair says so by its header: its Type column is Workbench's."""
    from workbench.export.spreadsheet import write_csv

    write_csv(rich_chart, tmp_path / "out.csv")
    warnings: list[str] = []
    back = read_chart(tmp_path / "out-links.csv", warnings)
    assert {e.type for e in back.entities.values()} == \
        {e.type for e in rich_chart.entities.values()}
    assert {lk.type for lk in back.links.values()} == \
        {lk.type for lk in rich_chart.links.values()}
    assert not any("names no Workbench type" in w for w in warnings)


@pytest.mark.parametrize("suffix", [".graphml", ".gexf", ".gml", ".json"])
def test_a_foreign_file_through_a_wbchart_keeps_its_ids(tmp_path, suffix):
    """networkx's file -> .wbchart -> the same format: node ids, labels, ends, weights and
    directions as networkx wrote them (ids used to come back as e1, e2...)."""
    from workbench.io.chartfile import load_chart, save_chart

    g = nx.DiGraph()
    shown = "name" if suffix == ".gml" else "label"  # networkx's GML keeps the key as label
    g.add_node("n-ana", **{shown: "Ana Lima"}, age=31)
    g.add_node("n-bo", **{shown: "Bo Chan"})
    g.add_node("7", **{shown: "Harbour"})
    g.add_edge("n-ana", "n-bo", weight=2.5)
    g.add_edge("7", "n-ana", weight=1.0)
    first = tmp_path / f"first{suffix}"
    writers = {".graphml": nx.write_graphml, ".gexf": nx.write_gexf, ".gml": nx.write_gml,
               ".json": lambda graph, path: Path(path).write_text(
                   json.dumps(nx.node_link_data(graph, edges="links")), encoding="utf-8")}
    writers[suffix](g, first)
    saved = tmp_path / "case.wbchart"
    save_chart(read_chart(first), saved)
    again = tmp_path / f"again{suffix}"
    write_chart(load_chart(saved), again)
    readers = {".graphml": nx.read_graphml, ".gexf": nx.read_gexf, ".gml": nx.read_gml,
               ".json": lambda path: nx.node_link_graph(
                   json.loads(Path(path).read_text(encoding="utf-8")), edges="links")}
    back = readers[suffix](again)
    assert dict(back.nodes(data=shown)) == dict(g.nodes(data=shown))
    weights = {(u, v): w for u, v, w in back.edges(data="weight")}
    assert weights == {("n-ana", "n-bo"): 2.5, ("7", "n-ana"): 1.0}
    assert back.is_directed()


def test_foreign_ids_no_format_can_write_back_get_new_ones(tmp_path):
    """An id with a control character (XML cannot hold it) or of thousands of characters is
    replaced, so GraphML written from the chart never holds two nodes of one id."""
    path = tmp_path / "odd.json"
    path.write_text(json.dumps({"nodes": [{"id": "a\u0001"}, {"id": "a\u0002"}, {"id": "x" * 500},
                                          {"id": "e1"}],
                                "links": [{"source": "a\u0001", "target": "e1"}]}),
                    encoding="utf-8")
    chart = read_chart(path)
    assert "e1" in chart.entities and len(chart.entities) == 4
    assert all(len(i) <= 200 and i.isprintable() for i in chart.entities)
    out = tmp_path / "odd.graphml"
    write_chart(chart, out)
    assert nx.read_graphml(out).number_of_nodes() == 4
