"""``workbench convert`` and ``workbench report`` as a user runs them: real processes, files."""

from __future__ import annotations

import csv
import subprocess
import sys

import networkx as nx
import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from .conftest import REPO

SAMPLE = REPO / "sample_charts" / "nov13-network.wbchart"


def workbench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True,
                          text=True, cwd=REPO, timeout=180)


def test_convert_through_every_format_and_back(tmp_path):
    previous = SAMPLE
    for ext in ("graphml", "gexf", "anx"):
        out = tmp_path / f"nov13.{ext}"
        result = workbench("convert", str(previous), str(out))
        assert result.returncode == 0, result.stderr
        assert "132 entities and 262 links written" in result.stdout
        previous = out
    final = tmp_path / "again.wbchart"
    assert workbench("convert", str(previous), str(final)).returncode == 0
    info = workbench("info", "--json", str(final))
    assert '"entities": 132' in info.stdout and '"links": 262' in info.stdout
    graph = nx.read_gexf(tmp_path / "nov13.gexf")
    assert graph.number_of_nodes() == 132


def test_convert_to_spreadsheets(tmp_path):
    result = workbench("convert", str(SAMPLE), str(tmp_path / "nov13.xlsx"))
    assert result.returncode == 0, result.stderr
    book = load_workbook(tmp_path / "nov13.xlsx")
    assert book["Entities"].max_row == 133 and book["Links"].max_row == 263
    result = workbench("convert", str(SAMPLE), str(tmp_path / "nov13.csv"))
    assert result.returncode == 0, result.stderr
    assert "nov13-entities.csv" in result.stdout and "nov13-links.csv" in result.stdout
    with (tmp_path / "nov13-links.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert len(list(csv.reader(handle))) == 263


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_text("not a chart"), "not well-formed XML"),
    (lambda p: None, "no such file"),
])
def test_convert_refuses_bad_input_in_one_line(tmp_path, make, message):
    source = tmp_path / "broken.graphml"
    make(source)
    result = workbench("convert", str(source), str(tmp_path / "out.gexf"))
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out.gexf").exists()


def test_convert_refuses_unknown_output(tmp_path):
    result = workbench("convert", str(SAMPLE), str(tmp_path / "out.vsdx"))
    assert result.returncode == 2 and "cannot write .vsdx" in result.stderr


def test_report_pdf_and_docx_with_a_template(tmp_path):
    template = tmp_path / "t.yaml"
    template.write_text("format: workbench-report-template\nmarking: OFFICIAL-SENSITIVE\n"
                        "sections: [title, histograms, entities, sources]\n"
                        "histograms: [entity type]\n", encoding="utf-8")
    result = workbench("report", str(SAMPLE), "-o", str(tmp_path / "r.pdf"), "--template",
                       str(template), "--save-template", str(tmp_path / "used.yaml"))
    assert result.returncode == 0, result.stderr
    pdf = PdfReader(tmp_path / "r.pdf")
    assert all("OFFICIAL-SENSITIVE" in page.extract_text() for page in pdf.pages)
    assert "Entities (132)" in "".join(page.extract_text() for page in pdf.pages)
    assert "marking: OFFICIAL-SENSITIVE" in (tmp_path / "used.yaml").read_text()
    result = workbench("report", str(SAMPLE), "-o", str(tmp_path / "r.docx"))
    assert result.returncode == 0, result.stderr
    document = Document(str(tmp_path / "r.docx"))
    assert document.sections[0].header.paragraphs[0].text == "OFFICIAL"
    result = workbench("report", str(SAMPLE), "-o", str(tmp_path / "s.docx"), "--marking",
                       "SECRET & PERSONAL", "--title", "For the court")
    assert result.returncode == 0, result.stderr
    document = Document(str(tmp_path / "s.docx"))
    assert document.sections[0].header.paragraphs[0].text == "SECRET & PERSONAL"
    assert document.core_properties.title == "For the court"


def test_report_refuses_a_bad_template_naming_it(tmp_path):
    template = tmp_path / "bad.yaml"
    template.write_text("format: workbench-report-template\nsection: [title]\n")
    result = workbench("report", str(SAMPLE), "-o", str(tmp_path / "r.pdf"), "--template",
                       str(template))
    assert result.returncode == 2
    assert "bad.yaml: unknown key(s) ['section']" in result.stderr
    assert not (tmp_path / "r.pdf").exists()


def test_convert_warns_about_what_it_could_not_import(tmp_path):
    source = tmp_path / "hyper.graphml"
    source.write_text('<?xml version="1.0"?>\n<graphml xmlns="http://graphml.graphdrawing.org/'
                      'xmlns">\n<graph edgedefault="undirected">\n<node id="a"/><node id="b"/>'
                      '<node id="c"/>\n<hyperedge><endpoint node="a"/><endpoint node="b"/>'
                      '<endpoint node="c"/></hyperedge>\n</graph></graphml>\n')
    result = workbench("convert", str(source), str(tmp_path / "out.wbchart"))
    assert result.returncode == 0, result.stderr
    assert "warning: hyper.graphml: 1 hyperedge(s)" in result.stderr
    assert "at line(s) 5" in result.stderr


def test_export_lays_out_a_chart_without_positions(tmp_path):
    """Eight entities all at 0, 0 (a script's import): drawn laid out, as the window shows
    them, not as one icon."""
    from PIL import Image

    from workbench.io import save_chart
    from workbench.model import Chart, Entity, Link

    chart = Chart("stacked")
    chart.add_entities([Entity(f"e{n}", "Person", f"P{n}") for n in range(8)])
    chart.add_links([Link(f"l{n}", f"e{n}", f"e{n + 1}", "Link") for n in range(7)])
    save_chart(chart, tmp_path / "stacked.wbchart")
    result = workbench("export", str(tmp_path / "stacked.wbchart"), "-o",
                       str(tmp_path / "stacked.png"))
    assert result.returncode == 0, result.stderr
    width, height = Image.open(tmp_path / "stacked.png").size
    assert max(width, height) > 1000  # eight icons spread out, not stacked on one spot
