"""Entry point for the frozen app: the same ``workbench`` command as a pip install gives.

Started with the single argument ``--layout-process`` it is instead the child process a long
layout runs in (workbench/layout/process.py: a frozen app has no ``python -m``).
"""

import sys

if __name__ == "__main__":
    from workbench.layout.process import CHILD_FLAG

    if sys.argv[1:] == [CHILD_FLAG]:
        from workbench.layout.process import main as layout_child

        layout_child()
        sys.exit(0)
    from workbench.cli import main

    sys.exit(main())
