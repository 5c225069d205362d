"""Copy as Picture's picture: one chart drawing as a bitmap, an SVG and a one-page PDF, made
as plain data (the window has them drawn in a child process, export/picture_process.py: the
routes sample's 23,046 links held the window 3.4 s) and put on the clipboard by the GUI thread.

Word, PowerPoint or LibreOffice take the vector forms (sharp when enlarged or printed),
simpler programs the bitmap.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgRenderer

from workbench.export.chart_image import (
    SCREEN_DPI,
    ChartImageError,
    drawing,
    image_of,
    svg_of,
)
from workbench.model import Chart, Selection

PICTURE_DPI = 192.0  # twice the screen: sharp in a document at the size it was on screen
MAX_PICTURE_SIDE = 4096  # pixels; a huge chart is scaled down to this (the vectors stay sharp)
VECTOR_LIMIT = 2000  # entities; bigger pictures go on the clipboard as a bitmap only
# Qt's PNG "quality" is zlib's level turned round: 80 packs a chart picture 3% larger than
# the default in 70% of the time (the bitmap was a third of Copy as Picture of a selection)
PNG_QUALITY = 80
QT_SVG_DPI = 90.0  # QSvgRenderer's default size counts an SVG's mm and pt at 90 px per inch


def svg_to_pdf(svg: bytes) -> bytes:
    """A PDF page exactly the size of the SVG (its width and height on paper), drawn from
    it: vectors and text stay vectors and text (QSvgRenderer reads what QSvgGenerator
    wrote)."""
    renderer = QSvgRenderer(QByteArray(svg))
    if not renderer.isValid():
        raise ChartImageError("the chart drawing could not be read back as SVG")
    size = QSizeF(renderer.defaultSize())  # the width and height at QT_SVG_DPI
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setCreator("Workbench")
    writer.setResolution(int(SCREEN_DPI))
    points = QSizeF(size.width() * 72 / QT_SVG_DPI, size.height() * 72 / QT_SVG_DPI)
    writer.setPageLayout(QPageLayout(QPageSize(points, QPageSize.Unit.Point, "chart",
                                               QPageSize.SizeMatchPolicy.ExactMatch),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(0, 0, 0, 0)))
    painter = QPainter(writer)
    page = writer.pageLayout().paintRectPixels(writer.resolution())
    renderer.render(painter, QRectF(0, 0, page.width(), page.height()))
    painter.end()
    buffer.close()
    return bytes(data.data())


def drawn_entities(chart: Chart, selection: Selection | None) -> int:
    """How many entities a picture of the chart or the selection shows."""
    if selection is None:
        return len(chart.entities)
    ends = {end for i in selection.links if i in chart.links
            for end in (chart.links[i].end1, chart.links[i].end2)}
    return len(set(selection.entities) | ends)


@dataclass
class PictureForms:
    """A chart picture in the forms the clipboard takes: plain data (a QImage may cross
    threads; the clipboard's QMimeData is made on the GUI thread)."""

    image: QImage
    png: bytes
    svg: bytes | None
    pdf: bytes | None
    title: str


def chart_picture(chart: Chart, selection: Selection | None = None, *,
                  vector_limit: int = VECTOR_LIMIT) -> PictureForms:
    """The chart (or only the items in ``selection``) as bitmap, SVG and PDF, drawn from one
    scene on the GUI thread. The bitmap is at twice screen resolution, scaled down when that
    would pass MAX_PICTURE_SIDE. Above ``vector_limit`` entities only the bitmap is made: a
    vector copy would take many seconds and tens of megabytes (every icon is embedded), more
    than a document wants from a paste."""
    vectors = drawn_entities(chart, selection) <= vector_limit
    with drawing(chart, selection) as drawn:
        if vectors:
            longest = max(drawn.source.width(), drawn.source.height(), 1.0)
            svg = svg_of(drawn)
            dpi = min(PICTURE_DPI, MAX_PICTURE_SIDE / longest * SCREEN_DPI)
            image = image_of(drawn, dpi=dpi)
        else:
            svg = None
            image = image_of(drawn, width=MAX_PICTURE_SIDE, height=MAX_PICTURE_SIDE)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG", PNG_QUALITY)
    buffer.close()
    return PictureForms(image, bytes(data.data()), svg, svg_to_pdf(svg) if svg else None,
                        chart.title)


