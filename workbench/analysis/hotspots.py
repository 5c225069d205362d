"""Hot spots: the entities (places, countries, phones...) that occur most.

An entity's score is the number of links touching it, or with a weight attribute (a number of
victims, an amount) the sum of that attribute over its links plus the entity's own value. This
is i2's "List Most Connected" and the lead analyst's "countries and towns showing up the most".
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from workbench.model import Chart, Kind


@dataclass(frozen=True, slots=True)
class HotSpot:
    entity_id: str
    label: str
    type: str
    score: float
    links: int  # links touching the entity (within ``among``)
    neighbours: int  # distinct entities at the other end


def hot_spots(chart: Chart, *, types: Collection[str] | None = None, weight: str | None = None,
              top: int | None = 20, among: Iterable[str] | None = None) -> list[HotSpot]:
    """Entities (of ``types``; all when None) ranked by score, highest first.

    ``among`` limits the links and entities considered (the selection, a filter's result).
    """
    keep = None if among is None else set(among)
    spots: list[HotSpot] = []
    for entity in chart.entities.values():
        if types is not None and entity.type not in types:
            continue
        if keep is not None and entity.id not in keep:
            continue
        links = [lk for lk in chart.links_of(entity.id)
                 if keep is None or (lk.id in keep or (lk.end1 in keep and lk.end2 in keep))]
        if weight:
            score = sum(_number(lk.attributes.get(weight)) for lk in links)
            score += _number(entity.attributes.get(weight))
        else:
            score = float(len(links))
        neighbours = len({lk.other_end(entity.id) for lk in links} - {entity.id})
        spots.append(HotSpot(entity.id, entity.label, entity.type, score, len(links),
                             neighbours))
    spots.sort(key=lambda s: (-s.score, -s.links, s.label.casefold(), s.entity_id))
    return spots if top is None else spots[:top]


def _number(value: object) -> float:
    if value is None or getattr(value, "kind", None) is not Kind.NUMBER:
        return 0.0
    return float(value.value)  # type: ignore[attr-defined]
