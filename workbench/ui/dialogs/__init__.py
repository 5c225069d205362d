"""Dialogs opened from the window's menus. Each takes the narrow things it edits or reads
(chart, selection, undo stack, a parent widget), never the main window."""
