"""The chart model: plain Python, no Qt, no pandas. Everything else draws, counts or saves it."""

from workbench.model.catalogue import (
    Catalogue,
    CatalogueError,
    EntityType,
    LinkType,
    default_catalogue,
)
from workbench.model.chart import Chart, ChartError
from workbench.model.items import Direction, Entity, Link, Strength, Style
from workbench.model.kinds import Kind, ParseError, Value, identity_key, parse_value
from workbench.model.provenance import SourceRecord
from workbench.model.selection import Selection

__all__ = [
    "Catalogue",
    "CatalogueError",
    "Chart",
    "ChartError",
    "Direction",
    "Entity",
    "EntityType",
    "Kind",
    "Link",
    "LinkType",
    "ParseError",
    "Selection",
    "SourceRecord",
    "Strength",
    "Style",
    "Value",
    "default_catalogue",
    "identity_key",
    "parse_value",
]
