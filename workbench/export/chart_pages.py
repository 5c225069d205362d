"""Chart pictures on A4 pages: one page with the title and protective marking, or a wall
chart over several pages across and down, each page naming its row and column."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPageLayout, QPageSize, QPainter, QPdfWriter

from workbench.export.chart_image import ChartImageError, draw_scene, drawing
from workbench.io.atomic import write_bytes
from workbench.model import Chart, Selection
from workbench.model.legend import LegendEntry
from workbench.view import ChartScene


def chart_pdf(chart: Chart, path: str | Path, *,
              selection: Selection | Iterable[str] | None = None,
              look: Mapping[str, object] | None = None, pages_across: int = 1) -> Path:
    """A4 pages with the title, protective marking and page number on each.

    With ``pages_across`` 1 the whole chart fits one page (landscape for wide charts). With
    more, the chart is drawn at a scale that takes that many pages across and as many pages
    down as its height needs, to be printed and laid side by side (a wall chart); each page
    says which row and column it is. The PDF is drawn in memory (Qt's PDF writer does not
    report a full disk) and written atomically: a failure leaves the old file as it was.
    """
    path = Path(path)
    write_bytes(path, chart_pdf_bytes(chart, selection=selection, look=look,
                                      pages_across=pages_across), kind="pdf")
    return path


def chart_pdf_bytes(chart: Chart, *, selection: Selection | Iterable[str] | None = None,
                    look: Mapping[str, object] | None = None, pages_across: int = 1) -> bytes:
    """The PDF of chart_pdf, as bytes."""
    if pages_across < 1:
        raise ChartImageError("pages across must be 1 or more")
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    with drawing(chart, selection, look=look) as drawn:
        scene, source, legend = drawn.scene, drawn.source, drawn.legend
        writer = QPdfWriter(buffer)
        writer.setTitle(chart.title)
        writer.setCreator("Workbench")
        writer.setResolution(300)
        wide = source.width() / pages_across >= source.height()
        orientation = QPageLayout.Orientation.Landscape if wide else \
            QPageLayout.Orientation.Portrait
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation,
                                         QMarginsF(12, 12, 12, 12)))
        painter = QPainter()
        if not painter.begin(writer):
            raise ChartImageError("the PDF could not be started")
        page = QRectF(writer.pageLayout().paintRectPixels(writer.resolution()))
        page.moveTo(0, 0)
        scene.options.pixel_ratio = 2.0
        if pages_across == 1:
            header = _header(painter, chart, page, writer.resolution())
            draw_scene(scene, painter, page.adjusted(0, header, 0, 0), source,
                       writer.resolution(), legend)
        else:
            _draw_tiles(scene, painter, writer, chart, page, source, pages_across, legend)
        if not painter.end():
            raise ChartImageError("the PDF could not be finished")
    buffer.close()
    return bytes(data.data())


def _draw_tiles(scene: ChartScene, painter: QPainter, writer: QPdfWriter, chart: Chart,
                page: QRectF, source: QRectF, across: int,
                legend: Sequence[LegendEntry]) -> None:
    """The wall chart's pages, each with its labels placed for that page and the legend (a
    page pinned up alone still says what red means)."""
    resolution = writer.resolution()
    header = resolution * 0.36
    area = page.adjusted(0, header, 0, 0)
    # Pages down at the scale that fills the pages across; a last row that would hold only a
    # sliver of the chart (under 10% of a page) is avoided by drawing a little smaller.
    rows = source.height() / (area.height() * (source.width() / across) / area.width())
    down = max(1, math.ceil(rows - 0.1))
    scale = min(area.width() * across / source.width(), area.height() * down / source.height())
    tile_w, tile_h = area.width() / scale, area.height() / scale
    total = across * down
    for number, (row, column) in enumerate(
            ((r, c) for r in range(down) for c in range(across)), start=1):
        if number > 1:
            writer.newPage()
        _header(painter, chart, page, resolution,
                note=f"Page {number} of {total}: row {row + 1}, column {column + 1}")
        tile = QRectF(source.left() + column * tile_w, source.top() + row * tile_h,
                      tile_w, tile_h)
        painter.save()
        painter.setClipRect(area)
        draw_scene(scene, painter, area, tile, resolution, legend)
        painter.restore()
        painter.setPen(QColor("#bbbbbb"))
        painter.drawRect(area)


def _header(painter: QPainter, chart: Chart, page: QRectF, resolution: int,
            note: str = "") -> float:
    """Title (and protective marking, and a page note) at the top of the page; returns the
    height used."""
    font = QFont()
    font.setPixelSize(round(resolution * 0.16))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("#1b1b1b"))
    height = resolution * 0.3
    painter.drawText(QRectF(page.left(), page.top(), page.width() * 0.7, height),
                     Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, chart.title)
    if chart.marking:
        painter.setPen(QColor("#a93226"))
        painter.drawText(QRectF(page.left() + page.width() * 0.7, page.top(), page.width() * 0.3,
                                height),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         chart.marking)
    if note:
        font.setBold(False)
        font.setPixelSize(round(resolution * 0.1))
        painter.setFont(font)
        painter.setPen(QColor("#555555"))
        painter.drawText(QRectF(page.left(), page.top() + height * 0.8, page.width(),
                                height * 0.4),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, note)
    return height * 1.2
