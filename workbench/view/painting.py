"""One frame of a chart view: the items the scene's own index finds, painted in Qt's order.

Qt's own paint asks its index which items lie in the window, and asks each its Python
``boundingRect``. On a 100,000-entity chart its BSP index files every hub's long links in
thousands of cells (4 s and a gigabyte to build, 1.3 s a frame at 45% zoom over the dense
centre), and without an index it asks all 300,000 items every frame. The scene already keeps
every item's course and bounds in numpy arrays for clicks (``spatial.py``); the view asks
those arrays what to draw and paints just that, bottom to top as Qt stacks them: links, then
selected links (raised over the others), then entities in the order they were added, then the
label layer and what a mouse mode draws. Zoomed out on a big chart the overview stands in for
every item. Qt still says what to repaint when an item changes, hides or moves (the
view's update regions), as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QRubberBand,
    QStyle,
    QStyleHintReturnMask,
    QStyleOptionGraphicsItem,
    QStyleOptionRubberBand,
)

if TYPE_CHECKING:
    from workbench.view.scene import ChartScene
    from workbench.view.view import ChartView

_OPTION = QStyleOptionGraphicsItem()  # the items draw from their own state, not Qt's option
_GROW = 2.0  # pixels around the exposed area, for antialiased edges


def paint_frame(view: ChartView, event: QPaintEvent) -> None:
    scene = view.chart_scene()
    viewport = view.viewport()
    painter = QPainter(viewport)
    painter.setRenderHints(view.renderHints())
    painter.setClipRegion(event.region())
    rect = event.rect().adjusted(-_GROW, -_GROW, _GROW, _GROW)
    exposed = view.mapToScene(rect).boundingRect()
    world = view.viewportTransform()
    painter.setWorldTransform(world)
    view.drawBackground(painter, exposed)
    if scene.is_overview():
        scene.overview.paint_cached(painter, view.devicePixelRatioF())
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


def _paint_items(painter: QPainter, scene: ChartScene, exposed: object, world: object,
                 viewport: object) -> None:
    entities, links = scene.spatial.drawn_in(exposed.left(), exposed.top(), exposed.right(),
                                             exposed.bottom())
    raised = []
    for link in links:  # links lie in scene coordinates: the view's transform is theirs
        if link.isVisible():
            if link.isSelected():
                raised.append(link)
                continue
            link.paint(painter, _OPTION, viewport)
    for link in raised:
        link.paint(painter, _OPTION, viewport)
    for entity in entities:
        if entity.isVisible():
            painter.setWorldTransform(world)
            painter.translate(entity.pos())
            entity.paint(painter, _OPTION, viewport)


def _paint_band(view: ChartView, painter: QPainter) -> None:
    """The rubber band, drawn as QGraphicsView draws it."""
    band = view.rubberBandRect()
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
