from workbench import __version__
from workbench.ui.dialogs.about_dialog import AboutDialog


def test_about_names_version_data_licences_and_libraries(qtbot):
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    text = dialog.text.toPlainText()
    assert f"Workbench {__version__}" in text
    assert "Alexander Gutfraind" in text and "CC BY 4.0" in text
    assert "PySide6" in text and "networkx" in text
