"""i2 ANX import: the chart's own fields, or everything when Workbench wrote the file (the
``workbench-chart`` processing instruction); see anx_export.py for the mapping."""

from __future__ import annotations

import contextlib
import os
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
from lxml import etree

from workbench.io.chartrules import clean_chart
from workbench.io.interchange.anx_format import (
    ARROWS,
    ATTRIBUTE_KINDS,
    DOT_STYLES,
    MDI_FOR_I2,
    PI_TARGET,
    colour_from_bgr,
    join_pi_parts,
)
from workbench.io.interchange.common import (
    InterchangeError,
    Notes,
    apply_chart_meta,
    parse_xml,
    sources_from_text,
    value_from_text,
)
from workbench.model import (
    Chart,
    ChartError,
    DatePrecision,
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


class _Reader:
    def __init__(self, root: etree._Element, path: Path,
                 warnings: list[str] | None = None) -> None:
        self.root, self.path, self.name = root, path, path.name
        self.warnings = warnings if warnings is not None else []
        self.notes = Notes(self.name)
        self.chart = Chart(path.stem)
        self.extra: dict[str, Any] = {}
        self.extra = self._workbench_block(root)
        self.identity_texts: dict[str, str] = {}  # entity id -> the Identity i2 showed
        self.kinds: dict[str, dict[str, str]] = {}
        if isinstance(self.extra.get("meta"), str):
            self.kinds = apply_chart_meta(self.chart, self.extra["meta"], self.name, self.notes)
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

    def _workbench_block(self, root: etree._Element) -> dict[str, Any]:
        """The Workbench fields of a file Workbench wrote, or {} with a note when they are
        damaged (the i2 fields are still read)."""
        parts = [node.text or "" for node in root
                 if isinstance(node, etree._ProcessingInstruction) and node.target == PI_TARGET]
        if not parts:
            return {}
        text = join_pi_parts(parts)
        if text is None:
            self.notes.add("the Workbench fields are missing parts; left out",
                           f"{len(parts)} part(s)")
            return {}
        try:
            loaded = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            self.notes.add("the Workbench fields are not valid JSON; left out", str(exc))
            return {}
        return loaded if isinstance(loaded, dict) else {}

    def _strings(self, tag: str) -> list[str]:
        return [s.get("Text", "") for s in self.root.iterfind(f"{tag}/StringCollection/String")]

    def entity_type_of(self, element: etree._Element) -> str:
        """The type from the entity's representation: IconStyle, or BoxStyle, CircleStyle,
        ThemeLineStyle, EventStyle... (whichever style element names a Type)."""
        for style in element.iter():
            if isinstance(style.tag, str) and style.tag.endswith("Style"):
                name = style.get("Type") or self.by_reference(style, "EntityTypeReference")
                if name:
                    return name
        return "Entity"

    def by_reference(self, element: etree._Element, attribute: str) -> str:
        """The name an i2 Id reference points at: the schema's own attribute
        (``EntityTypeReference``, ``LinkTypeReference``) or the older ``TypeReference``."""
        for key in (attribute, "TypeReference"):
            name = self.names_by_id.get(element.get(key, ""))
            if name:
                return name
        return ""

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
                colour=self.colour(t.get("Colour"), t) or "#555555"))
        link_types = [
            LinkType(t.get("Name", ""), colour=self.colour(t.get("Colour"), t) or "#555555")
            for t in self.root.iterfind("LinkTypeCollection/LinkType")
            if t.get("Name") and t.get("Name") not in self.chart.catalogue.link_types]
        self.chart.add_types(entity_types, link_types)
        if icons:
            self.chart.settings["anx"] = {"icons": icons}

    def colour(self, text: str | None, element: etree._Element) -> str | None:
        """An i2 colour, or None with a note when it is not one (the type's colour is used)."""
        try:
            return colour_from_bgr(text, self.where(element))
        except InterchangeError:
            self.notes.add("a colour is not a Windows colour number; the type's colour used",
                           f"line {element.sourceline}: {str(text)[:40]!r}")
            return None

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
                try:
                    out[name] = value_from_text(str(kind), text, where)
                except InterchangeError:  # "NaN" in a number attribute: keep what i2 says
                    self.notes.add("an attribute value does not fit its type; kept as text",
                                   f"line {a.sourceline}, {name!r}: {text[:40]!r}")
                    out[name] = Value(Kind.TEXT, text)
        if not self.extra and item.get("Description"):
            out.setdefault("Description", Value(Kind.TEXT, item.get("Description", "")))
        return out

    def date(self, item: etree._Element) -> datetime | None:
        if item.get("DateSet") != "true" or not item.get("DateTime"):
            return None
        try:
            value = datetime.fromisoformat(item.get("DateTime", ""))
        except ValueError:
            self.notes.add("a DateTime is not a date; left out",
                           f"line {item.sourceline}: {item.get('DateTime', '')[:40]!r}")
            return None
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
        if identity_text == i2_id:  # i2 needs an Identity; the item's id stands in for none
            identity_text = ""
        label = item.get("Label") or identity_text
        found = self.extra.get("entities") if self.extra else None
        extra = found.get(i2_id) if isinstance(found, dict) else None
        attributes = self.attributes(item, "entity")
        at = f"line {element.sourceline}"
        x = self.notes.number(end.get("X", "0"), "position X", at) or 0.0
        y = self.notes.number(end.get("Y", "0"), "position Y", at) or 0.0
        shading = element.find("Icon/IconStyle")
        colour = self.colour(shading.get("IconShadingColour"), shading) \
            if shading is not None else None
        entity = Entity(id=i2_id if extra else self.chart.new_id("e"), type=type_name,
                        label=label, attributes=attributes, x=x, y=y, date=self.date(item),
                        style=Style(colour=colour), provenance=self.source(item))
        if isinstance(extra, dict):
            self._entity_extra(entity, extra, where)
        elif identity_text:
            with contextlib.suppress(ParseError):
                entity.identity = self.chart.identity_for(type_name, identity_text)
            # Kept as written where the matching key would lose it (case, spacing, a value
            # that is no identity); Workbench's own exports write the label or the key.
            if identity_text not in (label, entity.identity):
                attributes.setdefault("i2 identity", Value(Kind.TEXT, identity_text))
        ids[i2_id] = entity.id
        self.identity_texts[entity.id] = identity_text
        if item.get("Id"):
            ids["item\0" + item.get("Id", "")] = entity.id
        return entity

    def link(self, item: etree._Element, element: etree._Element, ids: dict[str, str],
             number: int) -> Link:
        where = self.where(element)
        # End1Id names the entity's EntityId; End1Reference (IdReferenceLinking) the Id of
        # the entity's chart item, kept in ``ids`` under ("item", Id).
        ends = tuple(ids.get(element.get(f"End{n}Id") or "") or
                     ids.get("item\0" + (element.get(f"End{n}Reference") or "")) or ""
                     for n in (1, 2))
        for n, end in enumerate(ends, 1):
            if not end:
                named = element.get(f"End{n}Id") or element.get(f"End{n}Reference") or ""
                raise InterchangeError(f"{where}: link refers to entity {named!r}, which is "
                                       "not in the chart")
        style = element.find("LinkStyle")
        style = style if style is not None else etree.Element("LinkStyle")
        arrow = style.get("ArrowStyle", "ArrowNone")
        direction = {v: k for k, v in ARROWS.items()}.get(arrow, Direction.NONE)
        strength_name = style.get("Strength") or self.names_by_id.get(
            style.get("StrengthReference", ""), "")
        strength = self.strengths.get(strength_name) or _strength_named(strength_name) \
            or Strength.CONFIRMED
        type_name = style.get("Type") or self.by_reference(style, "LinkTypeReference") or "Link"
        colour = self.colour(style.get("LineColour"), element)
        if colour == self.chart.link_type(type_name).colour:
            colour = None
        extras = self.extra.get("links", []) if self.extra else []
        extras = extras if isinstance(extras, list) else []
        extra = extras[number] if number < len(extras) else None
        link = Link(id=self.chart.new_id("l"), end1=ends[0], end2=ends[1],
                    type=type_name, label=item.get("Label", ""), direction=direction,
                    strength=strength, attributes=self.attributes(item, "link"),
                    date=self.date(item), style=Style(colour=colour),
                    provenance=self.source(item))
        if isinstance(extra, dict):
            link.id = _text(extra.get("id")) or link.id
            link.provenance = sources_from_text(_text(extra.get("sources")) or "[]", where)
            link.style = Style(colour=_text(extra.get("colour")))
            link.date = self._extra_date(extra, where) or link.date
            link.date_precision = self._precision(extra, where)
        return link

    def _entity_extra(self, entity: Entity, extra: dict[str, Any], where: str) -> None:
        """The Workbench fields an ANX written by Workbench carries in its processing
        instruction. Edited by hand or by another tool they may be of any JSON kind: a value
        of the wrong kind is left out with a note; clean_chart checks the rest."""
        entity.identity = _text(extra.get("identity"))
        at = f"line {where.rpartition('line ')[2]}, entity {entity.id}"
        for axis in ("x", "y"):
            value = extra.get(axis, getattr(entity, axis))
            if isinstance(value, int | float) and not isinstance(value, bool):
                setattr(entity, axis, float(value))
            else:
                self.notes.add(f"Workbench position {axis} is not a number; i2's used",
                               f"{at}: {str(value)[:40]!r}")
        entity.date = self._extra_date(extra, where) or entity.date
        entity.date_precision = self._precision(extra, where)
        coords = extra.get("coordinates")
        if isinstance(coords, list) and len(coords) == 2 and all(
                isinstance(c, int | float) and not isinstance(c, bool) for c in coords):
            entity.coordinates = (float(coords[0]), float(coords[1]))
        elif coords:
            self.notes.add("Workbench coordinates are not [latitude, longitude]; left out",
                           f"{at}: {str(coords)[:40]!r}")
        size = extra.get("size")
        entity.style = Style(icon=_text(extra.get("icon")), colour=_text(extra.get("colour")),
                             size=size if isinstance(size, int | float) and
                             not isinstance(size, bool) else None)
        entity.provenance = sources_from_text(_text(extra.get("sources")) or "[]", where)

    def _precision(self, extra: dict[str, Any], where: str) -> DatePrecision:
        """How much of its date the source gave (a year, a day...); exact when not said."""
        text = extra.get("precision", "second")
        try:
            return DatePrecision(text)
        except (TypeError, ValueError):
            self.notes.add("a Workbench date precision is not known; the date kept exact",
                           f"line {where.rpartition('line ')[2]}: {str(text)[:40]!r}")
            return DatePrecision.SECOND

    def _extra_date(self, extra: dict[str, Any], where: str) -> datetime | None:
        text = extra.get("date")
        if not text:
            return None
        try:
            return datetime.fromisoformat(text)
        except (TypeError, ValueError):
            self.notes.add("a Workbench date is not an ISO date; left out",
                           f"line {where.rpartition('line ')[2]}: {str(text)[:40]!r}")
            return None

    def read(self) -> Chart:
        if not self.extra:  # a chart Workbench wrote carries its own types
            self.types()
        ids: dict[str, str] = {}
        entities, pending, skipped = [], [], []
        for item in self.root.iterfind("ChartItemCollection/ChartItem"):
            end = item.find("End")
            element = end.find("Entity") if end is not None else None
            if element is not None and end is not None:
                entities.append(self.entity(item, element, end, ids))
            elif item.find("Link") is not None:
                pending.append(item)
            else:
                skipped.append(str(item.sourceline))
        if skipped:
            self.warnings.append(
                f"{self.name}: {len(skipped)} chart item(s) that are neither entities nor links "
                f"(free text, theme lines) were not imported, at line(s) "
                f"{', '.join(skipped[:20])}{' ...' if len(skipped) > 20 else ''}")
        # Two i2 identities that normalise to one key (case, spacing): keep both, unmerged.
        seen: set[tuple[str, str]] = set()
        for entity in entities:
            if entity.identity is not None:
                if (entity.type, entity.identity) in seen:
                    entity.attributes.setdefault("i2 identity", Value(
                        Kind.TEXT, self.identity_texts.get(entity.id, entity.identity)))
                    entity.identity = None
                else:
                    seen.add((entity.type, entity.identity))
        self._add(self.chart.add_entities, entities)
        links = [self.link(item, item.find("Link"), ids, n) for n, item in enumerate(pending)]
        self._add(self.chart.add_links, links)
        self.notes.flush(self.warnings)
        clean_chart(self.chart, self.warnings, self.name)
        return self.chart

    def _add(self, add: Any, items: list) -> None:
        try:
            add(items)
        except ChartError as exc:
            raise InterchangeError(f"{self.name}: {exc}") from None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _strength_named(name: str) -> Strength | None:
    with contextlib.suppress(ValueError):
        return Strength(name.strip().lower())
    return None


def read_anx(path: str | os.PathLike[str], warnings: list[str] | None = None) -> Chart:
    """The chart in an ANX file; what cannot be imported is described in ``warnings``."""
    path = Path(path)
    root = parse_xml(path, keep_pis=True)
    if root.tag != "Chart":
        raise InterchangeError(f"{path.name}: not an i2 ANX chart (root is <{root.tag}>)")
    return _Reader(root, path, warnings).read()
