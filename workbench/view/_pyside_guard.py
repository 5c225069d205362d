"""Work around a reference-count bug in the PySide6 6.12 wheels on Python 3.11.

Those wheels return ``None`` from every void Qt call without taking a new reference (correct
only on Python 3.12+, where ``None`` is immortal). On 3.11 each call to ``setPos``,
``setFlag``, ``update``... therefore steals one reference from ``None``, and after a few
thousand calls the interpreter aborts with "none_dealloc: deallocating None". A chart of
10,000 entities makes that many calls while it is built.

The guard gives ``None`` an extra 2**40 references once, which makes it immortal in practice
(the stolen references are never given back, so nothing is freed that should not be). It is
a no-op on Python 3.12 and later, and it runs before any Qt drawing code is imported.
"""

from __future__ import annotations

import ctypes
import sys

_EXTRA_REFERENCES = 1 << 40


def make_none_immortal() -> None:
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    refcount = ctypes.c_ssize_t.from_address(id(None))
    if refcount.value < _EXTRA_REFERENCES:
        refcount.value += _EXTRA_REFERENCES


make_none_immortal()
