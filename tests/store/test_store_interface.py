"""The embedded engine speaks the whole interface the window and the shared store rely on."""

from __future__ import annotations

import inspect

from workbench.store import DuckStore, Store


def test_the_embedded_engine_has_every_method_of_the_interface_with_its_parameters():
    wanted = {n: v for n, v in vars(Store).items() if callable(v) and not n.startswith("_")}
    assert {"search", "preview", "chart", "expand", "news", "shortest_path", "import_files",
            "info", "entity", "resolve_seed", "close"} <= set(wanted)
    for name, method in wanted.items():
        engine = getattr(DuckStore, name)
        ours = inspect.signature(engine).parameters
        for param in inspect.signature(method).parameters.values():
            assert param.name in ours, (name, param.name)
            assert ours[param.name].default == param.default, (name, param.name)
