"""Reports opened with real readers: pypdf for PDF, python-docx for Word."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from docx import Document
from pypdf import PdfReader

from tests.io.conftest import HOSTILE, build_rich_chart
from workbench.export.report import ReportError, write_report
from workbench.export.report_template import ReportTemplate, TemplateError, load_template

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def pdf_report(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "report.pdf"
    write_report(build_rich_chart(), path, now=NOW)
    return PdfReader(path)


@pytest.fixture(scope="module")
def docx_report(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "report.docx"
    write_report(build_rich_chart(), path, now=NOW)
    return Document(str(path))


def test_pdf_marking_on_every_page_and_numbered(pdf_report):
    pages = [page.extract_text() for page in pdf_report.pages]
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert text.count("OFFICIAL-SENSITIVE") >= 2, number  # header and footer
        assert f"Page {number} of {len(pages)}" in text
    assert pdf_report.metadata.title == "Operation Lantern: Ромашка"


def test_pdf_title_page_tables_and_sources(pdf_report):
    title = pdf_report.pages[0].extract_text()
    for expected in ("Operation Lantern: Ромашка", "Analyst Zoë", "23 November 2026",
                     "Routes and payments <test> & more"):
        assert expected in title
    text = "\n".join(page.extract_text() for page in pdf_report.pages)
    assert "Anna Kowalska" in text and "+447700900123" in text
    assert "Entities (4)" in text and "Links (5)" in text
    # A hostile label is printed as text, not interpreted as markup.
    assert "<b>&amp;</b>" in text
    # Sources appendix: every source record with file, sheet, row and grade.
    appendix = " ".join(text[text.rindex("Sources"):].split())  # cells wrap over lines
    for expected in ("Court record", "court.xlsx", "Defendants", "14", "A1", "Hotline",
                     "calls.csv", "E4"):
        assert expected in appendix


def test_pdf_has_the_chart_and_histogram_pictures(pdf_report):
    images = [image for page in pdf_report.pages for image in page.images]
    assert len(images) >= 3  # chart, entity types, link types


def test_docx_marking_in_header_and_footer(docx_report):
    section = docx_report.sections[0]
    assert section.header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    assert section.footer.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    assert "PAGE" in section.footer._element.xml and "NUMPAGES" in section.footer._element.xml
    assert docx_report.core_properties.title == "Operation Lantern: Ромашка"


def test_docx_tables_pictures_and_sources(docx_report):
    assert len(docx_report.inline_shapes) >= 3
    tables = docx_report.tables
    headers = [[c.text for c in t.rows[0].cells] for t in tables]
    entity = next(t for t, h in zip(tables, headers, strict=True) if h[:2] == ["Label", "Type"])
    # Many attributes: one 'name: value' line each in an Attributes column.
    header = [c.text for c in entity.rows[0].cells]
    assert header == ["Label", "Type", "Identity", "Links", "Attributes", "Grades"]
    anna = next(row for row in entity.rows if row.cells[0].text == "Anna Kowalska")
    assert anna.cells[3].text == "3"  # her number of links
    assert "age: 27" in anna.cells[4].text and "phone: +447700900123" in anna.cells[4].text
    labels = [row.cells[0].text for row in entity.rows[1:]]
    assert "Anna Kowalska" in labels and HOSTILE in labels
    # Read like an index: by type, then by name.
    keys = [(row.cells[1].text.casefold(), row.cells[0].text.casefold())
            for row in entity.rows[1:]]
    assert keys == sorted(keys)
    sources = next(t for t, h in zip(tables, headers, strict=True) if h[0] == "Source")
    cells = [[c.text for c in row.cells] for row in sources.rows[1:]]
    court = next(r for r in cells if r[0] == "Court record")
    assert court[1:5] == ["court.xlsx", "Defendants", "14", "A1"]
    # Table header rows repeat on every page.
    assert "w:tblHeader" in entity.rows[0]._tr.xml


def test_template_chooses_sections_columns_and_types(tmp_path):
    template_path = tmp_path / "bank.yaml"
    template_path.write_text(
        "format: workbench-report-template\nversion: 1\ntitle: Referral to Example Bank\n"
        "marking: OFFICIAL\nsections: [title, entities, sources]\n"
        "entity_attributes: [nationality]\nentity_types: [Person]\n", encoding="utf-8")
    template = load_template(template_path)
    path = tmp_path / "r.docx"
    content = write_report(build_rich_chart(), path, template, now=NOW)
    document = Document(str(path))
    assert document.sections[0].header.paragraphs[0].text == "OFFICIAL"
    assert not document.inline_shapes  # no chart, no histograms
    entity = next(t for t in document.tables if t.rows[0].cells[0].text == "Label")
    assert [c.text for c in entity.rows[0].cells] == ["Label", "Type", "Identity", "Links",
                                                      "nationality", "Grades"]
    assert {row.cells[1].text for row in entity.rows[1:]} == {"Person"}
    assert content.title == "Referral to Example Bank"


def test_template_saves_and_loads(tmp_path):
    template = ReportTemplate(title="Weekly", histograms=["nationality"],
                              entity_attributes=["age"])
    template.save(tmp_path / "t.yaml")
    assert load_template(tmp_path / "t.yaml") == template


@pytest.mark.parametrize("text, reason", [
    ("format: workbench-report-template\nsection: [title]\n", r"unknown key\(s\) \['section'\]"),
    ("format: workbench-report-template\nsections: [title, maps]\n", r"unknown section"),
    ("title: x\n", "not a Workbench report template"),
    ("format: workbench-report-template\nsections: [title\n", "not valid YAML"),
    ("format: workbench-report-template\nversion: 7\n", "newer"),
])
def test_bad_templates_are_refused_naming_file_and_key(tmp_path, text, reason):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TemplateError, match=reason) as info:
        load_template(path)
    assert "bad.yaml" in str(info.value)


def test_other_extensions_are_refused(tmp_path):
    with pytest.raises(ReportError, match=r"\.docx or \.pdf"):
        write_report(build_rich_chart(), tmp_path / "r.odt")


def test_pictures_passed_in_and_a_chart_without_sources(tmp_path):
    """The window passes the route map it shows; a hand-made chart has no sources."""
    from io import BytesIO

    from PIL import Image

    from workbench.model import Chart

    chart = Chart("Hand made")
    a = chart.make_entity("Country", "Nigeria")
    b = chart.make_entity("Country", "Libya")
    chart.make_link(a.id, b.id, "Trafficked to")
    buffer = BytesIO()
    Image.new("RGB", (300, 200), "#336699").save(buffer, format="PNG")
    path = tmp_path / "r.docx"
    picture = buffer.getvalue()
    content = write_report(chart, path, pictures={"map": picture, "chart": picture}, now=NOW)
    given = {b.caption: b.png for b in content.blocks if hasattr(b, "caption")}
    assert given["Routes between the places in the chart."] == picture
    assert given["The link chart."] == picture  # drawn by the window, not a sketch
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "Route map" in text and "No item in this report records a source." in text


def test_an_empty_chart_still_gives_a_report(tmp_path):
    from workbench.model import Chart

    path = tmp_path / "empty.pdf"
    write_report(Chart("Nothing yet"), path, now=NOW)
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    assert "Entities (0)" in text and "No item in this report records a source." in text


def test_the_documented_example_template_loads():
    from tests.conftest import REPO

    template = load_template(REPO / "docs" / "examples" / "bank-referral.yaml")
    assert template.marking == "OFFICIAL-SENSITIVE"
    assert "sources" in template.sections and "map" not in template.sections


def test_huge_cells_do_not_break_the_page_layout(tmp_path):
    """A scraped advert pasted as a label, a source behind 500 items: rows must still fit on a
    page (reportlab cannot split a row), and the report says where the rest is."""
    from workbench.model import Chart, SourceRecord

    chart = Chart("Big cells")
    hotline = SourceRecord("Hotline")
    chart.make_entity("Advert", "Young girls wanted " * 400, provenance=[hotline])
    for i in range(500):
        chart.make_entity("Phone", f"+4477009{i:05d}", provenance=[hotline])
    path = tmp_path / "big.pdf"
    write_report(chart, path, now=NOW)
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())
    assert "more characters in the attached spreadsheet big.xlsx" in text
    assert "and 471 more (all in the attached spreadsheet big.xlsx)" in text


def test_report_of_the_selection(tmp_path):
    chart = build_rich_chart()
    people = [e.id for e in chart.entities.values() if e.type == "Person"]
    path = tmp_path / "selection.docx"
    content = write_report(chart, path, entity_ids=people, now=NOW)
    document = Document(str(path))
    entity = next(t for t in document.tables if t.rows[0].cells[0].text == "Label")
    assert sorted(row.cells[0].text for row in entity.rows[1:]) == ["-1+1 Ivanov",
                                                                    "Anna Kowalska"]
    assert ("Entities", "2") in content.summary and ("Links", "1") in content.summary
    # A histogram of one bar says nothing: one line instead.
    texts = [b.text for b in content.blocks if type(b).__name__ == "Paragraph"]
    assert any("Entity type: one value, Person" in t for t in texts)
