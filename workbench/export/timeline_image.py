"""Timeline pictures: PNG at a pixel width, SVG, and a one-page A4 PDF.

Drawn by the dock's own painter (workbench.view.timeline_paint). The picture is laid out at a
fixed logical width, so that its labels keep their size relative to the page: however many
pixels wide the PNG, printed across an A4 page its 12-pixel labels come out at about 7 pt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QRectF
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator

from workbench.export.chart_image import ensure_app
from workbench.io.atomic import WriteError, write_bytes
from workbench.io.interchange.common import xml_safe_bytes
from workbench.model import Chart
from workbench.view.timeline_axis import TimeAxis, describe_span
from workbench.view.timeline_data import TimelineData, build, busiest_entities, seconds
from workbench.view.timeline_paint import Fonts, Viewport, font, paint, visible

LOGICAL_WIDTH = 820.0  # the width in label pixels: 12 px labels print at 7 pt across A4 text
HEADER = 40.0  # title and what the picture shows, above the axis
ROW = 46.0
MAX_THEMES = 40
MAX_PIXELS = 200_000_000


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


class TimelineImageError(ValueError):
    """A timeline picture that cannot be made; the message is for the analyst."""


@dataclass
class TimelinePicture:
    """What a timeline picture shows, laid out: data, axis and the window over it."""

    chart: Chart
    data: TimelineData
    axis: TimeAxis
    view: Viewport
    title: str
    caption: str

    @property
    def height(self) -> float:
        return HEADER + self.view.height


def timeline_picture(chart: Chart, entities: Sequence[str] | None = None, *,
                     start: datetime | None = None, end: datetime | None = None,
                     compress: bool = True) -> TimelinePicture:
    """The timeline of ``entities`` (default: the busiest), from ``start`` to ``end``
    (default: all their events)."""
    chosen = list(entities) if entities else busiest_entities(chart)
    missing = [i for i in chosen if i not in chart.entities]
    if missing:
        raise TimelineImageError(f"no entity with id {missing[0]!r} in the chart")
    if len(chosen) > MAX_THEMES:
        raise TimelineImageError(f"{len(chosen)} entities is more theme lines than a picture "
                                 f"can show; choose at most {MAX_THEMES}")
    if not chosen:
        raise TimelineImageError("the chart has no dated entities or links to draw")
    data = build(chart, chosen)
    lo = seconds(start) if start is not None else None
    hi = seconds(end) if end is not None else None
    if lo is not None and hi is not None and hi <= lo:
        raise TimelineImageError("--to must be after --from")
    inside = [(s, e) for s, e in zip(data.start.tolist(), data.end.tolist(), strict=True)
              if (lo is None or e >= lo) and (hi is None or s <= hi)]
    bounds = [t for t in (lo, hi) if t is not None]
    if not inside:
        raise TimelineImageError("nothing dated to draw: the chosen entities have no dated "
                                 "events" + (" in that period" if bounds else ""))
    axis = TimeAxis([s for s, _ in inside] + bounds, [e for _, e in inside] + bounds,
                    compress=compress)
    u0 = float(axis.u_of(lo)) if lo is not None else 0.0
    u1 = float(axis.u_of(hi)) if hi is not None else axis.length
    view = Viewport(LOGICAL_WIDTH, 50.0 + ROW * len(data.themes) + 14, u0, u1, row_height=ROW)
    shown = len(visible(data, axis, view))
    t0, t1 = float(axis.t_of(u0)), float(axis.t_of(u1))
    caption = (f"{plural(len(data.themes), 'theme line')}, {plural(shown, 'event')}, "
               f"{describe_span(t0, t1)}")
    return TimelinePicture(chart, data, axis, view, chart.title or "Timeline", caption)


def draw(picture: TimelinePicture, painter: QPainter) -> None:
    """The picture at its logical size on ``painter`` (scaled by the caller)."""
    painter.fillRect(QRectF(0, 0, LOGICAL_WIDTH, picture.height), QColor("white"))
    painter.setFont(font(15, bold=True))
    painter.setPen(QColor("#222222"))
    painter.drawText(QPointF(8, 18), picture.title)
    painter.setFont(font(12))
    painter.setPen(QColor("#5f6670"))
    painter.drawText(QPointF(8, 34), picture.caption)
    painter.translate(0, HEADER)
    paint(painter, picture.data, picture.axis, picture.view, fonts=Fonts())


def timeline_image(picture: TimelinePicture, width: int = 1800) -> QImage:
    ensure_app()
    scale = width / LOGICAL_WIDTH
    height = round(picture.height * scale)
    if width < 300 or width * height > MAX_PIXELS:
        raise TimelineImageError(f"a width of {width:,} pixels is outside 300 to "
                                 f"{MAX_PIXELS // max(height, 1):,}")
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.scale(scale, scale)
    draw(picture, painter)
    painter.end()
    return image


def timeline_svg(picture: TimelinePicture) -> bytes:
    ensure_app()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    size = QRectF(0, 0, LOGICAL_WIDTH, picture.height)
    generator.setSize(size.size().toSize())
    generator.setViewBox(size)
    generator.setTitle(picture.title)
    painter = QPainter(generator)
    draw(picture, painter)
    painter.end()
    buffer.close()
    return xml_safe_bytes(bytes(data.data()))  # scraped labels may hold control characters


def timeline_pdf_bytes(picture: TimelinePicture) -> bytes:
    """One A4 landscape page; a tall timeline is scaled down to fit it."""
    ensure_app()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(picture.title)
    writer.setCreator("Workbench")
    writer.setResolution(300)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Landscape,
                                     QMarginsF(12, 12, 12, 12)))
    painter = QPainter(writer)
    page = writer.pageLayout().paintRectPixels(writer.resolution())
    scale = min(page.width() / LOGICAL_WIDTH, page.height() / picture.height)
    painter.scale(scale, scale)
    draw(picture, painter)
    painter.end()
    buffer.close()
    return bytes(data.data())


def render_timeline(picture: TimelinePicture, path: str | Path, width: int = 1800) -> Path:
    """Write the picture; the format comes from the suffix (.png, .svg or .pdf)."""
    path = Path(path)
    kind = path.suffix.lower().lstrip(".")
    if kind == "svg":
        write_bytes(path, timeline_svg(picture), kind="xml")
    elif kind == "pdf":
        write_bytes(path, timeline_pdf_bytes(picture), kind="pdf")
    elif kind == "png":
        image = timeline_image(picture, width)
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not image.save(buffer, "PNG", 80):
            raise WriteError(path, "the PNG picture could not be encoded")
        buffer.close()
        write_bytes(path, memoryview(data), kind="png")
    else:
        raise TimelineImageError(f"{path.name}: unknown picture format; use .png, .svg or .pdf")
    return path
