"""Garbage holding Qt objects is destroyed on the GUI thread, never in a worker."""

from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QObject, Qt

from workbench.view.collector import GuiThreadCollector


def test_cyclic_garbage_is_collected_on_the_gui_thread_only(qtbot):
    was_enabled = gc.isenabled()
    gc.enable()  # as in a plain Python process, before the app starts its collector
    collector = GuiThreadCollector(interval_ms=20)
    try:
        assert not gc.isenabled()
        destroyed_in: list[int] = []

        class Holder:
            pass

        holder = Holder()
        holder.obj = QObject()
        holder.me = holder  # a cycle: only the cyclic collector can free it
        holder.obj.destroyed.connect(lambda: destroyed_in.append(threading.get_ident()),
                                     Qt.ConnectionType.DirectConnection)
        del holder
        # A worker allocating like a layout does passes every collection threshold.
        kept: list[list[int]] = []
        worker = threading.Thread(target=lambda: kept.extend([i] for i in range(300_000)))
        worker.start()
        worker.join()
        assert destroyed_in == []
        qtbot.waitUntil(lambda: bool(destroyed_in), timeout=3000)
        assert destroyed_in == [threading.get_ident()]
    finally:
        collector.stop()
    assert gc.isenabled()
    if not was_enabled:
        gc.disable()
