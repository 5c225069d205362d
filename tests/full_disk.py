"""A real full disk for tests in this process: a file-size limit (RLIMIT_FSIZE, which binds
root too) makes every write past a size stop with EFBIG, as a full disk would. POSIX only."""

from __future__ import annotations

import contextlib
import resource
import signal
from collections.abc import Iterator


@contextlib.contextmanager
def disk_full_after(n_bytes: int) -> Iterator[None]:
    """Every write past ``n_bytes`` in a file fails with EFBIG, as on a full disk."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (n_bytes, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, handler)
