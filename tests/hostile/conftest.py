"""Charts and files for the command-line corpus: one full of hostile text, a clean one, one
with control characters in its title, a small spreadsheet and a folder that refuses files."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from tests.hostile.cli_run import Hostile
from tests.hostile.payloads import ALL_TEXT, MARKUP_PAYLOADS, TEMPLATE_PAYLOADS
from workbench.io import load_chart, save_chart
from workbench.model import Chart, Direction
from workbench.model.kinds import Kind, Value

CONTROL_TITLE = "Routes \x1b]0;owned\x07 \x1b[2J"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Hostile:
    folder = tmp_path_factory.mktemp("hostile")
    marker = folder / "code-ran"
    runs_code = "{{ cycler.__init__.__globals__.os.makedirs(" + repr(str(marker)) + ") }}"
    # a lone surrogate cannot be saved in a chart file today: see test_cli.py
    texts = (*(t for t in ALL_TEXT if "\ud800" not in t), runs_code)
    title = " ".join(TEMPLATE_PAYLOADS[:3]) + " " + MARKUP_PAYLOADS[0]
    chart = Chart(title)
    previous = None
    for i, text in enumerate(texts):
        entity = chart.make_entity("Location", text, coordinates=(35 + i * 0.4, -5 + i * 0.9),
                                   attributes={"note": Value(Kind.TEXT, text)})
        if previous is not None:
            chart.make_link(previous.id, entity.id, "Trafficked to", label=text,
                            direction=Direction.FORWARD,
                            attributes={"kind": Value(Kind.TEXT, text)})
        previous = entity
    path = folder / "hostile.wbchart"
    save_chart(chart, path)
    return Hostile(path, texts, title, marker, folder)



@pytest.fixture(scope="module")
def clean_chart(tmp_path_factory) -> Path:
    """Three places and two routes: every command can write something from it."""
    chart = Chart("Routes")
    places = [chart.make_entity("Location", name, coordinates=coords) for name, coords in
              (("Tirana", (41.3, 19.8)), ("Bari", (41.1, 16.9)), ("Milan", (45.5, 9.2)))]
    for a, b in itertools.pairwise(places):
        chart.make_link(a.id, b.id, "Trafficked to", direction=Direction.FORWARD)
    path = tmp_path_factory.mktemp("clean") / "routes.wbchart"
    save_chart(chart, path)
    return path


@pytest.fixture(scope="module")
def control_title(tmp_path_factory, clean_chart) -> Path:
    """The clean chart with control characters in its title (drawn on maps, in workbook
    properties, printed by info)."""
    chart = load_chart(clean_chart)
    chart.set_metadata("title", CONTROL_TITLE)
    path = tmp_path_factory.mktemp("control") / "control.wbchart"
    save_chart(chart, path)
    return path


@pytest.fixture
def people_csv(tmp_path) -> Path:
    path = tmp_path / "people.csv"
    path.write_text("Name\nAlice\nBob\n", encoding="utf-8")
    return path


@pytest.fixture
def readonly_folder(tmp_path) -> Path:
    """A folder this process cannot create files in: a 0555 folder, or for root (who
    ignores permissions) a folder of the read-only kernel filesystem."""
    folder = tmp_path / "readonly"
    folder.mkdir()
    folder.chmod(0o555)
    for candidate in (folder, Path("/sys/kernel")):
        try:
            (candidate / "probe").open("w").close()
        except OSError:
            return candidate
        (candidate / "probe").unlink()
    pytest.skip("no folder here refuses new files")

