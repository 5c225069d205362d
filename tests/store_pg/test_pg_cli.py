"""``workbench store VERB URL ...`` on the shared store, as an analyst runs it: the password
from PGPASSWORD (never written into a chart), each refusal one line with exit code 2."""

from __future__ import annotations

import json

import pytest

from tests.store_pg.conftest import analyst, make_store, password
from tests.store_pg.three_orgs import AGREEMENTS, ORGS, Raw, write
from workbench.cli import main
from workbench.io import load_chart
from workbench.store.charting import store_setting


@pytest.fixture(scope="module")
def shared(cluster) -> str:
    database = make_store(cluster, ORGS, AGREEMENTS)
    with cluster.superuser(database) as conn:
        write(conn)
    return database


@pytest.fixture
def police(cluster, shared, monkeypatch) -> str:
    """Bob of the police's URL, without password: that comes from PGPASSWORD."""
    role = analyst(shared, "bob")
    monkeypatch.setenv("PGPASSWORD", password(role))
    return cluster.analyst_url(shared, role)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["store", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_info_search_chart_expand_and_path_take_a_url(police, cluster, shared, capsys,
                                                        tmp_path):
    with cluster.superuser(shared) as conn:
        raw = Raw(conn, "Police")
    code, out, _ = run(capsys, "info", police, "--json")
    info = json.loads(out)
    assert code == 0 and info["engine"] == "postgresql" and info["path"] == police
    assert info["entities"] == len(raw.labels)
    code, out, _ = run(capsys, "search", police, "grace okafor")
    assert code == 0 and out.splitlines()[0].split()[2:4] == ["Grace", "Okafor"]
    code, out, _ = run(capsys, "search", police, "blessing")
    assert code == 1 and out == "No entity matches 'blessing'\n"

    chart_file, bigger = tmp_path / "grace.wbchart", tmp_path / "bigger.wbchart"
    code, out, _ = run(capsys, "chart", police, "--seed", "grace okafor", "-o",
                       str(chart_file))
    assert code == 0, out
    chart = load_chart(chart_file)
    grace = next(e for e in chart.entities.values() if e.identity == "grace okafor")
    sid = store_setting(chart)["entities"][grace.id]
    assert set(store_setting(chart)["entities"].values()) == raw.within(sid, 1)
    assert store_setting(chart)["file"] == police
    assert b"pw-" not in chart_file.read_bytes()  # no password anywhere in the chart
    code, out, err = run(capsys, "expand", police, str(chart_file), "--entity", "milan",
                         "-o", str(bigger))
    assert code == 0 and err == "", err  # drawn from this very store: no note
    milan = next(i for i, label in raw.labels.items() if label == "Milan")
    drawn = set(store_setting(load_chart(bigger))["entities"].values())
    assert drawn == raw.within(sid, 1) | raw.within(milan, 1)
    code, out, _ = run(capsys, "path", police, "иван петров", "grace okafor", "--json")
    steps = json.loads(out)
    assert code == 0 and [s["label"] for s in (steps[0], steps[-1])] == ["Иван Петров",
                                                                          "Grace Okafor"]
    assert len(steps) == 3  # through Milan, where both were seen


def test_each_refusal_is_one_line(cluster, shared, capsys, monkeypatch):
    role = analyst(shared, "bob")
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", "/nonexistent")
    wrong = cluster.analyst_url(shared, role, "not-it")
    down = f"postgresql://{role}:x@127.0.0.1:{cluster.port + 1}/{shared}"
    for url, words in ((wrong, "is wrong"), (down, "no PostgreSQL server is running"),
                       (cluster.analyst_url(shared, role), "a password is needed")):
        code, _, err = run(capsys, "search", url, "grace")
        assert code == 2 and err.count("\n") == 1 and words in err, err
        assert "not-it" not in err
