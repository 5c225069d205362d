"""The hierarchy layout of a big component does not overflow the stack.

igraph's Sugiyama layout recurses in C as deep as the graph demands: on a 50,000-entity
chart it overflowed the main thread's 8 MB stack and the process died (a segmentation fault,
no message; in the window, the layout's child process). The same overflow is shown here on
an 8,000-entity chart by giving the process a stack of 224 KB, in which the layout ran out
before and finishes now that Sugiyama has a thread and a stack of its own."""

from __future__ import annotations

import subprocess
import sys

import pytest

resource = pytest.importorskip("resource")  # POSIX: the stack limit of a child process

SCRIPT = """
import random
import igraph
from workbench.layout import LAYOUTS, LayoutInput
from workbench.model import Chart, Entity, Link
random.seed(1)  # igraph draws from Python's random numbers
graph = igraph.Graph.Barabasi(8000, 2)
chart = Chart("hubs")
chart.add_entities(Entity(f"e{i}", "Person", f"P{i}") for i in range(8000))
chart.add_links(Link(f"l{k}", f"e{a}", f"e{b}", "Associate")
                for k, (a, b) in enumerate(graph.get_edgelist()))
positions = LAYOUTS["hierarchy"](LayoutInput.from_chart(chart))
print(len(positions))
"""


def _small_stack() -> None:
    resource.setrlimit(resource.RLIMIT_STACK, (224 * 1024, resource.RLIM_INFINITY))


def test_the_hierarchy_of_a_hub_network_finishes_on_a_small_stack():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          preexec_fn=_small_stack, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["8000"]
