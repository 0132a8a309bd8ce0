"""The CLI with `--token-store` (and WXCONSOLE_TOKEN_STORE) against `wxconsole sim serve --port 0` and a real
redis-server; plus the composition root's wiring of the store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.app import ServiceConfigError, build_services
from console.core.secrets import MemorySecretStore
from console.core.settings import Settings
from console.core.wechat.tokens import ExternalTokenProvider, StableTokenProvider
from console.core.wechat.tokens_redis import RedisTokenProvider
from console.core.wechat.tokens_redis_store import redact_url
from tests.deploy.redis_fixtures import APPID, ROOT, SECRET, SimServer, free_port, running_redis


def wxconsole(home: Path, *args: str, store_env: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WXCONSOLE_")}
    env.update(WXCONSOLE_APPSECRET=SECRET, WXCONSOLE_HOME=str(home))
    if store_env:
        env["WXCONSOLE_TOKEN_STORE"] = store_env
    cmd = [sys.executable, "-m", "console.cli.main"]  # this checkout's code (cwd=ROOT), see redis_fixtures.SimServer
    return subprocess.run([*cmd, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


@pytest.fixture
def sim() -> Iterator[SimServer]:
    server = SimServer()
    yield server
    server.close()


def test_second_cli_run_reuses_the_token_from_redis(sim: SimServer, tmp_path: Path) -> None:
    with running_redis(tmp_path / "redis") as redis:
        base = ["--api-base", sim.base, "--appid", APPID, "token", "--mode", "stable", "--json"]
        runs = [wxconsole(tmp_path / "home", *base, "--token-store", redis.url) for _ in range(2)]
        runs.append(wxconsole(tmp_path / "home", *base, store_env=redis.url))  # the environment variable
        for run in runs:
            assert run.returncode == 0, run.stderr
            assert run.stderr == ""
        answers = [json.loads(run.stdout) for run in runs]
        assert {a["access_token"] for a in answers} == {answers[0]["access_token"]}
        assert all(a["mode"] == "stable" and a["expires_in"] > 7000 for a in answers)
        assert sim.token_requests() == 1
        assert redis.cli_run("exists", f"wxconsole:token:stable:{APPID}").stdout.strip() == b"1"


def test_cli_falls_back_when_redis_is_down_and_says_so(sim: SimServer, tmp_path: Path) -> None:
    url = f"redis://:hunter2-pw@127.0.0.1:{free_port()}/0"
    run = wxconsole(tmp_path / "home", "--api-base", sim.base, "--appid", APPID, "token", "--mode", "classic",
                    "--token-store", url, "--json")
    assert run.returncode == 0, run.stderr
    answer = json.loads(run.stdout)  # stdout stays one JSON object
    assert answer["mode"] == "classic"
    assert "提示" in run.stderr and "本机缓存" in run.stderr and "redis://:***@127.0.0.1" in run.stderr
    assert "hunter2-pw" not in run.stderr + run.stdout
    assert sim.token_requests("/cgi-bin/token") == 1


def test_cli_rejects_a_bad_store_url(tmp_path: Path) -> None:
    run = wxconsole(tmp_path / "home", "--api-base", "http://127.0.0.1:9", "--appid", APPID, "token",
                    "--token-store", "http://:pw@127.0.0.1:1/", "--json")
    assert run.returncode == 4
    answer = json.loads(run.stdout)
    assert "redis://" in answer["message"] and ":pw@" not in answer["message"]


def test_redact_url() -> None:
    assert redact_url("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"
    assert redact_url("redis://user:pw@host:6379/2") == "redis://user:***@host:6379/2"
    assert redact_url("rediss://:pw@[::1]:6380/0") == "rediss://:***@[::1]:6380/0"
    assert redact_url("redis://h:1/0?password=pw&db=1") == "redis://h:1/0?password=***&db=1"


async def test_build_services_wires_the_store(tmp_path: Path) -> None:
    secrets = MemorySecretStore({APPID: SECRET})
    url = "redis://127.0.0.1:1/0"  # never contacted here
    for mode, expected in (("stable", "stable"), ("classic", "classic"), ("redis", "stable")):
        settings = Settings(token_mode=mode, token_store_url=url, sandbox=False, api_base="http://127.0.0.1:9")
        services = build_services(settings, data_dir=tmp_path, secrets=secrets, mini_appid=APPID)
        tokens = services.mini.tokens  # type: ignore[union-attr]
        assert isinstance(tokens, RedisTokenProvider) and tokens.mode == expected
        await services.aclose()
    plain = build_services(Settings(sandbox=False), data_dir=tmp_path, secrets=secrets, mini_appid=APPID)
    assert isinstance(plain.mini.tokens, StableTokenProvider) and plain.token_store is None  # type: ignore[union-attr]
    await plain.aclose()
    external = build_services(Settings(token_mode="external", external_token_url="http://127.0.0.1:9/t",
                                       token_store_url=url), data_dir=tmp_path, secrets=secrets, mini_appid=APPID)
    assert isinstance(external.mini.tokens, ExternalTokenProvider)  # type: ignore[union-attr]
    await external.aclose()
    with pytest.raises(ServiceConfigError):
        build_services(Settings(token_mode="redis"), data_dir=tmp_path, secrets=secrets, mini_appid=APPID)
    with pytest.raises(ServiceConfigError):
        build_services(Settings(token_store_url="memcached://127.0.0.1:1"), data_dir=tmp_path, secrets=secrets,
                       mini_appid=APPID)
