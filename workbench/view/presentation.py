"""How the scene presents the chart: looks, formatting rules, badges, link widths and labels.

A mixin of :class:`~workbench.view.scene.ChartScene`, kept apart so the scene module is about
following the model and the mouse, and this one about the analyst's display choices. It works
on the scene's maps of items (``_entities``, ``_links``, ``_pairs``) and never on the chart's
data beyond reading it. Filters and links between one pair (bows, summary lines) are
``arrangement.py``'s.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsScene

from workbench.model import Chart, Entity, Link
from workbench.model.display import (
    COUNT,
    DEFAULT,
    LINK_LABELS,
    Display,
    DisplayError,
    chart_display,
)
from workbench.model.formatting import (
    NO_FORMAT,
    Format,
    FormattingError,
    Rule,
    evaluate,
    load_rules,
)
from workbench.view.entity_item import EntityItem
from workbench.view.link_item import LinkItem
from workbench.view.look import (
    LINK_WIDTH,
    MAX_LINK_WIDTH,
    DrawOptions,
    EntityLook,
    LinkLook,
    entity_look,
    link_look,
)

if TYPE_CHECKING:
    from workbench.view.overview import OverviewItem

BULK = 500  # moving or redrawing this many items at once turns the scene's BSP index off
COURSE_SLICE_S = 0.03  # folded links are given their bows in slices of this much work
COUNT_MIN_WIDTH = 0.6  # by count, a line standing for one link is a hairline ...
COUNT_MIN_ALPHA = 0.15  # ... and faint


def keeps_selection(method: Callable[..., None]) -> Callable[..., None]:
    """Run a display change without letting Qt's side effects reach the shared selection.

    Qt deselects an item when it is hidden (a link folded into a summary line, a filtered
    entity), and each deselection used to be read back as the analyst's new selection: a
    summary toggle with 229 links selected sent 182 shrinking selections to every dock (70 s)
    and left 47 links selected. The selection is the model's; afterwards Qt's is made to
    match it again."""
    @functools.wraps(method)
    def keeping(self: Presentation, *args: object, **kwargs: object) -> None:
        if self._syncing:
            method(self, *args, **kwargs)
            return
        self._syncing = True
        try:
            method(self, *args, **kwargs)
        finally:
            self._syncing = False
        self.apply_selection()
    return keeping


class Presentation:
    chart: Chart
    options: DrawOptions
    overview: OverviewItem
    formatting_error: str
    display: Display
    display_error: str
    _entities: dict[str, EntityItem]
    _links: dict[str, LinkItem]
    _pairs: dict[tuple[str, str], list[str]]
    _rules: list[Rule]
    _hidden_entities: frozenset[str]
    _hidden_links: frozenset[str]
    _hiders: dict[str, tuple[frozenset[str], frozenset[str]]]
    _summary: bool
    _width_attribute: str | None
    _width_max: float
    _count_looks: dict[tuple[LinkLook, float], LinkLook]
    # looks by (type, style[, strength]) while no formatting rule applies
    _plain_looks: dict[tuple, EntityLook | LinkLook]
    _syncing: bool

    def apply_selection(self) -> None:  # provided by the scene
        raise NotImplementedError

    def _fade_changed(self) -> None:  # provided by the scene
        raise NotImplementedError

    def _changed(self) -> None:  # provided by the scene
        raise NotImplementedError

    def _load_rules(self) -> None:
        self._plain_looks.clear()
        try:
            self._rules = [r for r in load_rules(self.chart) if r.enabled]
            self.formatting_error = ""
        except FormattingError as exc:
            self._rules, self.formatting_error = [], str(exc)

    def _format(self, item: Entity | Link) -> Format:
        return evaluate(self.chart, self._rules, item) if self._rules else NO_FORMAT

    def _link_looks(self, link: Link) -> tuple[LinkLook, LinkLook]:
        """(base, shown): the look by type, style, rules and width attribute, and the look
        drawn, which by count is the base made wider or fainter by how many links the line
        stands for. The base is kept on the item, so a summary toggle does not evaluate the
        formatting rules again for 23,000 links."""
        width = None
        if self._width_attribute and self._width_attribute != COUNT and self._width_max > 0:
            value = link.attributes.get(self._width_attribute)
            number = value.value if value is not None else None
            if isinstance(number, int | float) and not isinstance(number, bool):
                width = LINK_WIDTH + (MAX_LINK_WIDTH - LINK_WIDTH) * abs(number) / self._width_max
        if self._rules or width is not None:
            base = link_look(self.chart, link, self._format(link), width)
        else:  # by type, style and strength alone: one look for thousands of links
            key = (link.type, link.style, link.strength)
            base = self._plain_looks.get(key)
            if base is None:
                base = self._plain_looks[key] = link_look(self.chart, link)
        return base, self._shown_look(base, self._count_share(link))

    def _shown_look(self, base: LinkLook, share: float | None) -> LinkLook:
        if share is None or self._width_attribute != COUNT:
            return base
        key = (base, share)
        look = self._count_looks.get(key)
        if look is None:
            look = self._count_looks[key] = self._count_look(base, share)
        return look

    def _entity_look(self, entity: Entity) -> EntityLook:
        """The entity's look; without formatting rules, shared by entities of one type and
        style (the look of each of 100,000 entities was a fifth of building the scene)."""
        if self._rules:
            return entity_look(self.chart, entity, self._format(entity))
        key = (entity.type, entity.style)
        look = self._plain_looks.get(key)
        if look is None:
            look = self._plain_looks[key] = entity_look(self.chart, entity)
        return look

    @keeps_selection
    def refresh_looks(self) -> None:
        """Re-read every item's look (types, styles, formatting rules, options changed)."""
        self._plain_looks.clear()
        self._unindex_for_bulk(len(self._links))
        if self._width_attribute == COUNT:
            self._measure_width(COUNT)
        for entity_id, item in self._entities.items():
            entity = self.chart.entities[entity_id]
            item.refresh(entity, self._entity_look(entity))
            self._update_entity_visibility(item)
        for link_id, item in self._links.items():
            link = self.chart.links[link_id]
            base, look = self._link_looks(link)
            item.refresh(link, look, base)
            self._update_link_visibility(item)
        self._arrange_pairs(set(self._pairs))
        self._changed()

    def _rebadge(self) -> None:
        """Badges are drawn by the entities alone: their looks, outlines and links stay."""
        for entity_id, item in self._entities.items():
            item.refresh(self.chart.entities[entity_id], item.look)
        self._changed()

    def _rewidth_links(self) -> None:
        """A width by another attribute changes each link's width, not its course, its
        visibility or its ends: each link takes its new look, and only links whose look
        changed are measured and redrawn."""
        links = self.chart.links
        for link_id, item in self._links.items():
            base, look = self._link_looks(links[link_id])
            item.base_look = base
            item.set_look(look)
        self._changed()

    def _relabel_links(self) -> None:
        """Link labels change the text on each link, not its look or course."""
        links = self.chart.links
        for link_id, item in self._links.items():
            item.relabel(links[link_id])
        self.labels_outdated.emit()

    def refresh_formatting(self) -> None:
        """Re-read ``chart.settings["formatting"]`` (the scene does so itself when the chart's
        ``settings_changed`` names it)."""
        self._load_rules()
        self.refresh_looks()

    # ----- chart display (chart.settings["display"]) ----------------------------------------
    def _on_settings_changed(self, key: str) -> None:
        if key == "formatting":
            self.refresh_formatting()
        elif key == "display":
            self.set_display(self._read_display())

    def _read_display(self) -> Display:
        """The chart's own display; a bad entry draws plainly and says why."""
        try:
            display = chart_display(self.chart)
            self.display_error = ""
        except DisplayError as exc:
            display, self.display_error = DEFAULT, f"chart display: {exc}"
        return display

    def _prime_display(self, display: Display) -> None:
        """Take the display before any item exists, so each item is drawn once, right."""
        self.display = display
        self.options.frames = display.frames
        self.options.link_labels = display.link_labels
        self.options.badges = display.badges
        self._summary = display.link_summary
        self.options.fade_unselected = display.fade_unselected
        self._measure_width(display.link_width)

    @keeps_selection
    def set_display(self, display: Display) -> None:
        """Draw by these choices. Only what changed is redone: each change is a pass over
        every item (seconds for 30,000 links)."""
        old, self.display = self.display, display
        if display.link_summary != old.link_summary:
            self._unindex_for_bulk(len(self._links))
        looks = False
        if display.frames != old.frames:
            self.options.frames = display.frames
            self.update()
        if display.badges != old.badges:
            self.options.badges = display.badges
            self._rebadge()
        if display.link_labels != old.link_labels:
            self.options.link_labels = display.link_labels
            self._relabel_links()
        if display.link_width != old.link_width:
            self._measure_width(display.link_width)
            if display.link_summary != old.link_summary or (
                    self._summary and display.link_width == COUNT):
                looks = True  # by count, the summary lines are styled as they are arranged
            else:
                self._rewidth_links()
        if display.link_summary != old.link_summary:
            self._summary = display.link_summary
            if not looks:
                self._arrange_pairs(set(self._pairs))
                self._changed()
        if display.fade_unselected != old.fade_unselected:
            self.options.fade_unselected = display.fade_unselected
            self._fade_changed()
        if display.legend != old.legend:
            self.legend_outdated.emit()  # the views show or hide their legend
        if looks:
            self.refresh_looks()

    def _unindex_for_bulk(self, changing: int) -> None:
        """``changing`` items are about to change their geometry (a layout or its undo moves
        thousands of entities; a display change redraws every link). With Qt's BSP index each
        is re-filed: a layout of 10,000 entities and 20,000 links took minutes to apply, a
        summary toggle on the 23,046 routes of the sample 10-25 s (0.7-1.8 s without). The
        unindexed scene is also quicker to repaint zoomed in (15 vs 52 ms) and to hit-test a
        click (57 vs 211 ms); only rubber-band queries are slower (128 vs 41 ms). So after the
        first bulk change the scene stays unindexed, as Qt advises for scenes whose items
        move."""
        no_index = QGraphicsScene.ItemIndexMethod.NoIndex
        if changing >= BULK and self.itemIndexMethod() != no_index:
            self.setItemIndexMethod(no_index)

    def _measure_width(self, name: str | None) -> None:
        """Remember the largest value that link widths are scaled to."""
        self._width_attribute = name or None
        if name == COUNT:
            self._width_max = float(max((len(ids) for ids in self._pairs.values()), default=0))
            return
        values = [abs(v.value) for lk in self.chart.links.values()
                  if (v := lk.attributes.get(name or "")) is not None
                  and isinstance(v.value, int | float) and not isinstance(v.value, bool)]
        self._width_max = max(values, default=0.0)

    def _count_share(self, link: Link) -> float | None:
        """How busy the line of this link's pair is, from 0 (one link) to 1 (the busiest
        pair), when summary lines are drawn by count."""
        if not self._summary or self._width_attribute != COUNT:
            return None
        pair = (link.end1, link.end2) if link.end1 <= link.end2 else (link.end2, link.end1)
        return self._count_share_of(len(self._pairs.get(pair, ())))

    def _count_share_of(self, count: int) -> float | None:
        if not self._summary or self._width_max <= 1:
            return None
        return min(1.0, max(count - 1, 0) / (self._width_max - 1))

    def _count_look(self, look: LinkLook, share: float) -> LinkLook:
        """By count, a line standing for one link is a faint hairline and the busiest pair a
        wide, solid line: on a dense chart (23,046 routes between 399 countries) the main
        routes stand out of the mass instead of drowning in it. Linear, so that only the
        really busy pairs are wide."""
        colour = QColor(look.colour)
        colour.setAlphaF(COUNT_MIN_ALPHA + (1.0 - COUNT_MIN_ALPHA) * share)
        width = COUNT_MIN_WIDTH + (MAX_LINK_WIDTH - COUNT_MIN_WIDTH) * share
        return replace(look, colour=colour.name(QColor.NameFormat.HexArgb),
                       width=width * (look.width / LINK_WIDTH))

    def set_badges(self, attribute_names: Iterable[str]) -> None:
        self.set_display(replace(self.display, badges=tuple(dict.fromkeys(attribute_names))))

    def set_frames(self, on: bool) -> None:
        self.set_display(replace(self.display, frames=bool(on)))

    def set_link_labels(self, mode: str) -> None:
        """'label' (the link's own label), 'type' (its type name) or 'none'."""
        if mode not in LINK_LABELS:
            raise ValueError(f"link labels must be 'label', 'type' or 'none', not {mode!r}")
        self.set_display(replace(self.display, link_labels=mode))

    @keeps_selection
    def set_link_width_attribute(self, name: str | None) -> None:
        """Draw links wider the larger this numeric attribute is (None: all the same; COUNT:
        summary lines by their count). Measured again even when the name is the same."""
        self.display = replace(self.display, link_width=name or None)
        self._measure_width(name)
        self.refresh_looks()

    def set_link_summary(self, on: bool) -> None:
        """Draw several links between one pair as one line with a count (or separately)."""
        self.set_display(replace(self.display, link_summary=bool(on)))

    def link_summary(self) -> bool:
        return self._summary

    def set_fade_unselected(self, on: bool) -> None:
        """Draw everything not selected faint, so a few selected links among thousands
        stand out (nothing fades while nothing is selected)."""
        self.set_display(replace(self.display, fade_unselected=bool(on)))
