"""How the scene presents the chart: looks, formatting rules, badges, filters, parallel links.

A mixin of :class:`~workbench.view.scene.ChartScene`, kept apart so the scene module is about
following the model and the mouse, and this one about the analyst's display choices. It works
on the scene's maps of items (``_entities``, ``_links``, ``_pairs``) and never on the chart's
data beyond reading it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from workbench.model import Chart, Entity, Link
from workbench.model.formatting import (
    NO_FORMAT,
    Format,
    FormattingError,
    Rule,
    evaluate,
    load_rules,
)
from workbench.view.entity_item import EntityItem
from workbench.view.geometry import parallel_offsets
from workbench.view.link_item import LinkItem
from workbench.view.look import (
    LINK_WIDTH,
    MAX_LINK_WIDTH,
    PARALLEL_SPACING,
    DrawOptions,
    EntityLook,
    LinkLook,
    entity_look,
    link_look,
)

if TYPE_CHECKING:
    from workbench.view.overview import OverviewItem


class Presentation:
    chart: Chart
    options: DrawOptions
    overview: OverviewItem
    formatting_error: str
    _entities: dict[str, EntityItem]
    _links: dict[str, LinkItem]
    _pairs: dict[tuple[str, str], list[str]]
    _rules: list[Rule]
    _hidden_entities: frozenset[str]
    _hidden_links: frozenset[str]
    _summary: bool
    _width_attribute: str | None
    _width_max: float

    def _changed(self) -> None:  # provided by the scene
        raise NotImplementedError

    def _load_rules(self) -> None:
        try:
            self._rules = [r for r in load_rules(self.chart) if r.enabled]
            self.formatting_error = ""
        except FormattingError as exc:
            self._rules, self.formatting_error = [], str(exc)

    def _format(self, item: Entity | Link) -> Format:
        return evaluate(self.chart, self._rules, item) if self._rules else NO_FORMAT

    def _link_look(self, link: Link) -> LinkLook:
        width = None
        if self._width_attribute and self._width_max > 0:
            value = link.attributes.get(self._width_attribute)
            number = value.value if value is not None else None
            if isinstance(number, int | float) and not isinstance(number, bool):
                width = LINK_WIDTH + (MAX_LINK_WIDTH - LINK_WIDTH) * abs(number) / self._width_max
        return link_look(self.chart, link, self._format(link), width)

    def _entity_look(self, entity: Entity) -> EntityLook:
        return entity_look(self.chart, entity, self._format(entity))

    def refresh_looks(self) -> None:
        """Re-read every item's look (types, styles, formatting rules, options changed)."""
        for entity_id, item in self._entities.items():
            entity = self.chart.entities[entity_id]
            item.refresh(entity, entity_look(self.chart, entity, self._format(entity)))
            self._update_entity_visibility(item)
        for link_id, item in self._links.items():
            link = self.chart.links[link_id]
            item.refresh(self.chart.links[link_id], self._link_look(link))
            self._update_link_visibility(item)
        self._arrange_pairs(set(self._pairs))
        self._changed()

    def refresh_formatting(self) -> None:
        """Re-read ``chart.settings["formatting"]`` (after the window changed the rules)."""
        self._load_rules()
        self.refresh_looks()

    def set_badges(self, attribute_names: Iterable[str]) -> None:
        self.options.badges = tuple(attribute_names)
        self.refresh_looks()

    def set_frames(self, on: bool) -> None:
        self.options.frames = bool(on)
        self.update()

    def set_link_labels(self, mode: str) -> None:
        """'label' (the link's own label), 'type' (its type name) or 'none'."""
        if mode not in ("label", "type", "none"):
            raise ValueError(f"link labels must be 'label', 'type' or 'none', not {mode!r}")
        self.options.link_labels = mode
        self.refresh_looks()

    def set_link_width_attribute(self, name: str | None) -> None:
        """Draw links wider the larger this numeric attribute is (None: all the same)."""
        self._width_attribute = name or None
        values = [abs(v.value) for lk in self.chart.links.values()
                  if (v := lk.attributes.get(name or "")) is not None
                  and isinstance(v.value, int | float) and not isinstance(v.value, bool)]
        self._width_max = max(values, default=0.0)
        self.refresh_looks()

    def set_link_summary(self, on: bool) -> None:
        """Draw several links between one pair as one line with a count (or separately)."""
        self._summary = bool(on)
        self._arrange_pairs(set(self._pairs))
        self._changed()

    def link_summary(self) -> bool:
        return self._summary

    def set_hidden(self, entity_ids: Iterable[str] = (), link_ids: Iterable[str] = ()) -> None:
        """Filter items out of the drawing (links of hidden entities go too)."""
        self._hidden_entities, self._hidden_links = frozenset(entity_ids), frozenset(link_ids)
        for item in self._entities.values():
            self._update_entity_visibility(item, links=False)
        for item in self._links.values():
            self._update_link_visibility(item)
        if self._summary:  # a pair's summary line may have to be another link now
            self._arrange_pairs(set(self._pairs))
        self._changed()

    def _update_entity_visibility(self, item: EntityItem, links: bool = True) -> None:
        item.setVisible(item.look.visible and item.item_id not in self._hidden_entities)
        if links:
            for link in item.links:
                self._update_link_visibility(link)

    def _update_link_visibility(self, item: LinkItem) -> None:
        item.setVisible(item.look.visible and item.summary >= 0
                        and item.item_id not in self._hidden_links
                        and item.end1.isVisible() and item.end2.isVisible())

    def _arrange_pairs(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Give parallel links their bows, or fold them into one summary line."""
        for pair in pairs:
            items = [self._links[i] for i in self._pairs.get(pair, ())]
            if self._summary and len(items) > 1:
                # The line that stands for the pair is one the analyst has not filtered out.
                items.sort(key=lambda i: not (i.look.visible
                                              and i.item_id not in self._hidden_links))
                offsets = [0.0] * len(items)
                summaries = [len(items)] + [-1] * (len(items) - 1)
            else:
                offsets = parallel_offsets(len(items), PARALLEL_SPACING)
                summaries = [0] * len(items)
            for item, offset, summary in zip(items, offsets, summaries, strict=True):
                item.offset = offset if item.end1.item_id == pair[0] else -offset
                item.summary = summary
                item.update_geometry()
                self._update_link_visibility(item)

