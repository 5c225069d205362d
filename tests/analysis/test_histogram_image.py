"""The pictures that go into reports: labels readable (inside the picture, never overlapping),
a title that says what is counted, Other drawn cut rather than squashing the real bars."""

from __future__ import annotations

import itertools

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from workbench.analysis import Field, SortBy, Target, histogram
from workbench.export.histogram_image import draw_histogram, figure_size, render_histogram


def drawn(hist):
    figure = Figure(figsize=figure_size(hist), dpi=100)
    canvas = FigureCanvasAgg(figure)
    plot = draw_histogram(figure, hist)
    canvas.draw()
    return figure, plot, canvas.get_renderer()


@pytest.mark.parametrize("top", [12, None])
def test_country_labels_stay_inside_and_never_overlap(route_chart, top):
    hist = histogram(route_chart, Field("from", Target.LINKS), top=top, sort=SortBy.VALUE
                     if top is None else SortBy.COUNT)
    figure, plot, renderer = drawn(hist)
    labels = [t for t in plot.axes.get_yticklabels() if t.get_text()]
    assert len(labels) == len(hist.bars)
    boxes = [t.get_window_extent(renderer) for t in labels]
    width = figure.bbox.width
    assert all(box.x0 >= 0 and box.x1 <= width for box in boxes)
    for a, b in itertools.pairwise(boxes):
        assert a.y0 >= b.y1 - 0.5 or b.y0 >= a.y1 - 0.5, "tick labels overlap"
    if top is None:  # every long name is on one line, in full or shortened
        korea = next(t.get_text() for t in labels if t.get_text().startswith("Korea, Dem"))
        assert "\n" not in korea


def test_other_is_cut_so_real_bars_keep_their_scale(route_chart):
    hist = histogram(route_chart, Field("from", Target.LINKS), top=10)
    _, plot, _ = drawn(hist)
    bars = plot.axes.patches
    assert bars[-1].get_hatch() == "///"  # Other: cut and hatched
    assert bars[-1].get_width() < 1.2 * bars[0].get_width()
    assert hist.bars[-1].value > 10 * hist.bars[0].value
    texts = [t.get_text() for t in plot.axes.texts]
    assert f"{int(hist.bars[-1].value):,}" in texts  # its true count is printed


def test_picture_files_and_csv_neutralise_formulas(tmp_path, route_chart):
    chart = route_chart.__class__("formula test")
    chart.make_entity("Person", '=HYPERLINK("http://x.invalid","click")')
    chart.make_entity("Person", "Plain name")
    hist = histogram(chart, Field("label"))
    render_histogram(hist, tmp_path / "h.csv")
    text = (tmp_path / "h.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text
    svg = render_histogram(hist, tmp_path / "h.svg").read_text()
    assert "Entities by label" in svg and "Plain name" in svg
    with pytest.raises(ValueError, match=r"cannot write \.gif"):
        render_histogram(hist, tmp_path / "h.gif")
