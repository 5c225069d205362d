"""How many legs a route map draws by default, and the note that says what was left out.

Drawn at a minimum of one case, the 23,000-link routes sample is a red blanket: 4,133 legs
over 318 places, where no leg and no place can be told apart. A reader sees the strongest
legs when the map keeps to a couple of hundred of them, so the default minimum count is the
smallest one that leaves at most ``MAX_LEGS`` legs, and the map says so ("showing 182 of
4,133 legs (20+ cases, 5,433 of 22,888 cases)...") so nobody takes it for every case.

One rule for every map: ``workbench map`` without ``--min-count``, the map dock until the
analyst sets a minimum, the static map and the report.
"""

from __future__ import annotations

import math

from workbench.geo.routes import RouteMap

# What stays readable on a 1600x1000 screen or an A4 page (looked at on the routes sample):
# at 135-182 legs the corridors and their places stand out; at 260 Europe and West Africa
# are a tangle of arrowheads again.
MAX_LEGS = 200


def default_min_count(route_map: RouteMap) -> int:
    """The smallest minimum count (cases per leg) that leaves at most ``MAX_LEGS`` legs of
    ``route_map`` (counted over all its legs, whatever minimum it was built with); 1 when
    every leg fits. Legs tied at the cut-off are kept or left out together, so the result
    can be fewer legs than ``MAX_LEGS`` (or, when hundreds of legs tie
    with the busiest one, more)."""
    counts = sorted((s.count for s in route_map.all_segments or route_map.segments),
                    reverse=True)
    if len(counts) <= MAX_LEGS:
        return 1
    # Keep only legs above the count of the first leg that does not fit; when every leg
    # ties with the busiest, show that top tier rather than an empty map.
    minimum = math.floor(counts[MAX_LEGS]) + 1
    if minimum > counts[0]:
        minimum = math.floor(counts[0])
    return max(1, minimum)


def legible(route_map: RouteMap) -> RouteMap:
    """``route_map`` at its default minimum count."""
    return route_map.at_least(default_min_count(route_map))


def shown_note(route_map: RouteMap) -> str | None:
    """"showing 182 of 4,133 legs (20+ cases, 5,433 of 22,888 cases); lower the minimum to
    see more", or None when every leg is drawn."""
    every = route_map.all_segments
    if len(route_map.segments) >= len(every):
        return None
    shown = sum(s.count for s in route_map.segments)
    return (f"showing {len(route_map.segments):,} of {len(every):,} legs "
            f"({route_map.min_count:,}+ cases, {_count(shown)} of "
            f"{_count(route_map.all_cases)} cases); lower the minimum to see more")


def _count(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
