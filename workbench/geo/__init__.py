"""Route maps, offline: gazetteer, placing entities, routes from a chart, interactive (Leaflet)
and static (matplotlib) maps. No Qt here; the map dock in ``workbench.ui`` shows them."""

from workbench.geo.gazetteer import Gazetteer, Place, Resolution, default_gazetteer, place_key
from workbench.geo.places import (
    Locations,
    Unresolved,
    locate,
    place_fixes,
    restore_place_fix,
    set_place_fix,
)
from workbench.geo.routes import (
    DEFAULT_ROUTE_TYPES,
    HotSpot,
    RouteMap,
    RouteOptions,
    Segment,
    build_routes,
    colour_attributes,
)

__all__ = [
    "DEFAULT_ROUTE_TYPES",
    "Gazetteer",
    "HotSpot",
    "Locations",
    "Place",
    "Resolution",
    "RouteMap",
    "RouteOptions",
    "Segment",
    "Unresolved",
    "build_routes",
    "colour_attributes",
    "default_gazetteer",
    "locate",
    "place_fixes",
    "place_key",
    "restore_place_fix",
    "set_place_fix",
]
