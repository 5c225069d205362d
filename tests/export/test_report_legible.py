"""Reports a bank or police reader can use: short, readable pictures, histograms that say
something, headings kept with what follows, the full tables beside the report."""

from __future__ import annotations

import random
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import REPO
from workbench.export.report import write_report
from workbench.export.report_chart import (
    DETAIL_UNITS_PER_IN,
    LEGIBLE_UNITS_PER_IN,
    PAGE_HEIGHT_IN,
    PAGE_WIDTH_IN,
    plan_chart_pages,
)
from workbench.export.report_map import route_map_picture
from workbench.export.report_pictures import picture_size_in
from workbench.export.report_template import ReportTemplate
from workbench.geo.legible import MAX_LEGS
from workbench.model import Chart, Direction, Entity, Kind, Link, SourceRecord, Value

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
NOV13 = REPO / "sample_charts" / "nov13-network.wbchart"
HEADINGS = ("Chart", "Counts", "Route map", "Sources")


def big_chart(entities: int = 1_500, links: int = 6_000) -> Chart:
    """Phones and people over a wide layout, with hubs, dated calls and three sources."""
    rng = random.Random(7)
    chart = Chart("Big chart")
    chart.marking = "OFFICIAL"
    sources = [SourceRecord(f"operator {n}", f"op{n}.csv", row=n) for n in range(3)]
    notes = {f"note {n}": Value(Kind.TEXT, f"seen in district {n}") for n in range(12)}
    chart.add_entities(Entity(f"e{i}", "Phone" if i % 3 else "Person", f"Item {i}",
                              x=rng.uniform(-3000, 3000), y=rng.uniform(-3000, 3000),
                              attributes={} if i % 3 else notes,
                              provenance=[sources[i % 3]]) for i in range(entities))
    start = datetime(2016, 1, 1)

    def end() -> str:
        return f"e{rng.randrange(20) if rng.random() < 0.3 else rng.randrange(entities)}"

    chart.add_links(Link(f"l{j}", end(), end(), "Calls", direction=Direction.FORWARD,
                         date=start + timedelta(hours=2 * j), provenance=[sources[j % 3]])
                    for j in range(links))
    return chart


@pytest.fixture(scope="module")
def big_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("big")
    content = write_report(big_chart(), folder / "big.pdf", now=NOW)
    return folder, content, PdfReader(folder / "big.pdf")


def test_a_big_chart_gives_a_short_report_and_the_full_tables_beside_it(big_report):
    folder, _, reader = big_report
    assert len(reader.pages) <= 25
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "The 40 most connected of 1,500 entities; every entity is in the attached " \
        "spreadsheet big.xlsx." in text
    assert "… and 1,460 more entities in the attached spreadsheet big.xlsx." in text
    assert "all 6,000 links are in the attached spreadsheet big.xlsx" in text
    assert "note 0: seen in district 0" in text and "… 7 more in the attached" in text
    workbook = load_workbook(folder / "big.xlsx", read_only=True)
    assert sum(1 for _ in workbook["Entities"].iter_rows()) == 1 + 1_500
    assert sum(1 for _ in workbook["Links"].iter_rows()) == 1 + 6_000


def test_chart_pages_print_their_labels_at_seven_points_or_more(big_report):
    _, content, _ = big_report
    pages = plan_chart_pages(big_chart())
    assert pages[0].overview and 1 < len(pages) <= 4
    for page in pages[1:]:  # every label drawn on a detail page prints at 7.9 pt
        assert page.units_per_inch == DETAIL_UNITS_PER_IN <= LEGIBLE_UNITS_PER_IN
    pictures = [b for b in content.blocks if type(b).__name__ == "Picture"
                and (b.caption.startswith(("Overview", "Detail")))]
    assert len(pictures) == len(pages)
    for picture in pictures:  # printed at the size drawn, never shrunk to fit
        width, height = picture_size_in(picture.png)
        assert width <= PAGE_WIDTH_IN + 0.01 and height <= PAGE_HEIGHT_IN + 0.01
        assert not picture.fill_width


def test_a_chart_that_fits_a_page_is_one_picture():
    chart = Chart("Small")
    for i in range(6):
        chart.make_entity("Person", f"P{i}", x=100.0 * i, y=50.0 * (i % 2))
    (page,) = plan_chart_pages(chart)
    assert page.caption == "The link chart." and page.units_per_inch <= LEGIBLE_UNITS_PER_IN


def test_histograms_say_something(big_report):
    _, content, _ = big_report
    captions = [b.caption for b in content.blocks if type(b).__name__ == "Picture"]
    assert any(c.startswith("Links by origin (from end)") for c in captions)
    assert any(c.startswith("Links by month: 6,000 links") for c in captions)
    assert not any(c.startswith("Links by link type") for c in captions)  # one type: Calls
    texts = [b.text for b in content.blocks if type(b).__name__ == "Paragraph"]
    assert any("Link type: one value, Calls" in t for t in texts)


def _page_ends(reader: PdfReader) -> list[str]:
    """The last line of each page's own text (above the marking and page number)."""
    ends = []
    for page in reader.pages:
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        while lines and (lines[-1] == "OFFICIAL" or " · Page " in lines[-1]):
            lines.pop()
        ends.append(lines[-1] if lines else "")
    return ends


@pytest.mark.parametrize("rows", [38, 41, 44, 47])
def test_headings_stay_with_what_follows(tmp_path, rows):
    """However long the table before it, 'Counts' never ends a page alone."""
    chart = big_chart(rows, 30)
    template = ReportTemplate(sections=["entities", "histograms", "sources"],
                              histograms=["from"], full_tables=True)
    write_report(chart, tmp_path / "r.pdf", template, now=NOW)
    ends = _page_ends(PdfReader(tmp_path / "r.pdf"))
    assert not any(end in HEADINGS for end in ends), ends


def test_route_map_shows_the_strongest_legs_and_says_so():
    rng = random.Random(3)
    chart = Chart("Routes")
    places = [chart.make_entity("Country", f"Place {i}", coordinates=(-40.0 + 4 * i,
                                                                      -120.0 + 9 * i))
              for i in range(25)]
    for a in places:
        for b in places:
            if a is not b:
                for _ in range(rng.choice((1, 1, 1, 2, 5, 30))):
                    chart.make_link(a.id, b.id, "Trafficked to", direction=Direction.FORWARD)
    picture = route_map_picture(chart)
    assert picture.caption.startswith("Routes between the places in the chart: ")
    shown = int(picture.caption.split(": ")[1].split(" legs")[0].replace(",", ""))
    assert 0 < shown <= MAX_LEGS
    assert f"legs of {25 * 24:,} (those with " in picture.caption


def test_full_keeps_every_row_and_the_default_attaches_the_spreadsheet(tmp_path):
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "workbench", "report", str(NOV13),
                               *args], capture_output=True, text=True, cwd=REPO, timeout=180)

    short = run("-o", str(tmp_path / "short.docx"))
    assert short.returncode == 0, short.stderr
    assert f"Full tables written to {tmp_path / 'short.xlsx'}" in short.stdout
    entity = next(t for t in Document(str(tmp_path / "short.docx")).tables
                  if t.rows[0].cells[0].text == "Label")
    assert len(entity.rows) == 1 + 40
    full = run("-o", str(tmp_path / "full.docx"), "--full")
    assert full.returncode == 0, full.stderr
    entity = next(t for t in Document(str(tmp_path / "full.docx")).tables
                  if t.rows[0].cells[0].text == "Label")
    assert len(entity.rows) == 1 + 132
    assert not (tmp_path / "full.xlsx").exists()


def test_a_small_report_with_a_cut_cell_attaches_the_spreadsheet_it_names(tmp_path):
    chart = Chart("Small")
    chart.make_entity("Advert", "Young girls wanted " * 100)
    chart.make_entity("Phone", "+447700900123")
    write_report(chart, tmp_path / "small.pdf", now=NOW)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(tmp_path / "small.pdf")
                             .pages).split())
    assert "more characters in the attached spreadsheet small.xlsx]" in text
    cells = [c.value for row in load_workbook(tmp_path / "small.xlsx")["Entities"].iter_rows()
             for c in row]
    assert any(str(c).startswith("Young girls wanted") and len(str(c)) >= 1_890 for c in cells)
    write_report(Chart("Tiny"), tmp_path / "tiny.pdf", now=NOW)
    assert not (tmp_path / "tiny.xlsx").exists()  # nothing left out: no spreadsheet
