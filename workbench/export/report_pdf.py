"""The report as PDF (reportlab), the form that goes to a bank or a court unchanged.

Text is set in DejaVu Sans, which matplotlib ships on every platform, so Cyrillic, Arabic digits
and accented names print instead of black boxes. Every label is escaped before reportlab's
paragraph markup sees it: a scraped label such as ``<font size=99>`` stays text. The marking is
drawn at the top and bottom of every page with "Page N of M".
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Image,
    KeepTogether,
    LongTable,
    PageBreak,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Paragraph as RLParagraph

from workbench.export.report_content import (
    Heading,
    Paragraph,
    Picture,
    ReportContent,
    TableBlock,
)
from workbench.export.report_docx import clean
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
        "h1": ParagraphStyle("h", parent=base["Heading1"], fontName=BOLD, fontSize=15),
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
    return RLParagraph(escape(clean(text)).replace("\n", "<br/>"), style)


class _NumberedDocument(SimpleDocTemplate):
    """Two passes: the first counts the pages so the footer can say 'Page N of M'."""

    def __init__(self, *args, content: ReportContent, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.content = content
        self.total_pages = 0

    def decorate(self, canvas, doc) -> None:  # type: ignore[no-untyped-def]
        width, height = A4
        canvas.saveState()
        marking = clean(self.content.marking)
        if marking:
            canvas.setFont(BOLD, 10)
            canvas.drawCentredString(width / 2, height - 1.1 * cm, marking)
            canvas.drawCentredString(width / 2, 1.25 * cm, marking)
        canvas.setFont(FONT, 7.5)
        total = f" of {self.total_pages}" if self.total_pages else ""
        canvas.drawCentredString(width / 2, 0.75 * cm,
                                 f"{clean(self.content.title)} · Page {doc.page}{total}")
        canvas.restoreState()


def _table(block: TableBlock, styles: dict[str, ParagraphStyle], usable: float) -> LongTable:
    total = sum(block.widths)
    widths = [usable * w / total for w in block.widths]
    data = [[_p(h, styles["head"]) for h in block.headers]]
    data += [[_p(text, styles["cell"]) for text in row] for row in block.rows]
    table = LongTable(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1f3a5f")),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#9aa5b1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f1f4f8")]),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


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
    for block in content.blocks:
        if isinstance(block, Heading):
            story.append(_p(block.text, styles["h1"]))
        elif isinstance(block, Paragraph):
            story.append(_p(block.text, styles["body"]))
        elif isinstance(block, Picture):
            reader = ImageReader(io.BytesIO(block.png))
            w, h = reader.getSize()
            scale = min(usable / w, (A4[1] - 2 * MARGIN - 3 * cm) / h)
            image = Image(io.BytesIO(block.png), width=w * scale, height=h * scale)
            story.append(KeepTogether([image, _p(block.caption, styles["caption"])]))
        elif isinstance(block, TableBlock):
            story += [_table(block, styles, usable), Spacer(1, 0.4 * cm)]
    while story and isinstance(story[-1], Spacer):
        story.pop()  # a spacer that does not fit would start an empty last page
    return story


def write_pdf(content: ReportContent, path: str | os.PathLike[str]) -> None:
    _register_fonts()
    styles = _styles()
    usable = A4[0] - 2 * MARGIN
    with atomic_path(path) as tmp:
        counting = _NumberedDocument(io.BytesIO(), pagesize=A4, leftMargin=MARGIN,
                                     rightMargin=MARGIN, topMargin=MARGIN,
                                     bottomMargin=MARGIN, content=content)
        counting.build(_story(content, styles, usable), onFirstPage=counting.decorate,
                       onLaterPages=counting.decorate)
        document = _NumberedDocument(tmp, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                                     topMargin=MARGIN, bottomMargin=MARGIN, content=content,
                                     title=clean(content.title),
                                     author=clean(content.author or "Workbench"),
                                     subject=clean(content.marking))
        document.total_pages = counting.page
        document.build(_story(content, styles, usable), onFirstPage=document.decorate,
                       onLaterPages=document.decorate)
