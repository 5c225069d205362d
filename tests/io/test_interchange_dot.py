"""DOT read in pieces: the same chart whether the file is cut at every statement or read
whole, checked against pydot's own parse; progress as it goes; a stop; the size limit."""

from __future__ import annotations

import itertools

import pydot
import pytest

from tests.conftest import REPO
from workbench.cli import main
from workbench.io.interchange import InterchangeError, dotread, read_chart, write_chart
from workbench.model import Chart, Direction

DATA = REPO / "tests" / "data" / "interchange"

# Statement ends hidden in strings, comments, an HTML label and attribute lists; a subgraph
# that is an edge's end; a cluster with a node no edge names; a second graph after the first.
TRICKY = """/* a comment with { braces } and ; */
digraph "case; file" {
  graph [label="not { the end }; really"];
  a [label="Ana; \\"A\\" {x}"];  // a line comment ; }
  b [label=<<b>Bo</b>; <i>{bold}</i>>];
  subgraph cluster_port { c; d [colour="#ff0000"]; lonely }
  {a b} -> c [weight=2.5, label="paid; twice"];
  subgraph cluster_ship { e } -> a
  d -> e; e -> a
}
graph second { x -- y }
"""


def _signature(chart: Chart) -> tuple:
    labels = {e.id: e.label for e in chart.entities.values()}
    return (sorted((e.label, sorted((k, str(v.value)) for k, v in e.attributes.items()))
                   for e in chart.entities.values()),
            sorted((labels[lk.end1], labels[lk.end2], lk.label, lk.direction.value,
                    sorted((k, str(v.value)) for k, v in lk.attributes.items()))
                   for lk in chart.links.values()))


def test_cut_at_every_statement_reads_as_whole(tmp_path, monkeypatch):
    path = tmp_path / "tricky.dot"
    path.write_text(TRICKY, encoding="utf-8")
    warnings: list[str] = []
    whole = read_chart(path, warnings)
    assert any("more than one graph" in w for w in warnings)
    monkeypatch.setattr(dotread, "CHUNK", 1)
    assert len(dotread._pieces(TRICKY)[1]) >= 6
    cut = read_chart(path)
    assert _signature(cut) == _signature(whole)
    [independent] = pydot.graph_from_dot_data(TRICKY)[:1]
    names = {n.get_name().strip('"') for n in independent.get_nodes()} - {"graph", "node"}
    assert names <= {e.label for e in cut.entities.values()} | {"a", "b"}
    assert len(cut.entities) == 6 and len(cut.links) == 5
    ana = next(e for e in cut.entities.values() if e.label == 'Ana; "A" {x}')
    paid = [lk for lk in cut.links_of(ana.id) if lk.label == "paid; twice"]
    assert paid[0].attributes["weight"].value == 2.5
    assert paid[0].direction is Direction.FORWARD
    port = {e.label for e in cut.entities.values()
            if e.attributes.get("subgraph") and e.attributes["subgraph"].value == "cluster_port"}
    assert port == {"c", "d", "lonely"}  # networkx alone drops a node only a cluster names


def test_gephi_files_cut_small_read_as_before(monkeypatch):
    files = sorted(DATA.glob("gephi-*.dot"))
    before = [_signature(read_chart(p)) for p in files]
    monkeypatch.setattr(dotread, "CHUNK", 1)
    assert [_signature(read_chart(p)) for p in files] == before


def test_progress_is_reported_and_a_raise_stops_the_read(tmp_path, monkeypatch):
    chart = Chart("progress")
    people = [chart.make_entity("Person", f"P{n}") for n in range(40)]
    for one, two in itertools.pairwise(people):
        chart.make_link(one.id, two.id, "Associate")
    path = tmp_path / "people.dot"
    write_chart(chart, path)
    monkeypatch.setattr(dotread, "CHUNK", 500)
    seen: list[tuple[int, int]] = []
    back = read_chart(path, progress=lambda done, total: seen.append((done, total)))
    assert len(back.entities) == 40 and len(back.links) == 39
    assert len(seen) > 5 and seen[-1][0] == seen[-1][1] == len(path.read_text())
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)

    class Stop(Exception):
        pass

    def stop(done: int, total: int) -> None:
        raise Stop

    with pytest.raises(Stop):
        read_chart(path, progress=stop)


def test_a_dot_file_past_the_limit_gets_one_line_with_what_to_do(tmp_path, monkeypatch,
                                                                   capsys):
    path = tmp_path / "huge.dot"
    path.write_text("digraph { " + "a -> b; " * 200 + "}", encoding="utf-8")  # 1.6 KB
    monkeypatch.setattr(dotread, "MAX_DOT_BYTES", 1000)
    with pytest.raises(InterchangeError, match=r"huge.dot: .*gv2gml huge.dot > huge.gml"):
        read_chart(path)
    assert main(["convert", str(path), str(tmp_path / "huge.wbchart")]) == 2
    assert "Workbench reads DOT files up to" in capsys.readouterr().err


def test_convert_shows_how_far_a_dot_read_has_got(tmp_path, monkeypatch, capsys):
    from workbench.commands import convert

    chart = Chart("progress")
    people = [chart.make_entity("Person", f"P{n}") for n in range(30)]
    for one, two in itertools.pairwise(people):
        chart.make_link(one.id, two.id, "Associate")
    path = tmp_path / "people.dot"
    write_chart(chart, path)
    monkeypatch.setattr(dotread, "CHUNK", 300)
    monkeypatch.setattr(convert, "PROGRESS_FROM", 0)
    assert main(["convert", str(path), str(tmp_path / "people.graphml")]) == 0
    err = capsys.readouterr().err
    assert "reading people.dot: 10%" in err and err.count("people.dot: 100%") == 1
