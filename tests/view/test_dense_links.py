"""A window thick with links draws its thin links as hairlines (issue 15): one pixel wide and
antialiased, where lines 1.4 pixels wide ran together into a grey wash and took three times
as long to draw; a sparse window keeps the links' own width."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage

from workbench.model import Chart, Entity, Link

FAR = 1500.0  # the ends of every link lie outside the window: only lines cross it
LONE_Y = 200.3  # a link by itself, under the crowd


def crossing_chart(crowd: int) -> Chart:
    """``crowd`` long links half a unit apart across the top of the window, and one alone."""
    chart = Chart("crossing")
    rows = [-340.0 + 0.5 * i for i in range(crowd)] + [LONE_Y]
    chart.add_entities(Entity(f"{side}{i}", "Person", f"{side}{i}", x=x, y=y)
                       for i, y in enumerate(rows) for side, x in (("a", -FAR), ("b", FAR)))
    chart.add_links(Link(f"l{i}", f"a{i}", f"b{i}", "Associate") for i in range(len(rows)))
    return chart


def lone_line_ink(make_view, qtbot, crowd: int) -> float:
    """How much ink the lone link puts in one column of the window at 100%: the sum over the
    rows around it of each pixel's darkness (0 white, 1 black)."""
    scene, view, _ = make_view(crossing_chart(crowd))
    scene.set_display(replace(scene.display, legend=False))
    view.set_zoom(1.0)
    view.centerOn(QPointF(0.0, 0.0))
    qtbot.waitUntil(view.at_rest)
    view.viewport().repaint()
    image = view.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    column = image.width() // 2
    row = round(view.mapFromScene(QPointF(0.0, LONE_Y)).y())
    return sum(1.0 - image.pixelColor(column, y).redF() for y in range(row - 4, row + 5))


def test_a_window_thick_with_links_draws_thin_lines_one_pixel_wide(make_view, qtbot):
    alone = lone_line_ink(make_view, qtbot, crowd=0)
    crowded = lone_line_ink(make_view, qtbot, crowd=600)  # 600 x 900 pixels of line
    # the link's own width (1.4 pixels) where the window is sparse; one pixel in the crowd,
    # and still as dark a line as a one-pixel line of its colour
    assert 0.55 * alone < crowded < 0.85 * alone
