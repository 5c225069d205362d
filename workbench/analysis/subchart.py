"""Copy part of a chart (a path, a connecting network, a cluster) into a new chart.

The analyst's "copy the path to a new chart" for a briefing: the new chart has the same types,
region and marking, copies of the chosen entities with their attributes, positions, styles and
provenance, and the chosen links whose both ends came along.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

from workbench.model import Chart


def subchart(chart: Chart, entity_ids: Iterable[str], link_ids: Iterable[str] = (),
             title: str | None = None) -> Chart:
    """A new chart holding copies of these entities and of those links between them."""
    entities = [chart.entity(e) for e in dict.fromkeys(entity_ids)]
    kept = {e.id for e in entities}
    links = [chart.link(lid) for lid in dict.fromkeys(link_ids)]
    links = [lk for lk in links if lk.end1 in kept and lk.end2 in kept]
    new = Chart(title or f"{chart.title} (part)", catalogue=chart.catalogue, region=chart.region)
    new.marking, new.author = chart.marking, chart.author
    new.description = f"Copied from {chart.title!r}."
    new.add_entities(copy.deepcopy(entities))
    new.add_links(copy.deepcopy(links))
    return new
