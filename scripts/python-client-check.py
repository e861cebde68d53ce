#!/usr/bin/env python3
"""Drives FlowLang's own Python client (from a checkout of the original project) against a running server.

Usage:
  flowlang serve Examples/client-check --port 8124 &
  python3 scripts/python-client-check.py /path/to/FlowLang/src/flowlang http://127.0.0.1:8124

Needs `pip install httpx`. Exercises execute (sync and async), the SSE stream, list, info, health,
execution status and cancel, and exits non-zero on the first mismatch.
"""
import asyncio
import sys


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    sys.path.insert(0, sys.argv[1])
    from client import FlowLangClient, FlowNotFoundError  # the original project's client module
    import httpx

    url = sys.argv[2]
    failures = []

    def check(name, condition, detail=""):
        print(("ok   " if condition else "FAIL ") + name + (f": {detail}" if detail else ""))
        if not condition:
            failures.append(name)

    with FlowLangClient(url) as client:
        result = client.execute_flow_sync("HelloWorld", {"user_name": "Alice"})
        check("execute_flow_sync", result.success and result.outputs["message"] == "Hello, Alice!", result.outputs)
        names = [flow.name for flow in client.list_flows_sync()]
        check("list_flows_sync", "HelloWorld" in names and "SlowFlow" in names, names)
        info = client.get_flow_info_sync("HelloWorld")
        check("get_flow_info_sync", [i["name"] for i in info.inputs] == ["user_name", "shout"])
        check("health_check_sync", client.health_check_sync()["status"] == "healthy")
        try:
            client.execute_flow_sync("NoSuchFlow", {})
            check("unknown flow raises FlowNotFoundError", False)
        except FlowNotFoundError:
            check("unknown flow raises FlowNotFoundError", True)

    async def asynchronous():
        async with FlowLangClient(url) as client:
            result = await client.execute_flow("HelloWorld", {"user_name": "Bob", "shout": True})
            check("execute_flow", result.outputs.get("shouted") == "HELLO, Bob!!!", result.outputs)
            events = []
            result = await client.execute_flow_stream("HelloWorld", {"user_name": "Cy"}, on_event=lambda t, d: events.append(t))
            check("execute_flow_stream", result.success and events[0] == "flow_started" and events[-1] == "flow_completed", events)
            async with httpx.AsyncClient() as http:
                accepted = await http.post(url + "/flows/SlowFlow/execute?wait=false", json={"inputs": {"ms": 5000}})
            execution_id = accepted.json()["execution_id"]
            status = await client.get_execution_status("SlowFlow", execution_id)
            check("get_execution_status", status["status"] == "running", status["status"])
            cancelled = await client.cancel_execution("SlowFlow", execution_id)
            check("cancel_execution", cancelled["success"] is True, cancelled["message"])
            for _ in range(50):
                status = await client.get_execution_status("SlowFlow", execution_id)
                if status["status"] != "running":
                    break
                await asyncio.sleep(0.1)
            check("status after cancel", status["status"] == "cancelled", status["cancel_reason"])

    asyncio.run(asynchronous())
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
