"""Drawing the report's chart pages (``report_chart``) with the window's ``ChartScene``.

Each page is drawn by a scene of its own entities only (the whole chart for its overview).
Pictures are drawn at ``LOGICAL_DPI`` logical pixels to the printed inch and printed at the
size drawn; labels are chosen and placed by the window's label layer (most connected first,
none overlapping) at 7 pt or more in print (``picture_labels``), so an overview names its
hubs and a detail page every entity there is room for. The image has more device pixels per
logical pixel for a sharp print: ``width_px`` pixels across the page's text width (the
template's ``chart_width_px``). GUI thread only (Qt drawing).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

import shiboken6
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QGraphicsScene

from workbench.analysis.subchart import subchart
from workbench.export.chart_image import ensure_app
from workbench.export.picture_labels import label_picture
from workbench.export.report_chart import (
    PAGE_HEIGHT_IN,
    PAGE_WIDTH_IN,
    ChartPage,
    plan_chart_pages,
)
from workbench.model import Chart, Selection
from workbench.view import ChartScene

LOGICAL_DPI = 110.0
MAX_SMOOTH_LINKS = 10_000
PAD = 10.0  # scene units of white around the drawn items


def _png(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def _part(chart: Chart, ids: frozenset[str]) -> Chart:
    """The page's entities and the links among them as a chart of their own, with the
    chart's display and formatting: a small scene draws quickly, where hiding the rest of a
    big one re-arranges every summarised pair of links (seconds a page)."""
    links = [lk.id for lk in chart.links.values() if lk.end1 in ids and lk.end2 in ids]
    part = subchart(chart, [i for i in chart.entities if i in ids], links, chart.title)
    part.settings.update(copy.deepcopy(chart.settings))
    part.images.update(chart.images)
    return part


def _draw_page(chart: Chart, page: ChartPage, ratio: float) -> bytes | None:
    """The page's picture, or None when the chart's display cannot be drawn."""
    drawn = chart if page.entity_ids is None else _part(chart, page.entity_ids)
    scene = ChartScene(drawn, Selection())
    # Qt's BSP index made each page of a 40,000-link chart take about 50 s to draw (0.5 s
    # without); the scene is drawn once and thrown away.
    scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
    try:
        if scene.display_error:
            return None
        return _render(drawn, scene, page, ratio)
    finally:
        scene.detach()
        scene.clear()
        shiboken6.delete(scene)


def _render(chart: Chart, scene: ChartScene, page: ChartPage, ratio: float) -> bytes | None:
    source = scene.chart_rect()
    if source.isEmpty():
        return None
    source = source.adjusted(-PAD, -PAD, PAD, PAD)
    # The planned scale, unless labels reach further than planned: never wider than the page.
    units = max(page.units_per_inch, source.width() / PAGE_WIDTH_IN,
                source.height() / PAGE_HEIGHT_IN)
    scale = LOGICAL_DPI / units  # logical pixels per scene unit
    width = max(1, round(source.width() * scale))
    height = max(1, round(source.height() * scale))
    image = QImage(round(width * ratio), round(height * ratio),
                   QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(ratio)
    image.fill(QColor("#ffffff"))
    dots_per_metre = round(LOGICAL_DPI * ratio / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    painter = QPainter(image)
    # Antialiasing doubles the time of a hairball of tens of thousands of lines, where it
    # shows no detail anyway; text stays antialiased.
    smooth = QPainter.RenderHint.Antialiasing if len(chart.links) <= MAX_SMOOTH_LINKS \
        else QPainter.RenderHint(0)
    painter.setRenderHints(smooth | QPainter.RenderHint.SmoothPixmapTransform
                           | QPainter.RenderHint.TextAntialiasing)
    scene.options.pixel_ratio = ratio
    scene.update_detail(scale)
    target = QRectF(0, 0, width, height)
    # The window's labels, most connected first, where they print at 7 pt or more.
    label_picture(scene, painter, target, source, LOGICAL_DPI)
    scene.render(painter, target, source, Qt.AspectRatioMode.IgnoreAspectRatio)
    if not painter.end():
        return None
    return _png(image)


def draw_chart_pages(chart: Chart, entity_ids: Iterable[str] | None = None,
                     width_px: int = 1600) -> list[tuple[str, bytes]]:
    """(caption, PNG) for each chart page of a report of these entities (default: all); an
    empty list when there is nothing to draw or the chart's display cannot be drawn."""
    ensure_app()
    ratio = max(width_px / (PAGE_WIDTH_IN * LOGICAL_DPI), 1.0)
    drawn = [(page.caption, _draw_page(chart, page, ratio))
             for page in plan_chart_pages(chart, entity_ids)]
    return [(caption, png) for caption, png in drawn if png is not None]
