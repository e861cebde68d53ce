#!/usr/bin/env python3
"""Soak (run by hand, figures in docs/benchmarks.md): CONCURRENCY workers send mixed traffic for SECONDS —
synchronous executes, asynchronous ones polled to the end, streams read to the end, SSE follows of running
runs, and cancels of held runs — while the server's RSS and open file descriptors are sampled every 10 s.
Any answer other than the expected ones is counted and printed.

Usage: scripts/load/soak.py BASE_URL SERVER_PID [SECONDS (600)] [CONCURRENCY (64)]   (scripts/load/run.sh soak)
"""
import asyncio
import collections
import os
import random
import sys
import time

import httpx

unexpected: collections.Counter = collections.Counter()
done: collections.Counter = collections.Counter()


def expect(kind: str, response: httpx.Response, *statuses: int) -> bool:
    if response.status_code in statuses:
        done[kind] += 1
        return True
    unexpected[f"{kind} {response.status_code}"] += 1
    return False


async def sync_execute(client: httpx.AsyncClient) -> None:
    response = await client.post("/flows/Bench/execute", json={"inputs": {"user_name": "Soak"}})
    if expect("sync", response, 200) and response.json().get("success") is not True:
        unexpected["sync not success"] += 1


async def async_execute(client: httpx.AsyncClient) -> None:
    response = await client.post("/flows/Held/execute?wait=false", json={"inputs": {"seconds": 0.05}})
    if not expect("async", response, 202):
        return
    url = response.json()["status_url"]
    for _ in range(400):
        status = (await client.get(url)).json().get("status")
        if status != "running":
            if status != "completed":
                unexpected[f"async ended {status}"] += 1
            return
        await asyncio.sleep(0.01)
    unexpected["async still running after 4 s"] += 1


async def stream(client: httpx.AsyncClient) -> None:
    async with client.stream("POST", "/flows/Held/execute/stream", json={"inputs": {"seconds": 0.05}}) as response:
        if not expect("stream", response, 200):
            return
        text = "".join([chunk async for chunk in response.aiter_text()])
        if "event: flow_completed" not in text:
            unexpected["stream without flow_completed"] += 1


async def follow(client: httpx.AsyncClient) -> None:
    response = await client.post("/flows/Held/execute?wait=false", json={"inputs": {"seconds": 0.1}})
    if not expect("follow start", response, 202):
        return
    async with client.stream("GET", response.json()["events_url"]) as events:
        if not expect("follow", events, 200):
            return
        text = "".join([chunk async for chunk in events.aiter_text()])
        if "event: flow_completed" not in text:
            unexpected["follow without flow_completed"] += 1


async def cancel(client: httpx.AsyncClient) -> None:
    response = await client.post("/flows/Held/execute?wait=false", json={"inputs": {"seconds": 60}})
    if not expect("cancel start", response, 202):
        return
    execution_id = response.json()["execution_id"]
    expect("cancel", await client.post(f"/flows/Held/executions/{execution_id}/cancel"), 200)


ACTIONS = [(sync_execute, 40), (async_execute, 20), (stream, 15), (follow, 10), (cancel, 15)]


async def worker(client: httpx.AsyncClient, until: float) -> None:
    actions, weights = zip(*ACTIONS)
    while time.monotonic() < until:
        try:
            await random.choices(actions, weights)[0](client)
        except httpx.HTTPError as error:
            unexpected[f"transport {type(error).__name__}"] += 1


def sample(pid: int) -> tuple[int, int]:
    with open(f"/proc/{pid}/status") as status:
        rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
    return rss, len(os.listdir(f"/proc/{pid}/fd"))


async def main(base: str, pid: int, seconds: int, concurrency: int) -> int:
    limits = httpx.Limits(max_connections=concurrency * 2, max_keepalive_connections=concurrency * 2)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        until = time.monotonic() + seconds
        workers = [asyncio.create_task(worker(client, until)) for _ in range(concurrency)]
        started = time.monotonic()
        samples = []
        while any(not task.done() for task in workers):
            rss, fds = sample(pid)
            samples.append((time.monotonic() - started, rss, fds))
            print(f"{samples[-1][0]:6.0f} s  RSS {rss / 1024:7.1f} MiB  fds {fds:5d}  requests {sum(done.values()):8d}  unexpected {sum(unexpected.values())}", flush=True)
            await asyncio.wait(workers, timeout=10)
        rss, fds = sample(pid)
        samples.append((time.monotonic() - started, rss, fds))
    total = sum(done.values())
    print(f"\n{total} expected answers in {seconds} s ({total / seconds:.0f}/s): " + ", ".join(f"{k} {v}" for k, v in sorted(done.items())))
    print("unexpected: " + (", ".join(f"{k} {v}" for k, v in unexpected.most_common()) or "none"))
    settled = [s for s in samples if s[0] >= 60] or samples
    print(f"RSS after the first minute: {min(s[1] for s in settled) / 1024:.1f}–{max(s[1] for s in settled) / 1024:.1f} MiB; "
          f"fds {min(s[2] for s in settled)}–{max(s[2] for s in settled)}; at the end RSS {rss / 1024:.1f} MiB, fds {fds}")
    return 0 if not unexpected else 1


if __name__ == "__main__":
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    args = sys.argv[1:]
    sys.exit(asyncio.run(main(args[0], int(args[1]), int(args[2]) if len(args) > 2 else 600, int(args[3]) if len(args) > 3 else 64)))
