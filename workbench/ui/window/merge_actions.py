"""Edit > Merge Entities and Unmerge, and Analysis > Find Duplicates.

Merge Entities joins the selected entities into one (the one with the most links keeps its
id), Unmerge gives the selected merged entity's identities back; each is one undo step, and
the merged entity's Properties say which identities were joined, by whom and why. Find
Duplicates opens the review dock, which runs the matcher and decides pairs one by one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu

from workbench.model.merge import MergeError, unmerge_problem
from workbench.resolve.decisions import plan_by_hand
from workbench.ui.commands import MergeCommand, UnmergeCommand
from workbench.ui.docks.review_dock import ReviewDock
from workbench.ui.document import Tools
from workbench.ui.wording import plural

if TYPE_CHECKING:
    from workbench.ui.window.main_window import MainWindow


class MergeActions(QObject):
    """The actions, enabled by what is selected; ``review`` is the Find Duplicates dock."""

    def __init__(self, tools: Tools, edit: QMenu, analysis: QMenu, review: ReviewDock) -> None:
        super().__init__(tools.parent)
        self.tools, self.review = tools, review
        document = tools.document
        self.merge = QAction("&Merge Entities", tools.parent)
        self.merge.setShortcut(QKeySequence("Ctrl+Shift+M"))
        self.merge.setStatusTip("join the selected entities into one (Unmerge gives them back)")
        self.unmerge = QAction("U&nmerge", tools.parent)
        self.unmerge.setStatusTip("give back the identities joined into the selected entity")
        self.find_duplicates = QAction("Find &Duplicates...", tools.parent)
        self.find_duplicates.setStatusTip("pairs of entities that may be one, to review")
        edit.addSeparator()
        edit.addActions([self.merge, self.unmerge])
        analysis.addSeparator()
        analysis.addAction(self.find_duplicates)
        self.merge.triggered.connect(self.merge_selected)
        self.unmerge.triggered.connect(self.unmerge_selected)
        self.find_duplicates.triggered.connect(self.show_review)
        document.selection.changed.connect(self._update)
        document.chart_replaced.connect(self._follow_chart)
        self._chart = None
        self._follow_chart()

    def _follow_chart(self) -> None:
        if self._chart is not None:
            self._chart.decisions_changed.disconnect(self._update, missing_ok=True)
        self._chart = self.tools.document.chart
        self._chart.decisions_changed.connect(self._update)
        self._update()

    def _update(self) -> None:
        chart = self.tools.document.chart
        picked = [e for e in self.tools.document.selection.entities if e in chart.entities]
        self.merge.setEnabled(len(picked) >= 2)
        self.unmerge.setEnabled(len(picked) == 1 and chart.merge_record(picked[0]) is not None)

    def merge_selected(self) -> str | None:
        """Merge the selected entities as one undo step; returns the merged entity's id."""
        document = self.tools.document
        chart = document.chart
        picked = [e for e in chart.entities if e in document.selection.entities]
        try:
            record = plan_by_hand(chart, picked)
        except MergeError as exc:
            self.tools.feedback.say(str(exc), 8000)
            return None
        survivor = chart.entity(record.survivor)
        document.undo_stack.push(MergeCommand(
            chart, record, f"Merge {plural(len(picked), 'entity')} into {survivor.label}"))
        document.selection.set([record.survivor])
        self.tools.feedback.say(f"Merged {plural(len(picked), 'entity')} into "
                                f"{survivor.label}; Edit > Unmerge gives them back.", 8000)
        return record.survivor

    def unmerge_selected(self) -> list[str]:
        """Unmerge the selected merged entity as one undo step; returns the entities given
        back (selected), none when it cannot (the reason goes to the status bar)."""
        document = self.tools.document
        chart = document.chart
        picked = [e for e in document.selection.entities if e in chart.entities]
        if len(picked) != 1:
            self.tools.feedback.say("Select one merged entity to unmerge.", 8000)
            return []
        problem = unmerge_problem(chart, picked[0])
        if problem:
            self.tools.feedback.say(problem, 8000)
            return []
        joined = chart.merge_record(picked[0]).joined
        document.undo_stack.push(UnmergeCommand(
            chart, picked[0], f"Unmerge {chart.entity(picked[0]).label}"))
        document.selection.set(joined)
        return joined

    def show_review(self) -> None:
        """Show the Find Duplicates dock and start finding pairs."""
        self.review.show()
        self.review.raise_()
        self.review.find()


def install_merge_actions(window: MainWindow, tab_with: QDockWidget | None = None
                          ) -> MergeActions:
    """Add the review dock (hidden until Find Duplicates; a tab beside ``tab_with``) and the
    three actions."""
    review = ReviewDock(window.document, window)
    review.setProperty("optional_dock", True)  # Reset Dock Layout leaves it as it is
    window.add_dock(review, Qt.DockWidgetArea.BottomDockWidgetArea, tab_with=tab_with)
    review.hide()
    return MergeActions(window.tools, window.menus.edit, window.analysis_menu, review)
