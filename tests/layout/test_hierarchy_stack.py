"""The hierarchy layout of a big component does not overflow the stack.

igraph's Sugiyama layout recurses in C as deep as the graph demands: on a 50,000-entity
chart it overflowed the main thread's 8 MB stack and the process died (a segmentation fault,
no message; in the window, the layout's child process). The same overflow is shown here on
an 8,000-entity chart by giving the process a stack of 224 KB, in which the layout ran out
before and finishes now that Sugiyama has a thread and a stack of its own."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from workbench.layout import LAYOUTS, LayoutInput, hierarchy
from workbench.model import Chart, Entity, Link

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


def test_the_hierarchy_lays_out_where_a_thread_stack_must_stay_under_256_mib(monkeypatch):
    """CPython on Windows refuses a thread stack of 256 MiB or more (``threading.stack_size``
    raises ValueError; Python/thread_nt.h), and commits the whole of the stack it gives: the
    1 GB asked for every hierarchy layout failed there, on every chart. The stack is now sized
    to the chart and kept under the limit where the platform has one; here the Windows rule
    stands in for the platform's, and the chart asks for as much as one of some 500,000
    entities and links would."""
    real = threading.stack_size
    given: list[int] = []

    def windows(size: int = 0) -> int:
        if size and not 0x8000 <= size < 0x10000000:
            raise ValueError(f"size not valid: {size} bytes")
        given.append(size)
        return real(size)

    monkeypatch.setattr(threading, "stack_size", windows)
    monkeypatch.setattr(hierarchy, "STACK_MIN", 512 << 20)
    chart = Chart("star")
    chart.add_entities(Entity(f"e{i}", "Person", f"P{i}") for i in range(30))
    chart.add_links(Link(f"l{i}", "e0", f"e{i}", "Associate") for i in range(1, 30))
    positions = LAYOUTS["hierarchy"](LayoutInput.from_chart(chart))
    assert len(positions) == 30
    assert all(positions["e0"][1] < y for k, (_, y) in positions.items() if k != "e0")
    assert 0 < max(given) < 256 << 20
