"""What a chart's legend says: the formatting rules that colour or size its items, and the
link strengths it draws in different styles.

A chart with attackers in red and the others in blue means nothing to a bank officer without
a key. The legend lists each enabled rule that sets a colour, icon or size and that matches at
least one item (its name, or the condition in words when it has none, and how many items it
marks), and, when links of more than one strength are drawn, what solid, dashed and dotted
lines mean. Plain data: the view and the picture exports draw it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from workbench.model.chart import Chart
from workbench.model.formatting import FormattingError, Rule, load_rules, matches
from workbench.model.items import Strength

MAX_RULES = 12  # a legend longer than this hides the chart it explains
OPS_IN_WORDS = {"equals": "is", "not_equals": "is not", "contains": "contains",
                "at_least": "at least", "at_most": "at most", "exists": "is given",
                "missing": "is missing"}
STRENGTH_WORDS = {Strength.CONFIRMED: "confirmed", Strength.UNCONFIRMED: "unconfirmed",
                  Strength.TENTATIVE: "tentative"}


@dataclass(frozen=True, slots=True)
class LegendEntry:
    text: str
    colour: str | None = None  # the dot's colour: the rule's, else the one its items share
    size: float | None = None  # the rule's size factor
    strength: str | None = None  # for a line-style entry: confirmed, unconfirmed, tentative
    links: bool = False  # the entry is about links (drawn as a line, not a dot)


def describe(rule: Rule) -> str:
    """The rule's name, or its condition in words ("Person: attacker is true")."""
    if rule.name.strip():
        return rule.name.strip()
    field = rule.field.lstrip("@")
    if rule.op == "between":
        condition = f"{field} from {rule.value} to {rule.high}"
    elif rule.op in ("exists", "missing"):
        condition = f"{field} {OPS_IN_WORDS[rule.op]}"
    else:
        value = str(rule.value).lower() if isinstance(rule.value, bool) else rule.value
        condition = f"{field} {OPS_IN_WORDS[rule.op]} {value}"
    kinds = ", ".join(rule.types) if rule.types else rule.applies_to
    return f"{kinds}: {condition}"


def legend_entries(chart: Chart, entity_ids: set[str] | None = None,
                   link_ids: set[str] | None = None) -> list[LegendEntry]:
    """The legend of ``chart`` (or of a picture of only these entities and links); empty
    when there is nothing a reader needs explained."""
    try:
        rules = load_rules(chart)
    except FormattingError:
        return []  # the window says what is wrong with the rules; the key stays silent
    entries: list[LegendEntry] = []
    for rule in rules:
        if not rule.enabled or (rule.colour is None and rule.size is None
                                and rule.icon is None) or rule.visible is False:
            continue
        items = (_only(chart.links, link_ids) if rule.applies_to == "links"
                 else _only(chart.entities, entity_ids))
        marked = [item for item in items if matches(rule, chart, item)]
        if marked:
            links = rule.applies_to == "links"
            noun = ("link" if links else "entity") if len(marked) == 1 else \
                ("links" if links else "entities")
            entries.append(LegendEntry(f"{describe(rule)} ({len(marked):,} {noun})",
                                       rule.colour or _shared_colour(chart, marked, links),
                                       rule.size, links=links))
        if len(entries) == MAX_RULES:
            break
    strengths = Counter(link.strength for link in _only(chart.links, link_ids))
    if len(strengths) > 1:
        entries.extend(LegendEntry(f"{STRENGTH_WORDS[s]} link", strength=s.value, links=True)
                       for s in Strength if s in strengths)
    return entries


def _shared_colour(chart: Chart, items: list, links: bool) -> str | None:
    """The colour a size-only rule's items are drawn in when they share one (a key's grey
    dot beside green countries reads as a different group); None when they differ."""
    kind = chart.link_type if links else chart.entity_type
    colours = {item.style.colour or kind(item.type).colour for item in items}
    return colours.pop() if len(colours) == 1 else None


def _only(items: dict, ids: set[str] | None) -> Iterable:
    return items.values() if ids is None else (items[i] for i in ids if i in items)
