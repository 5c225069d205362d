"""The window on a shared store: File > Open Shared Store... with its URL and password, the
Store dock's search and Add to Chart as one analyst, checked against the raw tables; the
password never reaches the recent-stores list or the chart."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from tests.store_pg.conftest import analyst, make_store, password
from tests.store_pg.three_orgs import AGREEMENTS, ORGS, Raw, write
from tests.ui.conftest import make_window, settings_file, window  # noqa: F401 (fixtures)
from workbench.model.merge import plan_merge
from workbench.store.charting import store_setting
from workbench.ui.window.store_actions import install_store

WAIT = 20_000


@pytest.fixture(scope="module")
def shared(cluster) -> str:
    database = make_store(cluster, ORGS, AGREEMENTS)
    with cluster.superuser(database) as conn:
        write(conn)
    return database


def open_shared(qtbot, actions, url: str, secret: str) -> None:
    dialog = actions.ask_open_shared()
    dialog.url.setText(url)
    dialog.password.setText(secret)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Open).click()
    qtbot.waitUntil(lambda: not actions.dock.runner.busy, timeout=WAIT)


def test_the_dock_searches_and_draws_what_the_analyst_may_see(
        window, qtbot, cluster, shared, monkeypatch):  # noqa: F811
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", "/nonexistent")
    role = analyst(shared, "cat")  # the bank's analyst
    url = cluster.analyst_url(shared, role)
    with cluster.superuser(shared) as conn:
        raw = Raw(conn, "Bank")
    actions = install_store(window)
    assert "Open S&hared Store..." in [a.text() for a in window.menus.file.actions()]
    dock = actions.dock

    open_shared(qtbot, actions, url, "not-it")  # a wrong password: one line, nothing open
    text = window.files.message.text()
    assert "is wrong" in text and "\n" not in text and dock.source is None

    open_shared(qtbot, actions, url, password(role))
    assert dock.windowTitle() == f"Store: {shared} on 127.0.0.1"
    assert dock.store_label.text().startswith(f"{shared} on 127.0.0.1: "
                                              f"{len(raw.labels)} entities")
    assert actions.recent.paths() == [url]  # the URL, without the password

    dock.query.setText("grace")
    dock.search()
    qtbot.waitUntil(lambda: not dock.runner.busy, timeout=WAIT)
    labels = [dock.table.item(r, 1).text() for r in range(dock.table.rowCount())]
    assert labels and labels[0] == "Grace Okafor"
    assert {h.id for h in dock.hits} == raw.matching("grace")
    grace = dock.hits[0].id

    dock.table.selectRow(0)
    dock.hops.setValue(1)
    dock.add_selected()
    qtbot.waitUntil(lambda: window.undo_stack.index() > 0, timeout=WAIT)
    setting = store_setting(window.chart)
    assert set(setting["entities"].values()) == raw.within(grace, 1)
    assert set(setting["links"].values()) == raw.links_among(raw.within(grace, 1))
    assert setting["file"] == url and "Blessing" not in str(window.chart.content())

    dialog = actions.open_recent(url) or actions.shared_dialog  # asks for the password again
    assert dialog.url.text() == url and dialog.password.text() == ""
    dialog.reject()


def test_expand_from_store_and_new_in_the_store_on_a_url(
        window, qtbot, cluster, tmp_path, monkeypatch):  # noqa: F811
    from workbench.io.importspec import parse_spec
    from workbench.store import open_store
    from workbench.store.pg import parse_handling

    database = make_store(cluster, ORGS, AGREEMENTS)
    with cluster.superuser(database) as conn:
        write(conn)
        raw = Raw(conn, "Police")
    role = analyst(database, "bob")
    monkeypatch.setenv("PGPASSWORD", password(role))
    url = cluster.analyst_url(database, role)
    actions = install_store(window)
    dock = actions.dock
    dock.open_store(url)  # the password from PGPASSWORD
    qtbot.waitUntil(lambda: dock.source is not None, timeout=WAIT)
    dock.query.setText("07700 900001")
    dock.search()
    qtbot.waitUntil(lambda: not dock.runner.busy, timeout=WAIT)
    phone = dock.hits[0].id
    dock.table.selectRow(0)
    dock.hops.setValue(0)
    dock.add_selected()  # the phone alone
    qtbot.waitUntil(lambda: window.undo_stack.index() > 0, timeout=WAIT)
    (cid,) = window.chart.entities

    dialog = actions.expand(cid)
    qtbot.waitUntil(lambda: dialog.add_button.isEnabled(), timeout=WAIT)
    around = raw.within(phone, 1) - {phone}
    assert dialog.preview.entities == len(around)
    dialog.add_button.click()
    qtbot.waitUntil(lambda: window.undo_stack.index() > 1, timeout=WAIT)
    assert set(store_setting(window.chart)["entities"].values()) == around | {phone}
    assert not {e.label for e in window.chart.entities.values()} & {"Blessing's phone",
                                                                    "Blessing Eze"}

    spec = ("entities:\n  a: {type: Phone, identity: '{A}'}\n  b: {type: Phone, identity: "
            "'{B}'}\nlinks:\n  - {from: a, to: b, type: Calls}\n")
    later = tmp_path / "later.csv"
    later.write_text("A,B\n+447700900001,+447700555000\n", encoding="utf-8")
    bank = analyst(database, "cat")
    with open_store(cluster.analyst_url(database, bank, password(bank))) as store:
        store.import_files(parse_spec(spec), spec, [later], handling=parse_handling("all"))
    dock.look_for_news()
    qtbot.waitUntil(lambda: not dock.runner.busy, timeout=WAIT)
    assert "1 link (1 Calls)" in dock.news_label.text()
    assert [dock.news_list.item(r).text() for r in range(dock.news_list.count())] == [
        "+447700555000  (Phone, 1 link)"]


def test_a_password_written_into_the_url_is_used_and_not_kept(qtbot):
    from workbench.ui.dialogs.shared_store_dialog import SharedStoreDialog

    for typed in ("postgresql://ana:s%40cret@db.example.org/cases",
                  "postgresql://ana@db.example.org/cases?password=s%40cret"):
        dialog = SharedStoreDialog(None, typed)
        qtbot.addWidget(dialog)
        with qtbot.waitSignal(dialog.chosen) as chosen:
            dialog.accept()
        assert chosen.args == ["postgresql://ana@db.example.org/cases", "s@cret"]


def test_save_decisions_to_store_writes_into_the_shared_store_as_the_analyst(
        window, qtbot, cluster, monkeypatch):  # noqa: F811
    """The password typed in Open Shared Store is the one the save uses (none in the
    environment); the decisions are the bank's, written by its analyst."""
    database = make_store(cluster, ORGS, AGREEMENTS)
    with cluster.superuser(database) as conn:
        write(conn)
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", "/nonexistent")
    role = analyst(database, "cat")
    actions = install_store(window)
    assert {"Open S&hared Store...", "Save &Decisions to Store..."} <= {
        a.text() for a in window.menus.file.actions()}
    open_shared(qtbot, actions, cluster.analyst_url(database, role), password(role))
    dock = actions.dock
    dock.query.setText("grace")
    dock.search()
    qtbot.waitUntil(lambda: not dock.runner.busy, timeout=WAIT)
    dock.table.selectRow(0)
    dock.hops.setValue(1)
    dock.add_selected()
    qtbot.waitUntil(lambda: window.undo_stack.index() > 0, timeout=WAIT)
    chart = window.chart
    phones = sorted(e.id for e in chart.entities.values()
                    if e.identity in ("+447700100001", "+447700100002"))
    chart.merge(plan_merge(chart, phones, by="cat", at=datetime(2026, 12, 1, tzinfo=UTC)))
    box = actions.ask_save_decisions()
    assert box.text() == f"Save 1 accepted and 0 rejected pair(s) into {database} on 127.0.0.1?"
    box.button(QMessageBox.StandardButton.Save).click()
    with cluster.superuser(database) as conn:
        def rows() -> list[tuple]:
            return conn.execute("SELECT o.name, d.analyst, d.decision FROM "
                                "workbench.decisions d JOIN workbench.organisations o "
                                "ON o.id = d.org_id").fetchall()
        qtbot.waitUntil(lambda: not dock.runner.busy and rows() != [], timeout=WAIT)
        assert rows() == [("Bank", role, "accepted")]


def test_save_decisions_for_a_shared_store_not_open_in_the_dock_asks_for_its_password(
        window, qtbot, cluster, monkeypatch, tmp_path):  # noqa: F811
    """The chart came from a shared store; the dock has a file open since. Save Decisions
    to Store asks for the shared store's password in the Open Shared Store dialog (its
    address fixed to the chart's store): a wrong one says so in one line and writes
    nothing, the right one writes the decisions as the analyst."""
    from workbench.io.importspec import parse_spec
    from workbench.store import open_store

    database = make_store(cluster, ORGS, AGREEMENTS)
    with cluster.superuser(database) as conn:
        write(conn)
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", "/nonexistent")
    role = analyst(database, "cat")
    url = cluster.analyst_url(database, role)
    actions = install_store(window)
    open_shared(qtbot, actions, url, password(role))
    dock = actions.dock
    dock.query.setText("grace")
    dock.search()
    qtbot.waitUntil(lambda: not dock.runner.busy, timeout=WAIT)
    dock.table.selectRow(0)
    dock.hops.setValue(1)
    dock.add_selected()
    qtbot.waitUntil(lambda: window.undo_stack.index() > 0, timeout=WAIT)
    chart = window.chart
    phones = sorted(e.id for e in chart.entities.values()
                    if e.identity in ("+447700100001", "+447700100002"))
    chart.merge(plan_merge(chart, phones, by="cat", at=datetime(2026, 12, 1, tzinfo=UTC)))
    spec = "entities:\n  p: {type: Person, identity: '{Name}'}\n"
    people = tmp_path / "people.csv"
    people.write_text("Name\nAna Lima\n", encoding="utf-8")
    with open_store(tmp_path / "other.wbstore", create=True) as other:
        other.import_files(parse_spec(spec), spec, [people])
    dock.open_store(str(tmp_path / "other.wbstore"))
    qtbot.waitUntil(lambda: not dock.runner.busy and dock.source.password is None,
                    timeout=WAIT)

    def save(secret: str) -> None:
        actions.ask_save_decisions().button(QMessageBox.StandardButton.Save).click()
        asked = actions.password_dialog
        assert asked.isVisible() and asked.windowTitle() == "Save Decisions to Store"
        assert asked.url.text() == url and asked.url.isReadOnly()
        asked.password.setText(secret)
        asked.buttons.button(QDialogButtonBox.StandardButton.Open).click()
        qtbot.waitUntil(lambda: not dock.runner.busy, timeout=WAIT)

    with cluster.superuser(database) as conn:
        def rows() -> list[tuple]:
            return conn.execute("SELECT o.name, d.analyst, d.decision FROM "
                                "workbench.decisions d JOIN workbench.organisations o "
                                "ON o.id = d.org_id").fetchall()
        save("not-it")
        text = window.files.message.text()
        assert "is wrong" in text and "\n" not in text and rows() == []
        save(password(role))
        qtbot.waitUntil(lambda: rows() != [], timeout=WAIT)
        assert rows() == [("Bank", role, "accepted")]
