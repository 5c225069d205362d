"""The force layout keeps links clear of the entities they do not join: a link drawn through
an icon, its label printed over it, reads as that entity's link."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.conftest import REPO
from workbench.io.importspec import load_spec
from workbench.layout.clearing import CLEARANCE, clear_links
from workbench.store import open_store

SPEC = REPO / "sample_charts" / "specs" / "call-records.yaml"
DATA = REPO / "sample_charts" / "data" / "vast2008_call_records.csv"


def links_over_entities(chart, positions) -> list[tuple[str, str]]:
    """(link label, entity label) for each link passing within CLEARANCE of an entity's
    centre, between its two ends, that it does not join."""
    found = []
    for link in chart.links.values():
        a, b = np.array(positions[link.end1]), np.array(positions[link.end2])
        d = b - a
        for entity in chart.entities.values():
            if entity.id in (link.end1, link.end2):
                continue
            p = np.array(positions[entity.id]) - a
            t = float(p @ d / (d @ d))
            if 0.0 < t < 1.0 and abs(d[0] * p[1] - d[1] * p[0]) / np.hypot(*d) < CLEARANCE:
                found.append((link.label or link.type, entity.label))
    return found


@pytest.fixture(scope="module")
def calls_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("store") / "calls.wbstore"
    with open_store(path, create=True) as store:
        store.import_files(load_spec(SPEC), SPEC.read_text(encoding="utf-8"), [DATA])
    return path


def store_chart(path: Path, seed: str, **options):
    with open_store(path, read_only=True) as store:
        return store.chart([store.search(seed, limit=1)[0].id], **options)


def test_a_handsets_callers_are_drawn_with_no_call_through_another_handset(calls_store):
    """Handset 200's six callers call each other too: the layout put Handset 5, Handset 200
    and Handset 1 on one line, and "3 Calls" between 5 and 1 was drawn over Handset 200."""
    chart = store_chart(calls_store, "Handset 200", hops=1)
    positions = {e.id: (e.x, e.y) for e in chart.entities.values()}
    assert links_over_entities(chart, positions) == []


@pytest.mark.parametrize("hub", ["Handset 1", "Handset 5", "Handset 97"])
def test_few_links_run_over_entities_in_a_store_chart_of_forty(calls_store, hub):
    """Before, 16 to 22 (link, entity) pairs of these 40-entity charts were too close; a
    few are left where entities crowd about a hub."""
    chart = store_chart(calls_store, hub, hops=2, max_entities=40)
    positions = {e.id: (e.x, e.y) for e in chart.entities.values()}
    assert len(links_over_entities(chart, positions)) <= 10


def test_an_entity_on_a_link_is_moved_just_clear_of_it_and_the_ends_stay():
    block = [(7, 0.0, 0.0), (8, 100.0, 3.0), (9, 200.0, 0.0)]
    moved = clear_links(block, [(0, 2)])  # the first and the last
    assert moved[0] == block[0] and moved[2] == block[2]
    x, y = moved[1][1:]
    assert x == 100.0 and CLEARANCE <= y <= CLEARANCE + 2.0


def test_a_drawing_with_no_entity_on_a_link_or_a_mass_of_lines_is_left_as_it_is():
    clear = [(0, 0.0, 0.0), (1, 100.0, 80.0), (2, 200.0, 0.0)]
    assert clear_links(clear, [(0, 2), (0, 1)]) is clear
    # a ring of 40 entities each joined to every other: every entity lies under some link
    ring = [(v, 500.0 * np.cos(v / 40 * 2 * np.pi), 500.0 * np.sin(v / 40 * 2 * np.pi))
            for v in range(40)]
    everything = [(a, b) for a in range(40) for b in range(a + 1, 40)]
    assert clear_links(ring, everything) is ring
