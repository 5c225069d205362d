"""Chart Display: how a chart is drawn (frames, link labels, summaries, badges, link widths).

The choices are plain JSON in ``chart.settings["display"]`` so that they are saved in the
chart file and travel with it: a colleague who opens the file sees exactly the same chart.
Nothing here knows about Qt; the scene reads a :class:`Display` and draws by it. A file whose
display entry is damaged is refused with a message naming the bad key (see
:func:`display_from_json`). A chart without the entry is drawn with the plain defaults, never
with anything remembered on the machine that opens it.

The entry::

    {"frames": false, "link_labels": "label", "link_summary": true,
     "badges": ["age"], "link_width": "@count", "fade_unselected": false, "legend": true}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from workbench.model.chart import Chart

SETTINGS_KEY = "display"
LINK_LABELS = ("label", "type", "none")
COUNT = "@count"  # link width by how many links a line stands for (with the summary)
MAX_BADGES = 20


class DisplayError(ValueError):
    """A display entry that cannot be used; the message names the bad key."""


@dataclass(frozen=True, slots=True)
class Display:
    """What the analyst chose to see; the defaults are the plain chart."""

    frames: bool = False  # a ring in the entity's colour around each icon
    link_labels: str = "label"  # "label" (the link's own), "type" or "none"
    link_summary: bool = False  # parallel links drawn as one line with a count
    badges: tuple[str, ...] = ()  # entity attribute names shown as badges
    link_width: str | None = None  # numeric link attribute, COUNT, or None (all the same)
    fade_unselected: bool = False  # with a selection, everything else drawn faint
    legend: bool = True  # the key to formatting rules and link styles, when there is one

    def to_json(self) -> dict[str, Any]:
        data = {"frames": self.frames, "link_labels": self.link_labels,
                "link_summary": self.link_summary, "badges": list(self.badges),
                "link_width": self.link_width}
        if self.fade_unselected:  # files from before the choice existed stay the same
            data["fade_unselected"] = True
        if not self.legend:  # likewise: only a chart whose legend was turned off says so
            data["legend"] = False
        return data

    def changed(self, **changes: Any) -> Display:
        """A copy with these choices changed, checked like a file's entry."""
        return display_from_json({**self.to_json(), **changes})


DEFAULT = Display()
KEYS = tuple(f.name for f in fields(Display))


def display_from_json(data: Any) -> Display:
    """Check a display entry (from a file or a command line) and make a Display of it.

    Missing keys take the defaults; anything else wrong raises DisplayError naming the key.
    """
    if data is None:
        return DEFAULT
    if not isinstance(data, Mapping):
        raise DisplayError(f"must be an object, not {type(data).__name__}")
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise DisplayError(f"unknown key(s) {', '.join(map(repr, unknown))}; the keys are "
                           f"{', '.join(KEYS)}")
    for flag in ("frames", "link_summary", "fade_unselected", "legend"):
        if flag in data and not isinstance(data[flag], bool):
            raise DisplayError(f"{flag}: must be true or false, not {data[flag]!r}")
    link_labels = data.get("link_labels", DEFAULT.link_labels)
    if link_labels not in LINK_LABELS:
        raise DisplayError(f"link_labels: must be one of {', '.join(LINK_LABELS)}, "
                           f"not {link_labels!r}")
    badges = data.get("badges", [])
    if (not isinstance(badges, list | tuple)
            or not all(isinstance(b, str) and b.strip() for b in badges)):
        raise DisplayError("badges: must be a list of attribute names")
    if len(badges) > MAX_BADGES:
        raise DisplayError(f"badges: at most {MAX_BADGES} attributes, not {len(badges)}")
    link_width = data.get("link_width")
    if link_width is not None and (not isinstance(link_width, str) or not link_width.strip()):
        raise DisplayError(f"link_width: must be a numeric link attribute's name, {COUNT!r} "
                           f"or null, not {link_width!r}")
    return replace(DEFAULT, frames=data.get("frames", False),
                   link_labels=link_labels, link_summary=data.get("link_summary", False),
                   badges=tuple(dict.fromkeys(badges)), link_width=link_width,
                   fade_unselected=data.get("fade_unselected", False),
                   legend=data.get("legend", True))


def chart_display(chart: Chart) -> Display:
    """The chart's own display (the defaults when it has none); raises DisplayError."""
    return display_from_json(chart.settings.get(SETTINGS_KEY))
