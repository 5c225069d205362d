"""Copy and paste through the real system clipboard, within a chart and between charts."""

from __future__ import annotations

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication

from workbench.model import Chart, Kind, SourceRecord, Value
from workbench.ui.clipboard import MIME

from .conftest import SAMPLE


def test_copy_paste_between_charts_merges_identities(make_window):
    source, target = make_window(), make_window()
    source.open_chart(SAMPLE)
    abaaoud = source.chart.find("Person", "abdelhamid abaaoud")
    salah = source.chart.find("Person", "salah abdeslam")
    (link,) = source.chart.links_between(abaaoud.id, salah.id)
    source.selection.set([abaaoud.id, salah.id])
    source.acts.copy.trigger()
    copied = QGuiApplication.clipboard().text().splitlines()
    assert sorted(copied) == ["Abdelhamid Abaaoud", "Salah Abdeslam"]  # in chart order

    chart = Chart()
    existing = chart.make_entity("Person", "A. Abaaoud", identity="ABDELHAMID ABAAOUD",
                                 provenance=[SourceRecord("Europol notice")],
                                 attributes={"alias": Value(Kind.TEXT, "Abu Umar")})
    target.replace_chart(chart, None)
    target.acts.paste.trigger()
    assert len(chart.entities) == 2 and len(chart.links) == 1
    assert existing.label == "A. Abaaoud"  # kept; gains the pasted sources and attributes
    assert existing.provenance[0] == SourceRecord("Europol notice")
    assert len(existing.provenance) == 1 + len(abaaoud.provenance)
    assert set(existing.attributes) == {"alias", "attacker"}
    new_salah = chart.find("Person", "salah abdeslam")
    (pasted,) = chart.links.values()
    assert {pasted.end1, pasted.end2} == {existing.id, new_salah.id}
    assert pasted.type == link.type
    assert target.selection.entities == {existing.id, new_salah.id}
    assert target.undo_stack.count() == 1  # one paste, one step
    target.undo_stack.undo()
    assert list(chart.entities) == [existing.id] and existing.provenance == [
        SourceRecord("Europol notice")]
    assert set(existing.attributes) == {"alias"}


def test_paste_into_the_same_chart_copies_only_what_has_no_identity(window):
    chart = Chart()
    phone = chart.make_entity("Phone", "burner", identity="07700 900123")
    van = chart.make_entity("Vehicle", "white van")
    chart.make_link(phone.id, van.id, "Located at")
    window.replace_chart(chart, None)
    window.selection.set([phone.id, van.id])
    window.acts.copy.trigger()
    window.acts.paste.trigger()
    assert len(chart.entities) == 3  # the phone merged with itself; the van was copied
    assert len(chart.links) == 2
    assert "1 merged with entities already in the chart" in window.statusBar().currentMessage()


def test_cut_is_copy_then_delete(window):
    window.open_chart(SAMPLE)
    window.selection.set(["e1"])
    window.acts.cut.trigger()
    assert "e1" not in window.chart.entities
    window.acts.paste.trigger()
    assert window.chart.find("Person", "oussama atar") is not None
    assert len(window.chart.entities) == 132


def test_damaged_clipboard_is_refused_with_a_reason(window):
    mime = QMimeData()
    mime.setData(MIME, b'{"format": "workbench-items", "entities": [{"id": 3}]}')
    QGuiApplication.clipboard().setMimeData(mime)
    assert not window.clipboard.paste()
    assert window.files.message.text().startswith("the copied items are damaged")
    QGuiApplication.clipboard().setText("just text")
    assert not window.clipboard.paste()
    assert not window.chart.entities
