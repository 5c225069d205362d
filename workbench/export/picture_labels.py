"""Labels on chart pictures at a size a reader can read where the picture ends up.

A picture goes into a document, and a word processor shrinks a picture wider than its page
to the page's text width: a 5,000-pixel chart drawn at its own size and pasted at A4 width
had labels under 2 pt, specks. So a picture's labels are chosen as the window chooses them
(the label layer of ``workbench.view.labels``: the most important entities first, each label
taken only where it overlaps no other, never none) with the smallest size a reader can read
on paper: ``LABEL_PT`` at the size the picture will print, which is its natural size shrunk
to the A4 text area. A big chart printed small names its hubs; a small one names everything.
The same size limit hides link labels and badges that would print smaller.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QTransform

from workbench.view import ChartScene

# The text area of an A4 page with a word processor's default 2.54 cm margins: the largest a
# pasted picture is shown (Letter's, 6.5 x 9 in, is about the same).
PASTE_WIDTH_IN = (21.0 - 2 * 2.54) / 2.54
PASTE_HEIGHT_IN = (29.7 - 2 * 2.54) / 2.54
LABEL_PT = 7.0  # no label prints smaller than this


def printed_inches(width_in: float, height_in: float) -> tuple[float, float]:
    """The size a picture of this natural size prints at in a document: shrunk to fit the
    A4 text area when it is bigger, as it is (never enlarged) when it fits."""
    shrink = min(1.0, PASTE_WIDTH_IN / max(width_in, 1e-9),
                 PASTE_HEIGHT_IN / max(height_in, 1e-9))
    return width_in * shrink, height_in * shrink


def fitted(target: QRectF, source: QRectF) -> QRectF:
    """The part of ``target`` that ``source`` fills when drawn keeping its aspect ratio,
    centred."""
    scale = min(target.width() / source.width(), target.height() / source.height())
    width, height = source.width() * scale, source.height() * scale
    return QRectF(target.left() + (target.width() - width) / 2,
                  target.top() + (target.height() - height) / 2, width, height)


def label_picture(scene: ChartScene, painter: QPainter, drawn: QRectF, source: QRectF,
                  printed_dpi: float, avoid: QRectF | None = None) -> float:
    """Place the labels of the scene area ``source`` for drawing into ``drawn`` (device
    coordinates of ``painter``, same aspect ratio), on a device with ``printed_dpi`` device
    pixels to the printed inch, clear of ``avoid`` (the legend); returns the smallest text
    size allowed, in device pixels."""
    minimum = LABEL_PT / 72.0 * printed_dpi
    scale = drawn.width() / source.width()
    render = QTransform.fromTranslate(-source.left(), -source.top()) \
        * QTransform.fromScale(scale, scale) \
        * QTransform.fromTranslate(drawn.left(), drawn.top())
    world = painter.worldTransform()
    options = scene.options
    options.min_label_pixels = minimum  # link labels too small to read are left out
    options.min_badge_pixels = minimum
    scene.set_placed_labels(True)
    boxes = []
    if avoid is not None and not avoid.isEmpty():
        box = world.mapRect(avoid)
        boxes.append((box.left(), box.top(), box.right(), box.bottom()))
    scene.labels.place(render * world, world.mapRect(drawn), minimum, boxes)
    return minimum
