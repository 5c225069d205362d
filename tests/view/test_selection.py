"""The shared selection is the model's: display changes and undo never shrink or grow it, a
summary line stands for its pair's links, and selected items stand out (and the rest fade)."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.analysis.fields import resolve_field
from workbench.analysis.histogram import histogram
from workbench.io import load_chart
from workbench.model import Chart, Selection
from workbench.model.display import SETTINGS_KEY, Display, chart_display
from workbench.view import ChartScene

ROUTES = Path(__file__).resolve().parents[2] / "sample_charts" / "trafficking-routes.wbchart"


@pytest.fixture(scope="module")
def routes() -> Chart:
    return load_chart(ROUTES)


def sweden_bar(chart: Chart) -> tuple[list[str], list[str]]:
    """What a click on the "Sweden" bar of the histogram of destinations selects (229
    links, as in the report of the freeze)."""
    counts = histogram(chart, resolve_field(chart, "to"))
    bar = next(b for b in counts.bars if b.label == "Sweden")
    return ([i for i in bar.ids if i in chart.entities],
            [i for i in bar.ids if i in chart.links])


def test_summary_toggle_with_a_histogram_selection_keeps_it_exact_and_quiet(routes):
    """The freeze: 229 links selected, Summarise Parallel Links toggled. Each link hidden in
    a summary line used to come back as a new, smaller selection to every listener (70 s in
    the window) and 47 links were left selected."""
    selection = Selection()
    scene = ChartScene(routes, selection)
    try:
        scene.set_link_summary(False)
        entities, links = sweden_bar(routes)
        assert len(links) == 229
        selection.set(entities, links)
        heard = []
        selection.changed.connect(lambda: heard.append(len(selection.links)))
        for on in (True, False, True):
            scene.set_link_summary(on)
            assert selection.links == frozenset(links)
        assert heard == []  # nobody was told of a change that is not one
        # Summarised, each selected link's line is drawn selected, and only those lines.
        shown = {scene.link_item(i).rep for i in links}
        assert set(scene.selectedItems()) == shown
        assert all(item.isVisible() and item.summary != -1 for item in shown)
        scene.set_link_summary(False)
        assert {i.item_id for i in scene.selectedItems()} == set(links)
    finally:
        scene.detach()


def test_the_selection_survives_filters_widths_and_their_undo(routes):
    chart = routes
    selection = Selection()
    scene = ChartScene(chart, selection)
    try:
        entities, links = sweden_bar(chart)
        selection.set(entities, links)
        before = chart_display(chart)
        chart.set_setting(SETTINGS_KEY, Display(link_labels="type").to_json())
        assert selection.links == frozenset(links)
        chart.set_setting(SETTINGS_KEY, before.to_json())
        scene.set_hidden(link_ids=links[:100])
        scene.set_hidden()
        assert selection.links == frozenset(links)
        assert {i.item_id for i in scene.selectedItems() if i.summary <= 1} <= set(links)
    finally:
        scene.detach()


def busy() -> tuple[Chart, list[str], str]:
    chart = Chart("busy")
    a = chart.make_entity("Country", "A", identity="A", x=0.0, y=0.0)
    b = chart.make_entity("Country", "B", identity="B", x=300.0, y=0.0)
    c = chart.make_entity("Country", "C", identity="C", x=300.0, y=300.0)
    ab = [chart.make_link(a.id, b.id, "Associate").id for _ in range(4)]
    bc = chart.make_link(b.id, c.id, "Associate").id
    return chart, ab, bc


def test_clicking_a_summary_line_selects_the_links_it_stands_for():
    chart, ab, bc = busy()
    chart.set_setting(SETTINGS_KEY, Display(link_summary=True).to_json())
    selection = Selection()
    scene = ChartScene(chart, selection)
    line = scene.link_item(ab[0]).rep
    line.setSelected(True)  # what a click on the line does
    assert selection.links == frozenset(ab)
    # Two of the four chosen elsewhere: the line is drawn selected and an added click on
    # another link keeps exactly those two.
    selection.set(links=ab[:2])
    assert line.isSelected()
    scene.link_item(bc).setSelected(True)
    assert selection.links == frozenset([*ab[:2], bc])
    line.setSelected(False)
    assert selection.links == frozenset([bc])
    scene.detach()


def test_fade_the_rest_is_a_saved_display_choice_applied_while_something_is_selected():
    chart, _ab, bc = busy()
    selection = Selection()
    scene = ChartScene(chart, selection)
    scene.set_fade_unselected(True)
    assert scene.display.fade_unselected
    assert not scene.options.fade_active  # nothing selected: nothing fades
    selection.set(links=[bc])
    assert scene.options.fade_active
    selection.clear()
    assert not scene.options.fade_active
    chart.set_setting(SETTINGS_KEY, Display(fade_unselected=True).to_json())
    again = ChartScene(chart, Selection())
    assert again.options.fade_unselected
    assert Display().to_json() == Display(fade_unselected=False).to_json()
    assert "fade_unselected" not in Display().to_json()  # old files stay the same
    scene.detach()
    again.detach()


def test_an_edit_that_hides_and_shows_a_selected_entity_keeps_it_selected():
    """A rule hiding entities labelled "C" used to drop C from the selection (Qt deselects
    what it hides); relabelling it back shows it selected again."""
    chart, _ab, bc = busy()
    chart.set_setting("formatting", [{"field": "@label", "op": "equals", "value": "Hidden",
                                      "visible": False}])
    selection = Selection()
    scene = ChartScene(chart, selection)
    c = chart.link(bc).end2
    selection.set([c], [bc])
    chart.update_entity(c, label="Hidden")
    assert not scene.entity_item(c).isVisible()
    assert selection.entities == {c} and selection.links == {bc}
    chart.update_entity(c, label="C")
    assert scene.entity_item(c).isSelected() and scene.link_item(bc).isSelected()
    assert selection.entities == {c} and selection.links == {bc}
    scene.detach()
