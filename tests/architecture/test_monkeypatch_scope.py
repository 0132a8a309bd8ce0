"""Tests never call `monkeypatch.undo()`: the autouse fixtures (tests/conftest.py: loopback only, no real keyring, an
isolated WXCONSOLE_HOME) patch through the same `monkeypatch`, so undo() silently drops those guards for the rest of
the test. A patch that must end early uses its own `pytest.MonkeyPatch.context()` — which also ends it before the
window fixture's teardown (a pretended running job kept there made each teardown wait stop_grace(), 50 s)."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def _undo_calls(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if path == Path(__file__).resolve():
            continue  # this file names the call in its own check
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if "monkeypatch.undo()" in code:
                found.append(f"{path.relative_to(root)}:{number}")
    return found


def test_no_test_undoes_the_shared_monkeypatch() -> None:
    assert _undo_calls(TESTS) == []


def test_the_check_finds_an_undo(tmp_path: Path) -> None:
    (tmp_path / "test_x.py").write_text("def test(monkeypatch):\n    monkeypatch.undo()  # here\n", encoding="utf-8")
    assert _undo_calls(tmp_path) == ["test_x.py:2"]
