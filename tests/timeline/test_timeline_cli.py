"""``workbench timeline`` as a user runs it, timeline pictures, and the report's Timeline."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime

import pandas as pd
import pytest
from docx import Document
from PySide6.QtGui import QImage

from tests.conftest import REPO
from workbench.cli import main
from workbench.commands.timeline import parse_when
from workbench.export.report import write_report
from workbench.export.report_template import ReportTemplate
from workbench.export.timeline_image import LOGICAL_WIDTH, timeline_picture
from workbench.io import load_chart
from workbench.view.timeline_data import busiest_entities, seconds
from workbench.view.timeline_paint import Fonts

SAMPLES = REPO / "sample_charts"
CALLS = SAMPLES / "call-records.wbchart"
ROUTES = SAMPLES / "trafficking-routes.wbchart"
A4_TEXT_PT = (21.0 - 2 * 1.8) / 2.54 * 72  # the width a report's pictures print at


def workbench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True,
                          text=True, cwd=REPO, timeout=180)


def test_png_svg_and_pdf_of_chosen_handsets_over_one_day(tmp_path, capsys):
    png = tmp_path / "day.png"
    result = workbench("timeline", str(CALLS), "-o", str(png), "--entities", "Handset 1",
                       "Handset 5", "--from", "2006-06-03", "--to", "2006-06-03",
                       "--width", "1600")
    assert result.returncode == 0, result.stderr
    rows = pd.read_csv(SAMPLES / "data" / "vast2008_call_records.csv", dtype=str)
    when = pd.to_datetime(rows["Datetime"], format="%Y%m%d %H%M")
    ours = (rows["From"].isin(["1", "5"]) | rows["To"].isin(["1", "5"])) \
        & (when.dt.date == datetime(2006, 6, 3).date())
    assert f"2 theme lines, {int(ours.sum())} events, 3 Jun 2006 ->" in result.stdout
    image = QImage(str(png))
    assert image.width() == 1600 and image.height() > 200
    # the same command in this process (faster) for the other formats
    svg = tmp_path / "day.svg"
    assert main(["timeline", str(CALLS), "-o", str(svg)]) == 0
    text = svg.read_text()
    assert "Handset" in text and "<svg" in text
    pdf = tmp_path / "routes.pdf"
    assert main(["timeline", str(ROUTES), "-o", str(pdf), "--entities", "Nigeria", "Libya",
                 "Italy", "--from", "2010", "--to", "2013"]) == 0
    out = capsys.readouterr().out
    assert "3 theme lines" in out and "2010 to 2013" in out
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(("args", "message"), [
    (["--entities", "nobody"], "no entity with id or label 'nobody'"),
    (["--from", "2006-13"], "'2006-13' is not a date like 2016"),
    (["--from", "2007", "--to", "2006"], "--to must be after --from"),
    (["--from", "2020"], "no dated events in that period"),
])
def test_bad_requests_are_one_line_and_exit_2(tmp_path, capsys, args, message):
    out = tmp_path / "t.png"
    out.write_bytes(b"old")
    assert main(["timeline", str(CALLS), "-o", str(out), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert out.read_bytes() == b"old"  # the file there before is untouched


def test_an_unknown_format_or_a_damaged_chart_is_one_line(tmp_path, capsys):
    assert main(["timeline", str(CALLS), "-o", str(tmp_path / "t.gif")]) == 2
    assert "must end in .png, .svg, .pdf" in capsys.readouterr().err
    bad = tmp_path / "bad.wbchart"
    bad.write_bytes(b"not a zip")
    assert main(["timeline", str(bad), "-o", str(tmp_path / "t.png")]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_dates_on_the_command_line_name_whole_periods():
    assert parse_when("2016", end=False) == datetime(2016, 1, 1)
    assert parse_when("2016", end=True) == datetime(2017, 1, 1)
    assert parse_when("2016-02", end=True) == datetime(2016, 3, 1)
    assert parse_when("2016-02-28", end=True) == datetime(2016, 2, 29)
    assert parse_when("2016-02-28T10:30", end=True) == datetime(2016, 2, 28, 10, 30)


def test_labels_print_at_7_pt_or_more_across_an_a4_page():
    fonts = Fonts()
    smallest = min(f.pixelSize() for f in (fonts.theme, fonts.tick, fonts.event))
    assert smallest / LOGICAL_WIDTH * A4_TEXT_PT >= 7.0


def test_year_only_routes_are_drawn_as_year_spans():
    chart = load_chart(ROUTES)
    nigeria = chart.find("Country", "NG") or next(
        e for e in chart.entities.values() if e.label == "Nigeria")
    picture = timeline_picture(chart, [nigeria.id])
    data = picture.data
    # every event of a year-only route covers its whole year
    years = pd.to_datetime(data.start, unit="s")
    assert (years.month == 1).all() and (years.day == 1).all()
    lengths = (data.end - data.start) / 86400
    assert set(lengths.round().astype(int).tolist()) <= {365, 366}


def test_the_report_has_a_timeline_of_the_busiest_entities(qtbot, tmp_path):
    chart = load_chart(CALLS)
    out = tmp_path / "calls.docx"
    write_report(chart, out, ReportTemplate(sections=["timeline", "sources"]))
    document = Document(str(out))
    texts = [p.text for p in document.paragraphs]
    assert "Timeline" in texts
    caption = next(t for t in texts if t.startswith("Timeline of the busiest entities"))
    assert "12 theme lines" in caption
    assert len(document.inline_shapes) == 1
    # a report of a few entities: their timeline; a chart without dates: no section
    chosen = busiest_entities(chart)[:2]
    write_report(chart, out, ReportTemplate(sections=["timeline"]), entity_ids=chosen)
    assert any("2 theme lines" in p.text for p in Document(str(out)).paragraphs)
    nov13 = load_chart(SAMPLES / "nov13-network.wbchart")
    write_report(nov13, out, ReportTemplate(sections=["timeline", "sources"]))
    assert "Timeline" not in [p.text for p in Document(str(out)).paragraphs]


def test_links_show_direction_and_strength_like_the_chart(qtbot):
    """A confirmed link is a solid line between the two theme lines, a tentative one dotted;
    the arrowhead is at the end the link points to."""
    from workbench.export.timeline_image import HEADER, timeline_image
    from workbench.model import Chart, Direction, Strength

    chart = Chart()
    ana, ben = chart.make_entity("Person", "Ana"), chart.make_entity("Person", "Ben")
    solid = chart.make_link(ana.id, ben.id, "Associate", direction=Direction.FORWARD,
                            date=datetime(2016, 3, 1, 10))
    dotted = chart.make_link(ana.id, ben.id, "Associate", direction=Direction.FORWARD,
                             strength=Strength.TENTATIVE, date=datetime(2016, 3, 1, 16))
    picture = timeline_picture(chart, [ana.id, ben.id])
    image = timeline_image(picture, width=int(LOGICAL_WIDTH))  # one pixel per unit
    view, axis = picture.view, picture.axis
    ya, yb = (float(y) + HEADER for y in view.y_of([0, 1]))

    def inked(link, y0: float, y1: float) -> float:
        x = int(float(view.x_of(axis.u_of(seconds(link.date)))))  # the pixel it is in
        ys = range(round(y0), round(y1))
        return sum(image.pixelColor(x, y).lightness() < 200 for y in ys) / len(ys)

    middle = (ya + 8, yb - 14)  # between the lines, clear of the arrowhead
    assert inked(solid, *middle) > 0.95
    assert 0.1 < inked(dotted, *middle) < 0.7
    # the arrowhead widens the line just above Ben's line (end2), not below Ana's
    x = int(float(view.x_of(axis.u_of(seconds(solid.date)))))
    head = sum(image.pixelColor(x + 2, round(yb) - k).lightness() < 200 for k in range(1, 7))
    tail = sum(image.pixelColor(x + 2, round(ya) + k).lightness() < 200 for k in range(1, 7))
    assert head > tail
