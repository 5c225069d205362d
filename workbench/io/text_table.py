"""The table of text every reader gives back, the error a file that cannot be read raises, and
the column names made usable (trimmed, unique, none empty).

Kept apart from the readers so that each reader (csv_reader.py, xlsx_reader.py) and their
dispatcher (readers.py) can share it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.io.import_report import Issue


class ReadError(ValueError):
    """A file that cannot be read as a table; the message names the file and the reason."""


@dataclass(slots=True)
class Table:
    """A file's rows as text columns, with the spreadsheet row number of each row."""

    path: Path
    frame: pd.DataFrame  # all columns str, empty cells ""
    row_numbers: np.ndarray  # 1-based row in the file (as a spreadsheet shows it)
    sheet: str = ""
    encoding: str = ""  # what was used (csv)
    encoding_guessed: bool = False
    delimiter: str = ""
    notes: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)  # cells read in a weaker form

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.frame.columns]

    def where(self) -> str:
        return f"{self.path.name} [{self.sheet}]" if self.sheet else self.path.name


def clean_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Column names trimmed and unique; every cell str with "" for empty."""
    names: list[str] = []
    for i, c in enumerate(frame.columns):
        name = str(c).strip()
        if not name or name.startswith("Unnamed: "):
            name = f"Column {i + 1}" if i else (name if name and not name.startswith(
                "Unnamed") else "Column 1")
        base, n = name, 2
        while name in names:
            name, n = f"{base} ({n})", n + 1
        names.append(name)
    frame.columns = names
    return frame.fillna("").astype(str)
