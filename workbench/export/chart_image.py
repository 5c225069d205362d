"""Chart pictures: PNG (or JPEG) at a DPI or pixel width, SVG, and PDF (its A4 pages are in
chart_pages.py), all drawn from one ``Drawing``.

Pictures go to banks and police, so they are drawn by the very same ChartScene as the window
(one drawing code, no second renderer to drift), headless through Qt's offscreen platform.
The selection highlight is never drawn; "selection" means "picture of these items only".
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
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


# Qt's platform for drawing with no window: "offscreen" finds the system's fonts on Linux
# (fontconfig) and macOS (Core Text, and no Dock icon), but on Windows it looks for fonts in
# a folder of Qt's own that a PySide6 install does not have, and labels would be drawn with
# none: there Qt's own Windows platform draws, showing nothing unless a window is shown.
HEADLESS_PLATFORM = "" if sys.platform == "win32" else "offscreen"


def ensure_app() -> QApplication:
    """A QApplication to draw with, showing nothing, when none exists yet (CLI, scripts,
    tests, the window's picture process)."""
    app = QApplication.instance()
    if app is None:
        if HEADLESS_PLATFORM:
            os.environ.setdefault("QT_QPA_PLATFORM", HEADLESS_PLATFORM)
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


def draw_scene(scene: ChartScene, painter: QPainter, target: QRectF, source: QRectF,
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


@dataclass(frozen=True)
class Drawing:
    """A scene ready to draw a picture from, the area to draw and its legend: made once,
    drawn as a bitmap and as SVG (Copy as Picture wants both; making the scene of the
    routes sample's 23,046 links is a third of the work)."""

    scene: ChartScene
    source: QRectF
    legend: list[LegendEntry]
    title: str
    description: str


@contextmanager
def drawing(chart: Chart, selection: Selection | Iterable[str] | None = None, *,
            transparent: bool = False, look: Mapping[str, object] | None = None
            ) -> Iterator[Drawing]:
    """The chart (or the chosen items) ready to draw, its scene deleted on leaving. On the
    GUI thread only: a scene is a GUI object (the window draws big pictures in a child
    process, export/picture_process.py, never on a worker thread)."""
    scene, source, legend = _prepare(chart, selection, transparent, look)
    try:
        yield Drawing(scene, source, legend, chart.title, chart.marking or "Workbench chart")
    finally:
        _dispose(scene)


def chart_image(chart: Chart, *, dpi: float = 150.0, width: int | None = None,
                height: int | None = None, transparent: bool = False,
                selection: Selection | Iterable[str] | None = None,
                look: Mapping[str, object] | None = None) -> QImage:
    """The chart as an image at ``dpi`` (96 DPI = natural size), or ``width`` pixels wide,
    or ``height`` pixels high (both: the largest picture that fits in that box)."""
    with drawing(chart, selection, transparent=transparent, look=look) as drawn:
        return image_of(drawn, dpi=dpi, width=width, height=height, transparent=transparent)


def image_of(drawn: Drawing, *, dpi: float = 150.0, width: int | None = None,
             height: int | None = None, transparent: bool = False) -> QImage:
    """The bitmap of ``drawn``, sized as chart_image says."""
    scene, source, legend = drawn.scene, drawn.source, drawn.legend
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
    draw_scene(scene, painter, QRectF(0, 0, pixels_w, pixels_h), source, pixels_w / printed_w,
          legend)
    painter.end()
    return image


def chart_svg(chart: Chart, *, transparent: bool = False,
              selection: Selection | Iterable[str] | None = None,
              look: Mapping[str, object] | None = None) -> bytes:
    """The chart as SVG (lines and text as vectors; icons as embedded high-resolution PNG)."""
    with drawing(chart, selection, transparent=transparent, look=look) as drawn:
        return svg_of(drawn)


def svg_of(drawn: Drawing) -> bytes:
    """The SVG of ``drawn``, at a printed size that fits an A4 page's text width."""
    scene, source = drawn.scene, drawn.source
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
    printed_w, _ = printed_inches(source.width() / SCREEN_DPI, source.height() / SCREEN_DPI)
    units_per_inch = source.width() / printed_w
    generator.setResolution(max(1, round(units_per_inch)))
    generator.setTitle(drawn.title)
    generator.setDescription(drawn.description)
    painter = QPainter()
    if not painter.begin(generator):
        raise ChartImageError("the SVG drawing could not be started")
    scene.options.pixel_ratio = 3.0  # sharper icon bitmaps when the SVG is enlarged
    draw_scene(scene, painter, QRectF(0, 0, source.width(), source.height()), source,
          units_per_inch, drawn.legend)
    if not painter.end():
        raise ChartImageError("the SVG drawing could not be finished")
    buffer.close()
    # Control characters in labels (scraped text holds them) are not allowed in XML.
    return xml_safe_bytes(bytes(data.data()))


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
        from workbench.export.chart_pages import chart_pdf  # the pages draw with this module

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
