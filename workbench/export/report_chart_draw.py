"""Drawing the report's chart pages (``report_chart``) with the window's ``ChartScene``.

One scene is built and reused for every page (building it is the slow part of a 40,000-link
chart). Pictures are drawn at ``LOGICAL_DPI`` logical pixels to the printed inch, so text the
scene draws at a fixed pixel size (the overview's hub labels, 11 px) prints at 7.2 pt, on an
image with ``ratio`` device pixels per logical pixel for a sharp print. The scene draws
a label only when it prints at ``LABEL_POINTS`` or more. The image has more device pixels per
logical pixel for a sharp print: ``width_px`` pixels across the page's text width (the
template's ``chart_width_px``). GUI thread only (Qt drawing).
"""

from __future__ import annotations

from collections.abc import Iterable

import shiboken6
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter

from workbench.export.chart_image import ensure_app
from workbench.export.report_chart import (
    HUB_LABELS,
    MARGIN,
    PAGE_WIDTH_IN,
    ChartPage,
    plan_chart_pages,
)
from workbench.export.report_text import plain
from workbench.model import Chart, Selection
from workbench.view import ChartScene

LOGICAL_DPI = 110.0
LABEL_POINTS = 7.0
HUB_POINTS = 7.5


def _png(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def _hub_labels(painter: QPainter, chart: Chart, scene: ChartScene, source: QRectF,
                scale: float, ids: set[str]) -> None:
    """Name the best-connected entities at a printable size, skipping overlaps (the scene's
    own labels would print as specks at this scale)."""
    degree = dict.fromkeys(ids, 0)
    for lk in chart.links.values():
        if lk.end1 in degree and lk.end2 in degree:
            degree[lk.end1] += 1
            degree[lk.end2] += 1
    hubs = sorted((i for i in ids if degree[i] and chart.entities[i].label),
                  key=lambda i: -degree[i])[:HUB_LABELS]
    font = QFont(scene.options.label_font)
    font.setPixelSize(round(HUB_POINTS / 72 * LOGICAL_DPI))
    font.setBold(True)
    painter.setFont(font)
    metrics = QFontMetricsF(font)
    drawn: list[QRectF] = []
    for entity_id in hubs:
        entity = chart.entities[entity_id]
        text = metrics.elidedText(plain(entity.label), Qt.TextElideMode.ElideRight, 220.0)
        w, h = metrics.horizontalAdvance(text) + 6.0, metrics.height() + 2.0
        x = (entity.x - source.left()) * scale
        y = (entity.y - source.top()) * scale + 5.0
        rect = QRectF(x - w / 2, y, w, h)
        if any(rect.intersects(other) for other in drawn):
            continue
        drawn.append(rect)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 225))
        painter.drawRect(rect)
        painter.setPen(QColor("#111111"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


def _draw_page(chart: Chart, scene: ChartScene, page: ChartPage, ids: set[str],
               ratio: float) -> bytes | None:
    shown = ids if page.entity_ids is None else set(page.entity_ids)
    scene.set_hidden(set(chart.entities) - shown)
    source = scene.chart_rect()
    if source.isEmpty():
        return None
    source = source.adjusted(-MARGIN / 2, -MARGIN / 2, MARGIN / 2, MARGIN / 2)
    scale = LOGICAL_DPI / page.units_per_inch  # logical pixels per scene unit
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
    painter.setRenderHints(QPainter.RenderHint.Antialiasing
                           | QPainter.RenderHint.SmoothPixmapTransform
                           | QPainter.RenderHint.TextAntialiasing)
    scene.options.pixel_ratio = ratio
    scene.options.min_label_pixels = LABEL_POINTS / 72 * LOGICAL_DPI
    scene.options.min_badge_pixels = LABEL_POINTS / 72 * LOGICAL_DPI
    scene.update_detail(scale)
    scene.render(painter, QRectF(0, 0, width, height), source,
                 Qt.AspectRatioMode.KeepAspectRatio)
    if page.overview and not scene.is_overview():
        _hub_labels(painter, chart, scene, source, scale, shown)
    if not painter.end():
        return None
    return _png(image)


def draw_chart_pages(chart: Chart, entity_ids: Iterable[str] | None = None,
                     width_px: int = 2400) -> list[tuple[str, bytes]]:
    """(caption, PNG) for each chart page of a report of these entities (default: all); an
    empty list when there is nothing to draw or the chart's display cannot be drawn."""
    pages = plan_chart_pages(chart, entity_ids)
    if not pages:
        return []
    ids = set(chart.entities) if entity_ids is None else set(entity_ids) & set(chart.entities)
    ensure_app()
    scene = ChartScene(chart, Selection())
    try:
        if scene.display_error:
            return []
        ratio = max(width_px / (PAGE_WIDTH_IN * LOGICAL_DPI), 1.0)
        drawn = [(page.caption, _draw_page(chart, scene, page, ids, ratio)) for page in pages]
        return [(caption, png) for caption, png in drawn if png is not None]
    finally:
        scene.detach()
        scene.clear()
        shiboken6.delete(scene)
