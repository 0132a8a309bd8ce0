"""Issue 15: the send path reuses its connections. A real send (journal + JobRunner + WeChatHttp) against the simulator
under uvicorn on loopback, over plain HTTP and over TLS (a self-signed certificate made here, trusted through
SSL_CERT_FILE for this test only). The server counts the TCP connections it accepted (one client address per
connection); at concurrency 64 that is at most 64 for a few hundred sends, and every recipient got exactly one."""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import socket
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from console.app import build_services
from console.core.engine import EngineConfig
from console.core.journal import JobSpec, NewItem
from console.core.secrets import MemorySecretStore
from console.core.settings import Settings
from console.core.wechat.http import WeChatHttp
from console.sim import SANDBOX_MINI_APPID, SANDBOX_SECRET, Simulator
from console.sim.config import SimConfig
from console.usecases.job_runner import JobRunner

MEETING = "yh6zMczM8j8EroBiXtMq1hMcBhrwSA7ijvstXDttS7M"
FIELDS = {"thing1": "第二季度工作总结会", "time2": "2026年3月1日 14:00", "thing3": "行政楼302会议室",
          "name4": "张三", "short_thing5": "内部会议"}
CONCURRENCY = 64
SENDS = 400


class CountingApp:
    """ASGI middleware: the distinct client (host, port) pairs seen, i.e. the TCP connections accepted."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.clients: set[tuple[str, int]] = set()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope.get("client"):
            self.clients.add(tuple(scope["client"]))
        await self.app(scope, receive, send)


def self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = directory / "cert.pem", directory / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


class Server:
    def __init__(self, sim: Simulator, app: CountingApp, base: str) -> None:
        self.sim, self.app, self.base = sim, app, base


async def serve(tls_dir: Path | None, latency_ms: float, keep_alive: int = 5) -> AsyncIterator[Server]:
    sim = Simulator(SimConfig(latency_ms=latency_ms))
    app = CountingApp(sim.asgi_app)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(1024)
    port = sock.getsockname()[1]
    ssl_files: dict[str, Any] = {}
    if tls_dir is not None:
        cert_file, key_file = self_signed(tls_dir)
        ssl_files = {"ssl_certfile": str(cert_file), "ssl_keyfile": str(key_file)}
    config = uvicorn.Config(app, lifespan="off", access_log=False, log_level="warning", timeout_keep_alive=keep_alive,
                            **ssl_files)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    for _ in range(500):
        if server.started:
            break
        await asyncio.sleep(0.02)
    assert server.started
    scheme = "https" if tls_dir is not None else "http"
    try:
        yield Server(sim, app, f"{scheme}://127.0.0.1:{port}")
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 30)
        sock.close()


@pytest.fixture(params=["http", "https"])
async def server(request: pytest.FixtureRequest, tmp_path: Path,
                 monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Server]:
    tls_dir = None
    if request.param == "https":
        tls_dir = tmp_path / "tls"
        tls_dir.mkdir()
    async for running in serve(tls_dir, latency_ms=50):
        if tls_dir is not None:  # the client trusts this certificate (and only it) for this test
            monkeypatch.setenv("SSL_CERT_FILE", str(tls_dir / "cert.pem"))
            monkeypatch.delenv("SSL_CERT_DIR", raising=False)
        yield running


async def test_a_send_at_concurrency_64_opens_at_most_64_connections(server: Server, tmp_path: Path) -> None:
    openids = [u["openid"] for u in server.sim.create_users(SENDS)]
    services = build_services(Settings(api_base=server.base, read_timeout=30.0), data_dir=tmp_path / "home",
                              secrets=MemorySecretStore({SANDBOX_MINI_APPID: SANDBOX_SECRET}),
                              mini_appid=SANDBOX_MINI_APPID)
    services.open_journal()
    try:
        spec = JobSpec("subscribe", SANDBOX_MINI_APPID, MEETING, fields=dict(FIELDS),
                       options={"api_base": services.http.base_url})
        job_id = services.journal.create_job(spec, [NewItem(o, row=i + 2) for i, o in enumerate(openids)])
        runner = JobRunner(services.journal, services.client_for, clock=services.clock,
                           config=EngineConfig(concurrency=CONCURRENCY, rate=100_000))
        counts = await runner.run(job_id)
    finally:
        await services.aclose()
    assert counts.sent == SENDS and counts.failed == 0 and counts.unknown == 0
    per_user = Counter(m["touser"] for m in server.sim.messages)
    assert all(per_user[o] == 1 for o in openids)
    assert len(server.app.clients) <= CONCURRENCY, f"{len(server.app.clients)} connections for {SENDS} sends"
    assert services.http.connections_opened == len(server.app.clients)  # the client's count agrees


async def test_concurrency_above_the_pool_bound_waits_for_a_connection_instead_of_churning(server: Server) -> None:
    http = WeChatHttp(server.base, max_connections=8)
    try:
        token = {"grant_type": "client_credential", "appid": SANDBOX_MINI_APPID, "secret": SANDBOX_SECRET}
        results = await asyncio.gather(*(http.post_json("/cgi-bin/stable_token", json=token) for _ in range(200)))
    finally:
        await http.aclose()
    assert len(results) == 200
    assert len(server.app.clients) <= 8


async def test_failed_connections_give_their_slot_back_and_a_connection_the_server_closed_is_replaced(
        tmp_path: Path) -> None:
    """The pool's bookkeeping on the unhappy paths: refused connections do not leak slots (a pool of 2 still
    serves after 5 refusals), and an idle connection the server closed (uvicorn's keep-alive timeout) is noticed
    before reuse, so the next request goes out on a new connection instead of failing."""
    from console.core.wechat.errors import Cause, TransientError

    free = socket.socket()
    free.bind(("127.0.0.1", 0))
    dead_port = free.getsockname()[1]
    free.close()  # nothing listens there: connections are refused
    token = {"grant_type": "client_credential", "appid": SANDBOX_MINI_APPID, "secret": SANDBOX_SECRET}
    dead = WeChatHttp(f"http://127.0.0.1:{dead_port}", max_connections=2)
    try:
        for _ in range(5):
            with pytest.raises(TransientError) as caught:
                await dead.post_json("/cgi-bin/stable_token", json=token)
            assert caught.value.cause is Cause.CONNECT
    finally:
        await dead.aclose()
    async for server in serve(None, latency_ms=0, keep_alive=1):
        http = WeChatHttp(server.base, max_connections=2)
        pool = http._pool
        assert pool is not None
        try:
            await http.post_json("/cgi-bin/stable_token", json=token)
            assert pool.opened == 1
            server_closed = False
            for _ in range(300):  # uvicorn closes an idle keep-alive connection after 1 s
                await asyncio.sleep(0.1)
                idle = pool.idle_connections()
                if idle and idle[-1].closed:  # the event loop saw the server's close
                    server_closed = True
                    break
            assert server_closed
            await http.post_json("/cgi-bin/stable_token", json=token)
            assert pool.opened == 2 and pool.open_connections == 1
        finally:
            await http.aclose()
