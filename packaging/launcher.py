"""Entry point for the frozen app: the same ``workbench`` command as a pip install gives.

Started with a single child flag it is instead a child process of the window (a frozen app
has no ``python -m``): ``--layout-process`` the one a long layout runs in
(workbench/layout/process.py), ``--picture-process`` the one that draws a chart picture
(workbench/export/picture_process.py). Each module's ``CHILD_FLAG`` is its key here.
"""

import importlib
import sys

CHILDREN = {"--layout-process": "workbench.layout.process",
            "--picture-process": "workbench.export.picture_process"}

if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] in CHILDREN:
        importlib.import_module(CHILDREN[sys.argv[1]]).main()
        sys.exit(0)
    from workbench.cli import main

    sys.exit(main())
