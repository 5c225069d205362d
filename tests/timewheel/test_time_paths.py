"""Paths forward in time against a brute-force enumeration of every choice of links, on random
small dated graphs and on the call-records sample."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.analysis import AnalysisError, GraphOptions
from workbench.analysis.time_paths import time_paths, time_paths_in, timed_snapshot
from workbench.model import Chart, Direction, Entity, Link

START = datetime(2024, 3, 1)


def dated_chart(n: int, links: list[tuple[int, int, int | None, bool]]) -> Chart:
    """Entities e0..e(n-1); each link (from, to, hour or None, directed)."""
    chart = Chart("random")
    chart.add_entities([Entity(f"e{i}", "Person", f"P{i}") for i in range(n)])
    chart.add_links([Link(f"l{k}", f"e{a}", f"e{b}", "Calls",
                          direction=Direction.FORWARD if directed else Direction.NONE,
                          date=None if hour is None else START + timedelta(hours=hour))
                     for k, (a, b, hour, directed) in enumerate(links) if a != b])
    return chart


def brute_force(chart: Chart, source: str, target: str, max_links: int,
                gap: timedelta | None, directed: bool) -> set[tuple[str, ...]]:
    """Every simple entity path with some choice of dated links going forward in time."""
    crossings: dict[tuple[str, str], list[Link]] = {}
    for link in chart.links.values():
        if link.date is None:
            continue
        both = not directed or link.direction is Direction.NONE
        pairs = [(link.end1, link.end2)] + ([(link.end2, link.end1)] if both else [])
        for pair in pairs:
            crossings.setdefault(pair, []).append(link)
    graph = nx.DiGraph(list(crossings))
    graph.add_nodes_from(chart.entities)
    found = set()
    for nodes in nx.all_simple_paths(graph, source, target, cutoff=max_links):
        choices = [crossings[pair] for pair in itertools.pairwise(nodes)]
        for chain in itertools.product(*choices):
            times = [lk.date for lk in chain]
            if all(b >= a and (gap is None or b - a <= gap)
                   for a, b in itertools.pairwise(times)):
                found.add(tuple(nodes))
                break
    return found


def check_chain(chart: Chart, result, gap: timedelta | None) -> None:
    """The links a result names join its entities in order, forward in time, in the gap."""
    assert len(result.links) == result.steps
    times = []
    for (a, b), link_id in zip(itertools.pairwise(result.entities), result.links, strict=True):
        link = chart.links[link_id]
        assert {a, b} == {link.end1, link.end2}
        times.append(link.date)
    for earlier, later in itertools.pairwise(times):
        assert later >= earlier and (gap is None or later - earlier <= gap)
    assert result.cost == (times[-1] - times[0]).total_seconds()


link_lists = st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5),
                                st.one_of(st.none(), st.integers(0, 12)), st.booleans()),
                      max_size=22)


@settings(max_examples=300, deadline=None)
@given(links=link_lists, gap=st.one_of(st.none(), st.integers(0, 4)),
       max_links=st.integers(1, 4), directed=st.booleans())
def test_forward_paths_are_exactly_the_brute_force_ones(links, gap, max_links, directed):
    chart = dated_chart(6, links)
    limit = None if gap is None else timedelta(hours=gap)
    got = time_paths(chart, "e0", "e5", max_links, max_gap=limit,
                     options=GraphOptions(directed=directed))
    assert {p.entities for p in got} == brute_force(chart, "e0", "e5", max_links, limit,
                                                    directed)
    assert len(got) == len({p.entities for p in got})
    for result in got:
        check_chain(chart, result, limit)
    assert [p.steps for p in got] == sorted(p.steps for p in got)
    snap = timed_snapshot(chart, GraphOptions(directed=directed))
    shortest = time_paths_in(snap, "e0", "e5", max_links, max_gap=limit, shortest_only=True)
    fewest = min((p.steps for p in got), default=None)
    assert {p.steps for p in shortest} == ({fewest} if got else set())


def test_a_call_before_the_one_that_reached_b_is_not_followed():
    # A calls B at 10:00; B called C at 09:00 (before) and D at 11:00 (after)
    chart = dated_chart(4, [(0, 1, 10, True), (1, 2, 9, True), (1, 3, 11, True)])
    assert time_paths(chart, "e0", "e2", 3) == []
    assert [p.entities for p in time_paths(chart, "e0", "e3", 3)] == [("e0", "e1", "e3")]
    assert time_paths(chart, "e0", "e3", 3, max_gap=timedelta(minutes=30)) == []
    exactly = time_paths(chart, "e0", "e3", 3, max_gap=timedelta(hours=1))  # a gap of 1 h
    assert [p.entities for p in exactly] == [("e0", "e1", "e3")]
    with pytest.raises(AnalysisError):
        time_paths(chart, "e0", "e3", 0)


def test_on_the_call_records_each_step_is_a_real_call_in_order(calls_chart, calls_frame):
    handsets = {e.identity: e.id for e in calls_chart.entities.values()}
    # the busiest caller and one it reached in two steps within a day
    caller = str(calls_frame["From"].value_counts().index[0])
    gap = timedelta(days=1)
    snap = timed_snapshot(calls_chart)
    reached = None
    for other in calls_frame["To"].astype(str).unique():
        found = time_paths_in(snap, handsets[caller], handsets[other], 2, max_gap=gap)
        if any(p.steps == 2 for p in found):
            reached = other, found
            break
    assert reached is not None
    other, found = reached
    calls = {(str(f), str(t), w) for f, t, w in zip(calls_frame["From"], calls_frame["To"],
                                                    calls_frame["when"], strict=True)}
    ident = {e.id: e.identity for e in calls_chart.entities.values()}
    for path in found:
        check_chain(calls_chart, path, gap)
        for (a, b), link_id in zip(itertools.pairwise(path.entities), path.links, strict=True):
            when = pd.Timestamp(calls_chart.links[link_id].date)
            assert (ident[a], ident[b], when) in calls  # a call in the CSV, caller to callee
