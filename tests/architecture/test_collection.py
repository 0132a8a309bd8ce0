"""The suite imports the same way however pytest is started (issue 16).

Tests import shared helpers (`tests.cli.conftest`, `tests.sim.sim_helpers`, ...): tests/ is a package and pyproject's
`pythonpath = ["."]` puts the checkout root on sys.path, so the `pytest` console script (whose sys.path does not start
with the current directory, unlike `python -m pytest`) collects the same tests, with no import error, from the root and
from inside tests/. Only collection runs here (no test body), so this stays cheap enough for every run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import console

ROOT = Path(__file__).resolve().parents[2]
_SUMMARY = re.compile(r"^(\d+) tests? collected", re.MULTILINE)


def _pytest_script() -> str:
    found = shutil.which("pytest", path=str(Path(sys.executable).parent))
    assert found, f"the pytest console script is not installed beside {sys.executable}"
    return found


def _collect(argv: list[str], cwd: Path) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.pop("PYTHONPATH", None)  # the configuration alone must make the imports work
    result = subprocess.run([*argv, "--collect-only", "-q", "-p", "no:cacheprovider"], cwd=cwd, env=env,
                            capture_output=True, text=True, timeout=540)
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{argv} in {cwd} failed to collect:\n{output[-4000:]}"
    assert "error" not in output.splitlines()[-1].lower(), output[-4000:]
    counts = _SUMMARY.findall(output)
    assert counts, output[-4000:]
    return int(counts[-1]), output


def test_console_is_this_checkouts_package() -> None:
    # An editable install of another checkout must not win over this one (pythonpath = ["."]).
    assert Path(console.__file__).resolve().is_relative_to(ROOT), console.__file__


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_plain_pytest_collects_what_python_m_pytest_collects() -> None:
    script = _pytest_script()
    via_module, _ = _collect([sys.executable, "-m", "pytest"], ROOT)
    via_script, _ = _collect([script], ROOT)
    from_tests_dir, _ = _collect([script], ROOT / "tests")
    assert via_script == via_module, (via_script, via_module)
    assert from_tests_dir == via_module, (from_tests_dir, via_module)
    assert via_module > 1000  # the whole suite, not an accidentally narrowed selection


@pytest.mark.timeout(300)
def test_one_file_collects_alone_from_anywhere() -> None:
    # A file that imports another test module's helpers (tests.ui.conftest) works when named alone, from any cwd.
    script = _pytest_script()
    target = ROOT / "tests" / "ui" / "test_ui_send.py"
    from_root, _ = _collect([script, str(target.relative_to(ROOT))], ROOT)
    from_own_dir, _ = _collect([script, target.name], target.parent)
    assert from_root == from_own_dir > 0
