"""What a reader sees of a chart view: how many labels are drawn at a readable size, and how
many of them overlap. Used by the legibility tests and the screenshot script, so the
screenshots in the README and the assertions measure the same thing."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QFontMetricsF

from workbench.view.labels import READABLE_X_HEIGHT, Grid
from workbench.view.view import ChartView


@dataclass(frozen=True)
class Legibility:
    drawn: int  # labels drawn in the window
    readable: int  # ... of which at a readable size (x-height of READABLE_X_HEIGHT or more)
    overlapping: int  # labels whose plate overlaps another's
    entities: int  # entities visible in the window

    def __str__(self) -> str:
        return (f"{self.readable} readable labels of {self.drawn} drawn, {self.overlapping} "
                f"overlapping, {self.entities} entities in view")


def label_rects(view: ChartView) -> tuple[list[QRectF], float]:
    """The plates of the labels drawn in the view, in screen pixels, and their x-height."""
    scene = view.chart_scene()
    layer = scene.labels
    transform = view.viewportTransform()
    screen = QRectF(view.viewport().rect())
    rects = []
    for placed in layer.placed:
        if not placed.item.isVisible():
            continue
        anchor = transform.map(placed.item.pos())
        box = placed.box
        rect = QRectF(anchor.x() + box[0], anchor.y() + box[1], box[2] - box[0],
                      box[3] - box[1])
        if screen.intersects(rect):
            rects.append(rect)
    font = QFont(scene.options.label_font)
    font.setPixelSize(max(1, round(layer.label_pixels(transform.m11()))))
    return rects, QFontMetricsF(font).xHeight()


def legibility(view: ChartView) -> Legibility:
    """Count what the view draws now (place its labels first: ``view.place_labels()``)."""
    rects, x_height = label_rects(view)
    grid = Grid()
    overlapping = 0
    for rect in rects:
        box = (rect.left() + 0.5, rect.top() + 0.5, rect.right() - 0.5, rect.bottom() - 0.5)
        if grid.overlaps(box):
            overlapping += 1
        grid.add(box)
    transform = view.viewportTransform()
    screen = QRectF(view.viewport().rect())
    scene = view.chart_scene()
    entities = sum(1 for e in scene.chart.entities.values()
                   if (item := scene.entity_item(e.id)) is not None and item.isVisible()
                   and screen.contains(transform.map(item.pos())))
    readable = len(rects) if x_height >= READABLE_X_HEIGHT - 0.01 else 0
    return Legibility(len(rects), readable, overlapping, entities)
