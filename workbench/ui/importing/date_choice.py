"""The wizard's date format choice: formats offered from what the column holds, in words.

An analyst should not have to know strftime codes, nor that ``2008.0`` needs ``%Y.0``. When
the date column of a link or attribute is picked, its values are looked at (the same
detection the importer runs) and the formats that read them are offered as "day/month/year,
e.g. 31/12/2016". When the values cannot tell day from month (every day is 12 or less), both
readings are offered, marked, and ``ambiguity`` says so for the wizard to show: the choice is
the analyst's, never made silently. A strftime code can still be typed; the first item,
"Detect from the column", saves no format so the importer detects it on every file.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox

from workbench.io.date_formats import DateFormat, Detection, describe, detect, spec_code

DETECT = "Detect from the column"


class DateFormatCombo(QComboBox):
    """``code()`` is what the spec's ``date_format`` says ("" to detect); items show words."""

    def __init__(self, code: str = "") -> None:
        super().__init__(editable=True)
        self.detection: Detection | None = None
        self.currentTextChanged.connect(self._show_start)
        self.offer([], code)

    def code(self) -> str:
        """The chosen format's code, or a code typed in (kept as typed)."""
        text = self.currentText().strip()
        i = self.findText(text)
        if i >= 0:
            return str(self.itemData(i) or "")
        return text

    def set_code(self, code: str) -> None:
        if not code:
            self.setCurrentIndex(0)
            return
        i = self.findData(code)
        if i < 0:
            self.addItem(_words(code), code)
            i = self.count() - 1
        self.setCurrentIndex(i)

    def offer(self, values: Sequence[str], keep: str | None = None) -> None:
        """Fill the list from a column's distinct non-empty values, keeping the choice made
        (``keep``, by default the current code) when it is still possible."""
        keep = self.code() if keep is None and self.count() else (keep or "")
        self.detection = detect(values) if values else None
        found = self.detection.formats if self.detection else ()
        self.blockSignals(True)
        self.clear()
        self.addItem(f"{DETECT} ({describe(found[0])})" if found else DETECT, "")
        offered = [*found, *([self.detection.ambiguous] if self.ambiguous() else [])]
        for fmt in offered:
            code = spec_code(fmt)
            if code and self.findData(code) < 0:
                mark = " (the column's values fit both orders)" if self.ambiguous() and \
                    fmt.day_first is not None else ""
                self.addItem(describe(fmt) + mark, code)
        self.set_code(keep)
        self.blockSignals(False)
        self._show_start()

    def _show_start(self, *_: object) -> None:
        """A long description is shown from its start (a narrow cell cut its head off)."""
        self.lineEdit().setCursorPosition(0)
        self.setToolTip(self.ambiguity() or self.currentText())

    def ambiguous(self) -> bool:
        return bool(self.detection and self.detection.ambiguous is not None)

    def ambiguity(self) -> str:
        """A sentence when day and month cannot be told apart and no order was chosen."""
        if not self.ambiguous() or self.code():
            return ""
        first = self.detection.formats[0]  # type: ignore[union-attr]
        other = self.detection.ambiguous  # type: ignore[union-attr]
        return (f"day and month cannot be told apart in this column: "
                f"{_order(first)} or {_order(other)}? Choose one in Date format")


def _order(fmt: DateFormat) -> str:
    return "day first" if fmt.day_first else "month first"


def _words(code: str) -> str:
    try:
        return describe(code)
    except ValueError:  # a code strftime cannot show: the code itself
        return code
