"""Copy as Picture's forms, drawn as plain data: a bitmap and an SVG of one drawing, a PDF of
the SVG's size, and the vector forms left out for a picture of very many entities."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader
from PySide6.QtGui import QImage

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


def test_a_picture_of_more_entities_than_the_vector_limit_is_a_bitmap_only():
    forms = chart_picture(load_chart(SAMPLE), vector_limit=100)  # the sample has 132
    assert forms.svg is None and forms.pdf is None
    assert QImage.fromData(forms.png, "PNG").width() == 4096
