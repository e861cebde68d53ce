#!/usr/bin/env python3
"""Cancel storm (run by hand, figures in docs/benchmarks.md): starts N asynchronous runs of a flow that holds
until cancelled, cancels them all at once, and checks every run ended cancelled with its on_cancel step run
exactly once, while /health is probed to show the server stays responsive.

Usage: scripts/load/cancel-storm.py BASE_URL CLEANUP_LOG [N]   (scripts/load/run.sh storm starts the server)
"""
import asyncio
import statistics
import sys
import time

import httpx


async def main(base: str, cleanup_log: str, count: int) -> int:
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        started = time.monotonic()
        semaphore = asyncio.Semaphore(100)

        async def start_one() -> str:
            async with semaphore:
                response = await client.post("/flows/Held/execute?wait=false", json={"inputs": {"seconds": 3600}})
                response.raise_for_status()
                return response.json()["execution_id"]

        ids = await asyncio.gather(*(start_one() for _ in range(count)))
        while (await client.get("/health")).json().get("executions_running", 0) < count:
            await asyncio.sleep(0.05)
        print(f"started {count} runs in {time.monotonic() - started:.2f} s; all holding")

        latencies: list[float] = []
        storming = True

        async def probe() -> None:
            while storming:
                before = time.monotonic()
                (await client.get("/health")).raise_for_status()
                latencies.append((time.monotonic() - before) * 1000)
                await asyncio.sleep(0.005)

        prober = asyncio.create_task(probe())
        storm_started = time.monotonic()

        async def cancel_one(execution_id: str) -> int:
            async with semaphore:
                response = await client.post(f"/flows/Held/executions/{execution_id}/cancel")
                return response.status_code

        statuses = await asyncio.gather(*(cancel_one(i) for i in ids))
        answered = time.monotonic() - storm_started
        while (await client.get("/health")).json().get("executions_running", 0) > 0:
            await asyncio.sleep(0.02)
        drained = time.monotonic() - storm_started
        storming = False
        await prober

        records = {}
        for execution_id in ids:
            record = (await client.get(f"/flows/Held/executions/{execution_id}")).json()
            records[execution_id] = record.get("status")
        with open(cleanup_log) as file:
            cleanups = [line.strip() for line in file if line.strip()]

    cancelled = sum(1 for status in records.values() if status == "cancelled")
    ok = sum(1 for status in statuses if status == 200)
    once = len(set(cleanups) & set(ids)) == count and len(cleanups) == count
    latencies.sort()
    p50 = statistics.median(latencies) if latencies else float("nan")
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else float("nan")
    print(f"cancel requests: {ok}/{count} answered 200 in {answered:.2f} s; all runs ended {drained:.2f} s after the first")
    print(f"runs cancelled: {cancelled}/{count}; on_cancel runs: {len(cleanups)} ({'each exactly once' if once else 'NOT once each'})")
    print(f"/health during the storm: {len(latencies)} probes, p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {latencies[-1] if latencies else float('nan'):.1f} ms")
    return 0 if cancelled == count and once and ok == count else 1


if __name__ == "__main__":
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 1000)))
