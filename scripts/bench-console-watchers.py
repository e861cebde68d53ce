#!/usr/bin/env python3
"""What a live execution page costs the run it watches (scripts/bench-console-watchers.sh runs this).

Against a server serving the flow Watched (a 300 ms Sleep, then STEPS Echo steps), each round starts one run
asynchronously, attaches W clients to /flows/Watched/executions/{id}/events (what a live page follows) during
the Sleep, and once the run ended reads its record's duration_ms; the part after the Sleep is what ran watched.
Rounds cycle through the watcher counts (--watchers, default 0,1,10) so all see the same machine. Prints p50
and p95 of the watched part's duration per count, and how many events each watcher received. The clients run
on the same machine as the server.
"""
import argparse
import json
import subprocess
import threading
import time
import urllib.request

SLEEP_MS = 300


def request(url, method="GET", body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as response:
        return json.load(response)


def watch(url, counts, index, client):
    """Reads the event stream to its end (the server closes it after the final event): in Python line by line,
    or with curl, whose own CPU per event is far smaller, so the figures show more of the server's cost."""
    if client == "curl":
        received = subprocess.run(["curl", "-sSN", "--max-time", "60", url], capture_output=True, check=True).stdout
        counts[index] = sum(1 for line in received.split(b"\n") if line.startswith(b"event:"))
        return
    with urllib.request.urlopen(url, timeout=60) as response:
        for line in response:
            if line.startswith(b"event:"):
                counts[index] += 1


def run_once(base, watchers, client):
    started = request(base + "/flows/Watched/execute?wait=false", "POST", {"inputs": {}})
    execution = started["execution_id"]
    counts = [0] * watchers
    threads = [
        threading.Thread(target=watch, args=(f"{base}/flows/Watched/executions/{execution}/events", counts, i, client))
        for i in range(watchers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if watchers == 0:
        time.sleep(SLEEP_MS / 1000)
    while True:
        record = request(f"{base}/flows/Watched/executions/{execution}")
        if record["status"] != "running":
            break
        time.sleep(0.05)
    return record["duration_ms"] - SLEEP_MS, counts


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction + 0.5) - 1)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--watchers", default="0,1,10")
    parser.add_argument("--steps", type=int, required=True)
    parser.add_argument("--client", choices=("python", "curl"), default="python")
    args = parser.parse_args()
    watcher_counts = [int(text) for text in args.watchers.split(",")]
    for watchers in watcher_counts:  # warm-up
        run_once(args.url, watchers, args.client)
    results = {watchers: [] for watchers in watcher_counts}
    events = []
    for _ in range(args.rounds):
        for watchers in watcher_counts:
            duration, received = run_once(args.url, watchers, args.client)
            results[watchers].append(duration)
            events.extend(received)
    print(f"{args.steps} Echo steps after a {SLEEP_MS} ms Sleep, {args.rounds} runs each, in turn, {args.client} watchers")
    print(f"{'watchers':>8} {'p50_ms':>9} {'p95_ms':>9}")
    for watchers, durations in results.items():
        print(f"{watchers:>8} {percentile(durations, 0.5):>9.2f} {percentile(durations, 0.95):>9.2f}")
    print(f"events per watcher: min {min(events)}, max {max(events)}")


if __name__ == "__main__":
    main()
