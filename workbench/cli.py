"""The ``workbench`` command: ``workbench [CHART]`` opens the window; subcommands work headless.

Each subcommand lives in ``workbench/commands/<name>.py`` with ``register(subparsers)`` and a
``run(args) -> int``; the GUI (and so Qt) is imported only when the window is asked for.

Errors a user can cause (a bad file, a folder that cannot be written, a mistyped command) end
in one line on standard error naming the file and exit code 2, never a traceback: commands
report what they expect themselves, and ``main`` catches the rest of those kinds (OSError and
our own error classes) so that a path a command missed still ends in one line. Output into a
pipe that closes early (``workbench import ... | head``) ends quietly, with the work done, and
control characters from a chart never reach the terminal raw.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import keyword
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

from workbench import __version__

COMMANDS = (
    "info",
    "import",
    "export",
    "convert",
    "report",
    "map",
    "histogram",
    "analyse",
    "timeline",
    "resolve",
    "store",
)


class _Parser(argparse.ArgumentParser):
    """argparse that refuses a bad command line in one line, like every other error, instead
    of printing the usage block first (``--help`` still prints it)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see '{self.prog} --help')\n".translate(_CONTROLS))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="workbench",
        description="Visual intelligence workbench. 'workbench [CHART]' opens the window; "
        "the subcommands below work without a display.",
    )
    parser.add_argument("--version", action="version", version=f"Workbench {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = f"{name}_" if keyword.iskeyword(name) else name  # import -> import_.py
        importlib.import_module(f"workbench.commands.{module}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0] not in COMMANDS and not args_list[0].startswith("-")):
        if args_list and not Path(args_list[0]).is_file():
            print(f"workbench: {unknown_word(args_list[0])}".translate(_CONTROLS),
                  file=sys.stderr)
            return 2
        from workbench.ui.app import run_app

        return run_app(args_list)
    parser = build_parser()
    args = parser.parse_args(args_list)
    prefix = f"workbench {args.command}"
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _SafeStream(sys.stdout), _SafeStream(sys.stderr)
    try:
        code = int(args.run(args) or 0)
        sys.stdout.flush()
    except OSError as exc:
        print(f"{prefix}: {describe_os_error(exc)}", file=sys.stderr)
        return 2
    except ValueError as exc:
        if not type(exc).__module__.startswith("workbench."):
            raise  # not one of ours: a bug, whose traceback we need
        print(f"{prefix}: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    finally:
        sys.stdout, sys.stderr = streams
    return code


def unknown_word(word: str) -> str:
    """The message for ``workbench WORD`` when WORD is neither a command nor a file."""
    close = difflib.get_close_matches(word, COMMANDS, n=1, cutoff=0.75)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    what = "is a folder, not a chart file" if Path(word).is_dir() else \
        "no such command or file"
    return (f"{word}: {what} (commands: {', '.join(COMMANDS)}; "
            f"'workbench CHART' opens a chart in the window){hint}")


def describe_os_error(exc: OSError) -> str:
    """'FILE: reason' for an OSError that a command did not report itself."""
    reason = exc.strerror or str(exc)
    return f"{exc.filename}: {reason}" if exc.filename is not None else reason


#: Control characters other than tab and newline, as \xNN: a label holding "\x1b]0;...\x07"
#: must not drive the analyst's terminal when a command prints it.
_CONTROLS = {c: f"\\x{c:02x}" for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)]
             if chr(c) not in "\t\n"}


class _SafeStream:
    """Standard output and error for text from untrusted files: control characters are
    shown escaped instead of reaching the terminal, and a reader that goes away
    (``workbench import ... | head``) sends the rest to /dev/null, so the command finishes its
    work (the chart is still written) instead of dying with a BrokenPipeError traceback."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        text = text.translate(_CONTROLS)
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._to_devnull()
            return self._stream.write(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._to_devnull()
            self._stream.flush()

    def _to_devnull(self) -> None:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, self._stream.fileno())
        os.close(devnull)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
