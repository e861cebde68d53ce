// FlowLang console: an execution's page follows the run over Server-Sent Events — the diagram's nodes, the
// steps, the timeline's bars and the event log change as events arrive, without a reload. User data reaches
// the page through textContent and attribute values only.
"use strict";

const TERMINAL_EVENTS = ["flow_completed", "flow_failed", "flow_cancelled", "flow_terminated"];
const EVENT_NAMES = [
  "flow_started", "step_started", "step_completed", "step_failed", "step_retrying",
  "subflow_started", "subflow_completed", "subflow_failed", ...TERMINAL_EVENTS,
];
const SVG_NS = "http://www.w3.org/2000/svg";
/** The timeline's geometry, as ConsoleTimeline draws it. */
const TIMELINE = { rowHeight: 22, labelWidth: 220, barsWidth: 560 };
/** How many characters of a value a live step entry shows; the reloaded page has the whole value. */
const VALUE_PREVIEW = 2000;

/**
 * A status badge, as the server writes it.
 * @param {string} status
 * @returns {HTMLSpanElement}
 */
function badge(status) {
  const span = document.createElement("span");
  span.className = "status";
  span.dataset.status = status;
  span.textContent = status.replace("-", " ");
  return span;
}

/**
 * The diagram's name of a step path: every iteration as [*].
 * @param {string} path
 * @returns {string}
 */
function pattern(path) {
  return path.replace(/\[\d+\]/g, "[*]");
}

/**
 * The elements under `root` matching `selector` whose `data-step-id` is `path` (compared, never put in a selector).
 * @param {string} selector
 * @param {string} path
 * @param {ParentNode} root
 * @returns {(HTMLElement | SVGElement)[]}
 */
function atPath(selector, path, root = document) {
  return Array.from(root.querySelectorAll(selector)).filter(
    /** @returns {element is HTMLElement | SVGElement} */
    (element) => (element instanceof HTMLElement || element instanceof SVGElement) && element.dataset.stepId === path
  );
}

/**
 * The status on a step entry's badge.
 * @param {Element} entry
 * @returns {string | undefined}
 */
function entryStatus(entry) {
  const shown = entry.querySelector(":scope > summary > .status");
  return shown instanceof HTMLElement ? shown.dataset.status : undefined;
}

/**
 * Sets the status of a step entry's badge.
 * @param {Element} entry
 * @param {string} status
 */
function setBadge(entry, status) {
  entry.querySelector(":scope > summary > .status")?.replaceWith(badge(status));
}

/**
 * Text for a value in a step entry: JSON, cut to a preview.
 * @param {unknown} value
 * @returns {HTMLPreElement}
 */
function valueBlock(value) {
  const pre = document.createElement("pre");
  pre.className = "value";
  const text = JSON.stringify(value, null, 2) ?? "null";
  pre.textContent = text.length > VALUE_PREVIEW ? text.slice(0, VALUE_PREVIEW) + "…" : text;
  return pre;
}

/**
 * Puts what a step's start tells in its entry: its task or subflow and its inputs.
 * @param {HTMLElement | SVGElement} details
 * @param {Record<string, unknown>} data
 */
function fillEntry(details, data) {
  const summary = details.querySelector(":scope > summary");
  details.replaceChildren(...(summary ? [summary] : []));
  const task = document.createElement("p");
  task.textContent = typeof data.subflow_name === "string" ? "Subflow " + data.subflow_name : "Task " + String(data.task ?? "");
  details.append(task);
  if (data.inputs !== undefined) {
    const heading = document.createElement("h4");
    heading.textContent = "Inputs";
    details.append(heading, valueBlock(data.inputs));
  }
}

/**
 * The step list's entry for the step at `path` as it starts: the flow's entry for a step not started yet,
 * else a new one, before the steps not started yet.
 * @param {string} path
 * @param {Record<string, unknown>} data
 * @returns {HTMLElement | SVGElement | null}
 */
function stepEntry(path, data) {
  const list = document.getElementById("steps");
  if (!list) return null;
  const existing = atPath("details.step", path)[0];
  if (existing) {
    if (entryStatus(existing) === "pending") fillEntry(existing, data);
    return existing;
  }
  let steps = list;
  if (!(list instanceof HTMLOListElement)) {
    steps = document.createElement("ol");
    steps.id = "steps";
    steps.className = "steps";
    list.replaceWith(steps);
  }
  for (const planned of atPath("details.step", pattern(path))) {
    if (entryStatus(planned) === "pending") planned.closest("li")?.remove();
  }
  const container = listFor(path, steps);
  const details = document.createElement("details");
  details.className = "step";
  details.dataset.step = typeof data.step_id === "string" ? data.step_id : "";
  details.dataset.stepId = path;
  details.dataset.pattern = pattern(path);
  const summary = document.createElement("summary");
  const code = document.createElement("code");
  code.textContent = details.dataset.step;
  const small = document.createElement("small");
  small.className = "path";
  small.textContent = path;
  summary.append(code, " ", small, " ", badge("running"));
  details.append(summary);
  fillEntry(details, data);
  insertEntry(details, container);
  return details;
}

/**
 * Puts `entry` in `list`, before the steps not started yet.
 * @param {HTMLElement} entry
 * @param {HTMLElement} list
 */
function insertEntry(entry, list) {
  const item = document.createElement("li");
  item.append(entry);
  const firstPending = Array.from(list.children).find((child) => child.firstElementChild && entryStatus(child.firstElementChild) === "pending");
  list.insertBefore(item, firstPending ?? null);
}

/**
 * The list a new entry for the step at `path` goes in: inside a loop its iteration's (the loop's and the
 * iteration's entries made when missing, as the server draws them), inside a subflow its subflow step's, else
 * the run's list.
 * @param {string} path
 * @param {HTMLElement} steps the run's list
 * @returns {HTMLElement}
 */
function listFor(path, steps) {
  const bracket = path.lastIndexOf("[");
  const subflow = path.lastIndexOf(".subflow.");
  if (bracket > subflow) {
    const loop = path.slice(0, bracket);
    return iterationList(loop, path.slice(bracket, path.indexOf("]", bracket) + 1), steps);
  }
  const parent = subflow >= 0 ? atPath("details.step", path.slice(0, subflow))[0] : undefined;
  if (!(parent instanceof HTMLElement)) return steps;
  const nested = parent.querySelector(":scope > ol.steps.nested");
  if (nested instanceof HTMLElement) return nested;
  const heading = document.createElement("h4");
  heading.textContent = "Steps of the subflow";
  const list = document.createElement("ol");
  list.className = "steps nested";
  parent.append(heading, list);
  return list;
}

/**
 * The list of steps of the iteration `index` ("[2]") of the loop at `loop`, with the loop's and the iteration's
 * entries made when missing.
 * @param {string} loop
 * @param {string} index
 * @param {HTMLElement} steps the run's list
 * @returns {HTMLElement}
 */
function iterationList(loop, index, steps) {
  let entry = atPath("details.loop", loop)[0];
  if (!(entry instanceof HTMLElement)) {
    entry = document.createElement("details");
    entry.className = "loop";
    entry.dataset.stepId = loop;
    entry.dataset.pattern = pattern(loop);
    const summary = document.createElement("summary");
    const code = document.createElement("code");
    code.textContent = loop;
    const count = document.createElement("span");
    count.className = "count";
    summary.append("Loop ", code, ": ", count, " ", badge("running"));
    const counts = document.createElement("p");
    counts.className = "counts";
    const iterations = document.createElement("ol");
    iterations.className = "iterations";
    entry.append(summary, counts, iterations);
    insertEntry(entry, listFor(loop, steps));
  }
  let iteration = atPath("details.iteration", loop + index, entry)[0];
  if (!(iteration instanceof HTMLElement)) {
    iteration = document.createElement("details");
    iteration.className = "iteration";
    iteration.dataset.stepId = loop + index;
    const summary = document.createElement("summary");
    summary.append("Iteration " + index.slice(1, -1) + " ", badge("running"));
    const list = document.createElement("ol");
    list.className = "steps nested";
    iteration.append(summary, list);
    const item = document.createElement("li");
    item.append(iteration);
    entry.querySelector(":scope > ol.iterations")?.append(item);
  }
  const list = iteration.querySelector(":scope > ol");
  return list instanceof HTMLElement ? list : steps;
}

/**
 * One status for several: failed before cancelled before running before retried before completed.
 * @param {(string | undefined)[]} statuses
 * @returns {string | undefined}
 */
function combined(statuses) {
  return ["failed", "cancelled", "running", "retried", "completed"].find((status) => statuses.includes(status));
}

/**
 * Brings a loop's entry up to date with the steps inside it: its iterations' and its own status, how many
 * iterations and how many steps in each status.
 * @param {Element} loop
 */
function refreshLoop(loop) {
  /** @param {Element} root */
  const statuses = (root) => Array.from(root.querySelectorAll("details.step")).map(entryStatus).filter((status) => status !== "pending");
  for (const iteration of loop.querySelectorAll(":scope > ol.iterations > li > details.iteration")) {
    setBadge(iteration, combined(statuses(iteration)) ?? "completed");
  }
  const all = statuses(loop);
  setBadge(loop, combined(all) ?? "completed");
  const iterations = loop.querySelectorAll(":scope > ol.iterations > li").length;
  const count = loop.querySelector(":scope > summary > .count");
  if (count) count.textContent = iterations === 1 ? "1 iteration" : iterations + " iterations";
  /** @type {Map<string, number>} */
  const counted = new Map();
  for (const status of all) if (status) counted.set(status, (counted.get(status) ?? 0) + 1);
  const counts = loop.querySelector(":scope > p.counts");
  if (counts) counts.textContent = Array.from(counted, ([status, number]) => number + " " + status).join(", ");
}

/**
 * Refreshes the loops around `entry`, innermost first.
 * @param {Element} entry
 */
function refreshLoopsAround(entry) {
  for (let loop = entry.parentElement?.closest("details.loop"); loop; loop = loop.parentElement?.closest("details.loop")) {
    refreshLoop(loop);
  }
}

/** Iterations with events, by the diagram path of their loop. @type {Map<string, Set<string>>} */
const iterationsSeen = new Map();

/**
 * Counts the iterations of the loops around the step at `path` and shows the count under each loop's node
 * ("×3"), summed over the iterations of the loops around it as the server counts them.
 * @param {string} path
 */
function countIterations(path) {
  const diagram = document.getElementById("diagram");
  if (!diagram) return;
  for (const match of path.matchAll(/\[\d+\]/g)) {
    const end = (match.index ?? 0) + match[0].length;
    const loop = pattern(path.slice(0, match.index));
    const seen = iterationsSeen.get(loop) ?? new Set();
    seen.add(path.slice(0, end));
    iterationsSeen.set(loop, seen);
    for (const node of atPath("g.node.loop", loop, diagram)) {
      if (node instanceof SVGGElement) showCount(node, seen.size);
    }
  }
}

/**
 * Writes "×N" under a loop's node, where the server puts it.
 * @param {SVGGElement} node
 * @param {number} count
 */
function showCount(node, count) {
  let text = node.querySelector("text.count");
  if (!text) {
    const shape = node.querySelector("polygon");
    if (!(shape instanceof SVGGraphicsElement)) return;
    const box = shape.getBBox();
    text = document.createElementNS(SVG_NS, "text");
    text.setAttribute("class", "count");
    text.setAttribute("x", String(Math.round(box.x + box.width - 4)));
    text.setAttribute("y", String(Math.round(box.y + box.height + 14)));
    text.setAttribute("text-anchor", "end");
    node.append(text);
  }
  const shown = "×" + count;
  if (text.textContent !== shown) text.textContent = shown;
}

/**
 * Shows a step's event in the step list: its status, and its outputs or error.
 * @param {string} name
 * @param {string} path
 * @param {string} status
 * @param {Record<string, unknown>} data
 */
function showInList(name, path, status, data) {
  const entry = name.endsWith("_started") ? stepEntry(path, data) : atPath("details.step", path)[0];
  if (!entry) return;
  setBadge(entry, status);
  refreshLoopsAround(entry);
  if (name.endsWith("_completed") && data.outputs !== undefined) {
    const heading = document.createElement("h4");
    heading.textContent = "Outputs";
    entry.append(heading, valueBlock(data.outputs));
  } else if (name.endsWith("_failed") || name === "step_retrying") {
    const error = document.createElement("p");
    error.className = name === "step_retrying" ? "retried" : "error";
    const prefix = name === "step_retrying" ? "Attempt " + String(data.attempt ?? "") + " failed: " : String(data.error_type ?? "Error") + ": ";
    error.textContent = prefix + String(data.error ?? "");
    entry.append(error);
    if (name.endsWith("_failed") && entry instanceof HTMLDetailsElement) entry.open = true;
  }
}

/**
 * Colours the diagram's node of the step at `path` (every iteration of a loop body shares one node) and the
 * nodes of the loops around it.
 * @param {string} path
 * @param {string} status
 */
function showInDiagram(path, status) {
  const diagram = document.getElementById("diagram");
  if (!diagram) return;
  for (const node of atPath(".node", pattern(path), diagram)) node.dataset.status = status;
  for (const match of path.matchAll(/\[\d+\]/g)) {
    for (const loop of atPath(".node.loop", pattern(path.slice(0, match.index)), diagram)) {
      if (loop.dataset.status !== "failed") loop.dataset.status = status === "failed" ? "failed" : "running";
    }
  }
}

/**
 * The status an event gives its step, if it changes one.
 * @param {string} name
 * @returns {string | null}
 */
function stepStatus(name) {
  if (name.endsWith("_started")) return "running";
  if (name.endsWith("_completed")) return "completed";
  if (name.endsWith("_failed") && !name.startsWith("flow")) return "failed";
  return name === "step_retrying" ? "retried" : null;
}

/**
 * A duration the way the server writes it: "840 ms", "3.2 s", "2 min 5 s".
 * @param {number} milliseconds
 */
function formatDuration(milliseconds) {
  if (milliseconds < 1000) return Math.round(milliseconds) + " ms";
  const seconds = milliseconds / 1000;
  if (seconds < 60) return seconds.toFixed(1) + " s";
  const whole = Math.round(seconds);
  return Math.floor(whole / 60) + " min " + (whole % 60) + " s";
}

/** The timeline of the steps, kept in step with the events. */
class Timeline {
  /** @param {SVGSVGElement} svg */
  constructor(svg) {
    this.svg = svg;
    /** Server time minus this browser's clock, from the latest event. */
    this.offset = 0;
    /** @type {number | undefined} */
    this.timer = undefined;
  }

  /**
   * Adds the row of a step that started, or marks the end of one that finished.
   * @param {string} path
   * @param {string} status
   * @param {Record<string, unknown>} data
   * @param {number} time
   */
  record(path, status, data, time) {
    this.offset = time - Date.now();
    let row = atPath("g.row", path, this.svg)[0];
    if (!row) {
      row = document.createElementNS(SVG_NS, "g");
      row.setAttribute("class", "row");
      row.dataset.stepId = path;
      row.dataset.started = String(time);
      const label = String(data.step_id ?? "") + (path.match(/\[\d+\]/g) ? " " + (path.match(/\[\d+\]/g) ?? []).join("") : "");
      const title = document.createElementNS(SVG_NS, "title");
      title.dataset.label = label + " at " + path;
      const text = document.createElementNS(SVG_NS, "text");
      text.setAttribute("x", "4");
      text.textContent = label.length > 28 ? label.slice(0, 27) + "…" : label;
      const bar = document.createElementNS(SVG_NS, "rect");
      bar.setAttribute("class", "bar");
      bar.setAttribute("rx", "3");
      bar.setAttribute("height", String(TIMELINE.rowHeight - 6));
      row.append(title, text, bar);
      this.svg.append(row);
    }
    row.dataset.status = status;
    if (status === "completed" || status === "failed") row.dataset.finished = String(time);
    this.draw();
  }

  /** Places every row and bar on the time axis, the running ones up to now. */
  draw() {
    const start = Number(this.svg.dataset.start);
    const end = this.svg.dataset.end ? Number(this.svg.dataset.end) : Date.now() + this.offset;
    const total = Math.max(end - start, 1);
    /** @type {SVGGElement[]} */
    const rows = [];
    for (const row of this.svg.querySelectorAll("g.row")) if (row instanceof SVGGElement) rows.push(row);
    rows.forEach((row, index) => {
      const y = index * TIMELINE.rowHeight + 4;
      const from = Math.max(0, Number(row.dataset.started) - start) / total;
      const until = row.dataset.finished ? Number(row.dataset.finished) : end;
      const to = Math.max(0, until - start) / total;
      const duration = Math.max(0, until - Number(row.dataset.started));
      row.dataset.durationMs = String(Math.round(duration));
      const title = row.querySelector("title");
      if (title) title.textContent = title.dataset.label + ": " + row.dataset.status + ", " + formatDuration(duration);
      row.querySelector("text")?.setAttribute("y", String(y + 15));
      const bar = row.querySelector("rect");
      bar?.setAttribute("x", String(TIMELINE.labelWidth + Math.round(from * TIMELINE.barsWidth)));
      bar?.setAttribute("y", String(y + 3));
      bar?.setAttribute("width", String(Math.max(2, Math.round((to - from) * TIMELINE.barsWidth))));
    });
    const height = rows.length * TIMELINE.rowHeight + 8;
    const width = TIMELINE.labelWidth + TIMELINE.barsWidth + 8;
    this.svg.setAttribute("height", String(height));
    this.svg.setAttribute("viewBox", "0 0 " + width + " " + height);
  }

  /** Grows the running steps' bars every second until `stop`. */
  start() {
    this.timer = window.setInterval(() => this.draw(), 1000);
  }

  /** @param {number} time the run's end */
  stop(time) {
    window.clearInterval(this.timer);
    for (const row of this.svg.querySelectorAll("g.row")) {
      if (row instanceof SVGGElement && !row.dataset.finished) row.dataset.finished = String(time);
    }
    this.svg.dataset.end = String(time);
    this.draw();
  }
}

/**
 * Adds an event to the event log.
 * @param {string} name
 * @param {Record<string, unknown>} data
 */
function appendEvent(name, data) {
  const list = document.getElementById("events");
  if (!list) return;
  const item = document.createElement("li");
  const time = document.createElement("time");
  time.textContent = typeof data.timestamp === "string" ? data.timestamp.slice(0, 19).replace("T", " ") : "";
  const label = document.createElement("span");
  label.className = "event-name";
  label.textContent = name;
  item.append(time, " ", label);
  if (typeof data.step_id === "string") {
    const code = document.createElement("code");
    code.textContent = data.step_id;
    item.append(" ", code);
  }
  list.append(item);
}

/**
 * Shows the end of the run: its status, the steps that never ran as "not run", and its result.
 * @param {string} name
 * @param {Record<string, unknown>} data
 */
function finish(name, data) {
  const status = name === "flow_failed" ? "failed" : name === "flow_cancelled" ? "cancelled" : "completed";
  const holder = document.getElementById("run-status");
  if (holder) holder.replaceChildren(badge(status));
  document.getElementById("cancel")?.remove();
  for (const node of document.querySelectorAll("#diagram [data-status]")) {
    if (!(node instanceof SVGElement)) continue;
    if (node.dataset.status === "pending") node.dataset.status = "not-run";
    const stopped = node.dataset.status === "running" || node.dataset.status === "retried";
    if (stopped && (status === "cancelled" || node.classList.contains("loop"))) node.dataset.status = status === "cancelled" ? "cancelled" : "completed";
  }
  for (const entry of document.querySelectorAll("#steps details.step")) {
    const shown = entryStatus(entry);
    if (shown === "pending") setBadge(entry, "not-run");
    if (status === "cancelled" && (shown === "running" || shown === "retried")) setBadge(entry, "cancelled");
  }
  for (const loop of document.querySelectorAll("#steps details.loop")) refreshLoop(loop);
  const result = document.getElementById("result");
  if (result) result.replaceWith(valueBlock(data));
}

/** Follows a running execution over Server-Sent Events until its final event. */
function followExecution() {
  const section = document.getElementById("execution");
  if (!section || section.dataset.running !== "true" || !section.dataset.events) return;
  const svg = document.getElementById("timeline");
  const timeline = svg instanceof SVGSVGElement ? new Timeline(svg) : null;
  timeline?.start();
  const source = new EventSource(section.dataset.events);
  let finished = false;
  /** @param {MessageEvent} message */
  const receive = (message) => {
    /** @type {Record<string, unknown>} */
    let data = {};
    try {
      data = JSON.parse(message.data);
    } catch {
      return;
    }
    const name = message.type;
    appendEvent(name, data);
    const inSubflow = Array.isArray(data.subflow_path) && data.subflow_path.length > 0;
    const path = typeof data.step_path === "string" ? data.step_path : inSubflow ? null : data.step_id;
    const status = stepStatus(name);
    const time = typeof data.timestamp === "string" ? Date.parse(data.timestamp) : Date.now();
    if (status && typeof path === "string") {
      if (!inSubflow) {
        showInDiagram(path, status);
        countIterations(path);
      }
      showInList(name, path, status, data);
      timeline?.record(path, status, data, time);
    }
    if (TERMINAL_EVENTS.includes(name) && !inSubflow && name !== "flow_terminated") {
      finished = true;
      source.close();
      timeline?.stop(time);
      finish(name, data);
    }
  };
  for (const name of EVENT_NAMES) source.addEventListener(name, receive);
  source.addEventListener("error", () => {
    if (finished) source.close();
  });
}

document.addEventListener("DOMContentLoaded", followExecution);
