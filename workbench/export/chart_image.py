"""Chart pictures: PNG (or JPEG) at a DPI or pixel width, SVG, and one-page PDF.

Pictures go to banks and police, so they are drawn by the very same ChartScene as the window
(one drawing code, no second renderer to drift), headless through Qt's offscreen platform.
The selection highlight is never drawn; "selection" means "picture of these items only".
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import shiboken6
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication

from workbench.export.picture_labels import fitted, label_picture, printed_inches
from workbench.io.atomic import WriteError, write_bytes
from workbench.io.interchange.common import xml_safe_bytes
from workbench.model import Chart, Selection
from workbench.model.display import DisplayError
from workbench.model.legend import LegendEntry, legend_entries
from workbench.view import ChartScene
from workbench.view.legend import legend_size, paint_legend

FORMATS = {".png": "png", ".jpg": "jpg", ".jpeg": "jpg", ".svg": "svg", ".pdf": "pdf"}
SCREEN_DPI = 96.0  # one scene unit is one pixel at 96 DPI
MARGIN = 24.0  # scene units around the chart
MAX_PIXELS = 200_000_000  # refuse pictures bigger than this (800 MB of memory)
LEGEND_PT = 8.0  # the legend's text on paper (or at 96 DPI on screen)
MAX_ASPECT = 2.0  # a picture is never wider than twice its height, nor taller than twice wide


class ChartImageError(ValueError):
    """A picture that cannot be made (unknown format, too big, nothing to draw)."""


def ensure_app() -> QApplication:
    """A QApplication to draw with; offscreen when none exists yet (CLI, scripts, tests)."""
    app = QApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QApplication([sys.argv[0] if sys.argv else "workbench"])
    return app


def _ids(selection: Selection | Iterable[str] | None) -> tuple[set[str], set[str]] | None:
    if selection is None:
        return None
    if isinstance(selection, Selection):
        return set(selection.entities), set(selection.links)
    ids = set(selection)
    return ids, ids


def _prepare(chart: Chart, selection: Selection | Iterable[str] | None,
             transparent: bool, look: Mapping[str, object] | None = None
             ) -> tuple[ChartScene, QRectF, list[LegendEntry]]:
    """A scene showing the whole chart, or only the chosen items, the area to draw, and the
    legend of what is drawn (empty when the chart's display turns it off).

    The chart is drawn by its own display (``chart.settings["display"]``), as in the window.
    ``look`` overrides some of those choices for this picture only: ``badges`` (attribute
    names), ``link_labels`` ("label", "type", "none"), ``frames`` (bool), ``link_summary``
    (bool), ``link_width`` (a numeric link attribute, "@count" or "" for even widths); a key
    that is missing or None keeps the chart's choice.
    """
    ensure_app()
    chosen = _ids(selection)
    entity_ids = link_ids = None
    if chosen is not None:
        entity_ids = {i for i in chosen[0] if i in chart.entities}
        link_ids = {i for i in chosen[1] if i in chart.links}
        for link_id in link_ids:  # a chosen link brings its two ends
            link = chart.links[link_id]
            entity_ids.update((link.end1, link.end2))
        # Links between two chosen entities come along unless links were chosen explicitly.
        if not link_ids:
            link_ids = {lk.id for lk in chart.links.values()
                        if lk.end1 in entity_ids and lk.end2 in entity_ids}
    # only the chosen items are drawn (made into graphics items at all)
    scene = ChartScene(chart, Selection(),
                       only=None if entity_ids is None else (entity_ids, link_ids))
    if scene.display_error:
        _dispose(scene)
        raise ChartImageError(scene.display_error)
    overrides = {k: v for k, v in (look or {}).items() if v is not None}
    if overrides:
        if overrides.get("link_width") == "":
            overrides["link_width"] = None
        try:
            display = scene.display.changed(**overrides)
        except DisplayError as exc:
            _dispose(scene)
            raise ChartImageError(f"display: {exc}") from None
        scene.set_display(display)
    rect = scene.chart_rect()
    if rect.isEmpty():
        _dispose(scene)
        raise ChartImageError("there is nothing to draw: the chart (or selection) is empty")
    if transparent:
        scene.setBackgroundBrush(Qt.BrushStyle.NoBrush)
    legend = legend_entries(chart, entity_ids, link_ids) if scene.display.legend else []
    return scene, document_shape(rect.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)), legend


def document_shape(rect: QRectF) -> QRectF:
    """``rect`` padded evenly on its short sides to at most MAX_ASPECT: a path between two
    countries was a 3277 x 350 sliver, which a document shrinks to page width until its
    labels are specks; padded, it pastes as a picture of a sensible height."""
    width, height = rect.width(), rect.height()
    if width > height * MAX_ASPECT:
        pad = (width / MAX_ASPECT - height) / 2.0
        return rect.adjusted(0.0, -pad, 0.0, pad)
    if height > width * MAX_ASPECT:
        pad = (height / MAX_ASPECT - width) / 2.0
        return rect.adjusted(-pad, 0.0, pad, 0.0)
    return rect


def _dispose(scene: ChartScene) -> None:
    """Delete the drawing scene now, on this (the GUI) thread. Left to the garbage collector,
    its items are reference cycles that may be freed later on a worker thread, which crashes
    Qt."""
    scene.detach()
    scene.clear()
    shiboken6.delete(scene)


def _draw(scene: ChartScene, painter: QPainter, target: QRectF, source: QRectF,
          printed_dpi: float, legend: Sequence[LegendEntry] = ()) -> None:
    """Draw ``source`` (scene units) into ``target`` (the painter's device, which prints at
    ``printed_dpi`` device pixels to the inch), centred, with the labels that print at 7 pt or
    more and the legend in its bottom-left corner at LEGEND_PT."""
    painter.setRenderHints(QPainter.RenderHint.Antialiasing
                           | QPainter.RenderHint.SmoothPixmapTransform
                           | QPainter.RenderHint.TextAntialiasing)
    drawn = fitted(target, source)
    legend_px = LEGEND_PT / 72 * printed_dpi
    key = _key_box(legend, drawn, legend_px)
    scene.update_detail(drawn.width() / source.width())
    label_picture(scene, painter, drawn, source, printed_dpi, key)
    scene.render(painter, drawn, source, Qt.AspectRatioMode.IgnoreAspectRatio)
    if legend:
        paint_legend(painter, legend, key.bottomLeft(), legend_px)


def _key_box(legend: Sequence[LegendEntry], drawn: QRectF, font_px: float) -> QRectF:
    """Where the legend goes: the bottom-left corner of the area the chart is drawn in."""
    size = legend_size(legend, font_px)
    if size.isEmpty():
        return QRectF()
    return QRectF(drawn.left() + font_px * 0.8,
                  drawn.bottom() - font_px * 0.8 - size.height(), size.width(), size.height())


def chart_image(chart: Chart, *, dpi: float = 150.0, width: int | None = None,
                height: int | None = None, transparent: bool = False,
                selection: Selection | Iterable[str] | None = None,
                look: Mapping[str, object] | None = None) -> QImage:
    """The chart as an image at ``dpi`` (96 DPI = natural size), or ``width`` pixels wide,
    or ``height`` pixels high (both: the largest picture that fits in that box)."""
    scene, source, legend = _prepare(chart, selection, transparent, look)
    try:
        scales = [size / extent for size, extent in ((width, source.width()),
                                                     (height, source.height())) if size]
        scale = min(scales) if scales else dpi / SCREEN_DPI
        pixels_w = max(1, round(source.width() * scale))
        pixels_h = max(1, round(source.height() * scale))
        if pixels_w * pixels_h > MAX_PIXELS:
            raise ChartImageError(
                f"the picture would be {pixels_w:,} x {pixels_h:,} pixels; choose a smaller "
                "--dpi or --width")
        image = QImage(pixels_w, pixels_h, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QColor(0, 0, 0, 0) if transparent else QColor("#ffffff"))
        dots_per_metre = round((scale * SCREEN_DPI if scales else dpi) / 0.0254)
        image.setDotsPerMeterX(dots_per_metre)
        image.setDotsPerMeterY(dots_per_metre)
        painter = QPainter(image)
        scene.options.pixel_ratio = 1.0
        natural_dpi = scale * SCREEN_DPI if scales else dpi
        printed_w, _ = printed_inches(pixels_w / natural_dpi, pixels_h / natural_dpi)
        _draw(scene, painter, QRectF(0, 0, pixels_w, pixels_h), source, pixels_w / printed_w,
              legend)
        painter.end()
        return image
    finally:
        _dispose(scene)


def chart_svg(chart: Chart, *, transparent: bool = False,
              selection: Selection | Iterable[str] | None = None,
              look: Mapping[str, object] | None = None) -> bytes:
    """The chart as SVG (lines and text as vectors; icons as embedded high-resolution PNG)."""
    scene, source, legend = _prepare(chart, selection, transparent, look)
    try:
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        generator = QSvgGenerator()
        generator.setOutputDevice(buffer)
        generator.setSize(source.size().toSize())
        generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
        # Its width and height on paper: the natural size (96 scene units to the inch), shrunk
        # to the A4 text area as a document would show it (Qt's default, 72, made a chart
        # 5,600 units wide two metres wide).
        printed_w, _ = printed_inches(source.width() / SCREEN_DPI,
                                      source.height() / SCREEN_DPI)
        units_per_inch = source.width() / printed_w
        generator.setResolution(max(1, round(units_per_inch)))
        generator.setTitle(chart.title)
        generator.setDescription(chart.marking or "Workbench chart")
        painter = QPainter()
        if not painter.begin(generator):
            raise ChartImageError("the SVG drawing could not be started")
        scene.options.pixel_ratio = 3.0  # sharper icon bitmaps when the SVG is enlarged
        _draw(scene, painter, QRectF(0, 0, source.width(), source.height()), source,
              units_per_inch, legend)
        if not painter.end():
            raise ChartImageError("the SVG drawing could not be finished")
        buffer.close()
        # Control characters in labels (scraped text holds them) are not allowed in XML.
        return xml_safe_bytes(bytes(data.data()))
    finally:
        _dispose(scene)


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
    scene, source, legend = _prepare(chart, selection, False, look)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    try:
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
            _draw(scene, painter, page.adjusted(0, header, 0, 0), source, writer.resolution(),
                  legend)
        else:
            _draw_tiles(scene, painter, writer, chart, page, source, pages_across, legend)
        if not painter.end():
            raise ChartImageError("the PDF could not be finished")
        buffer.close()
        return bytes(data.data())
    finally:
        _dispose(scene)


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
        _draw(scene, painter, area, tile, resolution, legend)
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


def render_chart(chart: Chart, path: str | Path, *, fmt: str | None = None,
                 dpi: float = 150.0, width: int | None = None, height: int | None = None,
                 transparent: bool = False,
                 selection: Selection | Iterable[str] | None = None,
                 look: Mapping[str, object] | None = None, pages_across: int = 1) -> Path:
    """Write the chart picture to ``path``; the format comes from ``fmt`` or the suffix.
    ``pages_across`` tiles a PDF over that many A4 pages across (see chart_pdf)."""
    path = Path(path)
    kind = (fmt or FORMATS.get(path.suffix.lower(), "")).lower().lstrip(".")
    kind = {"jpeg": "jpg"}.get(kind, kind)
    if kind not in {"png", "jpg", "svg", "pdf"}:
        raise ChartImageError(f"{path.name}: unknown picture format; use .png, .jpg, .svg or "
                              ".pdf (or give the format)")
    if kind == "svg":
        data = chart_svg(chart, transparent=transparent, selection=selection, look=look)
        write_bytes(path, data, kind="xml")
        return path
    if kind == "pdf":
        return chart_pdf(chart, path, selection=selection, look=look,
                         pages_across=pages_across)
    image = chart_image(chart, dpi=dpi, width=width, height=height,
                        transparent=transparent and kind == "png",
                        selection=selection, look=look)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PNG quality 80 is zlib level 2: a 4K picture saves in half the time, 9% larger.
    if not image.save(buffer, kind.upper(), 80 if kind == "png" else -1):
        raise WriteError(path, f"the {kind.upper()} picture could not be encoded")
    buffer.close()
    del image  # the encoded picture is what is left to write
    write_bytes(path, memoryview(data), kind=kind)
    return path
