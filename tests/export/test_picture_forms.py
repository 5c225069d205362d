"""Copy as Picture's forms, drawn as plain data by whichever thread calls (the window's
worker): a bitmap and an SVG of one drawing, a PDF of the SVG's size, and a stop between
steps when cancelled."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader
from PySide6.QtCore import QThreadPool
from PySide6.QtGui import QImage

from workbench.export.chart_image import ChartImageError
from workbench.export.picture_forms import chart_picture
from workbench.io import load_chart

SAMPLE = Path(__file__).resolve().parents[2] / "sample_charts" / "nov13-network.wbchart"


def test_one_drawing_gives_the_bitmap_the_svg_and_the_pdf():
    forms = chart_picture(load_chart(SAMPLE))
    png = QImage.fromData(forms.png, "PNG")
    assert png.size() == forms.image.size() and png.width() >= 2000
    root = etree.fromstring(forms.svg)
    _x, _y, width, height = (float(v) for v in root.get("viewBox").split())
    assert png.width() / png.height() == pytest.approx(width / height, rel=0.01)
    page = PdfReader(io.BytesIO(forms.pdf)).pages[0]
    assert float(page.mediabox.width) / 72 * 25.4 == pytest.approx(
        float(root.get("width").removesuffix("mm")), abs=0.5)
    assert forms.title == load_chart(SAMPLE).title


def test_a_cancelled_picture_stops():
    cancelled = threading.Event()
    cancelled.set()
    with pytest.raises(ChartImageError, match="cancelled"):
        chart_picture(load_chart(SAMPLE), cancelled=cancelled)


def test_a_picture_drawn_on_a_thread_other_than_the_gui_thread(qapp):
    """As the window's worker draws it, in Qt's thread pool: its own scene and icon cache,
    deleted on that thread (no Qt warning, which fails a test here)."""
    chart = load_chart(SAMPLE)
    result: list = []
    done = threading.Event()

    def work() -> None:
        try:
            result.append(chart_picture(chart))
        finally:
            done.set()

    QThreadPool.globalInstance().start(work)
    assert done.wait(120)
    assert result and "Abdelhamid Abaaoud" in result[0].svg.decode("utf-8")
