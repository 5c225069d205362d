"""The report as PDF (reportlab), the form that goes to a bank or a court unchanged.

Text is set in DejaVu Sans, which matplotlib ships on every platform, so Cyrillic, Arabic digits
and accented names print instead of black boxes. Every label is escaped before reportlab's
paragraph markup sees it: a scraped label such as ``<font size=99>`` stays text. The marking is
drawn at the top and bottom of every page with "Page N of M".
"""

from __future__ import annotations

import io
import os
from functools import partial
from pathlib import Path
from typing import Any

import matplotlib
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm, inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Image,
    KeepTogether,
    LongTable,
    PageBreak,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import Paragraph as RLParagraph

from workbench.export.report_content import (
    Block,
    Heading,
    Paragraph,
    Picture,
    ReportContent,
    TableBlock,
)
from workbench.export.report_pictures import picture_size_in
from workbench.export.report_text import markup, plain
from workbench.io.interchange.common import atomic_path

FONT, BOLD = "WorkbenchSans", "WorkbenchSans-Bold"
MARGIN = 1.8 * cm


def _register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(fonts / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(fonts / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("t", parent=base["Title"], fontName=BOLD, fontSize=24,
                                leading=30),
        "subtitle": ParagraphStyle("s", parent=base["Normal"], fontName=FONT, fontSize=12,
                                   leading=16, alignment=TA_CENTER),
        "marking": ParagraphStyle("m", parent=base["Normal"], fontName=BOLD, fontSize=16,
                                  alignment=TA_CENTER, spaceAfter=20),
        "h1": ParagraphStyle("h", parent=base["Heading1"], fontName=BOLD, fontSize=15,
                             keepWithNext=1),  # never a heading alone at a page foot
        "body": ParagraphStyle("b", parent=base["Normal"], fontName=FONT, fontSize=9.5,
                               leading=13),
        "caption": ParagraphStyle("c", parent=base["Normal"], fontName=FONT, fontSize=8,
                                  textColor=colors.HexColor("#444444"), spaceAfter=10),
        "cell": ParagraphStyle("x", parent=base["Normal"], fontName=FONT, fontSize=7,
                               leading=8.5),
        "head": ParagraphStyle("y", parent=base["Normal"], fontName=BOLD, fontSize=7,
                               leading=8.5, textColor=colors.white),
    }


def _p(text: str, style: ParagraphStyle) -> RLParagraph:
    return RLParagraph(markup(text), style)


class _PagedCanvas(Canvas):
    """Draws the marking and 'Page N of M' on every page once the page count is known: pages
    are held until save() (one layout pass instead of two)."""

    def __init__(self, *args: Any, content: ReportContent, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._content = content
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._decorate(total)
            super().showPage()
        super().save()

    def _decorate(self, total: int) -> None:
        width, height = A4
        self.saveState()
        marking = plain(self._content.marking)
        if marking:
            self.setFont(BOLD, 10)
            self.drawCentredString(width / 2, height - 1.1 * cm, marking)
            self.drawCentredString(width / 2, 1.25 * cm, marking)
        self.setFont(FONT, 7.5)
        self.drawCentredString(width / 2, 0.75 * cm, f"{plain(self._content.title)} · Page "
                               f"{self._pageNumber} of {total}")
        self.restoreState()


CHUNK_ROWS = 120  # reportlab splits one long table in quadratic time; chunks split cheaply
CELL_FONT_SIZE = 7


def _cell(text: str, style: ParagraphStyle, capacity: int) -> str | RLParagraph:
    """Short one-line text as a plain string (fast, drawn literally); longer text as an
    escaped Paragraph that wraps inside its column."""
    text = plain(text).replace("\t", " ")  # the font has no glyph for a tab
    if len(text) <= capacity and "\n" not in text:
        return text
    return _p(text, style)


def _tables(block: TableBlock, styles: dict[str, ParagraphStyle], usable: float) -> list:
    total = sum(block.widths)
    widths = [usable * w / total for w in block.widths]
    # DejaVu Sans averages about 0.6 em per character; leave the 4-point padding out.
    capacities = [max(int((w - 4) / (CELL_FONT_SIZE * 0.62)), 1) for w in widths]
    header = [_p(h, styles["head"]) for h in block.headers]
    style = TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1f3a5f")),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#9aa5b1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 1), (-1, -1), FONT, CELL_FONT_SIZE, CELL_FONT_SIZE * 1.2),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f1f4f8")]),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ])
    out = []
    rows = block.rows or [[""] * len(block.headers)]
    for begin in range(0, len(rows), CHUNK_ROWS):
        data = [header] + [[_cell(text, styles["cell"], capacity)
                            for text, capacity in zip(row, capacities, strict=True)]
                           for row in rows[begin:begin + CHUNK_ROWS]]
        table = Table(data, colWidths=widths, repeatRows=1)
        table.setStyle(style)
        out.append(table)
    return out


def _flowables(block: Block, styles: dict[str, ParagraphStyle], usable: float) -> list:
    if isinstance(block, Heading):
        return [_p(block.text, styles["h1"])]
    if isinstance(block, Paragraph):
        return [_p(block.text, styles["body"])]
    if isinstance(block, Picture):
        w, h = (v * inch for v in picture_size_in(block.png))
        # Never wider than the text, never so tall that its heading cannot stay with it;
        # a picture drawn for print keeps its size (its labels are sized for it).
        scale = min(usable / w, (A4[1] - 2 * MARGIN - 5 * cm) / h, 1.0)
        if block.fill_width:
            scale = min(usable / w, (A4[1] - 2 * MARGIN - 5 * cm) / h)
        image = Image(io.BytesIO(block.png), width=w * scale, height=h * scale)
        return [KeepTogether([image, _p(block.caption, styles["caption"])])]
    return [*_tables(block, styles, usable), Spacer(1, 0.4 * cm)]


def _story(content: ReportContent, styles: dict[str, ParagraphStyle], usable: float) -> list:
    story: list = []
    if content.title_page:
        story.append(Spacer(1, 4 * cm))
        if content.marking:
            story.append(_p(content.marking, styles["marking"]))
        story.append(_p(content.title, styles["title"]))
        if content.subtitle:
            story.append(_p(content.subtitle, styles["subtitle"]))
        story.append(Spacer(1, 1.5 * cm))
        lines = [("Author", content.author), ("Date", content.date), *content.summary]
        rows = [[_p(k, styles["body"]), _p(v, styles["body"])] for k, v in lines if v]
        summary = LongTable(rows, colWidths=[5 * cm, 9 * cm])
        summary.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey)]))
        story += [summary, PageBreak()]
    pending: list = []  # a heading and the paragraphs after it, kept with what follows
    for block in content.blocks:
        flowables = _flowables(block, styles, usable)
        if isinstance(block, Heading) or (pending and isinstance(block, Paragraph)):
            pending += flowables
            continue
        if pending:  # never a heading alone at a page foot
            story.append(KeepTogether([*pending, flowables[0]]))
            flowables, pending = flowables[1:], []
        story += flowables
    if pending:
        story += pending
    while story and isinstance(story[-1], Spacer):
        story.pop()  # a spacer that does not fit would start an empty last page
    return story


def write_pdf(content: ReportContent, path: str | os.PathLike[str]) -> None:
    _register_fonts()
    styles = _styles()
    usable = A4[0] - 2 * MARGIN
    # Pictures are stored as binary streams, not ASCII85 text: reportlab's pure-Python ASCII85
    # encoder takes seconds per picture, and the file is a fifth smaller.
    rl_config.useA85 = 0
    with atomic_path(path) as tmp:
        document = SimpleDocTemplate(tmp, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                                     topMargin=MARGIN, bottomMargin=MARGIN,
                                     title=plain(content.title),
                                     author=plain(content.author or "Workbench"),
                                     subject=plain(content.marking))
        document.build(_story(content, styles, usable),
                       canvasmaker=partial(_PagedCanvas, content=content))
