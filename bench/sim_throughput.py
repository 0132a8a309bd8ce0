"""Simulator throughput: subscribe sends per second from one server process on one core.

Starts `python -m console.sim serve --port 0` pinned to core 0 (taskset), creates users, drives 50 keep-alive
connections from another process pinned to core 1 (wrk with a Lua script when installed, else a lean asyncio
raw-socket client), checks every answer was errcode 0 through /__sim__/stats and /__sim__/messages, and prints
sends/s with a ratio against a trivial ASGI app on the same uvicorn stack measured in the same run.

    .venv/bin/python bench/sim_throughput.py [--seconds 10] [--connections 50] [--client auto|wrk|python]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEND_PATH = "/cgi-bin/message/subscribe/send"
MEETING_TEMPLATE = "yh6zMczM8j8EroBiXtMq1hMcBhrwSA7ijvstXDttS7M"  # 会议提醒, long-term (type 3)
DATA = {"thing1": {"value": "第二季度工作总结会"}, "time2": {"value": "2024年5月21日 14:00"},
        "thing3": {"value": "行政楼302会议室"}, "name4": {"value": "李四"}, "short_thing5": {"value": "内部会议"}}


# -- the baseline: a trivial ASGI app on the same uvicorn stack ------------------------------------------------
async def baseline_app(scope, receive, send):  # type: ignore[no-untyped-def]
    if scope["type"] != "http":
        return
    message = await receive()
    while message.get("more_body"):
        message = await receive()
    body = b'{"errcode":0,"errmsg":"ok","msgid":1}'
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]})
    await send({"type": "http.response.body", "body": body})


def serve_baseline() -> int:
    import socket

    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    print(f"listening on http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
    config = uvicorn.Config(baseline_app, http="httptools", loop="uvloop", lifespan="off", access_log=False,
                            log_level="warning")
    uvicorn.Server(config).run(sockets=[sock])
    return 0


# -- helpers ---------------------------------------------------------------------------------------------------
def pinned(cmd: list[str], core: int) -> list[str]:
    if shutil.which("taskset") and (os.cpu_count() or 1) > 1:
        return ["taskset", "-c", str(core), *cmd]
    return cmd


def start_server(cmd: list[str]) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(pinned(cmd, 0), stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    match = re.fullmatch(r"listening on (http://127\.0\.0\.1:\d+)", line)
    if not match:
        proc.kill()
        raise SystemExit(f"server did not start: {line!r}")
    return proc, match.group(1)


def get_json(url: str, data: bytes | None = None) -> dict:
    with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=30) as resp:
        return json.loads(resp.read())


def bodies(openids: list[str]) -> list[str]:
    return [json.dumps({"touser": o, "template_id": MEETING_TEMPLATE, "page": "pages/meeting/detail?id=7",
                        "data": DATA}, ensure_ascii=False) for o in openids]


# -- load generators -------------------------------------------------------------------------------------------
_LUA = """
local bodies = {}
for line in io.lines("%(bodies)s") do bodies[#bodies + 1] = line end
local i = 0
local headers = {["Content-Type"] = "application/json"}
request = function()
  i = i + 1
  return wrk.format("POST", "%(path)s", headers, bodies[(i %% #bodies) + 1])
end
"""


def run_wrk(base: str, path: str, payloads: list[str], seconds: float, connections: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        body_file = Path(tmp, "bodies.txt")
        body_file.write_text("\n".join(payloads) + "\n", encoding="utf-8")
        script = Path(tmp, "send.lua")
        script.write_text(_LUA % {"bodies": body_file, "path": path}, encoding="utf-8")
        duration = f"-d{max(1, round(seconds))}s"
        cmd = pinned(["wrk", "-t1", f"-c{connections}", duration, "--latency", "-s", str(script), base], 1)
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    p50 = re.search(r"50%\s+(\S+)", out)
    p99 = re.search(r"99%\s+(\S+)", out)
    return {"rate": rate, "non2xx": int(non2xx.group(1)) if non2xx else 0,
            "socket_errors": errors.group(1) if errors else "", "p50": p50.group(1) if p50 else "?",
            "p99": p99.group(1) if p99 else "?"}


async def _python_load(host: str, port: int, path: str, payloads: list[str], seconds: float,
                       connections: int) -> dict:
    reqs = [(f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
             f"Content-Length: {len(p.encode())}\r\n\r\n").encode() + p.encode() for p in payloads]
    done = 0
    bad = 0
    deadline = time.perf_counter() + seconds

    async def worker(offset: int) -> None:
        nonlocal done, bad
        reader, writer = await asyncio.open_connection(host, port)
        i = offset
        while time.perf_counter() < deadline:
            writer.write(reqs[i % len(reqs)])
            i += connections
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(re.search(rb"(?i)content-length: (\d+)", head).group(1))  # type: ignore[union-attr]
            body = await reader.readexactly(length)
            done += 1
            if not head.startswith(b"HTTP/1.1 200") or b'"errcode":0' not in body:
                bad += 1
        writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(worker(k) for k in range(connections)))
    return {"rate": done / (time.perf_counter() - start), "non2xx": bad, "socket_errors": "", "p50": "?",
            "p99": "?"}


def client_main(argv: list[str]) -> int:
    host, port, path, body_file, seconds, conns = argv
    payloads = Path(body_file).read_text(encoding="utf-8").splitlines()
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    result = asyncio.run(_python_load(host, int(port), path, payloads, float(seconds), int(conns)))
    print(json.dumps(result))
    return 0


def run_python(base: str, path: str, payloads: list[str], seconds: float, connections: int) -> dict:
    host, port = base.removeprefix("http://").split(":")
    with tempfile.TemporaryDirectory() as tmp:
        body_file = Path(tmp, "bodies.txt")
        body_file.write_text("\n".join(payloads) + "\n", encoding="utf-8")
        cmd = pinned([sys.executable, __file__, "--run-client", host, port, path, str(body_file), str(seconds),
                      str(connections)], 1)
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


# -- main ------------------------------------------------------------------------------------------------------
def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--serve-baseline":
        return serve_baseline()
    if len(sys.argv) > 1 and sys.argv[1] == "--run-client":
        return client_main(sys.argv[2:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto")
    args = parser.parse_args()
    use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk") is not None)
    load = run_wrk if use_wrk else run_python

    sim, base = start_server([sys.executable, "-m", "console.sim", "serve", "--port", "0"])
    try:
        users = get_json(f"{base}/__sim__/users?count={args.users}")["users"]
        token = get_json(f"{base}/cgi-bin/token?grant_type=client_credential&appid=wx0000000000000000"
                         "&secret=sandbox-secret")["access_token"]
        before = get_json(f"{base}/__sim__/stats").get(SEND_PATH, 0)
        result = load(base, f"{SEND_PATH}?access_token={token}", bodies([u["openid"] for u in users]),
                      args.seconds, args.connections)
        requests = get_json(f"{base}/__sim__/stats").get(SEND_PATH, 0) - before
        accepted = get_json(f"{base}/__sim__/messages?offset=0&limit=0")["total"]
    finally:
        sim.terminate()
        sim.wait(10)
    base_proc, base_url = start_server([sys.executable, __file__, "--serve-baseline"])
    try:
        baseline = load(base_url, SEND_PATH, bodies([u["openid"] for u in users[:100]]), args.seconds,
                        args.connections)
    finally:
        base_proc.terminate()
        base_proc.wait(10)

    errors = requests - accepted
    print(f"client: {'wrk' if use_wrk else 'python asyncio raw-socket'}, {args.connections} keep-alive "
          f"connections, {args.seconds:g} s, server pinned to core 0, client to core 1")
    print(f"simulator : {result['rate']:9.0f} subscribe sends/s  (p50 {result['p50']}, p99 {result['p99']})  "
          f"requests {requests}, accepted {accepted}, errors {errors}, non-2xx {result['non2xx']}")
    print(f"baseline  : {baseline['rate']:9.0f} req/s (trivial ASGI app, same uvicorn+httptools+uvloop stack)")
    print(f"ratio     : {result['rate'] / baseline['rate']:.2f} of baseline")
    ok = errors == 0 and result["non2xx"] == 0 and requests > 0 and result["rate"] >= 3000
    print("PASS" if ok else "FAIL (target: >= 3000 sends/s, no errors)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
