"""``workbench resolve`` as an analyst runs it: a real process, a real chart file, the CSV
read back as a spreadsheet would read it; bad input ends in one line and exit code 2."""

from __future__ import annotations

import csv

import pytest

from workbench.io.chartfile import save_chart

from ..test_cli import workbench
from .charts import recruiter_chart


@pytest.fixture(scope="module")
def chart_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("resolve") / "recruiter.wbchart"
    save_chart(recruiter_chart(), path)
    return path


@pytest.fixture(scope="module")
def run(chart_file):
    """One run for the tests that read its output: Splink trains for a few seconds."""
    out = chart_file.parent / "pairs.csv"
    result = workbench("resolve", str(chart_file), "--type", "Person", "--type",
                       "Organisation", "--threshold", "0.5", "-o", str(out))
    assert result.returncode == 0, result.stderr
    return result, _rows(out)


def _rows(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_pairs_csv_with_ids_labels_probability_and_evidence(run):
    result, rows = run
    header, body = rows[0], rows[1:]
    assert header[:6] == ["id a", "label a", "id b", "label b", "type", "probability"]
    assert {"name", "date of birth", "phone"} <= set(header)
    assert f"{len(body)} candidate pairs at or above 0.5" in result.stdout
    first = dict(zip(header, body[0], strict=True))
    assert float(first["probability"]) >= float(body[-1][5])
    by_ids = {(r[0], r[2]): dict(zip(header, r, strict=True)) for r in body}
    transliterated = by_ids[("p1", "p3")]
    assert transliterated["label b"] == "Мухаммед Аль-Хасан"
    assert transliterated["name"] == "agree: same after transliteration"
    assert transliterated["phone"] == "agree: a number in common: +447700900123"
    assert by_ids[("o1", "o2")]["type"] == "Organisation"


def test_a_label_that_is_a_formula_is_written_as_text(run):
    _, rows = run
    row = next(r for r in rows if "p11" in (r[0], r[2]))
    assert "'=Maria Silva" in row and "=Maria Silva" not in row


@pytest.mark.parametrize(("args", "message"), [
    (["--type", "Persn"], "unknown entity type 'Persn'; did you mean 'Person'?"),
    (["--type", "Person", "--threshold", "1.5"], "1.5 is not a probability between 0 and 1"),
    (["--type", "Person", "--threshold", "high"], "'high' is not a number"),
])
def test_bad_arguments_end_in_one_line_and_leave_the_old_output(chart_file, tmp_path, args,
                                                                  message):
    out = tmp_path / "pairs.csv"
    out.write_text("old pairs\n", encoding="utf-8")
    result = workbench("resolve", str(chart_file), *args, "-o", str(out))
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert out.read_text(encoding="utf-8") == "old pairs\n"


def test_an_unreadable_chart_or_a_wrong_output_is_refused(tmp_path, chart_file):
    broken = tmp_path / "broken.wbchart"
    broken.write_bytes(b"not a zip at all")
    result = workbench("resolve", str(broken), "--type", "Person", "-o",
                       str(tmp_path / "p.csv"))
    assert result.returncode == 2 and "broken.wbchart" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    result = workbench("resolve", str(chart_file), "--type", "Person", "-o",
                       str(tmp_path / "p.xlsx"))
    assert result.returncode == 2 and "a CSV of pairs, ending in .csv" in result.stderr
    assert not (tmp_path / "p.csv").exists()


def test_merge_above_writes_the_merged_chart_leaving_rejected_pairs_and_the_original(
        chart_file, tmp_path):
    """The five spellings of the recruiter become one entity that Unmerge can split again; a
    pair the analyst rejected in the chart stays two entities."""
    from workbench.io import load_chart

    chart = load_chart(chart_file)
    chart.set_rejected("o1", "o2")  # the analyst said these two firms are not one
    source = tmp_path / "decided.wbchart"
    save_chart(chart, source)
    before = source.read_bytes()
    out = tmp_path / "merged.wbchart"
    result = workbench("resolve", str(source), "--type", "Person", "--type", "Organisation",
                       "--merge-above", "0.9", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "entities became" in result.stdout and "already decided" in result.stdout
    assert source.read_bytes() == before
    merged = load_chart(out)
    assert len(merged.entities) < len(chart.entities)
    recruiter = [e for e in merged.entities.values() if e.id in {"p1", "p2", "p3"}]
    assert len(recruiter) == 1, "the transliterated spellings were joined"
    assert {"o1", "o2"} <= merged.entities.keys()
    while any(m.survivor == recruiter[0].id for m in merged.merges):  # one step per join
        merged.unmerge(recruiter[0].id)
    assert {"p1", "p2", "p3"} <= merged.entities.keys()


def test_merge_above_needs_a_chart_to_write(chart_file, tmp_path):
    result = workbench("resolve", str(chart_file), "--type", "Person", "--merge-above", "0.9",
                       "-o", str(tmp_path / "pairs.csv"))
    assert result.returncode == 2
    assert "with --merge-above the output is a chart, ending in .wbchart" in result.stderr
