"""Text from a chart made safe for the report's engines: plain characters, never markup.

Labels, titles, attribute names and values, source names, the author and the marking come from
scraped pages and partners' files. Word files are XML and reportlab's paragraphs parse an
XML-like markup (``<b>``, ``<font>``, ``<para>``, ``&amp;``), and neither (nor matplotlib) can
hold C0 control characters or lone surrogates: ``plain`` replaces those with a visible
'\ufffd', and ``markup`` escapes the result for a reportlab paragraph, so ``<b>x</b>`` prints
as those eight characters.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def plain(text: str) -> str:
    """The text with every character XML 1.0 (and a font) cannot hold as '\ufffd'."""
    return _NOT_TEXT.sub("\ufffd", text)


def markup(text: str) -> str:
    """Escaped paragraph source for reportlab: the text prints literally; a tab (no glyph in
    the font) is a space and a newline a line break."""
    return escape(plain(text).replace("\t", " ")).replace("\n", "<br/>")


def shortened(text: str, limit: int = 255) -> str:
    """Document properties (title, author) hold at most 255 characters in Word files."""
    text = plain(text)
    return text if len(text) <= limit else text[:limit - 1] + "…"
