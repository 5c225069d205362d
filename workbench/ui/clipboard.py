"""Copy, cut and paste of entities and links, within a chart and between charts.

Items travel on the system clipboard as JSON in the chart file's own item format (plus plain
text labels for other programs), so a paste into another Workbench window, or after the
chart was closed, works the same. On paste, identity decides: an entity whose type and
identity are already in the chart is not duplicated; it gains the pasted sources and any
attributes it lacks, and the pasted links attach to it. One paste is one undo step.

Copy as Picture is for documents instead: the chart (or the selection) goes on the clipboard
as a bitmap, as SVG and as a one-page PDF in one QMimeData, so Word, PowerPoint or LibreOffice
take the vector form (sharp when enlarged or printed) and simpler programs the bitmap.
"""

from __future__ import annotations

import gc
import io
from dataclasses import replace
from typing import Any

import orjson
from matplotlib import rc_context
from matplotlib.figure import Figure
from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMarginsF,
    QMimeData,
    QObject,
    QRectF,
    QSizeF,
    Qt,
)
from PySide6.QtGui import QGuiApplication, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgRenderer

from workbench.export.chart_image import SCREEN_DPI, ChartImageError, chart_image, chart_svg
from workbench.io.chartjson import entity_in, entity_out, link_in, link_out
from workbench.model import Chart, Entity, Link, Selection
from workbench.model.catalogue import entity_type_from_json, link_type_from_json
from workbench.ui.commands import AddItemsCommand, UpdateItemCommand
from workbench.ui.document import Tools

MIME = "application/x-workbench-items+json"
FORMAT = "workbench-items"
PNG_MIME, SVG_MIME, PDF_MIME = "image/png", "image/svg+xml", "application/pdf"
PICTURE_DPI = 192.0  # twice the screen: sharp in a document at the size it was on screen
MAX_PICTURE_SIDE = 4096  # pixels; a huge chart is scaled down to this (the vectors stay sharp)
VECTOR_LIMIT = 2000  # entities; bigger pictures go on the clipboard as a bitmap only
# Qt's PNG "quality" is zlib's level turned round: 80 packs a chart picture 3% larger than
# the default in 70% of the time (the bitmap was a third of Copy as Picture of a selection)
PNG_QUALITY = 80
QT_SVG_DPI = 90.0  # QSvgRenderer's default size counts an SVG's mm and pt at 90 px per inch


def picture_mime(png: bytes, svg: bytes | None = None, pdf: bytes | None = None,
                 text: str = "", image: QImage | None = None) -> QMimeData:
    """One clipboard entry holding a picture in every form given. The bitmap goes in twice:
    as Qt image data (which each platform offers in its native bitmap formats: DIB on
    Windows, TIFF on macOS) and as PNG bytes; SVG and PDF under their MIME types (Windows
    offers them as registered formats of those names, which Office reads)."""
    mime = QMimeData()
    mime.setImageData(image if image is not None else QImage.fromData(png, "PNG"))
    mime.setData(PNG_MIME, png)
    if svg:
        mime.setData(SVG_MIME, svg)
    if pdf:
        mime.setData(PDF_MIME, pdf)
    if text:
        mime.setText(text)
    return mime


def hand_clipboard_to_qt() -> None:
    """Before the application ends, put what is on the clipboard back through Qt's own data
    objects. A QMimeData made in Python and still on the clipboard when the interpreter shuts
    down crashes PySide6 at exit; the bitmap (or text) the analyst copied is kept, the extra
    vector forms of a picture are not."""
    clipboard = QGuiApplication.clipboard()
    mime = clipboard.mimeData()
    if mime is None or not mime.formats():
        return
    if mime.hasImage():
        clipboard.setImage(QImage(mime.imageData()))
    elif mime.hasText():
        clipboard.setText(mime.text())
    else:
        clipboard.clear()


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


def figure_picture_mime(figure: Figure, dpi: float = 150.0, text: str = "") -> QMimeData:
    """A matplotlib figure (histogram, heat matrix, static map) as PNG, SVG and PDF, with text
    kept as text in the vector forms (editable and searchable in the document)."""
    pictures = {}
    with rc_context({"svg.fonttype": "none", "pdf.fonttype": 42}):
        for fmt in ("png", "svg", "pdf"):
            buffer = io.BytesIO()
            figure.savefig(buffer, format=fmt, dpi=dpi, facecolor="white")
            pictures[fmt] = buffer.getvalue()
    return picture_mime(pictures["png"], pictures["svg"], pictures["pdf"], text)


def drawn_entities(chart: Chart, selection: Selection | None) -> int:
    """How many entities a picture of the chart or the selection shows."""
    if selection is None:
        return len(chart.entities)
    ends = {end for i in selection.links if i in chart.links
            for end in (chart.links[i].end1, chart.links[i].end2)}
    return len(set(selection.entities) | ends)


def chart_picture_mime(chart: Chart, selection: Selection | None = None) -> QMimeData:
    """The chart (or only the items in ``selection``) as bitmap, SVG and PDF. The bitmap is
    at twice screen resolution, scaled down when that would pass MAX_PICTURE_SIDE. Above
    VECTOR_LIMIT entities only the bitmap is made: a vector copy would take many seconds and
    tens of megabytes (every icon is embedded), more than a document wants from a paste."""
    vectors = drawn_entities(chart, selection) <= VECTOR_LIMIT
    svg = chart_svg(chart, selection=selection) if vectors else None
    if svg is not None:
        size = QSvgRenderer(QByteArray(svg)).viewBoxF().size()  # scene units, 1/96 inch
        longest = max(size.width(), size.height(), 1.0)
        image = chart_image(chart, dpi=min(PICTURE_DPI, MAX_PICTURE_SIDE / longest * SCREEN_DPI),
                            selection=selection)
    else:
        image = chart_image(chart, width=MAX_PICTURE_SIDE, height=MAX_PICTURE_SIDE,
                            selection=selection)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG", PNG_QUALITY)
    buffer.close()
    mime = picture_mime(bytes(data.data()), svg, svg_to_pdf(svg) if svg else None,
                        chart.title, image)
    collect_drawing_garbage()
    return mime


def collect_drawing_garbage() -> None:
    """Free the scenes that drew a picture, here on the GUI thread. Each picture's ChartScene
    ends as cyclic garbage (its signal connections), which only the cycle collector frees;
    left to chance, the collector may run on a worker thread (a layout, the map page), and a
    QGraphicsScene destroyed there stops GUI-thread timers from the wrong thread: a crash.
    In the application the collector runs on the GUI thread only (``GuiThreadCollector``
    turned automatic collection off), and a full collection here, over every object of a
    big chart, was a fifth of Copy as Picture: then the garbage is left to it."""
    if gc.isenabled():
        gc.collect()


def items_to_json(chart: Chart, entity_ids: set[str], link_ids: set[str]) -> dict[str, Any]:
    """The selected entities, the selected links (with their ends) and links among them."""
    ids = set(entity_ids)
    for link_id in link_ids:
        link = chart.link(link_id)
        ids.update((link.end1, link.end2))
    links = {lk.id for eid in ids for lk in chart.links_of(eid) if lk.other_end(eid) in ids}
    links |= set(link_ids)
    entities = [e for e in chart.entities.values() if e.id in ids]  # in chart order
    used_types = {e.type for e in entities}
    used_links = {chart.link(i).type for i in links}
    return {
        "format": FORMAT,
        "version": 1,
        "entity_types": [chart.entity_type(t).to_json() for t in sorted(used_types)],
        "link_types": [chart.link_type(t).to_json() for t in sorted(used_links)],
        "entities": [entity_out(e) for e in entities],
        "links": [link_out(lk) for lk in chart.links.values() if lk.id in links],
    }


class PasteError(ValueError):
    """The clipboard does not hold Workbench items (or holds damaged ones)."""


def items_from_json(data: Any) -> tuple[list[Entity], list[Link], list, list]:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise PasteError("the clipboard does not hold Workbench items")
    try:
        entities = [entity_in(d) for d in data.get("entities", [])]
        links = [link_in(d) for d in data.get("links", [])]
        entity_types = [entity_type_from_json(d, "clipboard")
                        for d in data.get("entity_types", [])]
        link_types = [link_type_from_json(d, "clipboard") for d in data.get("link_types", [])]
    except Exception as exc:  # untrusted data: any reader error means "damaged"
        raise PasteError(f"the copied items are damaged ({exc})") from None
    return entities, links, entity_types, link_types


def merge_plan(chart: Chart, entities: list[Entity], links: list[Link],
               offset: tuple[float, float]) -> tuple[list[Entity], list[Link],
                                                      dict[str, dict[str, Any]], dict[str, str]]:
    """What a paste does: new entities and links, updates to merged entities, and id map."""
    id_map: dict[str, str] = {}
    new_entities: list[Entity] = []
    updates: dict[str, dict[str, Any]] = {}
    for pasted in entities:
        existing = (chart.find(pasted.type, pasted.identity)
                    if pasted.identity is not None else None)
        if existing is None:
            new = replace(pasted, id=chart.new_id("e"), x=pasted.x + offset[0],
                          y=pasted.y + offset[1], attributes=dict(pasted.attributes),
                          provenance=list(pasted.provenance))
            new_entities.append(new)
            id_map[pasted.id] = new.id
            continue
        id_map[pasted.id] = existing.id
        change: dict[str, Any] = {}
        sources = [s for s in pasted.provenance if s not in existing.provenance]
        if sources:
            change["provenance"] = [*existing.provenance, *sources]
        missing = {k: v for k, v in pasted.attributes.items() if k not in existing.attributes}
        if missing:
            change["attributes"] = {**existing.attributes, **missing}
        if change:
            updates[existing.id] = change
    new_links = []
    for pasted in links:
        end1, end2 = id_map.get(pasted.end1), id_map.get(pasted.end2)
        if end1 is None or end2 is None:
            continue
        if end1 in chart.entities and end2 in chart.entities and any(
                lk.type == pasted.type and lk.label == pasted.label and
                {lk.end1, lk.end2} == {end1, end2} for lk in chart.links_between(end1, end2)):
            continue  # the same link between the same (merged) entities is already here
        new_links.append(replace(pasted, id=chart.new_id("l"), end1=end1, end2=end2,
                                 attributes=dict(pasted.attributes),
                                 provenance=list(pasted.provenance)))
    return new_entities, new_links, updates, id_map


class ChartClipboard(QObject):
    def __init__(self, tools: Tools) -> None:
        super().__init__(tools.parent)
        self.document, self.canvas, self.feedback = tools.document, tools.canvas, tools.feedback

    def copy(self) -> int:
        """Put the selection on the clipboard; returns how many entities were copied."""
        w = self.document
        if not w.selection:
            return 0
        data = items_to_json(w.chart, set(w.selection.entities), set(w.selection.links))
        mime = QMimeData()
        mime.setData(MIME, orjson.dumps(data))
        mime.setText("\n".join(e["label"] for e in data["entities"]))
        QGuiApplication.clipboard().setMimeData(mime)
        return len(data["entities"])

    def copy_picture(self) -> bool:
        """Edit > Copy as Picture: the selection if anything is selected, else the chart."""
        w = self.document
        selected = bool(w.selection)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            mime = chart_picture_mime(w.chart, w.selection if selected else None)
        except ChartImageError as exc:
            self.feedback.show_error("Cannot copy the picture", str(exc))
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        vectors = mime.hasFormat(SVG_MIME)
        QGuiApplication.clipboard().setMimeData(mime)
        what = "the selected items" if selected else "the chart"
        self.feedback.say(
            f"Copied a picture of {what}: paste it into a document" if vectors else
            f"Copied a bitmap of {what} (more than {VECTOR_LIMIT:,} entities is too many for "
            "a vector copy; File > Export > Chart Picture writes SVG or PDF)", 10000)
        return True

    def paste(self) -> bool:
        w = self.document
        mime = QGuiApplication.clipboard().mimeData()
        if mime is None or not mime.hasFormat(MIME):
            self.feedback.say("Nothing to paste: copy entities or links first", 5000)
            return False
        try:
            entities, links, entity_types, link_types = items_from_json(
                orjson.loads(bytes(mime.data(MIME))))
        except (PasteError, orjson.JSONDecodeError) as exc:
            self.feedback.show_error("Cannot paste", str(exc))
            return False
        unknown_e = [t for t in entity_types if t.name not in w.chart.catalogue.entity_types]
        unknown_l = [t for t in link_types if t.name not in w.chart.catalogue.link_types]
        if unknown_e or unknown_l:
            w.chart.add_types(unknown_e, unknown_l)
        new_entities, new_links, updates, id_map = merge_plan(
            w.chart, entities, links, self._offset(entities))
        w.undo_stack.beginMacro(f"Paste {len(entities)} entities, {len(links)} links")
        if new_entities or new_links:
            w.undo_stack.push(AddItemsCommand(w.chart, new_entities, new_links))
        for item_id, change in updates.items():
            w.undo_stack.push(UpdateItemCommand(w.chart, item_id, change, "Merge sources"))
        w.undo_stack.endMacro()
        merged = len(entities) - len(new_entities)
        w.selection.set(id_map.values(), [lk.id for lk in new_links])
        self.feedback.say(
            f"Pasted {len(new_entities)} new entities and {len(new_links)} links"
            + (f"; {merged} merged with entities already in the chart" if merged else ""), 8000)
        return True

    def _offset(self, entities: list[Entity]) -> tuple[float, float]:
        """Move the pasted group so that its centre lands in the middle of the view."""
        if not entities:
            return 0.0, 0.0
        view = self.canvas.view
        centre = view.mapToScene(view.viewport().rect().center())
        xs, ys = [e.x for e in entities], [e.y for e in entities]
        dx = round(centre.x() - (min(xs) + max(xs)) / 2, 1)
        dy = round(centre.y() - (min(ys) + max(ys)) / 2, 1)
        if abs(dx) < 20 and abs(dy) < 20:  # the copies would cover what they were copied from
            dx, dy = dx + 40, dy + 40
        return dx, dy
