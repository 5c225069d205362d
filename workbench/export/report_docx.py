"""The report as a Word document (python-docx), for analysts who edit before sending.

The protective marking is in the header and the footer of every page, as government and police
handling rules require; the footer also numbers the pages ("Page 3 of 12") with Word fields, so
numbering stays right after the analyst edits. Table header rows repeat on every page.
"""

from __future__ import annotations

import io
import os
from copy import deepcopy

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Inches, Pt, RGBColor

from workbench.export.report_content import (
    Heading,
    Paragraph,
    Picture,
    ReportContent,
    TableBlock,
)
from workbench.export.report_pictures import picture_size_in
from workbench.export.report_text import plain, shortened
from workbench.io.atomic import write_bytes

PAGE_WIDTH_CM = 21.0
MARGIN_CM = 1.8
TABLE_POINTS = 7  # as in the PDF, so the fitted column widths hold whole words


def _field(paragraph, instruction: str) -> None:  # type: ignore[no-untyped-def]
    """A Word field such as PAGE or NUMPAGES (Word fills in the number)."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None),
                       (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText" if text == instruction else "w:t")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _marking_paragraph(paragraph, marking: str) -> None:  # type: ignore[no-untyped-def]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(plain(marking))
    run.bold = True
    run.font.size = Pt(10)


def _header_footer(document, content: ReportContent) -> None:  # type: ignore[no-untyped-def]
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))
    if content.marking:
        _marking_paragraph(section.header.paragraphs[0], content.marking)
        _marking_paragraph(section.footer.paragraphs[0], content.marking)
        pages = section.footer.add_paragraph()
    else:
        pages = section.footer.paragraphs[0]
    pages.alignment = WD_ALIGN_PARAGRAPH.CENTER
    small = pages.add_run(f"{plain(content.title)} · Page ")
    small.font.size = Pt(8)
    _field(pages, "PAGE")
    pages.add_run(" of ").font.size = Pt(8)
    _field(pages, "NUMPAGES")
    for run in pages.runs:
        run.font.size = Pt(8)


def _title_page(document, content: ReportContent) -> None:  # type: ignore[no-untyped-def]
    for _ in range(4):
        document.add_paragraph()
    if content.marking:
        p = document.add_paragraph()
        _marking_paragraph(p, content.marking)
        p.runs[0].font.size = Pt(16)
    document.add_heading(plain(content.title), level=0)
    if content.subtitle:
        document.add_paragraph(plain(content.subtitle)).runs[0].italic = True
    lines = [("Author", content.author), ("Date", content.date), *content.summary]
    table = document.add_table(rows=0, cols=2)
    for name, value in lines:
        if value:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = name, plain(value)
            cells[0].paragraphs[0].runs[0].bold = True
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _shade(cell, colour: str) -> None:  # type: ignore[no-untyped-def]
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _table(document, block: TableBlock) -> None:  # type: ignore[no-untyped-def]
    table = document.add_table(rows=1, cols=len(block.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    usable = PAGE_WIDTH_CM - 2 * MARGIN_CM
    total = sum(block.widths)
    widths = [Cm(usable * w / total) for w in block.widths]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid LibreOffice reads; cell widths are what Word reads
    header = table.rows[0]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    for cell, text, width in zip(header.cells, block.headers, widths, strict=True):
        cell.width = width
        run = cell.paragraphs[0].add_run(plain(text))
        run.bold = True
        run.font.size = Pt(TABLE_POINTS)
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        _shade(cell, "1F3A5F")
    # One styled row made with python-docx, then copied as XML for every data row: building
    # 30,000 rows cell by cell through python-docx takes minutes, copying takes seconds.
    template = table.add_row()
    for cell, width in zip(template.cells, widths, strict=True):
        cell.width = width
        cell.paragraphs[0].add_run("").font.size = Pt(TABLE_POINTS)
    tr = template._tr
    tbl = table._tbl
    tbl.remove(tr)
    for row in block.rows:
        copy = deepcopy(tr)
        for run, text in zip(copy.iter(qn("w:r")), row, strict=True):
            _set_run_text(run, plain(text))
        tbl.append(copy)
    document.add_paragraph()


def _set_run_text(run, text: str) -> None:  # type: ignore[no-untyped-def]
    """Text into a w:r, a line break (w:br) for each newline, spaces kept."""
    for old in run.findall(qn("w:t")):
        run.remove(old)
    for n, line in enumerate(text.split("\n")):
        if n:
            run.append(OxmlElement("w:br"))
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = line
        run.append(t)


def write_docx(content: ReportContent, path: str | os.PathLike[str]) -> None:
    document = Document()
    # Word's document properties hold at most 255 characters each.
    document.core_properties.title = shortened(content.title)
    document.core_properties.author = shortened(content.author or "Workbench")
    if content.marking:
        document.core_properties.keywords = shortened(content.marking)
    _header_footer(document, content)
    if content.title_page:
        _title_page(document, content)
    usable = Cm(PAGE_WIDTH_CM - 2 * MARGIN_CM)
    after_heading = False
    for block in content.blocks:
        if isinstance(block, Heading):
            # Never a heading alone at a page foot: it and the paragraphs after it stay with
            # what follows.
            document.add_heading(plain(block.text), level=1).paragraph_format.keep_with_next \
                = after_heading = True
        elif isinstance(block, Paragraph):
            document.add_paragraph(plain(block.text)).paragraph_format.keep_with_next = \
                after_heading
        elif isinstance(block, Picture):
            w, h = picture_size_in(block.png)
            scale = min(usable.inches / w, 8.2 / h) if block.fill_width else \
                min(usable.inches / w, 8.2 / h, 1.0)
            document.add_picture(io.BytesIO(block.png), width=Inches(w * scale))
            document.paragraphs[-1].paragraph_format.keep_with_next = True  # its caption
            document.add_paragraph(plain(block.caption), style="Caption")
            after_heading = False
        elif isinstance(block, TableBlock):
            _table(document, block)
            after_heading = False
    # Saved into memory, then written and checked in one step: python-docx writing to the
    # file itself leaves a half-closed zip behind on a full disk ("Exception ignored").
    buffer = io.BytesIO()
    document.save(buffer)
    write_bytes(path, buffer.getvalue())
