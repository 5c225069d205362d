"""A layout in a child process (the hierarchy layout of big charts): the same positions as in
this process, progress passed on, Cancel kills the child, errors come back as one line."""

from __future__ import annotations

import time

import pytest

from workbench.layout import LAYOUTS, LayoutCancelled, LayoutInput
from workbench.layout.process import LayoutProcessError, run_in_process
from workbench.model import Chart, Entity, Link


def chain(n: int) -> Chart:
    chart = Chart("chain")
    chart.add_entities(Entity(f"e{i}", "Person", f"Person {i}") for i in range(n))
    chart.add_links(Link(f"l{i}", f"e{i}", f"e{i + 1}", "Associate") for i in range(n - 1))
    return chart


def test_the_child_gives_the_same_hierarchy_with_progress():
    data = LayoutInput.from_chart(chain(30))
    seen: list[float] = []
    got = run_in_process("hierarchy", data, progress=seen.append)
    assert got == LAYOUTS["hierarchy"](data)  # floats go through JSON unchanged
    assert seen and seen[-1] == 1.0


def test_cancel_kills_the_child_at_once():
    data = LayoutInput.from_chart(chain(30))
    start = time.perf_counter()
    with pytest.raises(LayoutCancelled):
        run_in_process("hierarchy", data, cancelled=lambda: time.perf_counter() - start > 0.1)
    assert time.perf_counter() - start < 5.0  # not the child's whole run


def test_a_failing_layout_says_why():
    data = LayoutInput.from_chart(chain(3))
    with pytest.raises(LayoutProcessError, match="TypeError"):
        run_in_process("hierarchy", data, no_such_option=1)


def test_only_layouts_meant_for_a_process_run_there():
    with pytest.raises(ValueError, match="force"):
        run_in_process("force", LayoutInput.from_chart(chain(3)))


def test_the_frozen_apps_launcher_is_the_child_when_given_the_flag():
    """A frozen app has no ``python -m``: its launcher takes the flag and answers as the
    child does (run here through the real packaging/launcher.py)."""
    import json
    import subprocess
    import sys
    from dataclasses import asdict
    from pathlib import Path

    from workbench.layout.process import CHILD_FLAG

    data = LayoutInput.from_chart(chain(5))
    request = {"name": "hierarchy", "options": {},
               "data": {**asdict(data), "values": [], "dates": []}}
    launcher = Path(__file__).parents[2] / "packaging" / "launcher.py"
    done = subprocess.run([sys.executable, str(launcher), CHILD_FLAG],
                          input=json.dumps(request).encode(), capture_output=True,
                          timeout=120, check=True)
    answer = json.loads(done.stdout.decode().strip().splitlines()[-1])
    expected = LAYOUTS["hierarchy"](data)
    assert {k: tuple(v) for k, v in answer["positions"].items()} == \
        {str(k): v for k, v in expected.items()}
