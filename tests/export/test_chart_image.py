"""Chart pictures: real PNG, SVG and PDF files drawn by the window's own drawing code."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QColor, QImage

from workbench.cli import main
from workbench.export.chart_image import (
    ChartImageError,
    chart_image,
    chart_svg,
    render_chart,
)
from workbench.io import load_chart
from workbench.model import Chart, Direction

SAMPLE = Path(__file__).resolve().parents[2] / "sample_charts" / "nov13-network.wbchart"
PERSON_BLUE = QColor("#1f5fa8")


def two_people() -> Chart:
    chart = Chart("Two people")
    chart.marking = "OFFICIAL-SENSITIVE"
    a = chart.make_entity("Person", "<script>alert('x')</script>", x=0.0, y=0.0)
    b = chart.make_entity("Person", "Bob & Co", x=400.0, y=0.0)
    chart.make_link(a.id, b.id, "Calls", label="12 calls", direction=Direction.FORWARD)
    return chart


def count_near(image: QImage, colour: QColor, step: int = 2, tolerance: int = 40) -> int:
    found = 0
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            c = image.pixelColor(x, y)
            if c.alpha() > 200 and abs(c.red() - colour.red()) + abs(c.green() - colour.green()) \
                    + abs(c.blue() - colour.blue()) < tolerance:
                found += 1
    return found


def test_png_width_dpi_and_background(qapp, tmp_path):
    chart = two_people()
    path = render_chart(chart, tmp_path / "two.png", width=800)
    image = QImage(str(path))
    assert image.width() == 800 and 100 < image.height() <= 400  # at most 2:1
    assert image.pixelColor(1, 1) == QColor("#ffffff")
    assert count_near(image, PERSON_BLUE) > 50  # the two person icons, tinted
    dpi = chart_image(chart, dpi=192)
    natural = chart_image(chart, dpi=96)
    assert abs(dpi.width() - 2 * natural.width()) <= 2
    assert round(dpi.dotsPerMeterX() * 0.0254) == 192
    for box in ((300, 60), (2000, 40)):
        boxed = chart_image(chart, width=box[0], height=box[1])
        assert boxed.width() <= box[0] and boxed.height() <= box[1]
        assert box[0] in (boxed.width(), boxed.width() + 1) or boxed.height() == box[1]


def test_transparent_png(qapp, tmp_path):
    path = render_chart(two_people(), tmp_path / "clear.png", transparent=True)
    image = QImage(str(path))
    assert image.hasAlphaChannel()
    assert image.pixelColor(1, 1).alpha() == 0
    assert count_near(image, PERSON_BLUE) > 20


def test_svg_is_valid_and_escapes_labels(qapp):
    data = chart_svg(two_people())
    root = ET.fromstring(data)  # well-formed XML, so the label cannot break out
    assert root.tag.endswith("svg")
    text = "".join(root.itertext())
    assert "<script>alert('x')</script>" in text  # kept as text, not as markup
    assert b"<script>" not in data
    assert "Bob & Co" in text and "12 calls" in text


def test_pdf_is_one_page_with_title_and_marking(qapp, tmp_path):
    path = render_chart(load_chart(SAMPLE), tmp_path / "chart.pdf")
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "13 November 2015 Paris attacks network" in text
    assert "OFFICIAL" in text
    assert "Abdelhamid Abaaoud" in text  # labels are text, searchable in the PDF


def test_selection_draws_only_chosen_items(qapp):
    chart = load_chart(SAMPLE)
    whole = chart_image(chart, dpi=96)
    part = chart_image(chart, dpi=96, selection=["e5", "e4"])
    assert part.width() < whole.width() / 2 and part.height() < whole.height() / 2


def test_a_picture_of_a_long_path_is_not_a_sliver(qapp):
    """Two entities far apart side by side (a path between two countries) or one above the
    other: the picture is padded to at most 2:1, and the drawing stays centred in it."""
    chart = Chart("Path")
    a = chart.make_entity("Country", "Nigeria", x=0.0, y=0.0)
    b = chart.make_entity("Country", "Italy", x=3000.0, y=0.0)
    chart.make_link(a.id, b.id, "Trafficked to", direction=Direction.FORWARD)
    wide = chart_image(chart, dpi=96)
    assert wide.width() == pytest.approx(2 * wide.height(), abs=2)
    chart.move_entities({b.id: (0.0, 3000.0)})
    tall = chart_image(chart, dpi=96)
    assert tall.height() == pytest.approx(2 * tall.width(), abs=2)
    svg = ET.fromstring(chart_svg(chart))
    view_box = [float(v) for v in svg.get("viewBox").split()]
    assert view_box[3] == pytest.approx(2 * view_box[2], abs=1)


def test_errors_are_clear(qapp, tmp_path):
    with pytest.raises(ChartImageError, match="nothing to draw"):
        chart_image(Chart())
    with pytest.raises(ChartImageError, match="unknown picture format"):
        render_chart(two_people(), tmp_path / "x.gif")
    with pytest.raises(ChartImageError, match="pixels"):
        chart_image(two_people(), dpi=100_000)


def test_export_command(qapp, tmp_path, capsys):
    out = tmp_path / "sample.png"
    assert main(["export", str(SAMPLE), "-o", str(out), "--width", "1200",
                 "--layout", "circular"]) == 0
    assert QImage(str(out)).width() == 1200
    assert "wrote" in capsys.readouterr().out
    bad = tmp_path / "bad.wbchart"
    bad.write_bytes(b"not a zip")
    assert main(["export", str(bad), "-o", str(tmp_path / "x.png")]) == 2
    assert "bad.wbchart" in capsys.readouterr().err
    assert main(["export", str(SAMPLE), "-o", str(out), "--only", "nope"]) == 2
    assert "nope" in capsys.readouterr().err


def test_pdf_tiled_across_pages_for_a_wall_chart(qapp, tmp_path):
    """A big chart printed over several A4 pages: every page carries the title, the marking
    and which row and column it is; the whole chart is drawn at a larger scale."""
    chart = load_chart(SAMPLE)
    one = render_chart(chart, tmp_path / "one.pdf")
    tiled = render_chart(chart, tmp_path / "wall.pdf", pages_across=3)
    pages = PdfReader(tiled).pages
    assert len(PdfReader(one).pages) == 1 and len(pages) == 6  # 3 across, 2 down
    for number, page in enumerate(pages, start=1):
        text = " ".join(page.extract_text().split())
        assert chart.title in text and "OFFICIAL" in text
        assert f"Page {number} of 6" in text
    names = " ".join(" ".join(p.extract_text().split()) for p in pages)
    assert "Abaaoud" in names and "Salah" in names
    with pytest.raises(ChartImageError, match="pages across"):
        render_chart(chart, tmp_path / "bad.pdf", pages_across=0)
    assert not (tmp_path / "bad.pdf").exists()


def test_pictures_carry_the_legend_of_the_formatting_rules(qapp, tmp_path, capsys):
    chart = load_chart(SAMPLE)
    svg = chart_svg(chart).decode("utf-8")
    assert "Attackers (31 entities)" in svg and ">Key<" in svg
    assert "Attackers" not in chart_svg(chart, look={"legend": False}).decode("utf-8")
    with_key = chart_image(chart, width=900)
    without = chart_image(chart, width=900, look={"legend": False})
    corner = [(x, y) for x in range(0, 120, 3) for y in range(with_key.height() - 60,
                                                              with_key.height(), 3)]
    assert any(with_key.pixelColor(x, y) != without.pixelColor(x, y) for x, y in corner)
    assert main(["export", str(SAMPLE), "-o", str(tmp_path / "c.svg"), "--no-legend"]) == 0
    assert "Attackers" not in (tmp_path / "c.svg").read_text(encoding="utf-8")
