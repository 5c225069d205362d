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
instruction (split in parts of 1 million characters, under the XML parser's limit), which
i2 ignores. A chart that went to i2 and came back re-saved has lost only
that extra, never the i2 fields.
"""

from __future__ import annotations

import contextlib
import os
from datetime import datetime
from typing import Any

from lxml import etree

from workbench.io.interchange.anx_format import (
    ARROWS,
    ATTRIBUTE_TYPES,
    HANDLING,
    I2_ICONS,
    PI_TARGET,
    STRENGTHS,
    bgr_int,
    i2_date,
    pi_parts,
)
from workbench.io.interchange.common import (
    chart_meta,
    check_colours,
    json_text,
    sources_text,
    value_text,
    write_tree,
    xml_safe,
)
from workbench.model import Chart, Entity, Kind, Link, ParseError
from workbench.model.provenance import CREDIBILITY_MEANING, RELIABILITY_MEANING


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
        attrs.update(DateTime=i2_date(item.date), DateSet="true",
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
        text = i2_date(value.value) if value.kind is Kind.DATETIME else value_text(value)
        etree.SubElement(box, "Attribute", AttributeClass=xml_safe(name), Value=xml_safe(text))


def _icons_from_settings(anx: Any) -> dict[str, str]:
    """The i2 icon names an ANX import recorded (``settings.anx.icons``: type -> icon name).
    Only a hint for a better icon in i2: a malformed entry (a hand-edited or hostile chart)
    is left out and the standard icon used, rather than refusing the whole export."""
    icons = anx.get("icons") if isinstance(anx, dict) else None
    if not isinstance(icons, dict):
        return {}
    return {k: v for k, v in icons.items() if isinstance(k, str) and isinstance(v, str)}


def write_anx(chart: Chart, path: str | os.PathLike[str]) -> None:
    check_colours(chart)
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
    used_icons = _icons_from_settings(chart.settings.get("anx"))
    type_box = etree.SubElement(root, "EntityTypeCollection")
    for name in dict.fromkeys(e.type for e in entities):
        et = chart.entity_type(name)
        etree.SubElement(type_box, "EntityType", Name=xml_safe(name),
                         IconFile=xml_safe(used_icons.get(name) or I2_ICONS.get(name, name)),
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
                                  Identity=xml_safe(_identity_shown(chart, e)),
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
                               "colour": lk.style.colour, "date": _iso(lk.date),
                               "precision": lk.date_precision.value})
    extra["meta"] = chart_meta(chart, kinds)
    for n, part in enumerate(pi_parts(json_text(extra))):
        root.insert(n, etree.ProcessingInstruction(PI_TARGET, part))
    write_tree(root, path)


def _identity_shown(chart: Chart, e: Entity) -> str:
    """The Identity i2 shows: the label where it gives the entity's identity (the analyst's
    'Anna Kowalska', not the matching key 'anna kowalska'), else the key (a phone in E.164),
    else the id (i2 needs one)."""
    if e.identity is None:
        return e.id
    with contextlib.suppress(ParseError):
        if e.label and chart.identity_for(e.type, e.label) == e.identity:
            return e.label
    return e.identity


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _entity_extra(e: Entity) -> dict[str, Any]:
    return {"identity": e.identity, "x": e.x, "y": e.y, "date": _iso(e.date),
            "precision": e.date_precision.value,
            "coordinates": list(e.coordinates) if e.coordinates else None,
            "icon": e.style.icon, "colour": e.style.colour, "size": e.style.size,
            "sources": sources_text(e.provenance)}


