"""The main window and what hangs off it: menus, actions, file operations, autosave, clipboard
and exports. The only room that may know the whole window; it composes the other rooms."""
