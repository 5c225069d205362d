"""A hub's chart: which neighbours the cap keeps and how many it says it left out, checked
against pandas counting the calls in the file itself; and a link seen in many rows drawn
with its first source records."""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.cli import main
from workbench.io import load_chart
from workbench.io.importspec import parse_spec
from workbench.store import open_store
from workbench.store.charting import add_expansion, store_setting

SPEC = """
entities:
  caller: {type: Person, identity: "{From}"}
  callee: {type: Person, identity: "{To}"}
links:
  - {from: caller, to: callee, type: Calls}
"""


def _calls() -> pd.DataFrame:
    """A hub H calling A1..A6 six times down to once; each Ai calls its own Bi; A1 also
    calls A4 (a neighbour of H the cap leaves out, one link from a kept one too) and A2
    calls C."""
    rows = [("H", f"A{i}") for i in range(1, 7) for _ in range(7 - i)]
    rows += [(f"A{i}", f"B{i}") for i in range(1, 7)] + [("A1", "A4"), ("A2", "C")]
    return pd.DataFrame(rows, columns=["From", "To"])


@pytest.fixture
def hub_store(tmp_path):
    data = tmp_path / "calls.csv"
    _calls().to_csv(data, index=False)
    path = tmp_path / "hub.wbstore"
    with open_store(path, create=True) as store:
        store.import_files(parse_spec(SPEC), SPEC, [data])
    return path, data


def _neighbours(calls: pd.DataFrame, of: set[str]) -> pd.Series:
    """How many calls join each handset to the handsets ``of`` (either way)."""
    ends = pd.concat([calls.loc[calls["From"].isin(of), "To"],
                      calls.loc[calls["To"].isin(of), "From"]])
    return ends[~ends.isin(of)].value_counts()


def test_a_hub_keeps_its_most_called_neighbours_and_counts_the_rest(hub_store, tmp_path,
                                                                    capsys):
    path, data = hub_store
    calls = pd.read_csv(data)
    near = _neighbours(calls, {"H"})
    kept = set(near.index[:3])  # the cap of 4: the hub and its three most called
    assert kept == {"A1", "A2", "A3"}
    # left out: H's other neighbours and those one link from the kept ones, each once
    # (A4 is both: counted once)
    beyond = set(_neighbours(calls, kept).index) - kept - {"H"}
    left_out = (set(near.index) | beyond) - kept
    assert left_out == {"A4", "A5", "A6", "B1", "B2", "B3", "C"}
    with open_store(path, read_only=True) as store:
        hub = store.resolve_seed("H")
        chart = store.chart([hub], hops=2, max_entities=4)
        assert {e.label for e in chart.entities.values()} == kept | {"H"}
        among = calls["From"].isin(kept | {"H"}) & calls["To"].isin(kept | {"H"})
        assert sum(int(lk.attributes["links"].value) if "links" in lk.attributes else 1
                   for lk in chart.links.values()) == among.sum()
        # the cap was full after one hop: the chart does not count what it left out (a
        # quarter of drawing a hub's chart), the preview does
        assert store_setting(chart)["left_out"] is None
        preview = store.preview([hub], hops=2, max_entities=4)
        assert (preview.entities, preview.more) == (4, len(left_out))
        # one hop: only H's neighbours past the cap
        assert store_setting(store.chart([hub], hops=1, max_entities=4))["left_out"] == 3
        # nothing left out: the chart says 0
        assert store_setting(store.chart([hub], hops=2, max_entities=500))["left_out"] == 0
        # an expansion says what its cap left out too, and the chart keeps its drawing's
        small = store.chart([store.resolve_seed("B1")], hops=1, max_entities=2)
        found = store.expand(small, hub, hops=1, max_entities=2)
        assert ({e.label for e in found.entities}, found.left_out) == ({"H", "A2"}, 4)
        add_expansion(small, store, found)
        assert store_setting(small)["left_out"] == 0
        # a full cap still walks through what is on the chart: from H two hops, room for
        # one: A2 (A1 is on the chart); then A1's and A2's neighbours are counted (B2, C;
        # A4 was counted with H's) and B1, on the chart, is walked through; by the preview:
        # an expansion whose cap is full before its last hop does not count
        small = store.chart([store.resolve_seed("B1")], hops=1, max_entities=2)
        on_chart = list(store_setting(small)["entities"].values())
        for hops in (2, 3):
            found = store.expand(small, hub, hops=hops, max_entities=2)
            assert ({e.label for e in found.entities}, found.left_out) == ({"H", "A2"}, None)
            assert store.preview([hub], hops=hops, max_entities=2, exclude=on_chart).more == 6
    out = tmp_path / "hub.wbchart"
    assert main(["store", "chart", str(path), "--seed", "H", "--hops", "2",
                 "--max-entities", "4", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "the cap of 4 was reached before 2 hops" in printed
    assert store_setting(load_chart(out))["left_out"] is None
    assert main(["store", "chart", str(path), "--seed", "H", "--hops", "1",
                 "--max-entities", "4", "-o", str(out)]) == 0
    assert "3 more within 1 hops left out by the cap of 4" in capsys.readouterr().out


MERGED_SPEC = """
entities:
  person: {type: Person, identity: "{Name}"}
  phone: {type: Phone, identity: "{Phone}"}
links:
  - {from: person, to: phone, type: Uses, merge: true}
"""


def test_a_link_seen_in_many_rows_keeps_its_first_twenty(tmp_path):
    """One merged link per person and phone however many rows name them: drawn with its
    first 20 source records (the rows, in order), the next link with its own."""
    rows = [("Ann", "07700 900001")] * 25 + [("Bob", "07700 900002")] * 2 + \
        [("Ann", "07700 900001")]
    data = tmp_path / "uses.csv"
    pd.DataFrame(rows, columns=["Name", "Phone"]).to_csv(data, index=False)
    with open_store(tmp_path / "uses.wbstore", create=True) as store:
        store.import_files(parse_spec(MERGED_SPEC), MERGED_SPEC, [data])
        chart = store.chart([store.resolve_seed("Ann"), store.resolve_seed("Bob")], hops=1)
    by_person = {chart.entities[lk.end1].label: lk for lk in chart.links.values()}
    assert len(chart.links) == 2
    ann, bob = by_person["Ann"], by_person["Bob"]
    assert [r.row for r in ann.provenance] == list(range(2, 22))  # rows 2-21 (1: header)
    assert [r.row for r in bob.provenance] == [27, 28]
    assert {(r.source, r.file) for r in ann.provenance + bob.provenance} == {
        ("uses.csv", "uses.csv")}
