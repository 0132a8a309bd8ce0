"""Classic token mode shared by the processes of one computer (the data folder's token file under an OS lock): two
`wxconsole` commands — one after the other, or several at once — fetch one classic token between them, and a token
WeChat rejects is fetched again once, not once per process. Real subprocesses on the loopback simulator."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from console.sim import SANDBOX_MINI_APPID, SANDBOX_SECRET

TOKEN_PATH = "/cgi-bin/token"


def _env() -> dict[str, str]:
    return dict(os.environ, WXCONSOLE_APPSECRET=SANDBOX_SECRET)


def _args(home: Path, server, *command: str) -> list[str]:
    return [sys.executable, "-m", "console.cli.main", "--home", str(home), "--api-base", server.base,
            "--appid", SANDBOX_MINI_APPID, "--token-mode", "classic", *command]


def run_cli(home: Path, server, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_args(home, server, *command), capture_output=True, text=True, env=_env(), timeout=90,
                          stdin=subprocess.DEVNULL)


def token_fetches(server) -> int:
    return int(server.admin("GET", "/stats").get(TOKEN_PATH, 0))


def test_two_commands_one_after_the_other_share_one_token(sim_server, tmp_path: Path) -> None:
    home = tmp_path / "home"
    first = run_cli(home, sim_server, "token", "--json")
    second = run_cli(home, sim_server, "token", "--json")
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert json.loads(first.stdout)["access_token"] == json.loads(second.stdout)["access_token"]
    assert token_fetches(sim_server) == 1
    files = list((home / "tokens").glob("classic-*.json"))
    assert len(files) == 1
    if os.name == "posix":
        assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    # another data folder is another computer: it has its own token
    assert run_cli(tmp_path / "other", sim_server, "token", "--json").returncode == 0
    assert token_fetches(sim_server) == 2


def test_commands_started_together_fetch_one_token(sim_server, tmp_path: Path) -> None:
    home = tmp_path / "home"
    procs = [subprocess.Popen(_args(home, sim_server, "templates", "--kind", "subscribe", "--json"),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(),
                              stdin=subprocess.DEVNULL) for _ in range(3)]
    for proc in procs:
        out, err = proc.communicate(timeout=90)
        assert proc.returncode == 0, err
        assert json.loads(out)["templates"]
    assert token_fetches(sim_server) == 1


def test_a_rejected_token_is_fetched_again_once(sim_server, tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert run_cli(home, sim_server, "token").returncode == 0
    sim_server.admin("POST", "/config", json={"expire_tokens_after_calls": 0})  # every issued token expires now
    again = run_cli(home, sim_server, "templates", "--kind", "subscribe", "--json")
    assert again.returncode == 0, again.stderr  # 42001 -> the shared token is dropped and fetched again
    assert token_fetches(sim_server) == 2
    third = run_cli(home, sim_server, "templates", "--kind", "subscribe", "--json")
    assert third.returncode == 0 and token_fetches(sim_server) == 2  # the new one is shared
