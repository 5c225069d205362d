"""Run a layout in a child Python process, so that a layout whose work sits in C code holding
the GIL does not freeze the window.

igraph's Sugiyama layering (the hierarchy layout) keeps the GIL for the whole call: run on a
worker thread, it stopped the window's event loop for 1.5 s of CPU (5 s on a busy machine)
on the 23,046-link routes sample, Cancel included. In a child process the window's thread
runs on, and Cancel kills the child at once. The exchange is plain JSON over the child's
stdin and stdout (no pickle): the snapshot in, progress lines and the positions out.

Run as ``python -m workbench.layout.process``, or in the frozen app (PyInstaller, where
``sys.executable`` is Workbench itself and ``-m`` means nothing) as the app with the single
argument ``CHILD_FLAG``, which packaging/launcher.py hands to :func:`main`; the parent side is
:func:`run_in_process`.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from dataclasses import asdict
from typing import IO, Any

from workbench.layout.graph import Cancelled, LayoutCancelled, LayoutInput, Positions, Progress

# Layouts that hold the GIL in C code for seconds, and read only what JSON carries plainly
# (ids, types, positions, edges, labels: not the dates or attribute values of a snapshot).
IN_PROCESS = frozenset({"hierarchy"})
POLL_S = 0.05  # how often the parent looks at Cancel while the child works
CHILD_FLAG = "--layout-process"  # the frozen app's way in to main()


class LayoutProcessError(RuntimeError):
    """The child process failed (its error, or how it ended)."""


def run_in_process(name: str, data: LayoutInput, *, progress: Progress = None,
                   cancelled: Cancelled = None, **options: Any) -> Positions:
    """Layout ``name`` of ``data`` in a child process: its positions, progress passed on,
    LayoutCancelled (and the child killed) when ``cancelled()`` turns true."""
    if name not in IN_PROCESS:
        raise ValueError(f"the {name} layout does not run in a process")
    request = {"name": name, "options": options,
               "data": {**asdict(data), "values": [], "dates": []}}
    child = subprocess.Popen(child_command(),
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    lines: queue.Queue[bytes] = queue.Queue()
    reader = threading.Thread(target=_read_lines, args=(child.stdout, lines), daemon=True)
    reader.start()
    try:
        child.stdin.write(json.dumps(request).encode())
        child.stdin.close()
        while True:
            if cancelled is not None and cancelled():
                raise LayoutCancelled()
            try:
                line = lines.get(timeout=POLL_S)
            except queue.Empty:
                continue
            if not line:  # the child ended without an answer
                child.wait()
                error = child.stderr.read().decode(errors="replace").strip().splitlines()
                raise LayoutProcessError(error[-1] if error else
                                         f"the layout process ended (code {child.returncode})")
            message = json.loads(line)
            if "progress" in message:
                if progress is not None:
                    progress(float(message["progress"]))
            elif "error" in message:
                raise LayoutProcessError(message["error"])
            else:
                return {k: (float(x), float(y)) for k, (x, y) in message["positions"].items()}
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
        for stream in (child.stdout, child.stderr):
            stream.close()


def child_command() -> list[str]:
    """How to start the child: this Python with ``-m``, or the frozen app with its flag."""
    if getattr(sys, "frozen", False):
        return [sys.executable, CHILD_FLAG]
    return [sys.executable, "-m", "workbench.layout.process"]


def _read_lines(stream: IO[bytes], lines: queue.Queue[bytes]) -> None:
    for line in iter(stream.readline, b""):
        lines.put(line)
    lines.put(b"")


def _say(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main() -> None:
    """The child: read the request from stdin, answer on stdout."""
    from workbench.layout import LAYOUTS

    request = json.loads(sys.stdin.buffer.read())
    fields = request["data"]
    data = LayoutInput(**{**fields,
                          "positions": [tuple(p) for p in fields["positions"]],
                          "edges": [tuple(e) for e in fields["edges"]]})
    try:
        positions = LAYOUTS[request["name"]](
            data, progress=lambda f: _say({"progress": f}), **request["options"])
    except Exception as exc:  # the parent reports it to the analyst
        _say({"error": f"{type(exc).__name__}: {exc}"})
        return
    _say({"positions": {str(k): (float(x), float(y)) for k, (x, y) in positions.items()}})


if __name__ == "__main__":
    main()
