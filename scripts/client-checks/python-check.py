#!/usr/bin/env python3
"""Drives FlowLang's original Python client against a running server of Examples/client-check.

Usage:
  python3 scripts/client-checks/python-check.py http://127.0.0.1:PORT

The client is imported, unmodified, from the shared copy: $FLOWLANG_CLIENTS_DIR/python/client.py, where
FLOWLANG_CLIENTS_DIR defaults to <repository>/../shared/clients. Needs `httpx` (PyPI).

Every public method of `FlowLangClient` (sync and async variants, the context-manager methods and close) is
wrapped to count its calls; the last check fails if one was never called. Prints one `ok`/`FAIL` line per
check and `N checks, M calls`; exits 1 if any check failed. The client has no method to start an execution
asynchronously nor to list executions, so those requests (and waiting for an execution to end, through its
`/events` stream) are made with plain httpx and are not counted as calls.
"""
import asyncio
import functools
import inspect
import os
import sys
import traceback
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
CLIENTS_DIR = Path(os.environ.get("FLOWLANG_CLIENTS_DIR") or REPOSITORY.parent / "shared" / "clients")
sys.path.insert(0, str(CLIENTS_DIR / "python"))

import httpx  # noqa: E402
import client as flowlang_client  # noqa: E402  (the original project's module)
from client import (  # noqa: E402
    FlowExecutionError,
    FlowExecutionResult,
    FlowInfo,
    FlowLangClient,
    FlowLangError,
    FlowNotFoundError,
)

FLOWS = {"EarlyExit", "FailingFlow", "HelloWorld", "SlowFlow"}
CANCEL_REASON = "Cancelled by user request"
STEP_TIMEOUT = 20.0  # seconds any one check may take; a hang fails the check instead of the run

results = []  # (name, passed)
calls = {}  # public method name -> number of calls


def check(name, condition, detail=""):
    passed = bool(condition)
    results.append((name, passed))
    suffix = "" if passed or detail == "" else f": {detail}"
    print(("ok   " if passed else "FAIL ") + name + suffix, flush=True)
    return passed


def public_methods(cls):
    """The methods a user of the class may call: no leading underscore, or a protocol method (`__enter__`)."""
    return sorted(
        name for name, value in vars(cls).items()
        if inspect.isfunction(value) and (not name.startswith("_") or (name.startswith("__") and name.endswith("__")))
    )


def instrument(cls):
    """Wraps each public method so that every call to it is counted (calls made by the client itself too)."""
    for name in public_methods(cls):
        original = getattr(cls, name)
        calls[name] = 0
        if inspect.iscoroutinefunction(original):
            async def wrapper(*args, __name=name, __original=original, **kwargs):
                calls[__name] += 1
                return await __original(*args, **kwargs)
        else:
            def wrapper(*args, __name=name, __original=original, **kwargs):
                calls[__name] += 1
                return __original(*args, **kwargs)
        setattr(cls, name, functools.wraps(original)(wrapper))


def raises(exception_type, function, *args, **kwargs):
    """Calls function, returning the exception of exception_type it raised, or None."""
    try:
        function(*args, **kwargs)
    except exception_type as error:
        return error
    return None


async def raises_async(exception_type, awaitable):
    try:
        await asyncio.wait_for(awaitable, STEP_TIMEOUT)
    except exception_type as error:
        return error
    return None


def describe(error):
    return f"{type(error).__name__}: {error}" if error is not None else "no exception"


# ---------------------------------------------------------------------------------------------------------
# Plain HTTP helpers (requests the client cannot make)

async def start_async(http, flow, inputs, label):
    """POST ...?wait=false: 202, a Location and the execution id."""
    response = await http.post(f"/flows/{flow}/execute?wait=false", json={"inputs": inputs})
    body = response.json()
    location = response.headers.get("location")
    execution_id = body.get("execution_id")
    check(f"async start of {flow} (plain HTTP, {label}): 202 with Location",
          response.status_code == 202 and execution_id and location == f"/flows/{flow}/executions/{execution_id}",
          f"{response.status_code} {location} {body}")
    return execution_id


async def wait_until_finished(http, flow, execution_id):
    """Reads the execution's event stream, which the server closes once the execution has ended."""
    events = []
    async with http.stream("GET", f"/flows/{flow}/executions/{execution_id}/events") as response:
        async for line in response.aiter_lines():
            if line.startswith("event: "):
                events.append(line[7:])
    return events


async def find_running_execution(http, flow, known_ids):
    """The id of the one new running execution of flow; a blocked `execute_flow` call does not return it."""
    for _ in range(200):
        listing = (await http.get(f"/flows/{flow}/executions")).json()
        running = [e["execution_id"] for e in listing["executions"]
                   if e["status"] == "running" and e["execution_id"] not in known_ids]
        if running:
            return running[0]
        await asyncio.sleep(0.05)
    return None


async def execution_ids(http, flow):
    return {e["execution_id"] for e in (await http.get(f"/flows/{flow}/executions")).json()["executions"]}


# ---------------------------------------------------------------------------------------------------------

def sync_checks(url):
    with FlowLangClient(url + "/", headers={"X-Client-Check": "python"}) as client:
        check("constructor strips the trailing /", client.base_url == url, client.base_url)

        health = client.health_check_sync()
        check("health_check_sync", health.get("status") == "healthy" and health.get("flows_count") == len(FLOWS)
              and health.get("all_flows_ready") is True, health)

        flows = client.list_flows_sync()
        names = {flow.name for flow in flows}
        check("list_flows_sync returns FlowInfo for every served flow",
              names == FLOWS and all(isinstance(flow, FlowInfo) for flow in flows), names)

        info = client.get_flow_info_sync("HelloWorld")
        inputs = {i["name"]: i for i in info.inputs}
        check("get_flow_info_sync HelloWorld",
              info.name == "HelloWorld" and info.description.startswith("Greets a user")
              and list(inputs) == ["user_name", "shout"]
              and inputs["user_name"]["required"] is True and inputs["user_name"]["type"] == "string"
              and inputs["shout"]["required"] is False
              and [o["name"] for o in info.outputs] == ["message", "shouted"]
              and info.outputs[0]["value"] == "${greeting.message}"
              and repr(info) == "<FlowInfo name=HelloWorld inputs=2 outputs=2>", vars(info))

        error = raises(FlowNotFoundError, client.get_flow_info_sync, "NoSuchFlow")
        check("get_flow_info_sync unknown flow raises FlowNotFoundError",
              error is not None and str(error) == "Flow not found: NoSuchFlow", describe(error))

        result = client.execute_flow_sync("HelloWorld", {"user_name": "Alice"})
        check("execute_flow_sync success",
              isinstance(result, FlowExecutionResult) and result.success is True
              and result.outputs == {"message": "Hello, Alice!", "shouted": None}
              and result.error is None and result.error_details is None and result.flow == "HelloWorld"
              and isinstance(result.execution_time_ms, (int, float)) and result.execution_time_ms >= 0
              and repr(result).startswith("<FlowExecutionResult success=True"), vars(result))

        result = client.execute_flow_sync("EarlyExit", {"value": "v1", "stop": True})
        check("execute_flow_sync exit step: success with the exit's outputs",
              result.success is True and result.outputs == {"stopped_at": "v1"}, vars(result))

        error = raises(FlowExecutionError, client.execute_flow_sync, "FailingFlow", {"card": "4242"})
        check("execute_flow_sync failing flow raises FlowExecutionError",
              error is not None and str(error) == "Card 4242 declined" and error.flow == "FailingFlow"
              and error.error_details is None, describe(error))

        error = raises(FlowNotFoundError, client.execute_flow_sync, "NoSuchFlow", {})
        check("execute_flow_sync unknown flow raises FlowNotFoundError",
              error is not None and str(error) == "Flow not found: NoSuchFlow", describe(error))

        # A 422 (required input missing) is not special-cased by the client: success is absent → failure.
        error = raises(FlowExecutionError, client.execute_flow_sync, "HelloWorld", {})
        check("execute_flow_sync missing required input (422) raises FlowExecutionError",
              error is not None and str(error) == "Flow execution failed" and error.flow == "HelloWorld",
              describe(error))

        async def start_slow():
            async with httpx.AsyncClient(base_url=url, timeout=STEP_TIMEOUT) as http:
                return await start_async(http, "SlowFlow", {"ms": 30000}, "for the sync methods")

        async def wait_slow(execution_id):
            async with httpx.AsyncClient(base_url=url, timeout=STEP_TIMEOUT) as http:
                return await wait_until_finished(http, "SlowFlow", execution_id)

        execution_id = asyncio.run(start_slow())
        status = client.get_execution_status_sync("SlowFlow", execution_id)
        check("get_execution_status_sync of a running execution",
              status.get("execution_id") == execution_id and status.get("flow_name") == "SlowFlow"
              and status.get("status") == "running" and isinstance(status.get("start_time"), str)
              and status.get("end_time") is None and status.get("cancel_reason") is None, status)

        cancelled = client.cancel_execution_sync("SlowFlow", execution_id)
        check("cancel_execution_sync of a running execution",
              cancelled == {"success": True, "message": "Execution cancellation requested",
                            "execution_id": execution_id, "flow": "SlowFlow"}, cancelled)

        events = asyncio.run(wait_slow(execution_id))
        status = client.get_execution_status_sync("SlowFlow", execution_id)
        check("get_execution_status_sync after cancel",
              events[-1:] == ["flow_cancelled"] and status.get("status") == "cancelled"
              and status.get("cancel_reason") == CANCEL_REASON and isinstance(status.get("end_time"), str),
              f"events {events}, status {status}")

        again = client.cancel_execution_sync("SlowFlow", execution_id)
        check("cancel_execution_sync of a finished execution",
              again.get("success") is False and again.get("execution_id") == execution_id
              and again.get("message") == "Execution already cancelled", again)

        error = raises(FlowNotFoundError, client.get_execution_status_sync, "SlowFlow", "no-such-execution")
        check("get_execution_status_sync unknown id raises FlowNotFoundError",
              error is not None and str(error) == "Execution not found: no-such-execution", describe(error))

        error = raises(FlowNotFoundError, client.cancel_execution_sync, "SlowFlow", "no-such-execution")
        check("cancel_execution_sync unknown id raises FlowNotFoundError",
              error is not None and str(error) == "Execution not found: no-such-execution", describe(error))

    # The context manager closed the client: its sync HTTP client refuses further requests.
    check("__exit__ closed the client", client._sync_client.is_closed)

    plain = FlowLangClient(url)
    plain.close()
    check("close", plain._sync_client.is_closed)
    asyncio.run(plain.close_async())


async def async_checks(url):
    async with FlowLangClient(url) as client, httpx.AsyncClient(base_url=url, timeout=STEP_TIMEOUT) as http:
        health = await client.health_check()
        check("health_check", health.get("status") == "healthy" and health.get("flows_count") == len(FLOWS)
              and sorted(f["name"] for f in health.get("flows", [])) == sorted(FLOWS), health)

        flows = await client.list_flows()
        check("list_flows", {flow.name for flow in flows} == FLOWS, [flow.name for flow in flows])

        info = await client.get_flow_info("SlowFlow")
        check("get_flow_info SlowFlow",
              info.name == "SlowFlow" and [(i["name"], i["type"], i["required"]) for i in info.inputs]
              == [("ms", "integer", False)] and [o["name"] for o in info.outputs] == ["slept"], vars(info))

        error = await raises_async(FlowNotFoundError, client.get_flow_info("NoSuchFlow"))
        check("get_flow_info unknown flow raises FlowNotFoundError", error is not None, describe(error))

        result = await client.execute_flow("HelloWorld", {"user_name": "Bob", "shout": True})
        check("execute_flow success",
              result.success is True and result.outputs == {"message": "Hello, Bob!", "shouted": "HELLO, Bob!!!"}
              and result.flow == "HelloWorld", vars(result))

        error = await raises_async(FlowExecutionError, client.execute_flow("FailingFlow", {"card": "5555"}))
        check("execute_flow failing flow raises FlowExecutionError",
              error is not None and str(error) == "Card 5555 declined" and error.flow == "FailingFlow",
              describe(error))

        error = await raises_async(FlowNotFoundError, client.execute_flow("NoSuchFlow"))
        check("execute_flow unknown flow raises FlowNotFoundError",
              error is not None and str(error) == "Flow not found: NoSuchFlow", describe(error))

        # Stream with a plain callback: every event, in emission order.
        events = []
        result = await asyncio.wait_for(client.execute_flow_stream(
            "HelloWorld", {"user_name": "Cy"}, on_event=lambda kind, data: events.append((kind, data))), STEP_TIMEOUT)
        kinds = [kind for kind, _ in events]
        steps = [data.get("step_id") for kind, data in events if kind.startswith("step_")]
        final = events[-1][1] if events else {}
        check("execute_flow_stream events in order",
              kinds == ["flow_started", "step_started", "step_completed", "step_started", "step_completed",
                        "flow_completed"] and steps == ["greeting", "greeting", "Log", "Log"]
              and events[0][1].get("inputs") == {"user_name": "Cy", "shout": False}, kinds)
        check("execute_flow_stream result from flow_completed",
              result.success is True and result.outputs == {"message": "Hello, Cy!", "shouted": None}
              and result.execution_time_ms == final.get("duration_ms") and result.flow == "HelloWorld",
              vars(result))

        # Stream with an async callback, of a failing flow.
        events = []

        async def record(kind, data):
            events.append((kind, data))

        error = await raises_async(FlowExecutionError, client.execute_flow_stream(
            "FailingFlow", {"card": "4000"}, on_event=record))
        kinds = [kind for kind, _ in events]
        check("execute_flow_stream failing flow raises FlowExecutionError after step_failed, flow_failed",
              error is not None and str(error) == "Card 4000 declined"
              and kinds == ["flow_started", "step_started", "step_completed", "step_started", "step_failed",
                            "flow_failed"] and events[-1][1].get("error_type") == "PaymentDeclined",
              f"{describe(error)}; {kinds}")

        events = []
        result = await asyncio.wait_for(client.execute_flow_stream(
            "EarlyExit", {"value": "v2", "stop": True}, on_event=lambda kind, data: events.append((kind, data))),
            STEP_TIMEOUT)
        check("execute_flow_stream exit step: flow_terminated then flow_completed",
              [kind for kind, _ in events] == ["flow_started", "flow_terminated", "flow_completed"]
              and result.success is True and result.outputs == {"stopped_at": "v2"}
              and events[-1][1].get("terminated") is True and events[-1][1].get("termination_reason") == "stopped at v2",
              [kind for kind, _ in events])

        error = await raises_async(FlowNotFoundError, client.execute_flow_stream("NoSuchFlow", {}))
        check("execute_flow_stream unknown flow raises FlowNotFoundError", error is not None, describe(error))

        # Cancel a streamed execution from its own flow_started event (its data carries the execution id).
        events, cancel_responses = [], []

        async def cancel_on_start(kind, data):
            events.append(kind)
            if kind == "flow_started":
                cancel_responses.append(await client.cancel_execution("SlowFlow", data["execution_id"]))
                cancel_responses[-1]["_id"] = data["execution_id"]

        error = await raises_async(FlowLangError, client.execute_flow_stream(
            "SlowFlow", {"ms": 30000}, on_event=cancel_on_start))
        stream_id = cancel_responses[0].pop("_id") if cancel_responses else None
        check("cancel_execution of a streamed execution",
              cancel_responses[:1] == [{"success": True, "message": "Execution cancellation requested",
                                        "execution_id": stream_id, "flow": "SlowFlow"}], cancel_responses)
        check("cancelled stream ends with flow_cancelled; client reports no completion event",
              type(error) is FlowLangError and str(error) == "Stream ended without completion event"
              and events[-1:] == ["flow_cancelled"], f"{describe(error)}; {events}")

        # Async start (plain HTTP) + status + cancel + status after cancel, with the async methods.
        execution_id = await start_async(http, "SlowFlow", {"ms": 30000}, "for the async methods")
        status = await client.get_execution_status("SlowFlow", execution_id)
        check("get_execution_status of a running execution",
              status.get("status") == "running" and status.get("execution_id") == execution_id, status)
        cancelled = await client.cancel_execution("SlowFlow", execution_id)
        check("cancel_execution of a running execution",
              cancelled.get("success") is True and cancelled.get("execution_id") == execution_id, cancelled)
        events = await asyncio.wait_for(wait_until_finished(http, "SlowFlow", execution_id), STEP_TIMEOUT)
        status = await client.get_execution_status("SlowFlow", execution_id)
        check("get_execution_status after cancel",
              status.get("status") == "cancelled" and status.get("cancel_reason") == CANCEL_REASON
              and events[-1:] == ["flow_cancelled"], status)

        # A blocked execute_flow call, cancelled through the API, returns success false with the reason.
        known = await execution_ids(http, "SlowFlow")
        blocked = asyncio.create_task(client.execute_flow("SlowFlow", {"ms": 30000}))
        blocked_id = await find_running_execution(http, "SlowFlow", known)
        cancelled = await client.cancel_execution("SlowFlow", blocked_id) if blocked_id else {}
        error = await raises_async(FlowExecutionError, blocked)
        check("cancelled blocking execute_flow raises FlowExecutionError with the cancel reason",
              cancelled.get("success") is True and error is not None and str(error) == CANCEL_REASON
              and error.flow == "SlowFlow", f"{cancelled}; {describe(error)}")
        status = await client.get_execution_status("SlowFlow", blocked_id) if blocked_id else {}
        check("status of the cancelled blocking execution", status.get("status") == "cancelled", status)

        # List executions (plain HTTP: the Python client has no method for it).
        listing = (await http.get("/flows/SlowFlow/executions")).json()
        by_id = {e["execution_id"]: e["status"] for e in listing.get("executions", [])}
        check("list executions (plain HTTP) shows the cancelled executions",
              listing.get("flow") == "SlowFlow" and listing.get("count") == len(listing.get("executions", []))
              and all(by_id.get(i) == "cancelled" for i in (stream_id, execution_id, blocked_id)), by_id)

        error = await raises_async(FlowNotFoundError, client.cancel_execution("SlowFlow", "no-such-execution"))
        check("cancel_execution unknown id raises FlowNotFoundError", error is not None, describe(error))
        error = await raises_async(FlowNotFoundError, client.get_execution_status("SlowFlow", "no-such-execution"))
        check("get_execution_status unknown id raises FlowNotFoundError", error is not None, describe(error))

    check("__aexit__ closed the client", client._async_client.is_closed)


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    url = sys.argv[1].rstrip("/")
    print(f"FlowLang Python client from {flowlang_client.__file__}, server {url}", flush=True)
    instrument(FlowLangClient)

    for part in (lambda: sync_checks(url), lambda: asyncio.run(async_checks(url))):
        try:
            part()
        except Exception:  # an unexpected exception fails the run but not silently
            check("no unexpected exception", False, traceback.format_exc())

    never = [name for name, count in calls.items() if count == 0]
    check("every public method of FlowLangClient was called", not never, f"never called: {never}")
    print("calls per method: " + ", ".join(f"{name} {count}" for name, count in sorted(calls.items())))
    failed = sum(1 for _, passed in results if not passed)
    print(f"{len(results)} checks, {sum(calls.values())} calls" + (f", {failed} FAILED" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
