"""Hostile chart files built in a moment: zip bombs that inflate to gigabytes from a few MB,
zips whose directory lies about sizes, and .wbchart files with a chart.json of our choosing.

A bomb's deflate stream is one compressed block of zeros (or spaces) repeated: after a full
flush the compressor forgets what came before, so the block can be copied any number of times
and a 1.9 GB member costs 2 MB to write and no time to build.
"""

from __future__ import annotations

import random
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import orjson

MB = 1024**2
MANIFEST = orjson.dumps({"format": "workbench-chart", "format_version": 1})


def chart_document(**changes: object) -> dict:
    """A small valid chart.json document, with top-level fields replaced."""
    doc = {
        "title": "hostile", "settings": {}, "types": {"entity_types": [], "link_types": []},
        "entities": [{"id": "e1", "type": "Person", "label": "Ana", "x": 1.0, "y": 2.0},
                     {"id": "e2", "type": "Person", "label": "Ben", "x": 3.0, "y": 4.0}],
        "links": [{"id": "l1", "end1": "e1", "end2": "e2", "type": "Associate"}],
    }
    doc.update(changes)
    return doc


def deep_text(levels: int) -> str:
    """A JSON list nested ``levels`` deep (as text: orjson cannot write past 255)."""
    return "[" * levels + "]" * levels


def with_deep_setting(levels: int) -> bytes:
    """chart.json whose settings hold one entry nested ``levels`` deep."""
    body = orjson.dumps(chart_document(settings={"deep": "@DEEP@"}))
    return body.replace(b'"@DEEP@"', deep_text(levels).encode())


@dataclass
class Member:
    name: str
    data: bytes  # raw deflate stream
    size: int  # what it really inflates to
    crc: int = 0
    declared: int | None = None  # the size the directory claims (default: the true size)


def real(name: str, content: bytes) -> Member:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return Member(name, c.compress(content) + c.flush(), len(content), zlib.crc32(content))


def bomb(name: str, megabytes: int, filler: bytes = b"\0", noise: int = 0,
         declared: int | None = None) -> Member:
    """``megabytes`` MiB of ``filler`` (with ``noise`` random-looking bytes per MiB, to lower
    the compression ratio). The CRC is left wrong: a reader must refuse long before the end."""
    block = random.Random(noise).randbytes(noise) + filler * (MB - noise)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    return Member(name, chunk * megabytes + c.flush(), megabytes * MB, 0, declared)


def write_zip(path: Path, members: list[Member]) -> Path:
    """A zip written by hand, so the directory can say what we want it to."""
    out = bytearray()
    central = bytearray()
    for m in members:
        offset = len(out)
        name = m.name.encode()
        size = m.size if m.declared is None else m.declared
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, m.crc, len(m.data),
                           size, len(name), 0) + name + m.data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, m.crc,
                               len(m.data), size, len(name), 0, 0, 0, 0, 0, offset) + name
    n = len(members)
    path.write_bytes(bytes(out + central) + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n,
                                                        len(central), len(out), 0))
    return path


def wbchart(path: Path, document: dict | None = None, *extra: Member,
            chart_json: bytes | None = None) -> Path:
    """A .wbchart with this chart.json (a valid small chart by default) and extra members."""
    body = chart_json if chart_json is not None else orjson.dumps(document or chart_document())
    return write_zip(path, [real("manifest.json", MANIFEST), real("chart.json", body), *extra])


def forge_chart_json(path: Path, change: Callable[[dict], None]) -> Path:
    """Change chart.json inside a saved chart file the way a hand edit or another tool would
    (Workbench itself refuses to save a chart that breaks the format)."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    document = orjson.loads(members["chart.json"])
    change(document)
    members["chart.json"] = orjson.dumps(document)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path
