"""Each entity's links (Chart.links_of) stay right when a big batch of links leaves them to be
found on first use (opening a chart) and small changes follow."""

from __future__ import annotations

import pytest

from workbench.model import Chart, ChartError, Entity, Link


def _ids(chart: Chart, entity_id: str) -> set[str]:
    return {lk.id for lk in chart.links_of(entity_id)}


def test_links_of_after_a_big_batch_and_small_changes():
    chart = Chart()
    chart.add_entities([Entity(f"e{i}", "Person", str(i)) for i in range(4)])
    chart.add_links([Link("l1", "e0", "e1", "Associate"), Link("l2", "e1", "e2", "Associate")])
    assert _ids(chart, "e1") == {"l1", "l2"} and _ids(chart, "e3") == set()
    chart.add_links([Link("l3", "e1", "e3", "Associate")])  # small: followed at once
    assert _ids(chart, "e1") == {"l1", "l2", "l3"} and _ids(chart, "e3") == {"l3"}
    chart.add_entities([Entity("e4", "Person", "4")])
    assert chart.links_of("e4") == []
    removed, links = chart.remove_entities(["e1"])
    assert [e.id for e in removed] == ["e1"]
    assert {lk.id for lk in links} == {"l1", "l2", "l3"} and not chart.links
    assert _ids(chart, "e0") == set() and _ids(chart, "e3") == set()
    chart.add_links([Link("l4", "e3", "e4", "Associate")])  # all the links: found on use
    chart.remove_links(["l4"])
    assert _ids(chart, "e3") == set() and _ids(chart, "e4") == set()
    chart.add_links([Link("l5", "e3", "e3", "Associate"), Link("l6", "e0", "e3", "Associate")])
    assert _ids(chart, "e3") == {"l5", "l6"} and chart.links_between("e0", "e3")[0].id == "l6"


def test_links_of_after_big_batches_of_entities_with_and_without_links():
    """Entities into a chart without links leave their link lists to be made on first use
    (opening a chart); into a chart with links, the lists are kept up as before; either
    way every entity's links are found."""
    chart = Chart()
    chart.add_entities([Entity(f"a{i}", "Person", str(i)) for i in range(3)])
    chart.add_entities([Entity("b", "Person", "B")])  # small, still no links
    chart.add_links([Link("l1", "a0", "b", "Associate")])
    assert _ids(chart, "a0") == {"l1"} and _ids(chart, "b") == {"l1"}
    chart.add_links([Link("l2", "a1", "b", "Associate")])  # small: followed at once
    chart.add_entities([Entity(f"e{i}", "Person", str(i)) for i in range(8)])  # big batch
    chart.add_links([Link("l3", "a0", "e0", "Associate")])
    assert _ids(chart, "a0") == {"l1", "l3"} and _ids(chart, "e0") == {"l3"}
    assert _ids(chart, "b") == {"l1", "l2"} and _ids(chart, "e7") == set()


def test_a_refused_first_batch_of_links_leaves_the_chart_without_links():
    """The chart's first links go straight into its dict and are taken out again when one of
    them is refused: nothing half-added, the same message as for any batch."""
    for bad, message in ((Link("l2", "a", "b", "Associate"), "'l2' is already in the chart"),
                         (Link("a", "a", "b", "Associate"), "'a' is already in the chart"),
                         (Link("l3", "a", "zz", "Associate"), "missing entity 'zz'")):
        chart = Chart()
        chart.add_entities([Entity("a", "Person", "A"), Entity("b", "Person", "B")])
        seen = []
        chart.links_added.connect(seen.append)
        with pytest.raises(ChartError, match=message):
            chart.add_links([Link("l1", "a", "b", "Associate"),
                             Link("l2", "b", "a", "Associate"), bad])
        assert not chart.links and seen == [] and chart.links_of("a") == []
        chart.add_links([Link("l1", "a", "b", "Associate")])
        assert _ids(chart, "b") == {"l1"}
