"""What the scene shows of the chart's items: filters that hide some, and links between one pair
drawn side by side (bowed apart) or folded into one summary line.

A mixin of :class:`~workbench.view.scene.ChartScene`, apart from ``presentation.py`` (the
looks and the analyst's display choices) so each module has one job. It works on the scene's
maps of items and never changes the chart.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

import shiboken6
from PySide6.QtCore import QTimer

from workbench.model.display import COUNT
from workbench.view.entity_item import EntityItem
from workbench.view.geometry import parallel_offsets
from workbench.view.link_item import LinkItem
from workbench.view.look import PARALLEL_SPACING
from workbench.view.presentation import COURSE_SLICE_S, keeps_selection


class Arrangement:
    _entities: dict[str, EntityItem]
    _links: dict[str, LinkItem]
    _pairs: dict[tuple[str, str], list[str]]
    _hidden_entities: frozenset[str]
    _hidden_links: frozenset[str]
    _hiders: dict[str, tuple[frozenset[str], frozenset[str]]]
    _summary: bool
    _width_attribute: str | None

    @keeps_selection
    def set_hidden(self, entity_ids: Iterable[str] = (), link_ids: Iterable[str] = (), *,
                   by: str = "filter") -> None:
        """Filter items out of the drawing (links of hidden entities go too). Each filter
        (``by``: the Find dock's "filter", the time filter's "time") hides its own items;
        the chart hides what any of them hides, so one never shows what another hid. Only
        the items whose visibility changes are touched (a time filter playing through the
        23,000 routes moves a few hundred)."""
        hiders = self._hiders
        hiders[by] = (frozenset(entity_ids), frozenset(link_ids))
        was_entities, was_links = self._hidden_entities, self._hidden_links
        if len(hiders) == 1:
            self._hidden_entities, self._hidden_links = hiders[by]
        else:
            self._hidden_entities = frozenset().union(*(e for e, _ in hiders.values()))
            self._hidden_links = frozenset().union(*(lk for _, lk in hiders.values()))
        if was_entities == self._hidden_entities and was_links == self._hidden_links:
            return  # the Find dock's filters, set as a window opens, hid nothing: the labels,
            # the overview and the chart's area were forgotten and measured again each time
        entities, links = self._entities, self._links
        changed = was_links ^ self._hidden_links
        for entity_id in was_entities ^ self._hidden_entities:
            item = entities.get(entity_id)
            if item is not None:
                self._update_entity_visibility(item)
        for link_id in changed:
            item = links.get(link_id)
            if item is not None:
                self._update_link_visibility(item)
        if self._summary:  # a pair's summary line may have to be another link now
            pairs = {(i.end1.item_id, i.end2.item_id) for i in map(links.get, changed) if i}
            pairs = {(a, b) if a <= b else (b, a) for a, b in pairs}
            self._unindex_for_bulk(len(pairs))  # each pair's line may be re-measured
            self._arrange_pairs(pairs)
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
        """Give parallel links their bows, or fold them into one summary line.

        Only what changes is touched: a link folded into a summary line is hidden and keeps
        its course (it is drawn by the line, not by itself), and one that comes back with the
        bow it had is shown without measuring it again. A summary toggle on the 23,046 routes
        of the sample is so a pass over the pairs, not a re-measure of every link. A folded
        link that never had its bow (the chart was opened summarised) is given it while the
        window is idle (``_keep_course``)."""
        by_count = self._width_attribute == COUNT
        links = self._links
        for pair in pairs:
            ids = self._pairs.get(pair, ())
            items = [links[i] for i in ids]
            summarise = self._summary and len(items) > 1
            if summarise:
                bows = dict(zip(ids, parallel_offsets(len(items), PARALLEL_SPACING),
                                strict=True))  # each link's course when not summarised
                # The line that stands for the pair is one the analyst has not filtered out.
                items.sort(key=lambda i: not (i.look.visible
                                              and i.item_id not in self._hidden_links))
                offsets = [0.0] * len(items)
            else:
                offsets = parallel_offsets(len(items), PARALLEL_SPACING)
            # the line counts the links a filter leaves, not those it hides
            count = sum(1 for i in items if i.item_id not in self._hidden_links) \
                if summarise and self._hidden_links else len(items)
            share = self._count_share_of(count) if by_count else None
            rep = items[0] if summarise else None
            for index, (item, offset) in enumerate(zip(items, offsets, strict=True)):
                summary = (count if index == 0 else -1) if summarise else 0
                item.rep = rep or item
                if summary < 0:  # folded into the summary line: hidden, course kept
                    item.summary = summary
                    self._update_link_visibility(item)
                    bow = bows[item.item_id]
                    self._keep_course(item, bow if item.end1.item_id == pair[0] else -bow)
                    continue
                offset = offset if item.end1.item_id == pair[0] else -offset
                moved = offset != item.offset or (summary > 1) != (item.summary > 1)
                if summary != item.summary and not moved:
                    item.update()  # "12 links" now reads "3 links"
                item.offset, item.summary = offset, summary
                if by_count:
                    item.set_look(self._shown_look(item.base_look, share))
                if moved:
                    item.update_geometry()
                self._update_link_visibility(item)

    def _keep_course(self, item: LinkItem, offset: float) -> None:
        """Give a folded link its own bow later, while the window is idle, so that turning
        the summary off draws it without measuring it then: on the routes sample, opened
        summarised, measuring its 21,174 folded links at that moment held the window for a
        second or more."""
        if offset == item.offset:
            return
        courses: dict[LinkItem, float] | None = getattr(self, "_courses", None)
        if courses is None:
            courses = self._courses = {}
        if not courses:
            QTimer.singleShot(0, self, self._measure_courses)
        courses[item] = offset

    def _measure_courses(self) -> None:
        """Measure a slice of the folded links waiting for their bow (COURSE_SLICE_S of
        work), then let the window breathe and come back for the rest."""
        courses: dict[LinkItem, float] = self._courses
        self._unindex_for_bulk(len(courses))
        end = time.perf_counter() + COURSE_SLICE_S
        while courses and time.perf_counter() < end:
            item, offset = courses.popitem()
            # Skipped: a link deleted since, or no longer folded (measured when shown).
            if shiboken6.isValid(item) and item.scene() is self and item.summary < 0 \
                    and item.offset != offset:
                item.offset = offset
                item.update_geometry()
        if courses:
            QTimer.singleShot(0, self, self._measure_courses)
