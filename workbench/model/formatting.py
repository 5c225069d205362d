"""Conditional formatting: rules that set colour, icon, size or visibility from item values.

Rules are plain JSON data kept in ``chart.settings["formatting"]`` (a list of dicts), so they
are saved in the chart file and travel with it. Later rules win over earlier ones for the
properties they set. The view asks :func:`evaluate` for each item's :class:`Format`; nothing
here knows about Qt.

A rule::

    {"name": "Attackers in red", "applies_to": "entities", "types": ["Person"],
     "field": "attacker", "op": "equals", "value": true,
     "colour": "#c0392b", "icon": null, "size": 1.5, "visible": null, "enabled": true}

``field`` is an attribute name, or one of ``@type``, ``@label``, ``@strength``,
``@direction``, ``@date``, ``@links`` (number of links of an entity).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from workbench.model.catalogue import CatalogueError, check_colour
from workbench.model.chart import Chart
from workbench.model.items import Entity, Link

SETTINGS_KEY = "formatting"
OPS = ("equals", "not_equals", "contains", "between", "at_least", "at_most", "exists",
       "missing")
TARGETS = ("entities", "links")
SPECIAL_FIELDS = ("@type", "@label", "@strength", "@direction", "@date", "@links")


class FormattingError(ValueError):
    """A rule that cannot be used; the message names the rule by number and name."""


@dataclass(frozen=True, slots=True)
class Format:
    """What the rules decided for one item; None means 'as the type and style say'."""

    colour: str | None = None
    icon: str | None = None
    size: float | None = None
    visible: bool = True

    def merged(self, rule: Rule) -> Format:
        return Format(
            colour=rule.colour if rule.colour is not None else self.colour,
            icon=rule.icon if rule.icon is not None else self.icon,
            size=rule.size if rule.size is not None else self.size,
            visible=rule.visible if rule.visible is not None else self.visible,
        )


NO_FORMAT = Format()


@dataclass(frozen=True, slots=True)
class Rule:
    field: str
    op: str = "equals"
    value: Any = None
    high: Any = None  # upper bound for "between"
    applies_to: str = "entities"
    types: tuple[str, ...] = ()
    name: str = ""
    colour: str | None = None
    icon: str | None = None
    size: float | None = None
    visible: bool | None = None
    enabled: bool = True

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["types"] = list(self.types)
        return data


def rule_from_json(data: Any, index: int) -> Rule:
    where = f"formatting rule {index + 1}"
    if not isinstance(data, Mapping):
        raise FormattingError(f"{where}: must be an object, not {type(data).__name__}")
    if isinstance(data.get("name"), str) and data["name"]:
        where += f" ({data['name']!r})"
    known = {"field", "op", "value", "high", "applies_to", "types", "name", "colour", "icon",
             "size", "visible", "enabled"}
    unknown = set(data) - known
    if unknown:
        raise FormattingError(f"{where}: unknown keys {sorted(unknown)}")
    if not isinstance(data.get("field"), str) or not data["field"]:
        raise FormattingError(f"{where}: needs a 'field' (an attribute name or @type, ...)")
    op = data.get("op", "equals")
    if op not in OPS:
        raise FormattingError(f"{where}: op {op!r} is not one of {', '.join(OPS)}")
    applies_to = data.get("applies_to", "entities")
    if applies_to not in TARGETS:
        raise FormattingError(f"{where}: applies_to must be 'entities' or 'links'")
    types = data.get("types") or []
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise FormattingError(f"{where}: types must be a list of type names")
    colour = data.get("colour")
    if colour is not None:
        try:
            colour = check_colour(colour, where)
        except CatalogueError as exc:
            raise FormattingError(str(exc)) from None
    size = data.get("size")
    if size is not None and (isinstance(size, bool) or not isinstance(size, int | float)
                             or not 0.1 <= size <= 10):
        raise FormattingError(f"{where}: size must be a number from 0.1 to 10")
    for flag in ("visible", "enabled"):
        if data.get(flag) is not None and not isinstance(data[flag], bool):
            raise FormattingError(f"{where}: {flag} must be true or false")
    icon = data.get("icon")
    if icon is not None and not isinstance(icon, str):
        raise FormattingError(f"{where}: icon must be an icon name")
    if op == "between" and (data.get("value") is None or data.get("high") is None):
        raise FormattingError(f"{where}: 'between' needs 'value' and 'high'")
    return Rule(field=data["field"], op=op, value=data.get("value"), high=data.get("high"),
                applies_to=applies_to, types=tuple(types), name=str(data.get("name") or ""),
                colour=colour, icon=icon, size=None if size is None else float(size),
                visible=data.get("visible"), enabled=data.get("enabled", True) is not False)


def load_rules(chart: Chart) -> list[Rule]:
    """The chart's rules, checked; raises FormattingError naming the first bad rule."""
    raw = chart.settings.get(SETTINGS_KEY) or []
    if not isinstance(raw, list):
        raise FormattingError("formatting rules must be a list")
    return [rule_from_json(data, i) for i, data in enumerate(raw)]


def rules_to_settings(rules: Iterable[Rule]) -> list[dict[str, Any]]:
    """Plain JSON for ``chart.settings["formatting"]`` (set it through an undo command)."""
    return [rule.to_json() for rule in rules]


def _field_value(chart: Chart, item: Entity | Link, name: str) -> Any:
    if name == "@type":
        return item.type
    if name == "@label":
        return item.label
    if name == "@date":
        return item.date
    if name == "@strength":
        return str(item.strength) if isinstance(item, Link) else None
    if name == "@direction":
        return str(item.direction) if isinstance(item, Link) else None
    if name == "@links":
        return len(chart.links_of(item.id)) if isinstance(item, Entity) else None
    found = item.attributes.get(name)
    return None if found is None else found.value


def _comparable(a: Any, b: Any) -> tuple[Any, Any] | None:
    """Bring a rule value and an item value to one type, or None when they cannot compare."""
    if isinstance(a, datetime) or isinstance(b, datetime):
        try:
            a = a if isinstance(a, datetime) else datetime.fromisoformat(str(a))
            b = b if isinstance(b, datetime) else datetime.fromisoformat(str(b))
        except ValueError:
            return None
        if (a.tzinfo is None) != (b.tzinfo is None):
            a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
        return a, b
    if isinstance(a, bool) or isinstance(b, bool):
        return (a, b) if isinstance(a, bool) and isinstance(b, bool) else (str(a).lower(),
                                                                           str(b).lower())
    if isinstance(a, int | float) or isinstance(b, int | float):
        try:
            return float(a), float(b)
        except (TypeError, ValueError):
            return None
    return str(a).casefold(), str(b).casefold()


def matches(rule: Rule, chart: Chart, item: Entity | Link) -> bool:
    if not rule.enabled or (rule.types and item.type not in rule.types):
        return False
    value = _field_value(chart, item, rule.field)
    if rule.op == "exists":
        return value is not None and value != ""
    if rule.op == "missing":
        return value is None or value == ""
    if value is None:
        return False
    if rule.op == "contains":
        return str(rule.value).casefold() in str(value).casefold()
    pair = _comparable(value, rule.value)
    if pair is None:
        return False
    left, right = pair
    try:
        if rule.op == "equals":
            return left == right
        if rule.op == "not_equals":
            return left != right
        if rule.op == "at_least":
            return left >= right
        if rule.op == "at_most":
            return left <= right
        high = _comparable(value, rule.high)
        return high is not None and right <= left <= high[1]
    except TypeError:
        return False


def evaluate(chart: Chart, rules: Iterable[Rule], item: Entity | Link) -> Format:
    target = "entities" if isinstance(item, Entity) else "links"
    result = NO_FORMAT
    for rule in rules:
        if rule.applies_to == target and matches(rule, chart, item):
            result = result.merged(rule)
    return result


def evaluate_all(chart: Chart, rules: Iterable[Rule] | None = None) -> dict[str, Format]:
    """Formats of every item that some rule touches (items not in the result are plain)."""
    rules = load_rules(chart) if rules is None else list(rules)
    if not any(r.enabled for r in rules):
        return {}
    out: dict[str, Format] = {}
    for items in (chart.entities.values(), chart.links.values()):
        for item in items:
            fmt = evaluate(chart, rules, item)
            if fmt != NO_FORMAT:
                out[item.id] = fmt
    return out
