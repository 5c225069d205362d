"""The view draws the chart from the scene's own index (issue 15): the window shows what Qt's
own drawing of the same items shows, on a chart big enough to be unindexed, and what is
hidden, moved or selected is redrawn at once, with nothing left behind."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QGraphicsScene

from workbench.model import Chart, Direction, Entity, Link, Strength

N = 700  # with its links, over the BULK of items that leaves a scene unindexed


def mesh_chart() -> Chart:
    """A grid of entities with near and long links, some parallel, dashed or one-way."""
    chart = Chart("mesh")
    chart.add_entities(Entity(f"e{i}", ("Person", "Phone", "Account")[i % 3], f"E{i}",
                              x=(i % 30) * 120.0, y=(i // 30) * 110.0) for i in range(N))
    links = [Link(f"n{i}", f"e{i}", f"e{i + 1}", "Associate",
                  strength=(Strength.CONFIRMED, Strength.UNCONFIRMED)[i % 2],
                  direction=Direction.FORWARD if i % 3 else Direction.NONE)
             for i in range(N - 1)]
    links += [Link(f"h{i}", "e0", f"e{i}", "Calls") for i in range(31, N, 37)]  # a hub
    links += [Link(f"p{i}", f"e{i + 1}", f"e{i}", "Pays") for i in range(0, N - 1, 11)]
    chart.add_links(links)
    return chart


def without_key(scene, view, qtbot) -> None:
    """The key is a widget over the viewport, not the chart: off for these pictures."""
    scene.set_display(replace(scene.display, legend=False))
    qtbot.waitUntil(lambda: view.legend.isHidden())


def shown(view) -> QImage:
    view.viewport().repaint()
    return view.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def qt_drawn(scene, view) -> QImage:
    """The same part of the scene drawn by Qt's own item drawing."""
    rect = view.viewport().rect()
    image = QImage(rect.size(), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHints(view.renderHints())
    scene.render(painter, QRectF(rect), view.mapToScene(rect).boundingRect(),
                 Qt.AspectRatioMode.IgnoreAspectRatio)
    painter.end()
    return image


def differing(a: QImage, b: QImage) -> float:
    """Share of pixels that differ clearly between two pictures of one size."""
    assert a.size() == b.size()
    step, off, total = 3, 0, 0
    for y in range(0, a.height(), step):
        for x in range(0, a.width(), step):
            ca, cb = QColor(a.pixel(x, y)), QColor(b.pixel(x, y))
            total += 1
            off += max(abs(ca.red() - cb.red()), abs(ca.green() - cb.green()),
                       abs(ca.blue() - cb.blue())) > 40
    return off / total


def test_the_window_shows_what_qt_draws_of_the_same_items(make_view, qtbot):
    scene, view, selection = make_view(mesh_chart())
    without_key(scene, view, qtbot)
    assert scene.itemIndexMethod() == QGraphicsScene.ItemIndexMethod.NoIndex
    view.set_zoom(0.8)
    view.centerOn(QPointF(900, 700))
    selection.set(["e65"], ["n40", "h68"])
    view.place_labels()
    ours = shown(view)
    assert differing(ours, qt_drawn(scene, view)) < 0.01
    blank = QImage(ours.size(), ours.format())
    blank.fill(QColor("white"))
    assert differing(ours, blank) > 0.05  # a picture, not a blank window


def icon_pixels(view, entity_id: str) -> QRect:
    """The middle of the entity's icon on screen (links stop at its edge)."""
    centre = view.mapFromScene(view.chart_scene().entity_item(entity_id).pos())
    return QRect(centre.x() - 8, centre.y() - 8, 16, 16)


def coloured(image: QImage, rect: QRect) -> int:
    """Pixels in ``rect`` that are not near white."""
    return sum(1 for y in range(rect.top(), rect.bottom(), 2)
               for x in range(rect.left(), rect.right(), 2)
               if image.rect().contains(x, y) and QColor(image.pixel(x, y)).lightness() < 200)


def test_hidden_moved_and_selected_items_leave_nothing_behind(make_view, qtbot):
    """After each change the window, updated where Qt said items changed, is the picture a
    full repaint draws; the hidden or moved icon is gone from where it was."""
    scene, view, selection = make_view(mesh_chart())
    view.set_zoom(1.0)
    view.centerOn(QPointF(600, 550))
    without_key(scene, view, qtbot)

    def on_screen() -> QImage:
        qtbot.wait(200)  # Qt's updates of the changed items and the labels are painted
        return view.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)

    icon = icon_pixels(view, "e125")
    assert coloured(on_screen(), icon) > 10
    scene.set_hidden(["e125"])
    updated = on_screen()
    assert coloured(updated, icon) <= 2  # (a hub's link may cross it)
    assert differing(updated, shown(view)) == 0
    scene.set_hidden([])
    icon = icon_pixels(view, "e127")
    assert coloured(on_screen(), icon) > 10
    scene.chart.move_entities({"e127": (640.0, 700.0)})
    updated = on_screen()
    assert coloured(updated, icon) <= 2
    assert differing(updated, shown(view)) == 0
    selection.set(["e128"], ["n60"])
    assert differing(on_screen(), shown(view)) == 0
