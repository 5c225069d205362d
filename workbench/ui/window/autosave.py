"""Recovery files: unsaved work is written aside every few minutes and offered after a crash.

Each window session writes ``<session>.wbchart`` (the chart, through the normal atomic save,
so a crash during autosave cannot leave a half file) and ``<session>.json`` (which file it
was, when) into the recovery folder (0700, its files 0600: private to the user always), and
holds ``<session>.lock`` while it runs. A clean close deletes all three. At start-up,
recovery files whose lock nobody holds belong to a session that died: the window offers to
recover them (the chart opens as unsaved, under its original name) or to discard them.
QLockFile notices a dead owner on Windows and macOS alike.
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLockFile, QObject, QSettings, QStandardPaths, Qt, QTimer
from PySide6.QtWidgets import QMessageBox

from workbench.io import ChartFileError, load_chart, remove_stale_saves_in, save_chart
from workbench.io.atomic import write_bytes
from workbench.ui.document import Tools

DEFAULT_MINUTES = 3.0
# Recovery files hold a whole investigation: only the user may read them, whatever the umask
# or the permissions of the chart they come from.
PRIVATE_FOLDER, PRIVATE_FILE = 0o700, 0o600
Button = QMessageBox.StandardButton


def default_recovery_dir() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base) / "recovery"


def make_private(folder: Path) -> None:
    """The recovery folder and what is in it (from this or an earlier version) are the
    user's alone."""
    with contextlib.suppress(OSError):
        os.chmod(folder, PRIVATE_FOLDER)
        for path in folder.iterdir():
            if path.is_file() and path.stat().st_mode & 0o077:
                os.chmod(path, PRIVATE_FILE)


class Autosave(QObject):
    def __init__(self, tools: Tools, settings: QSettings, folder: Path | None = None) -> None:
        super().__init__(tools.parent)
        self.document, self.feedback, self.parent_widget = (tools.document, tools.feedback,
                                                            tools.parent)
        self.folder = Path(folder) if folder is not None else default_recovery_dir()
        self.folder.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
        make_private(self.folder)
        remove_stale_saves_in(self.folder)  # a killed autosave's hidden copy of the chart
        self.session = uuid.uuid4().hex[:12]
        self.lock = QLockFile(str(self.folder / f"{self.session}.lock"))
        self.lock.setStaleLockTime(0)  # never stale by age: only a dead owner frees it
        self.lock.tryLock(0)
        self.offer: QMessageBox | None = None
        self._saved_state: tuple[int, int] | None = None
        minutes = float(settings.value("autosave/minutes", DEFAULT_MINUTES))
        self.timer = QTimer(self)
        self.timer.setInterval(max(10_000, int(minutes * 60_000)))
        self.timer.timeout.connect(self.save_now)
        self.timer.start()
        self.document.chart_replaced.connect(self._chart_replaced)

    @property
    def chart_file(self) -> Path:
        return self.folder / f"{self.session}.wbchart"

    @property
    def info_file(self) -> Path:
        return self.folder / f"{self.session}.json"

    def _chart_replaced(self) -> None:
        self._saved_state = None
        self.discard()

    def save_now(self) -> bool:
        """Write the recovery file if there is unsaved work newer than the last one."""
        w = self.document
        if w.undo_stack.isClean():
            self.discard()  # everything is in the real file
            return False
        state = (id(w.chart), w.undo_stack.index())
        if state == self._saved_state and self.chart_file.exists():
            return False
        info = {"original": str(w.path) if w.path else None, "title": w.chart.title,
                "saved_at": datetime.now(UTC).isoformat(timespec="seconds")}
        try:
            make_private(self.folder)
            save_chart(w.chart, self.chart_file, touch=False)
            os.chmod(self.chart_file, PRIVATE_FILE)  # a first save follows the umask
            write_bytes(self.info_file, json.dumps(info).encode(), mode=PRIVATE_FILE)
        except (ChartFileError, OSError) as exc:
            self.feedback.say(f"Autosave failed: {exc}", 10000)
            return False
        self._saved_state = state
        return True

    def discard(self) -> None:
        """Remove this session's recovery files (after a save, or on a clean close)."""
        for path in (self.chart_file, self.info_file):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    def close(self) -> None:
        """A clean end of the session: no recovery files, no lock."""
        self.timer.stop()
        self.discard()
        self.lock.unlock()

    # ----- after a crash -------------------------------------------------------------------
    def orphans(self) -> list[tuple[Path, dict[str, Any]]]:
        """Recovery files left by sessions that are no longer running, newest first."""
        found = []
        for chart_file in self.folder.glob("*.wbchart"):
            session = chart_file.stem
            if session == self.session:
                continue
            lock = QLockFile(str(self.folder / f"{session}.lock"))
            lock.setStaleLockTime(0)
            if not lock.tryLock(0):
                continue  # another Workbench window is alive and owns it
            lock.unlock()
            try:
                info = json.loads((self.folder / f"{session}.json").read_text("utf-8"))
            except (OSError, ValueError):
                info = {}
            found.append((chart_file, info if isinstance(info, dict) else {}))
        return sorted(found, key=lambda f: str(f[1].get("saved_at", "")), reverse=True)

    def offer_recovery(self) -> bool:
        """Ask about the newest orphaned recovery file; True if there was one to offer."""
        orphans = self.orphans()
        if not orphans:
            return False
        chart_file, info = orphans[0]
        name = Path(info["original"]).name if info.get("original") else info.get("title", "?")
        box = QMessageBox(QMessageBox.Icon.Question, "Recover unsaved work",
                          f"Workbench closed unexpectedly while {name} had unsaved changes. "
                          f"Recover the changes saved at {info.get('saved_at', '?')}?",
                          Button.Yes | Button.Discard | Button.Cancel, self.parent_widget)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.button(Button.Yes).setText("Recover")
        box.button(Button.Cancel).setText("Later")

        def answered() -> None:
            choice = box.standardButton(box.clickedButton())
            if choice == Button.Yes:
                self.recover(chart_file, info)
            elif choice == Button.Discard:
                self.remove_orphan(chart_file)

        box.finished.connect(answered)
        self.offer = box
        box.open()
        return True

    def recover(self, chart_file: Path, info: dict[str, Any]) -> bool:
        try:
            chart = load_chart(chart_file)
        except ChartFileError as exc:
            self.feedback.show_error("Cannot recover", str(exc))
            return False
        original = Path(info["original"]) if info.get("original") else None
        self.document.replace_chart(chart, original, modified=True)
        self.remove_orphan(chart_file)
        self.save_now()  # the recovered work is now this session's
        return True

    def remove_orphan(self, chart_file: Path) -> None:
        for suffix in (".wbchart", ".json", ".lock"):
            with contextlib.suppress(FileNotFoundError):
                chart_file.with_suffix(suffix).unlink()
