"""Entry point for the frozen app: the same ``workbench`` command as a pip install gives."""

import sys

from workbench.cli import main

if __name__ == "__main__":
    sys.exit(main())
