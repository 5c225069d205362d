"""The ui tests' windows (settings in the test's tmp folder) for the timeline's dock tests."""

from tests.ui.conftest import (  # noqa: F401 (fixtures)
    _release_modifiers,
    make_window,
    settings_file,
    window,
)
