"""The desktop window, in rooms: ``window`` (main window, menus, actions, file operations,
autosave), ``docks``, ``dialogs`` and ``importing`` (the wizard). Beside them, shared by all:
undo commands, background jobs, the clipboard and the application entry point. Imports
everything below."""
