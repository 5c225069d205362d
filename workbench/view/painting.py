"""One frame of a chart view: the items the scene's own index finds, painted in Qt's order.

Qt's own paint asks its index which items lie in the window, and asks each its Python
``boundingRect``. On a 100,000-entity chart its BSP index files every hub's long links in
thousands of cells (4 s and a gigabyte to build, 1.3 s a frame at 45% zoom over the dense
centre), and without an index it asks all 300,000 items every frame. The scene already keeps
every item's course and bounds in numpy arrays for clicks (``spatial.py``); the view asks
those arrays what to draw and paints just that, bottom to top as Qt stacks them: links, then
selected links (raised over the others), then entities in the order they were added, then the
label layer and what a mouse mode draws. The straight, unselected links without a label in
sight are drawn in batches, one ``drawLines`` per pen (at 100% over the dense centre of a
100,000-entity chart, 15,000 long hub links cross the window: one Python ``paint`` each was
most of a pan's frame). Zoomed out on a big chart the overview stands in for every item.
Qt still says what to repaint when an item changes, hides or moves (the view's update
regions), as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QPaintDevice,
    QPainter,
    QPen,
    QPolygonF,
    QRegion,
    QTransform,
)
from PySide6.QtWidgets import (
    QRubberBand,
    QStyle,
    QStyleHintReturnMask,
    QStyleOptionGraphicsItem,
    QStyleOptionRubberBand,
    QWidget,
)

from workbench.view.look import FADED, LINK_LABEL_PIXELS

if TYPE_CHECKING:
    from workbench.view.link_item import LinkItem
    from workbench.view.scene import ChartScene
    from workbench.view.view import ChartView

_OPTION = QStyleOptionGraphicsItem()  # the items draw from their own state, not Qt's option
_GROW = 2.0  # pixels around the exposed area, for antialiased edges
_NO_PEN = QPen(Qt.PenStyle.NoPen)


def paint_frame(view: ChartView, device: QPaintDevice, region: QRegion) -> None:
    """Draw ``region`` of the view (viewport pixels) on ``device``: the viewport itself, or
    the image the view keeps of it (``kept_picture.py``)."""
    scene = view.chart_scene()
    viewport = view.viewport()
    painter = QPainter(device)
    painter.setRenderHints(view.renderHints())
    painter.setClipRegion(region)
    rect = region.boundingRect().adjusted(-_GROW, -_GROW, _GROW, _GROW)
    exposed = view.mapToScene(rect).boundingRect()
    world = view.viewportTransform()
    painter.setWorldTransform(world)
    view.drawBackground(painter, exposed)
    if scene.is_overview():
        scene.overview.paint_cached(painter, view.devicePixelRatioF())
        scene.spatial.prepare_later(scene)  # for the next click, while the window is idle
    else:
        _paint_items(painter, scene, exposed, world, viewport)
    for item in scene.top_items():
        if item.isVisible():
            painter.setWorldTransform(item.sceneTransform() * world)
            item.paint(painter, _OPTION, viewport)
    painter.setOpacity(1.0)
    painter.setWorldTransform(world)
    view.drawForeground(painter, exposed)
    _paint_band(view, painter)
    painter.end()


def _paint_items(painter: QPainter, scene: ChartScene, exposed: QRectF, world: QTransform,
                 viewport: QWidget) -> None:
    entities, links = scene.spatial.drawn_in(exposed.left(), exposed.top(), exposed.right(),
                                             exposed.bottom())
    options = scene.options
    labelled = LINK_LABEL_PIXELS * (world.m11() or 1.0) >= options.min_label_pixels
    batches: dict[int, tuple[QPen, QBrush, list[QLineF], list[QPolygonF]]] = {}
    own: list[LinkItem] = []  # curves and labelled links paint themselves
    raised: list[LinkItem] = []
    for link in links:  # links lie in scene coordinates: the view's transform is theirs
        if not link.isVisible():
            continue
        if link.isSelected():
            raised.append(link)
            continue
        line, arrows, pen, brush, _width = link.parts()
        if line is None or (labelled and link.shown_text):
            own.append(link)
            continue
        batch = batches.get(id(pen))
        if batch is None:
            batch = batches[id(pen)] = (pen, brush, [], [])
        batch[2].append(line)
        batch[3].extend(arrows)
    painter.setOpacity(FADED if options.fade_active else 1.0)
    for pen, brush, lines, arrows in batches.values():
        painter.setPen(pen)
        painter.drawLines(lines)
        if arrows:
            painter.setPen(_NO_PEN)
            painter.setBrush(brush)
            for arrow in arrows:
                painter.drawPolygon(arrow)
    for link in own + raised:
        link.paint(painter, _OPTION, viewport)
    for entity in entities:
        if entity.isVisible():
            painter.setWorldTransform(world)
            painter.translate(entity.pos())
            entity.paint(painter, _OPTION, viewport)


def _paint_band(view: ChartView, painter: QPainter) -> None:
    """The view's rubber band, drawn as QGraphicsView draws its own."""
    band = view.band_rect()
    if band.isEmpty():
        return
    viewport = view.viewport()
    painter.resetTransform()
    style = QStyleOptionRubberBand()
    style.initFrom(viewport)
    style.rect = band
    style.shape = QRubberBand.Shape.Rectangle
    mask = QStyleHintReturnMask()
    if viewport.style().styleHint(QStyle.StyleHint.SH_RubberBand_Mask, style, viewport, mask):
        painter.setClipRegion(mask.region, Qt.ClipOperation.IntersectClip)
    viewport.style().drawControl(QStyle.ControlElement.CE_RubberBand, style, painter, viewport)
