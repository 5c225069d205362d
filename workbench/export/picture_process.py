"""Chart pictures for the window (Copy as Picture, File > Export's pictures, a report's chart
pages and timeline) drawn in a child process, never on a worker thread.

A chart picture is drawn by a ChartScene, a QGraphicsScene: a GUI class that Qt allows on the
GUI thread only (each scene registers itself with the QApplication, its items draw with the
application's fonts, style and icons). Drawn on a worker thread to keep the window free (the
routes sample's 23,046 links hold the window 2-3 s), it hung a test run for good, once in
many. A child process has its own QApplication and GUI thread: the window's thread runs on,
Cancel kills the child at once, and nothing is shared. The child is started once per picture
(about 0.5 s of start-up, beside 1-3 s of drawing on the charts that need it).

The exchange is plain: the chart goes as a .wbchart file in a private temporary folder, the
request as JSON on the child's stdin, the answer as one JSON line on its stdout, the pictures
as files. Run as ``python -m workbench.export.picture_process``, or in the frozen app as the
app with the single argument ``CHILD_FLAG`` (packaging/launcher.py); the parent side is
:func:`draw_in_process`, called on a worker thread.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from copy import deepcopy
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from PySide6.QtGui import QImage

from workbench.export import picture_forms as forms_module
from workbench.export.chart_image import ChartImageError
from workbench.export.picture_forms import PictureForms, chart_picture
from workbench.io.chartfile import paused_gc, write_chart_json
from workbench.io.chartjson import chart_to_json
from workbench.model import Chart, Selection

CHILD_FLAG = "--picture-process"  # the frozen app's way in to main()
POLL_S = 0.05  # how often the parent looks at Cancel while the child draws
FORMS = ("png", "svg", "pdf")  # Copy as Picture's forms, as files named picture.<form>


class PictureProcessError(RuntimeError):
    """The child failed in a way the analyst did not cause (its error, or how it ended)."""


@dataclass(frozen=True)
class ChartCopy:
    """A chart as the child gets it: its JSON form (every value new, nothing shared with the
    window) and the pictures it embeds (bytes, never changed in place, for its icons)."""

    data: dict[str, Any]
    images: dict[str, bytes]

    @classmethod
    def of(cls, chart: Chart) -> ChartCopy:
        """Made where the chart is edited (the window's thread: 0.05 s of CPU for the routes
        sample); the worker writes it for the child as it is, never rebuilding the chart
        (rebuilt and saved with save_chart's checks, it cost the worker 0.27 s more)."""
        with paused_gc():
            data = chart_to_json(chart)
            data["settings"] = deepcopy(chart.settings)  # the JSON form holds the chart's own
        return cls(data, dict(chart.images))


def draw_picture_file(chart: ChartCopy, target: Path, fmt: str, selection: Selection | None,
                      pages_across: int, cancelled: threading.Event) -> Path:
    """File > Export > Chart Picture: ``target`` written as render_chart writes it."""
    draw_in_process(chart, {"task": "file", "target": str(target), "fmt": fmt,
                            "selection": _ids(selection), "pages_across": pages_across},
                    cancelled)
    return target


def draw_picture_forms(chart: ChartCopy, selection: Selection | None,
                       cancelled: threading.Event) -> PictureForms:
    """Edit > Copy as Picture: the forms chart_picture makes (the bitmap read back here; a
    QImage is plain data that may cross threads)."""
    answer = draw_in_process(chart, {"task": "forms", "selection": _ids(selection),
                                     "vector_limit": forms_module.VECTOR_LIMIT}, cancelled)
    made = answer["forms"]
    return PictureForms(QImage.fromData(made["png"], "PNG"), made["png"], made.get("svg"),
                        made.get("pdf"), answer["title"])


@dataclass(frozen=True)
class ReportPictures:
    """What a report draws of a chart: its chart pages (of ``kept`` entities, all when None,
    ``width_px`` across) and the timeline of the busiest of ``timeline_of`` (the whole
    chart's when None), each only when its section is in the report."""

    chart_pages: bool
    timeline: bool
    kept: list[str] | None = None
    width_px: int = 1600
    timeline_of: list[str] | None = None


def draw_report_pictures(chart: ChartCopy, wanted: ReportPictures,
                         cancelled: threading.Event
                         ) -> tuple[list[tuple[str, bytes]], tuple[str, bytes] | None]:
    """A report's pictures, drawn as report_chart_draw and report_timeline draw them:
    (caption, PNG) of each chart page, and of the timeline or None when nothing is dated."""
    answer = draw_in_process(chart, {"task": "report", **asdict(wanted)}, cancelled)
    return answer["pages"], answer["timeline"]


def _ids(selection: Selection | None) -> dict[str, list[str]] | None:
    if selection is None:
        return None
    return {"entities": sorted(selection.entities), "links": sorted(selection.links)}


def draw_in_process(chart: ChartCopy, request: dict[str, Any], cancelled: threading.Event
                    ) -> dict[str, Any]:
    """Draw what ``request`` asks of ``chart`` in a child process and return its answer.

    ``request["task"]`` is ``"file"`` (``target``, ``fmt``, ``pages_across``: the picture
    written to ``target``), ``"forms"`` (Copy as Picture: the answer's ``"forms"`` holds the
    bytes of each form made, and ``"title"``) or ``"report"`` (ReportPictures' fields: the
    answer's ``"pages"`` and ``"timeline"`` as draw_report_pictures returns them);
    ``request["selection"]`` is None or the ids ``{"entities": [...], "links": [...]}`` to
    draw alone. A picture the analyst asked for that cannot be made raises ChartImageError
    with the child's reason; Cancel raises it too ("the picture was cancelled"), the child
    killed."""
    with tempfile.TemporaryDirectory(prefix="workbench-picture-") as folder:
        work = Path(folder)
        write_chart_json(chart.data, chart.images, work / "chart.wbchart")
        answer = _run({**request, "chart": str(work / "chart.wbchart"), "folder": folder},
                      cancelled)
        if "error" in answer:
            if answer.get("plain"):
                raise ChartImageError(answer["error"])
            raise PictureProcessError(answer["error"])
        if request["task"] == "forms":
            answer["forms"] = {form: (work / f"picture.{form}").read_bytes()
                               for form in answer["forms"]}
        elif request["task"] == "report":
            answer["pages"] = [(caption, (work / f"page-{n}.png").read_bytes())
                               for n, caption in enumerate(answer["pages"])]
            if answer["timeline"] is not None:
                answer["timeline"] = (answer["timeline"], (work / "timeline.png").read_bytes())
        return answer


def _run(request: dict[str, Any], cancelled: threading.Event) -> dict[str, Any]:
    environment = dict(os.environ)  # the child shows nothing (its platform: ensure_app)
    environment.pop("QT_QPA_PLATFORM", None)  # the window's own (xcb, wayland) is not for it
    child = subprocess.Popen(child_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=environment)
    given: bytes | None = json.dumps(request).encode()
    try:
        while True:
            try:  # communicate reads both pipes together: the child never blocks on them
                out, err = child.communicate(given, timeout=POLL_S)
                break
            except subprocess.TimeoutExpired:
                given = None  # sent with the first call; a retry loses no output
                if cancelled.is_set():
                    raise ChartImageError("the picture was cancelled") from None
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    lines = out.decode(errors="replace").strip().splitlines()
    if not lines:
        said = err.decode(errors="replace").strip().splitlines()
        raise PictureProcessError(said[-1] if said else
                                  f"the picture process ended (code {child.returncode})")
    return json.loads(lines[-1])


def child_command() -> list[str]:
    """How to start the child: this Python with ``-m``, or the frozen app with its flag."""
    if getattr(sys, "frozen", False):
        return [sys.executable, CHILD_FLAG]
    return [sys.executable, "-m", "workbench.export.picture_process"]


def _draw(request: dict[str, Any]) -> dict[str, Any]:
    """In the child: draw what ``request`` asks (see draw_in_process)."""
    from workbench.export.chart_image import ensure_app, render_chart
    from workbench.io import load_chart

    ensure_app()
    chart = load_chart(request["chart"])
    selection = None
    if request.get("selection") is not None:
        selection = Selection()
        selection.set(request["selection"]["entities"], request["selection"]["links"])
    folder = Path(request["folder"])
    if request["task"] == "file":
        render_chart(chart, request["target"], fmt=request["fmt"], selection=selection,
                     pages_across=request.get("pages_across", 1))
        return {"written": request["target"]}
    if request["task"] == "report":
        return _report(chart, ReportPictures(**{k: request[k] for k in (
            "chart_pages", "timeline", "kept", "width_px", "timeline_of")}), folder)
    forms = chart_picture(chart, selection, vector_limit=request["vector_limit"])
    made = {"png": forms.png, "svg": forms.svg, "pdf": forms.pdf}
    for form, data in made.items():
        if data is not None:
            (folder / f"picture.{form}").write_bytes(data)
    return {"forms": [form for form in FORMS if made[form] is not None],
            "title": forms.title}


def _report(chart: Chart, wanted: ReportPictures, folder: Path) -> dict[str, Any]:
    from workbench.export.report_chart_draw import draw_chart_pages
    from workbench.export.report_timeline import timeline_report_picture

    pages = draw_chart_pages(chart, wanted.kept, wanted.width_px) if wanted.chart_pages else []
    for n, (_caption, png) in enumerate(pages):
        (folder / f"page-{n}.png").write_bytes(png)
    timeline = timeline_report_picture(chart, wanted.timeline_of) if wanted.timeline else None
    if timeline is not None:
        (folder / "timeline.png").write_bytes(timeline.png)
    return {"pages": [caption for caption, _png in pages],
            "timeline": None if timeline is None else timeline.caption}


def main() -> None:
    """The child: read the request from stdin, answer one JSON line on stdout."""
    from workbench.io.atomic import WriteError

    request = json.loads(sys.stdin.buffer.read())
    try:
        answer = _draw(request)
    except (ChartImageError, WriteError) as exc:  # already say what went wrong
        answer = {"error": str(exc), "plain": True}
    except OSError as exc:
        answer = {"error": f"could not write the picture: {exc.strerror or exc}",
                  "plain": True}
    except Exception as exc:  # the parent reports it to the analyst
        answer = {"error": f"{type(exc).__name__}: {exc}", "plain": False}
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
