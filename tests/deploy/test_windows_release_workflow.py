"""The release workflow for real Windows (.github/workflows/windows-release.yml, issue 14) parses and runs the same
build steps as scripts/build-windows: CPython 3.11, the hash-pinned win_amd64 lock, build.spec, NSIS from choco with
installer.nsi, and uploads the setup.exe. It never runs here (no Windows machines in this CI): this checks its shape."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "windows-release.yml"


def _steps() -> tuple[dict, list[dict]]:
    doc = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(doc, dict) and doc["name"] == "windows-release"
    jobs = doc["jobs"]
    assert list(jobs) == ["build"]
    return jobs["build"], jobs["build"]["steps"]


def test_release_workflow_builds_on_a_real_windows_runner() -> None:
    job, steps = _steps()
    assert job["runs-on"] == "windows-latest"
    uses = {s["uses"].split("@")[0]: s for s in steps if "uses" in s}
    assert uses["actions/setup-python"]["with"]["python-version"] == "3.11"
    assert {"actions/checkout", "actions/setup-python", "actions/upload-artifact"} <= set(uses)
    script = "\n".join(s.get("run", "") for s in steps)
    assert "--require-hashes -r packaging/windows/requirements-windows.lock" in script
    assert "python -m PyInstaller" in script and "build.spec" in script
    assert "choco install nsis" in script and "packaging\\windows\\installer.nsi" in script
    assert "wxconsole.exe selftest --json" in script  # the bundle is smoke-tested before it is uploaded
    assert uses["actions/upload-artifact"]["with"]["path"] == "dist-windows/wxconsole-setup-*.exe"


def test_release_workflow_names_only_files_that_exist_and_keeps_secrets_out() -> None:
    for name in ("packaging/windows/requirements-windows.lock", "packaging/windows/installer.nsi", "build.spec"):
        assert (ROOT / name).is_file(), name
    text = WORKFLOW.read_text(encoding="utf-8")
    # the signing certificate comes from the repository's secrets, never from a file in the repo
    assert "${{ secrets.WXCONSOLE_SIGN_PFX_BASE64 }}" in text and ".pfx" not in text.replace("sign.pfx", "")
    doc = yaml.safe_load(text)
    triggers = doc.get("on", doc.get(True))  # YAML 1.1 reads a bare `on` key as True
    assert "workflow_dispatch" in triggers and triggers["push"]["tags"] == ["v*"]
