"""Which chart format a file is in, from its first bytes rather than its name.

Analysts receive GraphML saved as ``.xml``, GEXF as ``.txt``, Cytoscape exports as ``.json``
and DOT as ``.gv``; the extension is a hint at best. Each format announces itself early: the
root element of the XML formats, the opening keyword of GML, Pajek and DOT, the first
character of JSON (and a FollowTheMoney entity on its first line), the header row of a CSV
list, the zip signature of a ``.wbchart``.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import orjson

from workbench.io.interchange.csvgraph import csv_kind

HEAD_BYTES = 64 * 1024
LOOKED_FOR = ("Workbench chart (.wbchart), GraphML, GEXF, i2 ANX, GML, Pajek, DOT, node-link "
              "JSON, Cytoscape.js JSON or CX, Maltego .mtgx, FollowTheMoney entities, or a CSV "
              "edge or node list")

# Atomic groups (?>...): each skipped piece is taken whole, so a hostile head of 64 KB of
# spaces or comments fails in linear time instead of backtracking without end.
_XML_PROLOG = re.compile(r"\A(?>\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*", re.DOTALL)
_XML_ROOT = re.compile(r"<(?:[\w.-]+:)?([\w.-]+)")
_XML_ROOTS = {"graphml": ".graphml", "gexf": ".gexf", "Chart": ".anx"}
_DOT = re.compile(r"\A(?>\s+|//[^\n]*|#[^\n]*|/\*.*?\*/)*(?:strict\s+)?(?:di)?graph\b"
                  r"[^{\[;]*\{", re.DOTALL | re.IGNORECASE)
_GML = re.compile(r"\A(?>\s+|#[^\n]*|[A-Za-z]\w*\s+(?:\"[^\"]*\"|[^\s\[\]]+))*"
                  r"graph\s*\[", re.DOTALL)
# The first FollowTheMoney entity of a JSON list: an object whose first key is one of its own.
_FTM_LIST = re.compile(r'\A\[\s*\{\s*"(?:id|schema|properties|caption)"\s*:')
_FTM_KEYS = re.compile(r'\A\{\s*"(?:id|schema|properties|caption)"\s*:.*?"schema"\s*:')
_PAJEK = re.compile(r"\A(?>\s+|%[^\n]*)*\*(?:network|vertices|arcs|edges)\b", re.IGNORECASE)


def _decode(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace")
    return head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")


def sniff(path: Path) -> str | None:
    """The format of ``path`` as the extension Workbench registers for it (``.graphml``,
    ``.json`` for either JSON graph...), or None when it is none of them. Files that cannot
    be opened give None too; the reader chosen by extension then says why."""
    try:
        with path.open("rb") as file:
            head = file.read(HEAD_BYTES)
    except OSError:
        return None
    if head.startswith(b"PK\x03\x04"):  # a zip: a .wbchart holds a manifest (an .xlsx not)
        names = _zip_names(path)
        if "manifest.json" in names:
            return ".wbchart"
        return ".mtgx" if any(n.startswith("Graphs/") and n.endswith(".graphml")
                              for n in names) else None
    text = _decode(head)
    start = text.lstrip()[:1]
    if start == "<":
        found = _XML_ROOT.match(text, _XML_PROLOG.match(text).end())
        return _XML_ROOTS.get(found.group(1)) if found else None
    if start in ("{", "["):
        return ".ftm" if _is_ftm(text.lstrip()) else ".json"
    if _PAJEK.match(text):
        return ".net"
    if _DOT.match(text):
        return ".dot"
    if _GML.match(text):
        return ".gml"
    first_line = text.lstrip().split("\n", 1)[0]
    try:
        header = next(csv.reader(io.StringIO(first_line), _dialect(first_line)), [])
    except csv.Error:
        return None
    return ".csv" if csv_kind([h.strip() for h in header]) else None


def _is_ftm(text: str) -> bool:
    """FollowTheMoney entities: JSON lines whose first line is an object with 'schema' and
    'properties' (Aleph, OpenSanctions), or a JSON list of such objects."""
    if text.startswith("["):
        return bool(_FTM_LIST.match(text)) and '"schema"' in text and '"properties"' in text
    line = text.split("\n", 1)[0]
    try:
        first = orjson.loads(line)
    except orjson.JSONDecodeError:  # a first entity longer than the head read
        return bool(_FTM_KEYS.search(line)) and '"properties"' in line
    return isinstance(first, dict) and "schema" in first and "properties" in first


def _zip_names(path: Path) -> list[str]:
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.namelist()
    except (OSError, zipfile.BadZipFile, ValueError):
        return []


def _dialect(line: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(line, delimiters=",;\t")
    except csv.Error:
        return csv.excel
