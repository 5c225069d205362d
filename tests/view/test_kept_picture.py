"""While a chart too slow to draw every frame is zoomed or panned, the window shows its last
picture scaled or moved at once, and the chart drawn for real once the view rests: the same
pixels a view drawing directly shows. A small chart is drawn in full at every frame."""

from __future__ import annotations

import math
import random
from dataclasses import replace

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QTransform, QWheelEvent
from PySide6.QtWidgets import QApplication

from workbench.model import Chart, Entity, Link
from workbench.view import ChartView
from workbench.view.kept_picture import FRAME_BUDGET

SIZE = (900, 700)


def crossed_chart() -> Chart:
    """400 entities with 6,000 links between random pairs: at 100% thousands of long
    antialiased links cross the window (some 80 ms of CPU a frame, over the budget), as hub
    links do on a chart of 100,000 entities."""
    rng = random.Random(5)
    chart = Chart("crossed")
    chart.add_entities(Entity(f"e{i}", "Person", f"P{i}", x=(i % 20) * 90.0,
                              y=(i // 20) * 70.0) for i in range(400))
    chart.add_links(Link(f"l{i}", f"e{rng.randrange(400)}", f"e{rng.randrange(400)}",
                         "Associate") for i in range(6000))
    return chart


def grabbed(view: ChartView) -> QImage:
    return view.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def drawn_directly(view: ChartView, qtbot) -> QImage:
    """The picture a second view of the same scene draws at the same place and zoom, every
    frame drawn directly on the screen as before (no frame is over an endless budget)."""
    other = ChartView(view.chart_scene())
    other.frame_budget = math.inf
    qtbot.addWidget(other)
    other.resize(*SIZE)
    other.show()
    qtbot.waitExposed(other)
    other.setTransform(view.transform())
    other.setSceneRect(view.sceneRect())
    qtbot.wait(1)  # the scroll bars shown
    other.horizontalScrollBar().setValue(view.horizontalScrollBar().value())
    other.verticalScrollBar().setValue(view.verticalScrollBar().value())
    other.place_labels()
    assert other.viewportTransform() == view.viewportTransform()
    picture = grabbed(other)
    other.close()
    return picture


def notch(view: ChartView, at: QPoint) -> None:
    """One wheel notch forward over ``at`` (viewport pixels), as the mouse sends it."""
    event = QWheelEvent(QPointF(at), QPointF(view.viewport().mapToGlobal(at)), QPoint(0, 0),
                        QPoint(0, 120), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), event)


def moved(picture: QImage, before: QTransform, after: QTransform) -> QImage:
    """``picture`` of the chart under the view's transform ``before``, put where the chart
    lies under ``after``, on white."""
    image = QImage(picture.size(), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.setTransform(before.inverted()[0] * after)
    painter.drawImage(QPointF(0.0, 0.0), picture)
    painter.end()
    return image


def differing(a: QImage, b: QImage) -> float:
    """Share of pixels that differ clearly between two pictures of one size."""
    assert a.size() == b.size()
    off = total = 0
    for y in range(0, a.height(), 3):
        for x in range(0, a.width(), 3):
            ca, cb = QColor(a.pixel(x, y)), QColor(b.pixel(x, y))
            total += 1
            off += max(abs(ca.red() - cb.red()), abs(ca.green() - cb.green()),
                       abs(ca.blue() - cb.blue())) > 40
    return off / total


def resting(make_view, qtbot, chart: Chart, centre: QPointF):
    """A view at 100% over ``centre``, at rest, without the key."""
    scene, view, _ = make_view(chart, SIZE)
    scene.set_display(replace(scene.display, legend=False))  # the key is a widget, not drawn
    qtbot.waitUntil(view.legend.isHidden)
    view.set_zoom(1.0)
    view.centerOn(centre)
    view.place_labels()
    qtbot.waitUntil(view.windowHandle().isExposed)
    view.viewport().repaint()  # timed: the chart's cost of a frame
    return view


def test_a_wheel_notch_on_a_big_chart_shows_the_kept_picture_then_the_chart(make_view, qtbot):
    view = resting(make_view, qtbot, crossed_chart(), QPointF(850.0, 650.0))
    before = grabbed(view)
    assert before == drawn_directly(view, qtbot)  # at rest: what direct drawing shows
    at = QPoint(300, 250)
    under = view.mapToScene(at)
    world = view.viewportTransform()
    notch(view, at)
    assert abs(view.zoom_level() - 1.2) < 1e-9
    assert (view.mapFromScene(under) - at).manhattanLength() <= 2  # zoomed about the cursor
    assert view.showing_kept_picture(), f"a frame of this chart takes over {FRAME_BUDGET} s"
    moving = grabbed(view)
    assert differing(moving, before) > 0.05
    assert moving == moved(before, world, view.viewportTransform())
    qtbot.waitUntil(lambda: view.at_rest() and not view.showing_kept_picture(), timeout=3000)
    after = grabbed(view)
    assert after == drawn_directly(view, qtbot)  # the chart at its new zoom, in full
    assert differing(after, moving) > 0.01  # lines drawn for this zoom, not magnified


def test_a_pan_on_a_big_chart_moves_the_kept_picture_and_blanks_what_scrolled_in(
        make_view, qtbot):
    view = resting(make_view, qtbot, crossed_chart(), QPointF(850.0, 650.0))
    before = grabbed(view)
    width, height = before.width(), before.height()
    bar = view.horizontalScrollBar()
    bar.setValue(bar.value() + 60)  # the chart slides 60 pixels to the left
    assert view.showing_kept_picture()
    moving = grabbed(view)
    assert moving.copy(0, 0, width - 60, height) == before.copy(60, 0, width - 60, height)
    strip = moving.copy(width - 58, 0, 58, height)
    assert all(strip.pixel(x, y) == QColor("white").rgb()
               for x in range(0, 58, 4) for y in range(0, height, 10))
    qtbot.waitUntil(lambda: view.at_rest() and not view.showing_kept_picture(), timeout=3000)
    after = grabbed(view)
    assert after == drawn_directly(view, qtbot)
    assert after.copy(width - 58, 0, 58, height) != strip  # the links that scrolled in


def test_a_small_chart_is_drawn_in_full_at_each_notch(make_view, qtbot, small_chart):
    view = resting(make_view, qtbot, small_chart, QPointF(225.0, 125.0))
    at = QPoint(400, 300)
    for _ in range(3):
        notch(view, at)
        assert not view.showing_kept_picture()
        assert grabbed(view) == drawn_directly(view, qtbot)
