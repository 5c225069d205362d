"""The ``workbench`` command: ``workbench [CHART]`` opens the window; subcommands work headless.

Each subcommand lives in ``workbench/commands/<name>.py`` with ``register(subparsers)`` and a
``run(args) -> int``; the GUI (and so Qt) is imported only when the window is asked for.
"""

from __future__ import annotations

import argparse
import importlib
import keyword
import sys
from collections.abc import Sequence

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
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
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
        from workbench.ui.app import run_app

        return run_app(args_list)
    parser = build_parser()
    args = parser.parse_args(args_list)
    return int(args.run(args) or 0)
