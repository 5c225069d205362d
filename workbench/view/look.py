"""How an item looks: its type's look, overridden by its own style, then by formatting rules.

Kept apart from the items so the overview painter, the export and the items all agree, and so
the order of precedence (type < item style < conditional formatting) is written down once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF

from workbench.model import Chart, Entity, Link, Strength
from workbench.model.formatting import NO_FORMAT, Format
from workbench.view.icons import IconCache, shared_icons

ICON_SIZE = 32.0  # scene units of an entity icon at style size 1.0
LABEL_PIXELS = 11  # label font height in scene units
LINK_LABEL_PIXELS = 10
BADGE_PIXELS = 8
LABEL_WIDTH = 170.0  # labels longer than this are elided
PARALLEL_SPACING = 20.0  # distance between the middles of parallel links
LINK_WIDTH = 1.4
MAX_LINK_WIDTH = 8.0
SELECTION_COLOUR = QColor("#1e88e5")
SELECTION_STRONG = QColor("#0d47a1")  # a selected link's own line, dark enough on any colour
HALO_PIXELS = 7.0  # a selected item's halo is at least this wide on screen at any zoom
FADED = 0.18  # opacity of what is not selected when the analyst fades the rest

PEN_STYLES = {
    Strength.CONFIRMED: Qt.PenStyle.SolidLine,
    Strength.UNCONFIRMED: Qt.PenStyle.DashLine,
    Strength.TENTATIVE: Qt.PenStyle.DotLine,
}
DASH_PATTERNS = {  # in multiples of the pen width; Qt's defaults are too fine on thin lines
    Strength.UNCONFIRMED: [5.0, 3.5],
    Strength.TENTATIVE: [1.0, 2.5],
}


@dataclass(frozen=True, slots=True)
class EntityLook:
    icon: str
    colour: str
    size: float  # scene units of the icon
    visible: bool = True


@dataclass(frozen=True, slots=True)
class LinkLook:
    colour: str
    width: float
    strength: Strength
    visible: bool = True


def entity_look(chart: Chart, entity: Entity, fmt: Format = NO_FORMAT) -> EntityLook:
    kind = chart.entity_type(entity.type)
    style = entity.style
    icon = fmt.icon or style.icon or kind.icon
    colour = fmt.colour or style.colour or kind.colour
    factor = fmt.size or style.size or 1.0
    return EntityLook(icon=icon, colour=colour, size=ICON_SIZE * factor, visible=fmt.visible)


def link_look(chart: Chart, link: Link, fmt: Format = NO_FORMAT,
              width: float | None = None) -> LinkLook:
    kind = chart.link_type(link.type)
    colour = fmt.colour or link.style.colour or kind.colour
    factor = fmt.size or link.style.size or 1.0
    return LinkLook(colour=colour, width=(width or LINK_WIDTH) * factor,
                    strength=link.strength, visible=fmt.visible)


def fonts() -> tuple[QFont, QFont, QFont]:
    """Label, link label and badge fonts (sizes in scene units, so they zoom with the chart)."""
    label = QFont()
    label.setPixelSize(LABEL_PIXELS)
    link_label = QFont(label)
    link_label.setPixelSize(LINK_LABEL_PIXELS)
    badge = QFont(label)
    badge.setPixelSize(BADGE_PIXELS)
    badge.setBold(True)
    return label, link_label, badge


@dataclass
class DrawOptions:
    """What the analyst chose to see, shared by every item of one scene."""

    icons: IconCache = field(default_factory=shared_icons)
    images: Mapping[str, bytes] = field(default_factory=dict)
    badges: tuple[str, ...] = ()  # attribute names shown as badges on entities
    frames: bool = False  # a ring in the entity's colour around each icon
    link_labels: str = "label"  # "label" (the link's own), "type" or "none"
    min_label_pixels: float = 6.0  # labels smaller than this on screen are not drawn
    min_badge_pixels: float = 6.0
    fade_unselected: bool = False  # the analyst's choice: everything unselected faint ...
    fade_active: bool = False  # ... and whether it applies now (something is selected)
    placed_labels: bool = False  # entity labels drawn by the label layer (in a window)
    pixel_ratio: float = 1.0  # device pixels per logical pixel (the view sets it on HiDPI)
    label_font: QFont = field(default_factory=lambda: fonts()[0])
    link_font: QFont = field(default_factory=lambda: fonts()[1])
    badge_font: QFont = field(default_factory=lambda: fonts()[2])
    # Told of an item whose course or size changed (the scene's spatial index for clicks).
    moved: Callable[[object], None] | None = None

    @property
    def label_metrics(self) -> QFontMetricsF:
        metrics = self.__dict__.get("_label_metrics")
        if metrics is None:
            metrics = self.__dict__["_label_metrics"] = QFontMetricsF(self.label_font)
        return metrics
