"""Hover text for entities and links: attributes and provenance, every value escaped.

Labels and attribute values come from scraped web pages and spreadsheets; Qt tooltips render
rich text, so anything unescaped could inject markup (or a huge image). Built on demand when
the pointer rests on an item, never stored on 30,000 items up front.
"""

from __future__ import annotations

from html import escape

from workbench.model import Chart, Entity, Link

MAX_ATTRIBUTES = 12
MAX_SOURCES = 6


def _row(name: str, value: str) -> str:
    return (f"<tr><td style='color:#666;padding-right:8px'>{escape(name)}</td>"
            f"<td>{escape(value)}</td></tr>")


def _rows(item: Entity | Link) -> list[str]:
    rows = []
    if item.date is not None:
        rows.append(_row("date", item.date.isoformat(sep=" ", timespec="minutes")))
    for i, (name, value) in enumerate(sorted(item.attributes.items())):
        if i == MAX_ATTRIBUTES:
            rows.append(_row("…", f"{len(item.attributes) - MAX_ATTRIBUTES} more attributes"))
            break
        rows.append(_row(name, value.display()))
    return rows


def _sources(item: Entity | Link) -> str:
    if not item.provenance:
        return "<p style='color:#666'>No source recorded</p>"
    lines = [escape(s.source + ": " + s.describe()) for s in item.provenance[:MAX_SOURCES]]
    more = len(item.provenance) - MAX_SOURCES
    if more > 0:
        lines.append(f"… and {more} more")
    return ("<p style='margin-top:4px'><b>Sources</b><br>" + "<br>".join(lines) + "</p>")


def entity_tooltip(chart: Chart, entity: Entity) -> str:
    rows = [_row("type", entity.type)]
    if entity.identity:
        rows.append(_row("identity", entity.identity))
    if entity.coordinates is not None:
        rows.append(_row("coordinates", f"{entity.coordinates[0]:.5f}, "
                                        f"{entity.coordinates[1]:.5f}"))
    rows += _rows(entity)
    rows.append(_row("links", str(len(chart.links_of(entity.id)))))
    return (f"<b>{escape(entity.label) or '(no label)'}</b><table>{''.join(rows)}</table>"
            + _sources(entity))


def link_tooltip(chart: Chart, link: Link) -> str:
    ends = [chart.entities.get(link.end1), chart.entities.get(link.end2)]
    names = [e.label if e is not None else "?" for e in ends]
    arrow = {"forward": "→", "reverse": "←", "both": "↔"}.get(str(link.direction), "—")
    title = f"{escape(names[0])} {arrow} {escape(names[1])}"
    rows = [_row("type", link.type), _row("strength", str(link.strength))]
    if link.label:
        rows.insert(0, _row("label", link.label))
    rows += _rows(link)
    return f"<b>{title}</b><table>{''.join(rows)}</table>" + _sources(link)
