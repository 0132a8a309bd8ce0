"""The receiver (console/receiver) is a server beside the shells: no Qt, and the core never imports it."""

from __future__ import annotations

from tests.architecture.test_layering import FORBIDDEN_GUI, _loaded_after_import, _modules, _offenders


def test_receiver_loads_no_gui() -> None:
    modules = _modules("console.receiver")
    assert "console.receiver.app" in modules
    assert _offenders(_loaded_after_import(modules), FORBIDDEN_GUI) == []


def test_core_does_not_import_the_receiver() -> None:
    assert _offenders(_loaded_after_import(_modules("console.core")), ("console.receiver",)) == []
