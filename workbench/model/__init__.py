"""The chart model: plain Python, no Qt, no pandas. Everything else draws, counts or saves it."""

from workbench.model.catalogue import (
    Catalogue,
    CatalogueError,
    EntityType,
    LinkType,
    default_catalogue,
)
from workbench.model.chart import Chart
from workbench.model.chart_items import ChartError
from workbench.model.items import (
    DatePrecision,
    Direction,
    Entity,
    Link,
    Strength,
    Style,
    date_span,
)
from workbench.model.kinds import Kind, ParseError, Value, identity_key, parse_value
from workbench.model.provenance import SourceRecord
from workbench.model.selection import Selection

__all__ = [
    "Catalogue",
    "CatalogueError",
    "Chart",
    "ChartError",
    "DatePrecision",
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
    "date_span",
    "default_catalogue",
    "identity_key",
    "parse_value",
]
