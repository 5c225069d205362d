"""i2 Analyst's Notebook ANX (XML) import and export, so a chart can travel to and from an i2
user at a police force or bank.

What maps to i2's own fields: entity types (with an i2 icon name), link types, labels,
identities, positions, dates, attributes (AttText, AttNumber, AttTime, AttFlag), link arrows
(ArrowOnHead/ArrowOnTail/ArrowOnBoth), strengths (Confirmed, Unconfirmed, Tentative, drawn
solid, dashed, dotted), source reference and type, and the three grades (GradeOne: source
reliability A-E, GradeTwo: information credibility 1-5, GradeThree: handling code).

i2 holds one source per item and whole-number positions, so everything else a Workbench chart
knows (every source record, exact positions, attribute kinds such as phone or e-mail, icons,
title and protective marking) also travels in one ``<?workbench-chart ...?>`` processing
instruction, which i2 ignores. A chart that went to i2 and came back re-saved has lost only
that extra, never the i2 fields.
"""

from __future__ import annotations

import contextlib
import os
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
from lxml import etree

from workbench.io.interchange.common import (
    InterchangeError,
    apply_chart_meta,
    chart_meta,
    parse_xml,
    sources_from_text,
    sources_text,
    value_from_text,
    value_text,
    write_tree,
    xml_safe,
)
from workbench.model import (
    Chart,
    ChartError,
    Direction,
    Entity,
    EntityType,
    Kind,
    Link,
    LinkType,
    ParseError,
    SourceRecord,
    Strength,
    Style,
    Value,
)
from workbench.model.provenance import CREDIBILITY_MEANING, RELIABILITY_MEANING

PI_TARGET = "workbench-chart"
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


def _i2_date(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}"


# ----- export ----------------------------------------------------------------------------------
def _grade_collection(root: etree._Element, tag: str, texts: list[str]) -> None:
    grade = etree.SubElement(root, tag)
    strings = etree.SubElement(grade, "StringCollection")
    for text in texts:
        etree.SubElement(strings, "String", Text=text)


def _item_attrs(item: Entity | Link, label: str) -> dict[str, str]:
    first = item.provenance[0] if item.provenance else None
    attrs = {"Label": label, "Description": "", "DateSet": "false", "TimeSet": "false",
             "Ordered": "false", "Shown": "true", "Selected": "false"}
    if item.date is not None:
        attrs.update(DateTime=_i2_date(item.date), DateSet="true",
                     TimeSet="true" if item.date.time() != datetime.min.time() else "false")
    if first is not None:
        attrs["SourceType"] = first.source
        attrs["SourceReference"] = first.describe()
        attrs["GradeOneIndex"] = str(" ABCDE".index(first.reliability) if first.reliability
                                     else 0)
        attrs["GradeTwoIndex"] = str(int(first.credibility) if first.credibility else 0)
        attrs["GradeThreeIndex"] = str(HANDLING.index(first.handling)
                                       if first.handling in HANDLING else 0)
    return {k: xml_safe(v) for k, v in attrs.items()}


def _attributes_out(parent: etree._Element, item: Entity | Link) -> None:
    if not item.attributes:
        return
    box = etree.SubElement(parent, "AttributeCollection")
    for name, value in item.attributes.items():
        text = _i2_date(value.value) if value.kind is Kind.DATETIME else value_text(value)
        etree.SubElement(box, "Attribute", AttributeClass=xml_safe(name), Value=xml_safe(text))


def write_anx(chart: Chart, path: str | os.PathLike[str]) -> None:
    root = etree.Element("Chart", Rigorous="true", IdReferenceLinking="false",
                         BlankLinkLabels="false", LabelRule="LabelRuleMerge",
                         UseLocalTimeZone="true", ShowPages="false")
    entities = list(chart.entities.values())
    links = list(chart.links.values())
    extra: dict[str, Any] = {"version": 1, "entities": {}, "links": []}
    kinds: dict[str, dict[str, str]] = {"entity": {}, "link": {}}
    classes: dict[str, str] = {}
    for domain, items in (("entity", entities), ("link", links)):
        for item in items:
            for name, value in item.attributes.items():
                kinds[domain].setdefault(name, value.kind.value)
                att = ATTRIBUTE_TYPES.get(value.kind, "AttText")
                classes[name] = att if classes.get(name, att) == att else "AttText"
    etree.SubElement(root, "StrengthCollection").extend(
        etree.Element("Strength", Id=name, Name=name, DotStyle=dot)
        for name, dot in STRENGTHS.values())
    if classes:
        box = etree.SubElement(root, "AttributeClassCollection")
        for name, att in classes.items():
            etree.SubElement(box, "AttributeClass", Name=xml_safe(name), Type=att, ShowValue="true",
                             UserCanAdd="true", UserCanRemove="true", Visible="true")
    used_icons = chart.settings.get("anx", {}).get("icons", {}) if isinstance(
        chart.settings.get("anx"), dict) else {}
    type_box = etree.SubElement(root, "EntityTypeCollection")
    for name in dict.fromkeys(e.type for e in entities):
        et = chart.entity_type(name)
        etree.SubElement(type_box, "EntityType", Name=xml_safe(name),
                         IconFile=xml_safe(str(used_icons.get(name) or
                                               I2_ICONS.get(name, name))),
                         Colour=str(bgr_int(et.colour)),
                         PreferredRepresentation="RepresentAsIcon")
    link_box = etree.SubElement(root, "LinkTypeCollection")
    for name in dict.fromkeys(lk.type for lk in links):
        etree.SubElement(link_box, "LinkType", Name=xml_safe(name),
                         Colour=str(bgr_int(chart.link_type(name).colour)))
    _grade_collection(root, "GradeOne", ["-", *(f"{k} - {v}" for k, v in
                                                RELIABILITY_MEANING.items())])
    _grade_collection(root, "GradeTwo", ["-", *(f"{k} - {v}" for k, v in
                                                CREDIBILITY_MEANING.items())])
    _grade_collection(root, "GradeThree", ["-", *HANDLING[1:]])
    items = etree.SubElement(root, "ChartItemCollection")
    for e in entities:
        item = etree.SubElement(items, "ChartItem", XPosition=str(round(e.x)),
                                attrib=_item_attrs(e, e.label))
        end = etree.SubElement(item, "End", X=str(round(e.x)), Y=str(round(e.y)), Z="0")
        entity = etree.SubElement(end, "Entity", EntityId=xml_safe(e.id),
                                  Identity=xml_safe(e.identity or e.id),
                                  LabelIsIdentity="false")
        icon = etree.SubElement(entity, "Icon")
        icon_style = etree.SubElement(icon, "IconStyle", Type=xml_safe(e.type),
                                      Enlargement="ICEnlargeSingle")
        if e.style.colour:  # i2 tints the icon with its shading colour
            icon_style.set("IconShadingColour", str(bgr_int(e.style.colour)))
        _attributes_out(item, e)
        extra["entities"][e.id] = _entity_extra(e)
    for lk in links:
        item = etree.SubElement(items, "ChartItem", XPosition="0",
                                attrib=_item_attrs(lk, lk.label))
        link = etree.SubElement(item, "Link", End1Id=xml_safe(lk.end1),
                                End2Id=xml_safe(lk.end2))
        style = {"ArrowStyle": ARROWS[lk.direction], "Strength": STRENGTHS[lk.strength][0],
                 "Type": xml_safe(lk.type), "LineWidth": "1"}
        if lk.style.colour:
            style["LineColour"] = str(bgr_int(lk.style.colour))
        etree.SubElement(link, "LinkStyle", attrib=style)
        _attributes_out(item, lk)
        extra["links"].append({"id": lk.id, "sources": sources_text(lk.provenance),
                               "colour": lk.style.colour, "date": _iso(lk.date)})
    extra["meta"] = chart_meta(chart, kinds)
    # JSON may hold '?>', which would end the instruction early; \u003e is the same text.
    text = orjson.dumps(extra).decode().replace("?>", "?\\u003e")
    root.insert(0, etree.ProcessingInstruction(PI_TARGET, text))
    write_tree(root, path)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _entity_extra(e: Entity) -> dict[str, Any]:
    return {"identity": e.identity, "x": e.x, "y": e.y, "date": _iso(e.date),
            "coordinates": list(e.coordinates) if e.coordinates else None,
            "icon": e.style.icon, "colour": e.style.colour, "size": e.style.size,
            "sources": sources_text(e.provenance)}


# ----- import ----------------------------------------------------------------------------------
class _Reader:
    def __init__(self, root: etree._Element, path: Path) -> None:
        self.root, self.path, self.name = root, path, path.name
        self.chart = Chart(path.stem)
        self.extra: dict[str, Any] = {}
        for node in root:
            if isinstance(node, etree._ProcessingInstruction) and node.target == PI_TARGET:
                with contextlib.suppress(orjson.JSONDecodeError):
                    loaded = orjson.loads(node.text or "")
                    self.extra = loaded if isinstance(loaded, dict) else {}
        self.kinds: dict[str, dict[str, str]] = {}
        if isinstance(self.extra.get("meta"), str):
            self.kinds = apply_chart_meta(self.chart, self.extra["meta"], self.name)
        self.grades = {tag: self._strings(tag) for tag in ("GradeOne", "GradeTwo", "GradeThree")}
        self.classes = {c.get("Name", ""): c.get("Type", "AttText")
                        for c in root.iterfind("AttributeClassCollection/AttributeClass")}
        # With IdReferenceLinking i2 refers to types, strengths and attribute classes by Id.
        self.names_by_id = {
            element.get("Id", ""): element.get("Name", "")
            for path in ("EntityTypeCollection/EntityType", "LinkTypeCollection/LinkType",
                         "AttributeClassCollection/AttributeClass",
                         "StrengthCollection/Strength")
            for element in root.iterfind(path) if element.get("Id")}
        self.strengths = {}
        for s in root.iterfind("StrengthCollection/Strength"):
            strength = _strength_named(s.get("Name", "")) or DOT_STYLES.get(
                s.get("DotStyle", "").lower(), Strength.CONFIRMED)
            for key in (s.get("Id"), s.get("Name")):
                if key:
                    self.strengths[key] = strength

    def _strings(self, tag: str) -> list[str]:
        return [s.get("Text", "") for s in self.root.iterfind(f"{tag}/StringCollection/String")]

    def entity_type_of(self, element: etree._Element) -> str:
        """The type from the entity's representation: IconStyle, or BoxStyle, CircleStyle,
        ThemeLineStyle, EventStyle... (whichever style element names a Type)."""
        for style in element.iter():
            if isinstance(style.tag, str) and style.tag.endswith("Style"):
                name = style.get("Type") or self.names_by_id.get(style.get("TypeReference", ""))
                if name:
                    return name
        return "Entity"

    def where(self, element: etree._Element) -> str:
        return f"{self.name}, line {element.sourceline}"

    def types(self) -> None:
        icons: dict[str, str] = {}
        entity_types = []
        for t in self.root.iterfind("EntityTypeCollection/EntityType"):
            name = t.get("Name", "")
            if not name:
                raise InterchangeError(f"{self.where(t)}: an entity type has no Name")
            icon_file = t.get("IconFile", "")
            icons[name] = icon_file
            if name in self.chart.catalogue.entity_types:
                continue  # a Workbench type of that name keeps its look
            entity_types.append(EntityType(
                name, icon=MDI_FOR_I2.get(icon_file.lower(), "mdi6.help-circle"),
                colour=colour_from_bgr(t.get("Colour"), self.where(t)) or "#555555"))
        link_types = [
            LinkType(t.get("Name", ""), colour=colour_from_bgr(t.get("Colour"), self.where(t))
                     or "#555555")
            for t in self.root.iterfind("LinkTypeCollection/LinkType")
            if t.get("Name") and t.get("Name") not in self.chart.catalogue.link_types]
        self.chart.add_types(entity_types, link_types)
        if icons:
            self.chart.settings["anx"] = {"icons": icons}

    def source(self, item: etree._Element) -> list[SourceRecord]:
        reference, kind = item.get("SourceReference", ""), item.get("SourceType", "")
        grades = [self._grade(item, tag) for tag in ("GradeOne", "GradeTwo", "GradeThree")]
        reliability = grades[0][:1] if grades[0][:1] in "ABCDE" and grades[0] else ""
        credibility = grades[1][:1] if grades[1][:1] in "12345" and grades[1] else ""
        return [SourceRecord(source=": ".join(p for p in (kind, reference) if p) or "i2 chart",
                             file=self.name, row=item.sourceline, reliability=reliability,
                             credibility=credibility, handling=grades[2].strip(" -"))]

    def _grade(self, item: etree._Element, tag: str) -> str:
        strings = self.grades[tag]
        try:
            index = int(item.get(f"{tag}Index", "0"))
        except ValueError:
            raise InterchangeError(f"{self.where(item)}: {tag}Index is not a number") from None
        return strings[index] if 0 <= index < len(strings) else ""

    def attributes(self, item: etree._Element, domain: str) -> dict[str, Value]:
        out: dict[str, Value] = {}
        kinds = self.kinds.get(domain, {})
        for a in item.iterfind("AttributeCollection/Attribute"):
            name = a.get("AttributeClass") or self.names_by_id.get(
                a.get("AttributeClassReference", ""), "")
            text = a.get("Value", "")
            where = f"{self.where(a)}, attribute {name!r}"
            kind = kinds.get(name) or ATTRIBUTE_KINDS.get(self.classes.get(name, ""), Kind.TEXT)
            if text:
                out[name] = value_from_text(str(kind), text, where)
        if not self.extra and item.get("Description"):
            out.setdefault("Description", Value(Kind.TEXT, item.get("Description", "")))
        return out

    def date(self, item: etree._Element) -> datetime | None:
        if item.get("DateSet") != "true" or not item.get("DateTime"):
            return None
        try:
            value = datetime.fromisoformat(item.get("DateTime", ""))
        except ValueError:
            raise InterchangeError(f"{self.where(item)}: DateTime {item.get('DateTime')!r} "
                                   "is not a date") from None
        return value if item.get("TimeSet") == "true" else value.replace(hour=0, minute=0,
                                                                          second=0,
                                                                          microsecond=0)

    def entity(self, item: etree._Element, element: etree._Element, end: etree._Element,
               ids: dict[str, str]) -> Entity:
        where = self.where(element)
        i2_id = element.get("EntityId", "")
        if not i2_id or i2_id in ids:
            raise InterchangeError(f"{where}: EntityId {i2_id!r} is missing or used twice")
        type_name = self.entity_type_of(element)
        identity_text = element.get("Identity", "")
        label = item.get("Label") or identity_text
        extra = self.extra.get("entities", {}).get(i2_id) if self.extra else None
        attributes = self.attributes(item, "entity")
        try:
            x, y = float(end.get("X", "0")), float(end.get("Y", "0"))
        except ValueError:
            raise InterchangeError(f"{where}: position X/Y is not a number") from None
        shading = element.find("Icon/IconStyle")
        colour = colour_from_bgr(shading.get("IconShadingColour"), where) \
            if shading is not None else None
        entity = Entity(id=i2_id if extra else self.chart.new_id("e"), type=type_name,
                        label=label, attributes=attributes, x=x, y=y, date=self.date(item),
                        style=Style(colour=colour), provenance=self.source(item))
        if extra:
            entity.identity = extra.get("identity")
            entity.x, entity.y = float(extra.get("x", x)), float(extra.get("y", y))
            if extra.get("date"):
                entity.date = datetime.fromisoformat(extra["date"])
            if extra.get("coordinates"):
                entity.coordinates = (float(extra["coordinates"][0]),
                                      float(extra["coordinates"][1]))
            entity.style = Style(icon=extra.get("icon"), colour=extra.get("colour"),
                                 size=extra.get("size"))
            entity.provenance = sources_from_text(extra.get("sources", "[]"), where)
        elif identity_text:
            if identity_text != label:
                attributes.setdefault("Identity", Value(Kind.TEXT, identity_text))
            with contextlib.suppress(ParseError):
                entity.identity = self.chart.identity_for(type_name, identity_text)
        ids[i2_id] = entity.id
        return entity

    def link(self, item: etree._Element, element: etree._Element, ids: dict[str, str],
             number: int) -> Link:
        where = self.where(element)
        ends = element.get("End1Id", ""), element.get("End2Id", "")
        for end in ends:
            if end not in ids:
                raise InterchangeError(f"{where}: link refers to entity {end!r}, which is not "
                                       "in the chart")
        style = element.find("LinkStyle")
        style = style if style is not None else etree.Element("LinkStyle")
        arrow = style.get("ArrowStyle", "ArrowNone")
        direction = {v: k for k, v in ARROWS.items()}.get(arrow, Direction.NONE)
        strength_name = style.get("Strength") or self.names_by_id.get(
            style.get("StrengthReference", ""), "")
        strength = self.strengths.get(strength_name) or _strength_named(strength_name) \
            or Strength.CONFIRMED
        type_name = (style.get("Type") or self.names_by_id.get(style.get("TypeReference", ""))
                     or "Link")
        colour = colour_from_bgr(style.get("LineColour"), where)
        if colour == self.chart.link_type(type_name).colour:
            colour = None
        extras = self.extra.get("links", []) if self.extra else []
        extra = extras[number] if number < len(extras) else None
        link = Link(id=self.chart.new_id("l"), end1=ids[ends[0]], end2=ids[ends[1]],
                    type=type_name, label=item.get("Label", ""), direction=direction,
                    strength=strength, attributes=self.attributes(item, "link"),
                    date=self.date(item), style=Style(colour=colour),
                    provenance=self.source(item))
        if extra:
            link.id = extra.get("id") or link.id
            link.provenance = sources_from_text(extra.get("sources", "[]"), where)
            link.style = Style(colour=extra.get("colour"))
            if extra.get("date"):
                link.date = datetime.fromisoformat(extra["date"])
        return link

    def read(self) -> Chart:
        if not self.extra:  # a chart Workbench wrote carries its own types
            self.types()
        ids: dict[str, str] = {}
        entities, pending = [], []
        for item in self.root.iterfind("ChartItemCollection/ChartItem"):
            end = item.find("End")
            element = end.find("Entity") if end is not None else None
            if element is not None and end is not None:
                entities.append(self.entity(item, element, end, ids))
            elif item.find("Link") is not None:
                pending.append(item)
        # Two i2 identities that normalise to one key (case, spacing): keep both, unmerged.
        seen: set[tuple[str, str]] = set()
        for entity in entities:
            if entity.identity is not None:
                if (entity.type, entity.identity) in seen:
                    entity.identity = None
                else:
                    seen.add((entity.type, entity.identity))
        self._add(self.chart.add_entities, entities)
        links = [self.link(item, item.find("Link"), ids, n) for n, item in enumerate(pending)]
        self._add(self.chart.add_links, links)
        return self.chart

    def _add(self, add: Any, items: list) -> None:
        try:
            add(items)
        except ChartError as exc:
            raise InterchangeError(f"{self.name}: {exc}") from None


def _strength_named(name: str) -> Strength | None:
    with contextlib.suppress(ValueError):
        return Strength(name.strip().lower())
    return None


def read_anx(path: str | os.PathLike[str]) -> Chart:
    path = Path(path)
    root = parse_xml(path, keep_pis=True)
    if root.tag != "Chart":
        raise InterchangeError(f"{path.name}: not an i2 ANX chart (root is <{root.tag}>)")
    return _Reader(root, path).read()
