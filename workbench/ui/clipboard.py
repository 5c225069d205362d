"""Copy, cut and paste of entities and links, within a chart and between charts.

Items travel on the system clipboard as JSON in the chart file's own item format (plus plain
text labels for other programs), so a paste into another Workbench window, or after the
chart was closed, works the same. On paste, identity decides: an entity whose type and
identity are already in the chart is not duplicated; it gains the pasted sources and any
attributes it lacks, and the pasted links attach to it. One paste is one undo step.

Copy as Picture is for documents instead: the chart (or the selection) goes on the clipboard
as a bitmap, as SVG and as a one-page PDF in one QMimeData, so Word, PowerPoint or LibreOffice
take the vector form (sharp when enlarged or printed) and simpler programs the bitmap. The
picture is drawn in a child process (export/picture_process.py: a chart scene is a GUI
object, never drawn on a worker thread), watched by a worker, and put on the clipboard here.
"""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any

import orjson
from matplotlib import rc_context
from matplotlib.figure import Figure
from PySide6.QtCore import QMimeData, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QProgressDialog

from workbench.export import picture_forms
from workbench.export.chart_image import ChartImageError
from workbench.export.picture_forms import PictureForms
from workbench.export.picture_process import ChartCopy, draw_picture_forms
from workbench.io.chartjson import (
    entity_in,
    entity_out,
    link_in,
    link_out,
)
from workbench.model import Chart, Entity, Link, Selection
from workbench.model.catalogue import entity_type_from_json, link_type_from_json
from workbench.ui.background import Job
from workbench.ui.commands import AddItemsCommand, UpdateItemCommand
from workbench.ui.document import Tools

MIME = "application/x-workbench-items+json"
FORMAT = "workbench-items"
PNG_MIME, SVG_MIME, PDF_MIME = "image/png", "image/svg+xml", "application/pdf"


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
    picture_copied = Signal()  # Copy as Picture's picture is on the clipboard
    PROGRESS_AFTER_MS = 400  # a quick picture does not flash a dialog

    def __init__(self, tools: Tools) -> None:
        super().__init__(tools.parent)
        self.document, self.canvas, self.feedback = tools.document, tools.canvas, tools.feedback
        self.picture_job: Job | None = None
        self.picture_progress: QProgressDialog | None = None

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

    def copy_picture(self) -> Job | None:
        """Edit > Copy as Picture: the selection if anything is selected, else the chart.

        The picture is drawn in a child process from a copy of the chart (the routes sample's
        23,046 links held the window 3.4 s when drawn here) and put on the clipboard when done; a
        progress dialog with Cancel shows when that takes longer than a moment. Returns the
        job (None when one is running already)."""
        w = self.document
        if self.picture_job is not None:
            self.feedback.say("Still drawing the last picture: wait for it, or cancel it", 5000)
            return None
        selected = bool(w.selection)
        chosen = None
        if selected:
            chosen = Selection()
            chosen.set(w.selection.entities, w.selection.links)
        copy = ChartCopy.of(w.chart)
        job = Job(lambda cancelled: draw_picture_forms(copy, chosen, cancelled), owner=self,
                  what="the picture", plain=(ChartImageError,))
        job.on_done = lambda forms: self._picture_done(job, forms, selected)
        job.on_failed = lambda reason: self._picture_failed(job, reason)
        self.picture_job = job
        what = "the selected items" if selected else "the chart"
        progress = QProgressDialog(f"Drawing a picture of {what}...", "Cancel", 0, 0,
                                   self.parent())
        progress.setWindowTitle("Copy as Picture")
        progress.setWindowModality(Qt.WindowModality.NonModal)  # the analyst keeps working
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.canceled.connect(lambda: self.cancel_picture() if self.picture_job is job
                                  else None)
        self.picture_progress = progress
        QTimer.singleShot(self.PROGRESS_AFTER_MS, progress,
                          lambda: progress.show() if self.picture_job is job else None)
        self.feedback.say(f"Drawing a picture of {what}...")
        return job.start()

    def cancel_picture(self) -> None:
        """Stop waiting for the picture: the clipboard keeps what it held."""
        job = self.picture_job
        if job is not None:
            job.cancel()
            self._picture_ended(job)
            self.feedback.say("Copy as Picture cancelled", 5000)

    def _picture_ended(self, job: Job) -> None:
        if self.picture_job is job:
            self.picture_job = None
        if self.picture_progress is not None:
            self.picture_progress.canceled.disconnect()
            self.picture_progress.close()
            self.picture_progress.deleteLater()
            self.picture_progress = None

    def _picture_done(self, job: Job, forms: PictureForms, selected: bool) -> None:
        self._picture_ended(job)
        QGuiApplication.clipboard().setMimeData(
            picture_mime(forms.png, forms.svg, forms.pdf, forms.title, forms.image))
        what = "the selected items" if selected else "the chart"
        self.feedback.say(
            f"Copied a picture of {what}: paste it into a document" if forms.svg else
            f"Copied a bitmap of {what} (more than {picture_forms.VECTOR_LIMIT:,} entities "
            "is too many for a vector copy; File > Export > Chart Picture writes SVG or PDF)",
            10000)
        self.picture_copied.emit()

    def _picture_failed(self, job: Job, reason: str) -> None:
        self._picture_ended(job)
        self.feedback.say("")
        self.feedback.show_error("Cannot copy the picture", reason)

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
