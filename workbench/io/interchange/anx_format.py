"""The ANX vocabulary shared by the i2 reader and writer: arrows, strengths, attribute types,
icons, grades and Windows colours. See anx_export.py for what maps to what."""

from __future__ import annotations

import re
from datetime import datetime

from workbench.io.interchange.common import InterchangeError
from workbench.model import Direction, Kind, Strength

PI_TARGET = "workbench-chart"
# The Workbench block goes out in parts of this many characters (at most 4 MB of UTF-8): an
# XML parser refuses a processing instruction over 10 MB unless told to take huge trees,
# which the readers never are (that limit guards against hostile files). Each part is
# ``<?workbench-chart N/M text?>``; the number before the text also keeps a part that begins
# with spaces whole (a parser drops the spaces after the target).
PI_PART_CHARS = 1_000_000
_PART = re.compile(r"(\d{1,7})/(\d{1,7}) ")


def pi_parts(text: str) -> list[str]:
    """The Workbench block (JSON) as the texts of its numbered processing instructions. A
    '?>' in the JSON would end an instruction early; written '?\\u003e' it is the same JSON."""
    text = text.replace("?>", "?\\u003e")
    pieces = [text[i:i + PI_PART_CHARS] for i in range(0, len(text), PI_PART_CHARS)] or [""]
    return [f"{n}/{len(pieces)} {piece}" for n, piece in enumerate(pieces, 1)]


def join_pi_parts(texts: list[str]) -> str | None:
    """The block from the processing instructions' texts, in file order; None when parts are
    missing, doubled or out of order (a hand-edited file). A file from before the block was
    split holds one instruction of bare JSON, taken as it is."""
    if len(texts) == 1 and not _PART.match(texts[0]):
        return texts[0]
    pieces = []
    for n, text in enumerate(texts, 1):
        found = _PART.match(text)
        if found is None or int(found.group(1)) != n or int(found.group(2)) != len(texts):
            return None
        pieces.append(text[found.end():])
    return "".join(pieces)
ARROWS = {Direction.NONE: "ArrowNone", Direction.FORWARD: "ArrowOnHead",
          Direction.REVERSE: "ArrowOnTail", Direction.BOTH: "ArrowOnBoth"}
STRENGTHS = {Strength.CONFIRMED: ("Confirmed", "DotStyleSolid"),
             Strength.UNCONFIRMED: ("Unconfirmed", "DotStyleDashed"),
             Strength.TENTATIVE: ("Tentative", "DotStyleDotted")}
DOT_STYLES = {"dotstylesolid": Strength.CONFIRMED, "dotstyledashed": Strength.UNCONFIRMED,
              "dotstyledotted": Strength.TENTATIVE}
ATTRIBUTE_TYPES = {Kind.NUMBER: "AttNumber", Kind.DATETIME: "AttTime", Kind.FLAG: "AttFlag"}
ATTRIBUTE_KINDS = {"AttNumber": Kind.NUMBER, "AttTime": Kind.DATETIME, "AttFlag": Kind.FLAG}
# Workbench entity types and the i2 standard icon an i2 user expects for them.
I2_ICONS = {"Person": "Person", "Organisation": "Organisation", "Location": "Place",
            "Country": "Country", "Phone": "Phone", "Email": "Email", "Username": "User",
            "Website": "Web Site", "Account": "Account", "Vehicle": "Car",
            "Document": "Document", "Event": "Event", "Advert": "Advertisement",
            "Address": "Address", "Money transfer": "Money"}
# i2 icon names (lower case) and the Material Design icon Workbench draws for them.
MDI_FOR_I2 = {"person": "mdi6.account", "person (faceless)": "mdi6.account-outline",
              "woman": "mdi6.face-woman", "man": "mdi6.face-man", "prisoff": "mdi6.account-lock",
              "prisoff us": "mdi6.account-lock", "organisation": "mdi6.domain",
              "place": "mdi6.map-marker", "country": "mdi6.flag", "phone": "mdi6.phone",
              "mobile phone": "mdi6.cellphone", "email": "mdi6.email", "web site": "mdi6.web",
              "account": "mdi6.bank", "bank": "mdi6.bank", "car": "mdi6.car",
              "motor vehicle": "mdi6.car-side", "van": "mdi6.van-utility", "minibus": "mdi6.bus",
              "train": "mdi6.train", "terminal": "mdi6.airplane", "document": "mdi6.file-document",
              "event": "mdi6.calendar-star", "address": "mdi6.home-map-marker",
              "money": "mdi6.cash", "user": "mdi6.at"}
HANDLING = ("", "1", "2", "3", "4", "5", "P", "C")


def bgr_int(colour: str) -> int:
    """i2 stores colours as Windows COLORREF integers: red + green*256 + blue*65536."""
    return int(colour[1:3], 16) + int(colour[3:5], 16) * 256 + int(colour[5:7], 16) * 65536


def colour_from_bgr(text: str | None, where: str) -> str | None:
    if text is None or text == "":
        return None
    try:
        value = int(text)
    except ValueError:
        raise InterchangeError(f"{where}: colour {text!r} is not a whole number") from None
    if not 0 <= value <= 0xFFFFFF:
        raise InterchangeError(f"{where}: colour {value} is outside 0-16777215")
    return f"#{value & 0xFF:02x}{(value >> 8) & 0xFF:02x}{(value >> 16) & 0xFF:02x}"


def i2_date(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}"
