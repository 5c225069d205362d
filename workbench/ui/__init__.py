"""The desktop window: main window, docks, dialogs, undo commands. Imports everything below."""
