#!/usr/bin/env node
// Drives FlowLang's original TypeScript client against a running server of Examples/client-check.
//
// Usage:
//   node scripts/client-checks/typescript-check.js http://127.0.0.1:PORT COMPILED_DIR
//
// COMPILED_DIR holds the client compiled by tsc from $FLOWLANG_CLIENTS_DIR/typescript/src (see run.sh);
// FLOWLANG_CLIENTS_DIR defaults to <repository>/../shared/clients and is read here to find the client's
// sources, from which the public methods are listed (those not declared `private`). Needs Node.js 20 (fetch).
//
// Every public method of FlowLangClient is wrapped to count its calls; calls of the exported SSEParser and
// processSSEStream are counted too. The last check fails if one was never called. Prints one `ok`/`FAIL`
// line per check and `N checks, M calls`; exits 1 if any check failed. The client has no method to start an
// execution asynchronously, so that request (and waiting for an execution to end, through its `/events`
// stream) is made with plain fetch and is not counted as a call.
'use strict';

const fs = require('fs');
const path = require('path');

const REPOSITORY = path.resolve(__dirname, '..', '..');
const CLIENTS_DIR = process.env.FLOWLANG_CLIENTS_DIR || path.join(REPOSITORY, '..', 'shared', 'clients');
const FLOWS = ['EarlyExit', 'FailingFlow', 'HelloWorld', 'SlowFlow'];
const CANCEL_REASON = 'Cancelled by user request';
const STEP_TIMEOUT_MS = 20000; // any one check may take this long; a hang fails the check instead of the run

const results = []; // [name, passed]
const calls = new Map(); // public method name -> number of calls

function check(name, condition, detail) {
  const passed = Boolean(condition);
  results.push([name, passed]);
  const suffix = passed || detail === undefined ? '' : `: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`;
  console.log((passed ? 'ok   ' : 'FAIL ') + name + suffix);
  return passed;
}

function count(name) {
  calls.set(name, (calls.get(name) || 0) + 1);
}

/** The methods of a class in `file` (one of the client's .ts sources) that are not declared private. */
function publicMethods(cls, file) {
  const source = fs.readFileSync(path.join(CLIENTS_DIR, 'typescript', 'src', file), 'utf8');
  const privateNames = new Set([...source.matchAll(/\bprivate\s+(?:readonly\s+)?(?:async\s+)?(\w+)\s*[(<]/g)].map((m) => m[1]));
  return Object.getOwnPropertyNames(cls.prototype)
    .filter((name) => name !== 'constructor' && typeof cls.prototype[name] === 'function' && !privateNames.has(name));
}

/** Wraps each named method of cls so that every call to it is counted while counting() is true. */
function instrument(cls, prefix, names, counting = () => true) {
  for (const name of names) {
    const original = cls.prototype[name];
    calls.set(`${prefix}.${name}`, 0);
    cls.prototype[name] = function (...args) {
      if (counting()) count(`${prefix}.${name}`);
      return original.apply(this, args);
    };
  }
}

// The client's own stream reading uses SSEParser too; only the check's direct calls of it are counted.
let countingParser = false;

function withTimeout(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${STEP_TIMEOUT_MS} ms`)), STEP_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Settles promise: {value} or {error}; never rejects. */
async function settle(promise, what) {
  try {
    return { value: await withTimeout(promise, what) };
  } catch (error) {
    return { error };
  }
}

function describe(error) {
  return error ? `${error.name}: ${error.message}` : 'no exception';
}

function deepEqual(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

// ---------------------------------------------------------------------------------------------------------
// Plain HTTP helpers (requests the client cannot make)

async function startAsync(url, flow, inputs) {
  const response = await fetch(`${url}/flows/${flow}/execute?wait=false`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ inputs }),
  });
  const body = await response.json();
  const location = response.headers.get('location');
  check(`async start of ${flow} (plain HTTP): 202 with Location`,
    response.status === 202 && body.execution_id && location === `/flows/${flow}/executions/${body.execution_id}`,
    { status: response.status, location, body });
  return body.execution_id;
}

/** Reads the execution's event stream, which the server closes once the execution has ended. */
async function waitUntilFinished(url, flow, executionId) {
  const text = await (await fetch(`${url}/flows/${flow}/executions/${executionId}/events`)).text();
  return text.split('\n').filter((line) => line.startsWith('event: ')).map((line) => line.slice(7));
}

async function executionIds(url, flow) {
  const listing = await (await fetch(`${url}/flows/${flow}/executions`)).json();
  return new Set(listing.executions.map((e) => e.execution_id));
}

/** The id of the one new running execution of flow; a blocked `executeFlow` call does not return it. */
async function findRunningExecution(url, flow, known) {
  for (let i = 0; i < 200; i++) {
    const listing = await (await fetch(`${url}/flows/${flow}/executions`)).json();
    const running = listing.executions.filter((e) => e.status === 'running' && !known.has(e.execution_id));
    if (running.length > 0) return running[0].execution_id;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------

async function checks(url, sdk) {
  const { FlowLangClient, FlowLangError, FlowExecutionError, FlowNotFoundError, SSEParser, processSSEStream } = sdk;

  count('FlowLangClient.constructor');
  const client = new FlowLangClient({ baseUrl: `${url}/`, headers: { 'X-Client-Check': 'typescript' } });
  check('constructor strips the trailing /', client.baseUrl === url, client.baseUrl);

  // healthCheck returns the server's JSON as is (snake_case; the client's camelCase typing is its own bug).
  const health = await client.healthCheck();
  check('healthCheck', health.status === 'healthy' && health.flows_count === FLOWS.length && health.all_flows_ready === true, health);

  const flows = await client.listFlows();
  check('listFlows', Array.isArray(flows) && deepEqual(flows.map((f) => f.name).sort(), FLOWS), flows.map((f) => f.name));

  const info = await client.getFlowInfo('HelloWorld');
  check('getFlowInfo HelloWorld',
    info.name === 'HelloWorld' && info.description.startsWith('Greets a user')
      && deepEqual(info.inputs.map((i) => [i.name, i.type, i.required]), [['user_name', 'string', true], ['shout', 'boolean', false]])
      && deepEqual(info.outputs.map((o) => [o.name, o.value]), [['message', '${greeting.message}'], ['shouted', '${loud.message}']]),
    info);

  let outcome = await settle(client.getFlowInfo('NoSuchFlow'), 'getFlowInfo');
  check('getFlowInfo unknown flow throws FlowNotFoundError',
    outcome.error instanceof FlowNotFoundError && outcome.error.flowName === 'NoSuchFlow'
      && outcome.error.message === 'Flow not found: NoSuchFlow', describe(outcome.error));

  let result = await client.executeFlow('HelloWorld', { user_name: 'Alice' }, { timeout: STEP_TIMEOUT_MS });
  check('executeFlow success',
    result.success === true && deepEqual(result.outputs, { message: 'Hello, Alice!', shouted: null })
      && result.flow === 'HelloWorld' && typeof result.executionTimeMs === 'number' && result.executionTimeMs >= 0
      && result.error == null && result.errorDetails == null && result.terminated === false, result);

  result = await client.executeFlow('EarlyExit', { value: 'v1', stop: true });
  check('executeFlow exit step: terminated, terminationReason and the exit outputs',
    result.success === true && result.terminated === true && result.terminationReason === 'stopped at v1'
      && deepEqual(result.outputs, { stopped_at: 'v1' }), result);

  outcome = await settle(client.executeFlow('FailingFlow', { card: '4242' }), 'executeFlow');
  check('executeFlow failing flow throws FlowExecutionError',
    outcome.error instanceof FlowExecutionError && outcome.error.message === 'Card 4242 declined'
      && outcome.error.flow === 'FailingFlow', describe(outcome.error));

  outcome = await settle(client.executeFlow('NoSuchFlow', {}), 'executeFlow');
  check('executeFlow unknown flow throws FlowNotFoundError',
    outcome.error instanceof FlowNotFoundError && outcome.error.flowName === 'NoSuchFlow', describe(outcome.error));

  // A 422 (required input missing) is not special-cased by the client: success is absent → failure.
  outcome = await settle(client.executeFlow('HelloWorld', {}), 'executeFlow');
  check('executeFlow missing required input (422) throws FlowExecutionError',
    outcome.error instanceof FlowExecutionError && outcome.error.message === 'Flow execution failed', describe(outcome.error));

  // Stream: every event, in emission order; the result comes from flow_completed.
  let events = [];
  result = await withTimeout(client.executeFlowStream('HelloWorld', { user_name: 'Cy' }, {
    onEvent: (type, data) => { events.push([type, data]); }, timeout: STEP_TIMEOUT_MS,
  }), 'executeFlowStream');
  const streamKinds = events.map(([type]) => type);
  check('executeFlowStream events in order',
    deepEqual(streamKinds, ['flow_started', 'step_started', 'step_completed', 'step_started', 'step_completed', 'flow_completed'])
      && deepEqual(events.filter(([type]) => type.startsWith('step_')).map(([, data]) => data.step_id), ['greeting', 'greeting', 'Log', 'Log'])
      && deepEqual(events[0][1].inputs, { user_name: 'Cy', shout: false }), streamKinds);
  check('executeFlowStream result from flow_completed',
    result.success === true && deepEqual(result.outputs, { message: 'Hello, Cy!', shouted: null })
      && result.executionTimeMs === events[events.length - 1][1].duration_ms && result.flow === 'HelloWorld', result);

  events = [];
  outcome = await settle(client.executeFlowStream('FailingFlow', { card: '4000' }, {
    onEvent: async (type, data) => { events.push([type, data]); },
  }), 'executeFlowStream');
  check('executeFlowStream failing flow throws FlowExecutionError after step_failed, flow_failed',
    outcome.error instanceof FlowExecutionError && outcome.error.message === 'Card 4000 declined'
      && deepEqual(events.map(([type]) => type), ['flow_started', 'step_started', 'step_completed', 'step_started', 'step_failed', 'flow_failed'])
      && events[events.length - 1][1].error_type === 'PaymentDeclined',
    `${describe(outcome.error)}; ${events.map(([type]) => type)}`);

  events = [];
  result = await withTimeout(client.executeFlowStream('EarlyExit', { value: 'v2', stop: true }, {
    onEvent: (type) => { events.push(type); },
  }), 'executeFlowStream');
  check('executeFlowStream exit step: flow_terminated, then flow_completed with terminated',
    deepEqual(events, ['flow_started', 'flow_terminated', 'flow_completed']) && result.success === true
      && result.terminated === true && result.terminationReason === 'stopped at v2'
      && deepEqual(result.outputs, { stopped_at: 'v2' }), { events, result });

  outcome = await settle(client.executeFlowStream('NoSuchFlow', {}), 'executeFlowStream');
  check('executeFlowStream unknown flow throws FlowNotFoundError', outcome.error instanceof FlowNotFoundError, describe(outcome.error));

  // Cancel a streamed execution from its own flow_started event (its data carries the execution id).
  events = [];
  let streamId = null;
  let cancelling = null;
  outcome = await settle(client.executeFlowStream('SlowFlow', { ms: 30000 }, {
    onEvent: (type, data) => {
      events.push(type);
      if (type === 'flow_started') {
        streamId = data.execution_id;
        cancelling = settle(client.cancelExecution('SlowFlow', data.execution_id), 'cancelExecution');
      }
    },
  }), 'executeFlowStream');
  const streamCancel = cancelling ? await cancelling : {};
  check('cancelExecution of a streamed execution',
    deepEqual(streamCancel.value, { success: true, message: 'Execution cancellation requested', execution_id: streamId, flow: 'SlowFlow' }),
    streamCancel.value || describe(streamCancel.error));
  check('cancelled stream ends with flow_cancelled; client reports no completion event',
    outcome.error instanceof FlowLangError && outcome.error.constructor === FlowLangError
      && outcome.error.message === 'Stream ended without completion event' && events[events.length - 1] === 'flow_cancelled',
    `${describe(outcome.error)}; ${events}`);

  // Async start (plain HTTP) + status + cancel + status after cancel.
  const executionId = await startAsync(url, 'SlowFlow', { ms: 30000 });
  let status = await client.getExecutionStatus('SlowFlow', executionId);
  check('getExecutionStatus of a running execution',
    status.execution_id === executionId && status.flow_name === 'SlowFlow' && status.status === 'running'
      && typeof status.start_time === 'string' && status.end_time == null && status.cancel_reason == null, status);
  const cancelled = await client.cancelExecution('SlowFlow', executionId);
  check('cancelExecution of a running execution',
    deepEqual(cancelled, { success: true, message: 'Execution cancellation requested', execution_id: executionId, flow: 'SlowFlow' }), cancelled);
  const asyncEvents = await withTimeout(waitUntilFinished(url, 'SlowFlow', executionId), 'events');
  status = await client.getExecutionStatus('SlowFlow', executionId);
  check('getExecutionStatus after cancel',
    asyncEvents[asyncEvents.length - 1] === 'flow_cancelled' && status.status === 'cancelled'
      && status.cancel_reason === CANCEL_REASON && typeof status.end_time === 'string', { asyncEvents, status });
  const again = await client.cancelExecution('SlowFlow', executionId);
  check('cancelExecution of a finished execution',
    again.success === false && again.execution_id === executionId && again.message === 'Execution already cancelled', again);

  // A blocked executeFlow call, cancelled through the API, throws FlowExecutionError with the reason.
  const known = await executionIds(url, 'SlowFlow');
  const blocked = settle(client.executeFlow('SlowFlow', { ms: 30000 }), 'executeFlow');
  const blockedId = await findRunningExecution(url, 'SlowFlow', known);
  const blockedCancel = blockedId ? await client.cancelExecution('SlowFlow', blockedId) : {};
  outcome = await blocked;
  check('cancelled blocking executeFlow throws FlowExecutionError with the cancel reason',
    blockedCancel.success === true && outcome.error instanceof FlowExecutionError
      && outcome.error.message === CANCEL_REASON && outcome.error.flow === 'SlowFlow',
    `${JSON.stringify(blockedCancel)}; ${describe(outcome.error)}`);
  status = blockedId ? await client.getExecutionStatus('SlowFlow', blockedId) : {};
  check('status of the cancelled blocking execution', status.status === 'cancelled', status);

  let listing = await client.listExecutions('SlowFlow');
  const byId = Object.fromEntries((listing.executions || []).map((e) => [e.execution_id, e.status]));
  check('listExecutions SlowFlow shows the cancelled executions',
    listing.flow === 'SlowFlow' && listing.count === listing.executions.length
      && [streamId, executionId, blockedId].every((id) => byId[id] === 'cancelled'), byId);
  listing = await client.listExecutions('HelloWorld');
  check('listExecutions HelloWorld shows completed executions',
    listing.flow === 'HelloWorld' && listing.count === listing.executions.length
      && listing.executions.some((e) => e.status === 'completed' && e.flow_name === 'HelloWorld'), listing);
  outcome = await settle(client.listExecutions('NoSuchFlow'), 'listExecutions');
  check('listExecutions unknown flow throws FlowNotFoundError', outcome.error instanceof FlowNotFoundError, describe(outcome.error));

  outcome = await settle(client.getExecutionStatus('SlowFlow', 'no-such-execution'), 'getExecutionStatus');
  check('getExecutionStatus unknown id throws FlowNotFoundError',
    outcome.error instanceof FlowNotFoundError && outcome.error.flowName === 'no-such-execution', describe(outcome.error));
  outcome = await settle(client.cancelExecution('SlowFlow', 'no-such-execution'), 'cancelExecution');
  check('cancelExecution unknown id throws FlowNotFoundError', outcome.error instanceof FlowNotFoundError, describe(outcome.error));

  // The exported SSE helpers on the server's raw stream.
  const response = await fetch(`${url}/flows/HelloWorld/execute/stream`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ inputs: { user_name: 'Di' } }),
  });
  const parsed = [];
  count('processSSEStream');
  await withTimeout(processSSEStream(response.body, (type, data) => parsed.push([type, data])), 'processSSEStream');
  check('processSSEStream parses the server stream',
    response.headers.get('content-type').startsWith('text/event-stream') && deepEqual(parsed.map(([type]) => type), streamKinds)
      && parsed[parsed.length - 1][1].outputs.message === 'Hello, Di!', parsed.map(([type]) => type));

  const text = await (await fetch(`${url}/flows/EarlyExit/execute/stream`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ inputs: { value: 'v3', stop: true } }),
  })).text();
  count('SSEParser.constructor');
  countingParser = true;
  const parser = new SSEParser();
  const lines = [];
  for (const line of text.split('\n')) parser.parseLine(line, (type, data) => lines.push([type, data]));
  check('SSEParser.parseLine parses the server stream line by line',
    deepEqual(lines.map(([type]) => type), ['flow_started', 'flow_terminated', 'flow_completed'])
      && lines[2][1].termination_reason === 'stopped at v3', lines.map(([type]) => type));
  parser.parseLine('event: flow_started', () => {});
  parser.reset();
  const afterReset = [];
  parser.parseLine('', (type) => afterReset.push(type));
  countingParser = false;
  check('SSEParser.reset drops a half-read event', afterReset.length === 0, afterReset);
}

async function main() {
  if (process.argv.length !== 4) {
    console.log('usage: node typescript-check.js http://127.0.0.1:PORT COMPILED_DIR');
    return 2;
  }
  const url = process.argv[2].replace(/\/+$/, '');
  const compiled = path.resolve(process.argv[3]);
  const sdk = require(path.join(compiled, 'index.js'));
  console.log(`FlowLang TypeScript client from ${path.join(CLIENTS_DIR, 'typescript', 'src')} (compiled in ${compiled}), server ${url}`);

  const clientMethods = publicMethods(sdk.FlowLangClient, 'client.ts');
  instrument(sdk.FlowLangClient, 'FlowLangClient', clientMethods);
  instrument(sdk.SSEParser, 'SSEParser', publicMethods(sdk.SSEParser, 'sse-parser.ts'), () => countingParser);
  calls.set('FlowLangClient.constructor', 0);
  calls.set('SSEParser.constructor', 0);
  calls.set('processSSEStream', 0);

  try {
    await checks(url, sdk);
  } catch (error) {
    check('no unexpected exception', false, error && error.stack ? error.stack : String(error));
  }

  const never = [...calls].filter(([, n]) => n === 0).map(([name]) => name);
  check('every public method of FlowLangClient and SSEParser was called', clientMethods.length >= 8 && never.length === 0,
    `never called: ${never}; public methods found: ${clientMethods}`);
  console.log('calls per method: ' + [...calls].sort().map(([name, n]) => `${name} ${n}`).join(', '));
  const failed = results.filter(([, passed]) => !passed).length;
  const total = [...calls.values()].reduce((a, b) => a + b, 0);
  console.log(`${results.length} checks, ${total} calls` + (failed ? `, ${failed} FAILED` : ''));
  return failed ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (error) => { console.error(error); process.exitCode = 1; });
