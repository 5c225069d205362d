"""``workbench histogram`` and ``workbench analyse`` run as a user runs them: real processes,
real files, pictures checked by their bytes and PDFs by their text."""

from __future__ import annotations

import csv

import networkx as nx
import pytest
from pypdf import PdfReader

from workbench.io import load_chart

from .test_cli import SAMPLE, workbench


def test_histogram_of_entity_types_as_png_svg_pdf(tmp_path):
    for suffix, magic in (("png", b"\x89PNG"), ("svg", b"<?xml"), ("pdf", b"%PDF")):
        out = tmp_path / f"types.{suffix}"
        result = workbench("histogram", str(SAMPLE), "--by", "type", "-o", str(out))
        assert result.returncode == 0, result.stderr
        assert out.read_bytes().startswith(magic)
        assert "Entities by type: 3 bars, 132 entities counted" in result.stdout
    text = PdfReader(tmp_path / "types.pdf").pages[0].extract_text()
    assert "Entities by type" in text and "Person" in text and "84" in text


def test_histogram_csv_of_link_ends_with_top_and_other(tmp_path):
    out = tmp_path / "to.csv"
    result = workbench("histogram", str(SAMPLE), "--by", "to", "--top", "3", "-o", str(out))
    assert result.returncode == 0, result.stderr
    with open(out, encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["destination (to end)", "Number of links"]
    assert rows[1] == ["Syria", "28"]
    assert rows[4][0].startswith("Other (")
    assert sum(int(r[1]) for r in rows[1:]) == 262


def test_histogram_refuses_an_unknown_attribute_and_format(tmp_path):
    result = workbench("histogram", str(SAMPLE), "--by", "Colour", "-o", str(tmp_path / "x.png"))
    assert result.returncode == 2
    assert "no entity or link has an attribute 'Colour'" in result.stderr
    assert "Traceback" not in result.stderr
    result = workbench("histogram", str(SAMPLE), "--by", "type", "-o", str(tmp_path / "x.gif"))
    assert result.returncode == 2 and "must end in .png, .svg, .pdf, .csv" in result.stderr


def test_analyse_writes_betweenness_as_an_attribute(tmp_path):
    out = tmp_path / "measured.wbchart"
    result = workbench("analyse", str(SAMPLE), "--measure", "betweenness", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "Betweenness: written to 132 entities; highest: Abdelhamid Abaaoud" in result.stdout
    chart = load_chart(out)
    graph = nx.Graph()
    graph.add_nodes_from(chart.entities)
    graph.add_edges_from((lk.end1, lk.end2) for lk in chart.links.values())
    expected = nx.betweenness_centrality(graph)
    for entity in chart.entities.values():
        assert entity.attributes["Betweenness"].value == pytest.approx(expected[entity.id])


def test_analyse_refuses_an_unknown_measure(tmp_path):
    result = workbench("analyse", str(SAMPLE), "--measure", "pagerank", "-o",
                       str(tmp_path / "x.wbchart"))
    assert result.returncode == 2
    assert "unknown measure 'pagerank'; choose one of degree, betweenness" in result.stderr
    assert not (tmp_path / "x.wbchart").exists()


def test_the_command_lists_every_measure_the_analysis_offers():
    from workbench.analysis import Measure
    from workbench.commands.analyse import MEASURES

    assert tuple(m.value for m in Measure) == MEASURES
