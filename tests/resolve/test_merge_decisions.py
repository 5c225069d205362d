"""Decisions kept in the chart (rejected, not sure, merged) filter the candidate pairs, and
``merge_above`` merges the confident pairs without undoing a decision."""

from __future__ import annotations

from workbench.io import load_chart, save_chart
from workbench.model import Chart, SourceRecord, Strength
from workbench.model.merge import BY_HAND, POSSIBLY_SAME_AS
from workbench.resolve.decisions import (
    current_user,
    plan_by_hand,
    plan_for_pair,
    possibly_same_link,
    undecided,
)
from workbench.resolve.merge_above import merge_above
from workbench.resolve.pairs import AGREE, DISAGREE, Candidate


def five_people() -> Chart:
    chart = Chart()
    for name in ("Mohammed Al-Hassan", "Muhamad Alhassan", "AL HASSAN, Mohammed",
                 "Ana Petrova", "Anna Petrova"):
        chart.make_entity("Person", name, identity=name, provenance=[SourceRecord(name[:3])])
    return chart


def pair(a: str, b: str, p: float) -> Candidate:
    return Candidate(a, b, p, {"name": (AGREE, "same tokens"), "phone": (DISAGREE, "x vs y")})


PAIRS = [pair("e1", "e2", 0.99), pair("e2", "e3", 0.97), pair("e4", "e5", 0.9),
         pair("e1", "e4", 0.2)]


def test_rejected_and_not_sure_pairs_are_not_offered_again_after_reopen(tmp_path):
    chart = five_people()
    chart.set_rejected("e5", "e4")
    chart.add_links([possibly_same_link(chart, PAIRS[1])])
    path = tmp_path / "c.wbchart"
    save_chart(chart, path)
    left = undecided(load_chart(path), PAIRS)
    assert [(c.a, c.b) for c in left] == [("e1", "e2"), ("e1", "e4")]  # best first


def test_pairs_of_entities_merged_away_are_not_offered():
    chart = five_people()
    chart.merge(plan_for_pair(chart, PAIRS[0]))
    assert [(c.a, c.b) for c in undecided(chart, PAIRS)] == [("e4", "e5"), ("e1", "e4")]
    record = chart.merge_record("e1")
    assert record.method == "review" and record.by == current_user()
    assert record.evidence["phone"] == (DISAGREE, "x vs y") and record.probability == 0.99


def test_not_sure_link_is_tentative_and_named():
    chart = five_people()
    link = possibly_same_link(chart, PAIRS[2])
    assert link.type == POSSIBLY_SAME_AS and link.strength is Strength.TENTATIVE
    assert chart.link_type(link).directed is False and "90%" in link.label


def test_merge_by_hand_keeps_the_best_linked_entity():
    chart = five_people()
    chart.make_link("e2", "e4", "Associate")
    chart.make_link("e2", "e5", "Associate")
    record = plan_by_hand(chart, ["e1", "e2", "e3"])
    assert record.survivor == "e2" and record.method == BY_HAND and not record.evidence


def test_merge_above_joins_chains_and_leaves_decisions_alone():
    chart = five_people()
    chart.set_rejected("e4", "e5")
    report = merge_above(chart, PAIRS, 0.95)
    assert sorted(chart.entities) == ["e1", "e4", "e5"]  # e1 = e2 = e3 through the chain
    assert chart.entity("e1").attributes["aliases"].value == \
        "Muhamad Alhassan; AL HASSAN, Mohammed"
    assert [s.source for s in chart.entity("e1").provenance] == ["Moh", "Muh", "AL "]
    assert (report.entities_before, report.entities_after) == (5, 3)
    assert len(report.merged) == 2 and report.decided == 0 and report.below == 2
    assert "merged 2 pair(s) with probability at least 0.95: 5 entities became 3" \
        in report.lines()[0]
    assert chart.merges[0].method == "merged above 0.95"
    chart.unmerge("e1")
    chart.unmerge("e1")
    assert chart.entities == five_people().entities


def test_merge_above_counts_rejected_pairs_above_the_threshold():
    chart = five_people()
    chart.set_rejected("e1", "e2")
    report = merge_above(chart, PAIRS, 0.85)
    assert report.decided == 1 and {tuple(m[:2]) for m in report.merged} == {("e2", "e3"),
                                                                             ("e4", "e5")}


def test_merge_above_refuses_a_probability_outside_0_to_1():
    import pytest

    with pytest.raises(ValueError, match="from 0 to 1, not 95"):
        merge_above(five_people(), PAIRS, 95)
