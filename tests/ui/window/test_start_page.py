from PySide6.QtCore import Qt

from workbench.ui.window.start_page import PATH_ROLE, StartPage

from ...conftest import REPO, TEST_DATA


def test_start_page_offers_samples_and_recent_charts(qtbot, tmp_path):
    gone = tmp_path / "deleted.wbchart"
    page = StartPage(recent=[str(TEST_DATA / "format-v1.wbchart"), str(gone)])
    qtbot.addWidget(page)
    samples = [page.samples.item(i) for i in range(page.samples.count())]
    assert any("Paris attacks" in item.text() for item in samples)
    assert all(item.data(PATH_ROLE).startswith(str(REPO / "sample_charts")) for item in samples)
    assert page.recent.count() == 1  # the deleted chart is not offered
    assert "Format version 1 fixture" in page.recent.item(0).text()

    with qtbot.waitSignal(page.open_requested) as opened:
        page.samples.itemActivated.emit(samples[0])
    assert opened.args == [samples[0].data(PATH_ROLE)]


def test_buttons_ask_for_new_open_and_import(qtbot):
    page = StartPage()
    qtbot.addWidget(page)
    page.show()
    assert page.recent.item(0).flags() == Qt.ItemFlag.NoItemFlags
    from PySide6.QtWidgets import QPushButton

    buttons = {b.text(): b for b in page.findChildren(QPushButton)}
    for text, signal in (("New chart", page.new_requested),
                         ("Open chart...", page.open_dialog_requested),
                         ("Import a spreadsheet...", page.import_requested)):
        with qtbot.waitSignal(signal):
            qtbot.mouseClick(buttons[text], Qt.MouseButton.LeftButton)
