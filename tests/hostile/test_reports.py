"""Hostile text in every field that reaches a report comes out as the same characters.

reportlab's paragraphs parse XML-like markup (<b>, <font>, <para>, entities) and Word files are
XML, so a scraped label must be escaped for each. The reports are read back with real readers
(pypdf, python-docx): the text is there literally, no markup was applied, nothing crashed.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from docx import Document
from pypdf import PdfReader

from tests.hostile.payloads import CONTROL_PAYLOADS, MARKUP_PAYLOADS, TEMPLATE_PAYLOADS
from workbench.export.report import write_report
from workbench.export.report_template import ReportTemplate
from workbench.model import Chart, Direction, Kind, SourceRecord, Value

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
GROUPS = {"template": TEMPLATE_PAYLOADS, "markup": MARKUP_PAYLOADS,
          "control": CONTROL_PAYLOADS}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def expected(text: str) -> str:
    """What a reader shows: characters XML cannot hold become '\ufffd', tabs are spaces; then
    without white space, which a table cell may wrap anywhere."""
    return "".join(_NOT_XML.sub("\ufffd", text).split())


def hostile_chart(payloads: tuple[str, ...]) -> Chart:
    """Each payload as a label, a type, an identity, an attribute name and value, a link label,
    a source name, file, sheet and handling code, and a place on the route map."""
    joined = " | ".join(payloads)
    chart = Chart(joined)
    chart.description = joined
    chart.author = joined
    chart.marking = joined
    chart.created = chart.modified = NOW  # the report prints them: "20:49" would read as 49
    hub = chart.make_entity("Country", "Nigeria", coordinates=(9.1, 8.7))
    for n, text in enumerate(payloads):
        source = SourceRecord(text, file=text, sheet=text, row=n, handling=text)
        place = chart.make_entity(
            "Country", text, identity=f"{text} {n}", coordinates=(10.0 + n, 20.0 + 3 * n),
            attributes={text: Value(Kind.TEXT, text), "note": Value(Kind.TEXT, text)},
            provenance=[source], x=60.0 * n, y=40.0 * (n % 3))
        chart.make_entity(text, f"typed {n}", provenance=[source], x=60.0 * n, y=200.0)
        chart.make_link(hub.id, place.id, "Trafficked to", label=text,
                        direction=Direction.FORWARD, provenance=[source],
                        attributes={"note": Value(Kind.TEXT, text)})
    return chart


@pytest.mark.parametrize("group", list(GROUPS))
def test_pdf_report_prints_hostile_text_literally(tmp_path, group):
    payloads = GROUPS[group]
    path = tmp_path / "r.pdf"
    template = ReportTemplate(histograms=["entity type", "note", "from"], full_tables=True)
    write_report(hostile_chart(payloads), path, template, now=NOW)
    reader = PdfReader(path)
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    for payload in payloads:
        assert text.count(expected(payload)) >= 5, payload  # title, tables, sources
    assert reader.metadata.title == _NOT_XML.sub("\ufffd", " | ".join(payloads))
    assert "49" not in text  # {{ 7*7 }} and ${7*7} were not evaluated


@pytest.mark.parametrize("group", list(GROUPS))
def test_docx_report_keeps_hostile_text_literally(tmp_path, group):
    payloads = GROUPS[group]
    path = tmp_path / "r.docx"
    template = ReportTemplate(histograms=["entity type", "note"], full_tables=True)
    write_report(hostile_chart(payloads), path, template, now=NOW)
    document = Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows
             for cell in row.cells]
    paragraphs = [p.text for p in document.paragraphs]
    text = "".join("".join(t.split()) for t in [*cells, *paragraphs])
    for payload in payloads:
        assert text.count(expected(payload)) >= 5, payload
        assert _NOT_XML.sub("\ufffd", payload) in cells  # a whole cell, unchanged
    assert document.sections[0].header.paragraphs[0].text == \
        _NOT_XML.sub("\ufffd", " | ".join(payloads))


def test_malformed_place_fixes_leave_the_map_out_with_a_note(tmp_path):
    """``settings.places`` from a partner's file may be anything: the report is still
    written, and says why the map is missing."""
    chart = hostile_chart(MARKUP_PAYLOADS)
    chart.settings["places"] = {"nigeria": {"lat": "north", "lon": None}, "x": 7}
    path = tmp_path / "r.pdf"
    content = write_report(chart, path, now=NOW)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())
    assert "route map could not be drawn" in text
    assert any(type(b).__name__ == "TableBlock" for b in content.blocks)


def test_a_display_that_cannot_be_drawn_leaves_a_note_instead_of_the_chart(tmp_path):
    chart = hostile_chart(TEMPLATE_PAYLOADS)
    chart.settings["display"] = {"link_labels": "sideways", "bogus": [1]}
    path = tmp_path / "r.pdf"
    write_report(chart, path, now=NOW)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())
    assert "The chart could not be drawn: its saved display settings are not valid." in text
