"""Headless subcommands of ``workbench``; each module has ``register(subparsers)``."""
