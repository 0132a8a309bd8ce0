"""What a second process for the HTTP work would cost the sender (issue 15; not a test): python bench/ipc_bench.py

Moving the HTTP work of a send to a helper process replaces it, in the sender, by one round trip over a pipe: the
request (~600 bytes of JSON, like a subscribe send with its token) goes out, the answer (~60 bytes) comes back. This
measures the sender's CPU per such round trip (asyncio streams to a child that answers at once, --inflight requests
outstanding at a time, like the engine's concurrency), to compare with the sender's CPU per send over the network
(bench/http_client_bench.py). The child's CPU is not counted: it is the work moved to the second core.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time

CHILD = r"""
import sys
out = sys.stdout.buffer
for line in sys.stdin.buffer:
    out.write(b'{"id":%s,"status":200,"body":"{\\"errcode\\":0,\\"errmsg\\":\\"ok\\",\\"msgid\\":1}"}\n'
              % line[7:line.index(b",")])
    out.flush()
"""
REQUEST = {"touser": "o" * 28, "template_id": "t" * 43, "page": "pages/index",
           "data": {f"thing{i}": {"value": "第二季度工作总结会"} for i in range(5)}, "access_token": "x" * 136}


async def run(count: int, inflight: int) -> float:
    proc = await asyncio.create_subprocess_exec(sys.executable, "-c", CHILD, stdin=asyncio.subprocess.PIPE,
                                                stdout=asyncio.subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None
    waiters: dict[int, asyncio.Future[dict]] = {}
    loop = asyncio.get_running_loop()

    async def reader() -> None:
        assert proc.stdout is not None
        while line := await proc.stdout.readline():
            answer = json.loads(line)
            waiters.pop(answer["id"]).set_result(answer)

    async def one(i: int) -> None:
        assert proc.stdin is not None
        waiters[i] = loop.create_future()
        proc.stdin.write(json.dumps({"id": i, "request": REQUEST}, ensure_ascii=False).encode() + b"\n")
        answer = await waiters[i]
        json.loads(answer["body"])

    task = asyncio.create_task(reader())
    slots = asyncio.Semaphore(inflight)

    async def bounded(i: int) -> None:
        async with slots:
            await one(i)

    cpu = time.process_time()
    await asyncio.gather(*(bounded(i) for i in range(count)))
    cpu = time.process_time() - cpu
    proc.stdin.close()
    await proc.wait()
    task.cancel()
    return cpu * 1000 / count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--inflight", type=int, default=64)
    args = parser.parse_args()
    ms = asyncio.run(run(args.count, args.inflight))
    print(f"sender CPU per round trip to a helper process: {ms:.3f} ms ({args.count} round trips, "
          f"{args.inflight} in flight)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
