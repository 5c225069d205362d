"""Entities and links: plain objects the Chart owns. Mutate them only through Chart methods,
so that every change is announced to the views and can be undone."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from workbench.model.kinds import Value
from workbench.model.provenance import SourceRecord


class Direction(StrEnum):
    NONE = "none"
    FORWARD = "forward"  # end1 -> end2
    REVERSE = "reverse"  # end2 -> end1
    BOTH = "both"


class Strength(StrEnum):
    CONFIRMED = "confirmed"
    UNCONFIRMED = "unconfirmed"
    TENTATIVE = "tentative"


@dataclass(frozen=True, slots=True)
class Style:
    """Per-item overrides of the type's look; None means 'as the type says'."""

    icon: str | None = None
    colour: str | None = None
    size: float | None = None

    def is_default(self) -> bool:
        return self.icon is None and self.colour is None and self.size is None


DEFAULT_STYLE = Style()


@dataclass(slots=True, eq=True)
class Entity:
    id: str
    type: str
    label: str
    identity: str | None = None
    attributes: dict[str, Value] = field(default_factory=dict)
    x: float = 0.0
    y: float = 0.0
    date: datetime | None = None
    coordinates: tuple[float, float] | None = None
    style: Style = DEFAULT_STYLE
    provenance: list[SourceRecord] = field(default_factory=list)


@dataclass(slots=True, eq=True)
class Link:
    id: str
    end1: str
    end2: str
    type: str
    label: str = ""
    direction: Direction = Direction.NONE
    strength: Strength = Strength.CONFIRMED
    attributes: dict[str, Value] = field(default_factory=dict)
    date: datetime | None = None
    style: Style = DEFAULT_STYLE
    provenance: list[SourceRecord] = field(default_factory=list)

    def other_end(self, entity_id: str) -> str:
        return self.end2 if entity_id == self.end1 else self.end1

    def arrow_pairs(self) -> list[tuple[str, str]]:
        """(from, to) pairs that the direction implies: none, one or two."""
        if self.direction is Direction.FORWARD:
            return [(self.end1, self.end2)]
        if self.direction is Direction.REVERSE:
            return [(self.end2, self.end1)]
        if self.direction is Direction.BOTH:
            return [(self.end1, self.end2), (self.end2, self.end1)]
        return []
