"""Chart Display in the chart: checked JSON, set through Chart.set_setting, refused when bad."""

from __future__ import annotations

import json
import zipfile

import pytest

from tests.hostile.bombs import forge_chart_json
from workbench.io import ChartFileError, load_chart, save_chart
from workbench.model import Chart
from workbench.model.display import (
    COUNT,
    DEFAULT,
    Display,
    DisplayError,
    chart_display,
    display_from_json,
)


def test_a_chart_without_a_display_is_plain():
    chart = Chart()
    assert chart_display(chart) == DEFAULT == Display()
    assert display_from_json({}) == DEFAULT


def test_round_trip_through_json():
    display = Display(frames=True, link_labels="type", link_summary=True,
                      badges=("age", "victim"), link_width=COUNT)
    assert display_from_json(json.loads(json.dumps(display.to_json()))) == display
    assert display.changed(frames=False) == Display(
        link_labels="type", link_summary=True, badges=("age", "victim"), link_width=COUNT)


@pytest.mark.parametrize(("entry", "message"), [
    (["frames"], "must be an object, not list"),
    ({"frame": True}, "unknown key(s) 'frame'"),
    ({"frames": "yes"}, "frames: must be true or false, not 'yes'"),
    ({"link_summary": 1}, "link_summary: must be true or false"),
    ({"link_labels": "labels"}, "link_labels: must be one of label, type, none, not 'labels'"),
    ({"badges": "age"}, "badges: must be a list of attribute names"),
    ({"badges": ["age", ""]}, "badges: must be a list of attribute names"),
    ({"link_width": 3}, "link_width: must be a numeric link attribute's name"),
])
def test_bad_entries_name_the_key(entry, message):
    with pytest.raises(DisplayError) as caught:
        display_from_json(entry)
    assert message in str(caught.value)


def test_set_setting_signals_and_returns_the_old_value():
    chart = Chart()
    heard: list[str] = []
    chart.settings_changed.connect(heard.append)
    assert chart.set_setting("display", {"frames": True}) is None
    assert chart.set_setting("display", {"frames": False}) == {"frames": True}
    assert chart.set_setting("display", None) == {"frames": False}
    assert "display" not in chart.settings
    assert heard == ["display", "display", "display"]


def test_the_display_travels_in_the_file(tmp_path):
    chart = Chart("shared")
    a = chart.make_entity("Person", "A", x=0.0, y=0.0)
    b = chart.make_entity("Person", "B", x=100.0, y=0.0)
    chart.make_link(a.id, b.id, "Associate")
    chart.set_setting("display", Display(link_summary=True, link_width=COUNT).to_json())
    path = tmp_path / "shared.wbchart"
    save_chart(chart, path)
    again = load_chart(path)
    assert chart_display(again) == Display(link_summary=True, link_width=COUNT)


def test_a_file_with_a_bad_display_is_refused(tmp_path):
    path = tmp_path / "damaged.wbchart"
    save_chart(Chart("damaged"), path)
    forge_chart_json(path, lambda d: d["settings"].update(
        display={"frames": True, "link_labels": "sideways"}))
    with zipfile.ZipFile(path) as archive:  # the file holds what was written
        assert '"sideways"' in archive.read("chart.json").decode()
    with pytest.raises(ChartFileError) as caught:
        load_chart(path)
    message = str(caught.value)
    assert "damaged.wbchart" in message and "settings.display" in message
    assert "link_labels" in message and "'sideways'" in message
