"""File > Open Shared Store...: a shared store's address and, if the server asks, a password.

The same dialog asks for the password of a shared store that a chart was drawn from when
File > Save Decisions to Store... writes into it and the Store dock does not have it open
(``fixed``: the chart's store, its address shown but not to be changed).

The URL names the server, the database and the analyst (``postgresql://ana@server/cases``);
the password field may stay empty when PGPASSWORD or a password file (PGPASSFILE,
~/.pgpass) gives it. A password typed here, or written into the URL, lives only in memory
while the window runs: the URL that the recent-stores list, the dock and every chart
remember is the one without it.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote, urlsplit

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from workbench.store.address import is_url, public

PLACEHOLDER = "postgresql://analyst@server/database"


class SharedStoreDialog(QDialog):
    chosen = Signal(str, object)  # the URL without password, the password (or None)

    def __init__(self, parent: QWidget | None = None, url: str = "", *,
                 fixed: str | None = None) -> None:
        """``fixed``: ask only for the password of the store at ``url``, for this purpose
        (the window's title and the button's text)."""
        super().__init__(parent)
        self.setWindowTitle(fixed or "Open Shared Store")
        self.url = QLineEdit(url, placeholderText=PLACEHOLDER, readOnly=fixed is not None)
        self.url.setClearButtonEnabled(fixed is None)
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password,
                                  placeholderText="empty: from PGPASSWORD or ~/.pgpass")
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open
                                        | QDialogButtonBox.StandardButton.Cancel)
        if fixed is not None:
            self.buttons.button(QDialogButtonBox.StandardButton.Open).setText(
                fixed.split()[0])
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Address", self.url)
        form.addRow("Password", self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(
            "A store shared on a PostgreSQL server: what you see in it is what your "
            "organisation's sharing allows." if fixed is None else
            "The chart was drawn from this shared store, which the Store dock does not have "
            "open: its password, please."))
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        (self.password if url else self.url).setFocus()

    def accept(self) -> None:
        text = self.url.text().strip()
        if not is_url(text):
            self.problem.setText("The address starts with postgresql:// (or postgres://)")
            return
        password = self.password.text() or _password_in(text)
        super().accept()
        self.chosen.emit(public(text), password or None)


def _password_in(url: str) -> str:
    """A password written into the URL itself, as ``user:secret@`` or ``?password=``
    (used, then dropped from the URL)."""
    parts = urlsplit(url)
    if parts.password:
        return unquote(parts.password)
    return dict(parse_qsl(parts.query)).get("password", "")
