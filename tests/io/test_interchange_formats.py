"""GML, Pajek, DOT, node-link and Cytoscape.js JSON, CSV lists, weights and formats found by
content: real files written by Gephi, igraph, Pajek, D3 and cytoscape.js (tests/data/README),
each checked against an independent parse (networkx, igraph, pydot, json)."""

from __future__ import annotations

import json
import shutil

import igraph
import networkx as nx
import pydot
import pytest

from tests.conftest import REPO
from workbench.cli import main
from workbench.export.spreadsheet import write_csv, write_xlsx
from workbench.io.interchange import InterchangeError, read_chart, write_chart
from workbench.model import Chart, Direction, Entity, Kind, Link, Value

DATA = REPO / "tests" / "data" / "interchange"


def _labels(chart: Chart) -> set[str]:
    return {e.label for e in chart.entities.values()}


def _weights(chart: Chart) -> list[float]:
    return sorted(lk.attributes["weight"].value for lk in chart.links.values()
                  if "weight" in lk.attributes)


def _arrows(chart: Chart) -> list[tuple[str, str, float]]:
    """(from label, to label, weight) per link as its arrow points."""
    out = []
    for lk in chart.links.values():
        one, two = chart.entities[lk.end1].label, chart.entities[lk.end2].label
        ends = (two, one) if lk.direction is Direction.REVERSE else (one, two)
        out.append((*ends, lk.attributes["weight"].value))
    return sorted(out)


ARROWS = [("Ana Lima", "Bo \"Bear\" Chan", 2.5), ("Bo \"Bear\" Chan", "Ana Lima", 7)]


def _small_chart() -> Chart:
    chart = Chart("Weighted")
    chart.add_entities([
        Entity("e1", "Person", "Ana Lima", x=10.0, y=20.0,
               attributes={"age": Value(Kind.NUMBER, 31)}),
        Entity("e2", "Person", "Bo \"Bear\" Chan", x=200.0, y=-40.0),
        Entity("e3", "Organisation", "Ana Lima", x=90.0, y=150.0),
    ])
    chart.add_links([
        Link("l1", "e1", "e2", "Link", "paid", Direction.FORWARD,
             attributes={"weight": Value(Kind.NUMBER, 2.5)}),
        Link("l2", "e3", "e2", "Link", "", Direction.REVERSE,
             attributes={"weight": Value(Kind.NUMBER, 7)}),
    ])
    return chart


# ----- reading files written by the other tools ------------------------------------------------
def test_gephi_gml_labels_and_ends_match_networkx():
    chart = read_chart(DATA / "gephi-label.gml")
    g = nx.read_gml(DATA / "gephi-label.gml", label=None)
    assert len(chart.entities) == g.number_of_nodes() == 3
    assert _labels(chart) == {d["label"] for _, d in g.nodes(data=True)}
    by_id = {e.id: e.label for e in chart.entities.values()}
    ends = {frozenset((by_id[lk.end1], by_id[lk.end2])) for lk in chart.links.values()}
    assert ends == {frozenset((g.nodes[u]["label"], g.nodes[v]["label"])) for u, v in g.edges}
    assert {lk.label for lk in chart.links.values()} == {"Edge B to A", "Edge C to A"}
    assert all(lk.direction is Direction.NONE for lk in chart.links.values())  # GML default


def test_igraph_gml_weight_and_node_values():
    chart = read_chart(DATA / "igraph-weighted.gml")
    g = igraph.Graph.Read_GML(str(DATA / "igraph-weighted.gml"))
    assert _weights(chart) == g.es["weight"] == [-377.9]
    values = sorted(e.attributes["value"].value for e in chart.entities.values())
    assert values == sorted(g.vs["value"])


def test_pajek_file_matches_igraph():
    chart = read_chart(DATA / "pajek-links.net")
    g = igraph.Graph.Read_Pajek(str(DATA / "pajek-links.net"))
    assert (len(chart.entities), len(chart.links)) == (g.vcount(), g.ecount()) == (4, 7)
    assert sorted(lk.label for lk in chart.links.values()) == sorted(g.es["label"])
    assert _weights(chart) == sorted(g.es["weight"])  # one arc weighs -1
    assert all(lk.direction is Direction.FORWARD for lk in chart.links.values())  # *arcs
    first = next(e for e in chart.entities.values() if e.label == "1")
    assert (first.x, first.y) == pytest.approx((93.8, 89.6))  # 0..1 scaled by 1,000
    colours = {lk.attributes["Pajek colour"].value for lk in chart.links.values()
               if "Pajek colour" in lk.attributes}
    assert colours == {"Blue", "Red", "OliveGreen", "Brown"}


def test_bare_pajek_file_that_networkx_refuses_is_read():
    chart = read_chart(DATA / "igraph-karate.net")
    g = igraph.Graph.Read_Pajek(str(DATA / "igraph-karate.net"))
    assert (len(chart.entities), len(chart.links)) == (g.vcount(), g.ecount()) == (34, 78)
    with pytest.raises(ValueError):
        nx.read_pajek(DATA / "igraph-karate.net")


def test_gephi_dot_labels_and_directions_match_pydot():
    chart = read_chart(DATA / "gephi-labels.dot")
    parsed = pydot.graph_from_dot_file(str(DATA / "gephi-labels.dot"))[0]
    assert len(chart.links) == len(parsed.get_edges()) == 2
    assert {lk.label for lk in chart.links.values()} == \
        {e.get("label").strip('"') for e in parsed.get_edges()}
    assert _labels(chart) == {"Node A", "B", "C"}
    assert all(lk.direction is Direction.FORWARD for lk in chart.links.values())


def test_gephi_dot_clusters_and_edge_chains_match_pydot():
    chart = read_chart(DATA / "gephi-subgraph.dot")
    cluster = pydot.graph_from_dot_file(str(DATA / "gephi-subgraph.dot"))[0].get_subgraphs()[0]
    found = {e.label: (e.attributes["foo"].value, e.attributes["subgraph"].value)
             for e in chart.entities.values()}
    assert found == {n.get_name(): (n.get("foo"), cluster.get_name())
                     for n in cluster.get_nodes()}
    chain = read_chart(DATA / "gephi-multipleedgesperline.dot")
    g = nx.nx_pydot.read_dot(DATA / "gephi-multipleedgesperline.dot")
    by_id = {e.id: e.label for e in chain.entities.values()}
    assert sorted((by_id[lk.end1], by_id[lk.end2]) for lk in chain.links.values()) == \
        sorted((u, v) for u, v, _k in g.edges(keys=True))


def test_networkx_node_link_and_gml_files(tmp_path):
    """networkx's own writers: node_link_data (its 3.6 'edges' key) and write_gml."""
    g = nx.les_miserables_graph()
    (tmp_path / "miserables.json").write_text(json.dumps(nx.node_link_data(g)))
    nx.write_gml(g, tmp_path / "miserables.gml")
    for name in ("miserables.json", "miserables.gml"):
        chart = read_chart(tmp_path / name)
        assert (len(chart.entities), len(chart.links)) == (77, 254)
        assert sum(_weights(chart)) == sum(d["weight"] for *_e, d in g.edges(data=True))
        assert _labels(chart) == set(g.nodes)


def test_d3_node_link_by_index_with_values_as_weights(tmp_path):
    """D3 v3's force-directed example layout (nodes by 'name', links by node index with a
    'value'), made from networkx's Les Misérables graph rather than a file of unclear
    licence."""
    g = nx.les_miserables_graph()
    names = list(g.nodes)
    data = {"nodes": [{"name": n, "group": 1} for n in names],
            "links": [{"source": names.index(u), "target": names.index(v),
                       "value": d["weight"]} for u, v, d in g.edges(data=True)]}
    path = tmp_path / "miserables.json"
    path.write_text(json.dumps(data))
    chart = read_chart(path)
    assert (len(chart.entities), len(chart.links)) == (77, 254)
    assert _labels(chart) == set(names)
    by_id = {e.id: e.label for e in chart.entities.values()}
    pairs = sorted((by_id[lk.end1], by_id[lk.end2], lk.attributes["weight"].value)
                   for lk in chart.links.values())
    assert pairs == sorted((names[k["source"]], names[k["target"]], k["value"])
                           for k in data["links"])


def test_cytoscape_js_elements_match_json():
    chart = read_chart(DATA / "cytoscapejs-edge-types.json")
    data = json.loads((DATA / "cytoscapejs-edge-types.json").read_text())
    nodes = [d["data"]["id"] for d in data if "source" not in d["data"]]
    edges = [d for d in data if "source" in d["data"]]
    assert (len(chart.entities), len(chart.links)) == (len(nodes), len(edges)) == (18, 15)
    assert _labels(chart) == set(nodes)  # no labels in the file: the ids
    assert sorted(lk.attributes["classes"].value for lk in chart.links.values()) == \
        sorted(d["classes"] for d in edges)
    loop = [lk for lk in chart.links.values() if lk.end1 == lk.end2]
    assert len(loop) == 1


def test_gephi_edge_table_type_column_gives_direction():
    chart = read_chart(DATA / "gephi-edges_table_types_test.csv")
    assert len(chart.links) == 2 and len(chart.entities) == 2
    directions = sorted(lk.direction.value for lk in chart.links.values())
    assert directions == ["forward", "none"]
    assert _weights(chart) == [2, 2]
    assert {lk.attributes["kind"].value for lk in chart.links.values()} == {8, 1}


def test_gephi_node_table_with_blank_lines_and_lists():
    chart = read_chart(DATA / "gephi-nodes_table_types_test.csv")
    assert len(chart.entities) == 5 and not chart.links
    five = next(e for e in chart.entities.values() if e.label == "5")
    assert five.attributes["string"].value == "ef"
    assert five.attributes["timeset"].value == "[1,5]; [10, 10.5]; [11, 16]"


# ----- found by content ------------------------------------------------------------------------
def test_formats_found_by_content_not_extension(tmp_path):
    write_chart(_small_chart(), tmp_path / "chart.graphml")
    shutil.copy(tmp_path / "chart.graphml", tmp_path / "chart.xml")
    shutil.copy(DATA / "gephi-label.gml", tmp_path / "network.txt")
    shutil.copy(DATA / "pajek-links.net", tmp_path / "pajek.dat")
    shutil.copy(DATA / "gephi-labels.dot", tmp_path / "graph.gv.txt")
    assert len(read_chart(tmp_path / "chart.xml").entities) == 3
    assert len(read_chart(tmp_path / "network.txt").entities) == 3
    assert len(read_chart(tmp_path / "pajek.dat").links) == 7
    assert len(read_chart(tmp_path / "graph.gv.txt").links) == 2


def test_a_spreadsheet_is_not_taken_for_a_damaged_chart(tmp_path):
    write_chart(_small_chart(), tmp_path / "chart.wbchart")
    shutil.copy(tmp_path / "chart.wbchart", tmp_path / "chart.bak")
    assert len(read_chart(tmp_path / "chart.bak").entities) == 3  # a chart by any name
    write_xlsx(_small_chart(), tmp_path / "table.xlsx")
    with pytest.raises(InterchangeError, match=r"table\.xlsx: not a chart file Workbench reads"):
        read_chart(tmp_path / "table.xlsx")


def test_a_file_of_no_known_format_gets_one_line(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Meeting notes: call Ana on Tuesday.\n")
    with pytest.raises(InterchangeError) as caught:
        read_chart(path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith("notes.txt: not a chart file")
    assert "GraphML" in message and "Pajek" in message and "CSV" in message


# ----- writing, read back by the other tools' libraries ----------------------------------------
def test_gml_written_is_read_by_networkx(tmp_path):
    write_chart(_small_chart(), tmp_path / "out.gml")
    g = nx.read_gml(tmp_path / "out.gml")
    assert sorted(d["name"] for _, d in g.nodes(data=True)) == ["Ana Lima", "Ana Lima",
                                                                 "Bo \"Bear\" Chan"]
    assert sorted(d["weight"] for *_e, d in g.edges(data=True)) == [2.5, 7]
    assert g.is_directed() and g.has_edge("e2", "e3")  # the reverse link turned round
    assert g.edges["e2", "e3", "l2"]["direction"] == "forward"
    back = read_chart(tmp_path / "out.gml")
    assert _labels(back) == _labels(_small_chart()) and _arrows(back) == ARROWS


def test_pajek_written_is_read_by_igraph(tmp_path):
    write_chart(_small_chart(), tmp_path / "out.net")
    g = igraph.Graph.Read_Pajek(str(tmp_path / "out.net"))
    assert (g.vcount(), g.ecount()) == (3, 2) and g.is_directed()
    assert sorted(g.es["weight"]) == [2.5, 7]
    assert sorted(g.vs["name"]) == ["Ana Lima [e1]", "Ana Lima [e3]", "Bo 'Bear' Chan"]
    assert sorted(g.es["label"]) == ["", "paid"]
    heavy = g.es.find(weight=7)
    assert (g.vs[heavy.source]["name"], g.vs[heavy.target]["name"]) == \
        ("Bo 'Bear' Chan", "Ana Lima [e3]")  # the reverse link drawn as its arrow points


def test_dot_written_is_read_by_networkx(tmp_path):
    write_chart(_small_chart(), tmp_path / "out.dot")
    g = nx.nx_pydot.read_dot(tmp_path / "out.dot")
    assert g.number_of_nodes() == 3 and g.number_of_edges() == 2
    back = read_chart(tmp_path / "out.dot")
    assert _labels(back) == _labels(_small_chart()) and _arrows(back) == ARROWS
    ana = next(e for e in back.entities.values() if e.label == "Ana Lima" and e.y == 20.0)
    assert ana.x == 10.0  # the y axis flipped on the way out and back in


def test_node_link_and_cytoscape_written_are_read_back(tmp_path):
    write_chart(_small_chart(), tmp_path / "out.json")
    g = nx.node_link_graph(json.loads((tmp_path / "out.json").read_text()), edges="links")
    assert sorted(d["weight"] for *_e, d in g.edges(data=True)) == [2.5, 7]
    assert g.nodes["e1"]["label"] == "Ana Lima" and g.nodes["e1"]["age"] == 31
    write_chart(_small_chart(), tmp_path / "out.cyjs")
    data = json.loads((tmp_path / "out.cyjs").read_text())
    assert data["elements"]["nodes"][0]["position"] == {"x": 10.0, "y": 20.0}
    for name in ("out.json", "out.cyjs"):
        assert _arrows(read_chart(tmp_path / name)) == ARROWS


def test_workbench_csv_pair_reads_back(tmp_path):
    write_csv(_small_chart(), tmp_path / "out.csv")
    back = read_chart(tmp_path / "out-links.csv")
    assert (len(back.entities), len(back.links)) == (3, 2)
    assert _labels(back) == _labels(_small_chart()) and _arrows(back) == ARROWS
    ana = next(e for e in back.entities.values() if e.attributes.get("age"))
    assert (ana.x, ana.y, ana.attributes["age"].value) == (10.0, 20.0, 31)


# ----- weights in GraphML and GEXF -------------------------------------------------------------
@pytest.mark.parametrize("ext, read", [(".graphml", nx.read_graphml), (".gexf", nx.read_gexf)])
def test_weights_go_out_as_graph_weights(tmp_path, ext, read):
    write_chart(_small_chart(), tmp_path / f"out{ext}")
    g = read(tmp_path / f"out{ext}")
    assert sorted(float(d["weight"]) for *_e, d in g.edges(data=True)) == [2.5, 7]
    assert _weights(read_chart(tmp_path / f"out{ext}")) == [2.5, 7]


@pytest.mark.parametrize("ext, write", [(".graphml", nx.write_graphml),
                                        (".gexf", nx.write_gexf)])
def test_weights_written_by_networkx_come_in(tmp_path, ext, write):
    g = nx.DiGraph()
    g.add_edge("a", "b", weight=0.8)
    g.add_edge("b", "c", weight=12.0)
    write(g, tmp_path / f"in{ext}")
    assert _weights(read_chart(tmp_path / f"in{ext}")) == [0.8, 12.0]


@pytest.mark.parametrize("ext", [".wbchart", ".graphml", ".gexf", ".anx", ".gml", ".net",
                                 ".dot", ".json", ".cyjs"])
def test_weights_and_arrows_survive_every_format(tmp_path, ext):
    write_chart(_small_chart(), tmp_path / f"out{ext}")
    pajek = [("Ana Lima [e1]", "Bo 'Bear' Chan", 2.5), ("Bo 'Bear' Chan", "Ana Lima [e3]", 7)]
    assert _arrows(read_chart(tmp_path / f"out{ext}")) == (pajek if ext == ".net" else ARROWS)


# ----- positions -------------------------------------------------------------------------------
def test_convert_lays_out_a_file_without_positions(tmp_path, capsys):
    out = tmp_path / "karate.graphml"
    assert main(["convert", str(DATA / "igraph-karate.net"), str(out)]) == 0
    assert "laid out by force" in capsys.readouterr().out
    chart = read_chart(out)
    spots = {(round(e.x), round(e.y)) for e in chart.entities.values()}
    assert len(spots) == 34


# ----- hostile files ---------------------------------------------------------------------------
@pytest.mark.parametrize("name, text, message", [
    ("spaces.txt", " " * 70_000 + "x", "not a chart file"),  # no runaway pattern matching
    ("deep.gml", "graph [ node [ id 1 " + "a [ " * 5000 + "]" * 5000 + " ] ]",
     "nested too deep"),
    ("deep.dot", "digraph { " + "subgraph { " * 3000 + "a" + " }" * 3000 + " }",
     "not a DOT file"),
    ("cut.json", '{"nodes": [{"id": 1}', "not valid JSON"),
    ("table.csv", "name,age\nAna,31\n", "no columns Workbench can map"),
])
def test_hostile_or_broken_files_get_one_line(tmp_path, name, text, message):
    (tmp_path / name).write_text(text)
    with pytest.raises(InterchangeError, match=message) as caught:
        read_chart(tmp_path / name)
    assert "\n" not in str(caught.value)


def test_objects_nested_past_every_limit_are_kept_as_a_note(tmp_path):
    deep = '{"a":' * 1000 + "1" + "}" * 1000
    (tmp_path / "deep.json").write_text('{"nodes": [{"id": "n", "p": [' + deep + "]}]}")
    chart = read_chart(tmp_path / "deep.json")
    assert [e.attributes["p"].value for e in chart.entities.values()] == \
        ["(nested too deep to keep)"]


def test_convert_never_overwrites_the_csv_lists_it_reads(tmp_path, capsys):
    write_csv(_small_chart(), tmp_path / "case.csv")
    before = (tmp_path / "case-entities.csv").read_bytes()
    assert main(["convert", str(tmp_path / "case-links.csv"), str(tmp_path / "case.csv")]) == 2
    assert "would overwrite the input case-links.csv" in capsys.readouterr().err
    assert (tmp_path / "case-entities.csv").read_bytes() == before
    assert main(["convert", str(tmp_path / "case-links.csv"), str(tmp_path / "copy.csv")]) == 0


def test_the_windows_table_of_formats_agrees_with_the_readers_and_writers():
    """File > Open and File > Export > Chart for Another Tool read one table: every format
    in it opens and is written by what `workbench convert` uses, and every reader and
    writer of another tool's format is in it."""
    from workbench.io.interchange import FTM_JSON, READERS, WRITERS
    from workbench.io.interchange.formats import OPENED, TOOL_FORMATS, WRITTEN

    own = {".wbchart", ".csv"}  # Workbench's own chart; CSV lists go through convert
    assert set(OPENED) == set(READERS) - own
    assert set(WRITTEN) <= set(WRITERS)
    written_by_name = {s for f in TOOL_FORMATS if f.menu for s in f.suffixes} | {FTM_JSON}
    assert set(WRITERS) - own <= written_by_name
    assert len({f.menu.replace("&", "") for f in WRITTEN.values()}) == len(WRITTEN)
