// FlowLang console: live updates, the run form, cancel and the API key. Pages work without this script;
// it only adds to them. User data reaches the page through textContent only.
"use strict";

const KEY_STORAGE = "flowlang.apiKey";
const TERMINAL_EVENTS = ["flow_completed", "flow_failed", "flow_cancelled", "flow_terminated"];
const EVENT_NAMES = [
  "flow_started", "step_started", "step_completed", "step_failed", "step_retrying",
  "subflow_started", "subflow_completed", "subflow_failed", ...TERMINAL_EVENTS,
];

/**
 * The API key kept for this tab's session, if any.
 * @returns {string | null}
 */
function storedKey() {
  try {
    return window.sessionStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}

/**
 * Calls the API with the session's key; a 401 sends the browser to the key page and back here.
 * @param {string} url
 * @param {RequestInit} init
 * @returns {Promise<Response>}
 */
async function apiFetch(url, init) {
  const headers = new Headers(init.headers);
  const key = storedKey();
  if (key) headers.set("X-API-Key", key);
  const response = await fetch(url, { ...init, headers, credentials: "same-origin" });
  if (response.status === 401) {
    window.location.assign("/ui/key?next=" + encodeURIComponent(window.location.pathname + window.location.search));
  }
  return response;
}

/**
 * Puts `text` in the element with id `id`, as text.
 * @param {string} id
 * @param {string} text
 */
function say(id, text) {
  const element = document.getElementById(id);
  if (element) element.textContent = text;
}

/** Keeps the key typed in the key form for this tab's API calls; the form then posts it as usual. */
function setUpKeyForm() {
  const form = document.getElementById("key-form");
  if (!(form instanceof HTMLFormElement)) return;
  form.addEventListener("submit", () => {
    const input = form.elements.namedItem("key");
    if (input instanceof HTMLInputElement && input.value) {
      try {
        window.sessionStorage.setItem(KEY_STORAGE, input.value);
      } catch {
        // Storage refused (private mode): the cookie still carries the key for the pages.
      }
    }
  });
}

/**
 * The value of one input control, or undefined when left empty; throws an Error saying what is wrong.
 * @param {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement} control
 * @returns {unknown}
 */
function inputValue(control) {
  const type = control.dataset.type || "string";
  const text = control.value;
  if (text.trim() === "") {
    if (control.required) throw new Error("Required");
    return undefined;
  }
  switch (type) {
    case "integer": {
      const number = Number(text);
      if (!Number.isInteger(number)) throw new Error("Enter a whole number");
      return number;
    }
    case "number": {
      const number = Number(text);
      if (!Number.isFinite(number)) throw new Error("Enter a number");
      return number;
    }
    case "boolean":
      return text === "true";
    case "enum":
      return JSON.parse(text);
    case "object":
    case "array":
    case "any": {
      /** @type {unknown} */
      let value;
      try {
        value = JSON.parse(text);
      } catch (error) {
        throw new Error("Not valid JSON: " + (error instanceof Error ? error.message : String(error)));
      }
      if (type === "array" && !Array.isArray(value)) throw new Error("Enter a JSON array, e.g. [1, 2]");
      if (type === "object" && (value === null || typeof value !== "object" || Array.isArray(value))) {
        throw new Error("Enter a JSON object, e.g. {\"key\": \"value\"}");
      }
      return value;
    }
    default:
      return text;
  }
}

/** Starts runs from the generated form: asynchronously (then follows the run) or waiting for the result. */
function setUpRunForm() {
  const form = document.getElementById("run-form");
  if (!(form instanceof HTMLFormElement)) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const submitter = event instanceof SubmitEvent && event.submitter instanceof HTMLButtonElement ? event.submitter : null;
    const wait = submitter?.value === "sync";
    /** @type {Record<string, unknown>} */
    const inputs = {};
    let valid = true;
    for (const control of form.querySelectorAll("[data-input]")) {
      if (!(control instanceof HTMLInputElement || control instanceof HTMLSelectElement || control instanceof HTMLTextAreaElement)) continue;
      const name = control.dataset.input || "";
      try {
        const value = inputValue(control);
        if (value !== undefined) inputs[name] = value;
        control.removeAttribute("aria-invalid");
        say(control.id + "-error", "");
      } catch (error) {
        valid = false;
        control.setAttribute("aria-invalid", "true");
        say(control.id + "-error", error instanceof Error ? error.message : String(error));
      }
    }
    if (!valid) {
      say("run-result", "Some inputs need fixing.");
      return;
    }
    say("run-result", wait ? "Running…" : "Starting…");
    const url = (form.dataset.execute || "") + (wait ? "" : "?wait=false");
    try {
      const response = await apiFetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ inputs }),
      });
      const body = await response.json();
      const id = typeof body.execution_id === "string" ? body.execution_id : null;
      if (!wait && response.status === 202 && id) {
        window.location.assign("/ui/executions/" + encodeURIComponent(id));
        return;
      }
      showRunResult(response.status, body, id);
    } catch (error) {
      say("run-result", "The request failed: " + (error instanceof Error ? error.message : String(error)));
    }
  });
}

/**
 * Shows a synchronous run's answer under the form, with a link to its execution.
 * @param {number} status
 * @param {unknown} body
 * @param {string | null} id
 */
function showRunResult(status, body, id) {
  const area = document.getElementById("run-result");
  if (!area) return;
  area.replaceChildren();
  const heading = document.createElement("p");
  heading.textContent = "HTTP " + status;
  area.append(heading);
  if (id) {
    const link = document.createElement("a");
    link.href = "/ui/executions/" + encodeURIComponent(id);
    link.textContent = "Open execution " + id;
    area.append(link);
  }
  const pre = document.createElement("pre");
  pre.className = "value";
  pre.textContent = JSON.stringify(body, null, 2);
  area.append(pre);
}

/**
 * A status badge, as the server writes it.
 * @param {string} status
 * @returns {HTMLSpanElement}
 */
function badge(status) {
  const span = document.createElement("span");
  span.className = "status";
  span.dataset.status = status;
  span.textContent = status;
  return span;
}

/**
 * Marks the diagram node, the timeline row and the step list entry of step `stepId` with `status`.
 * @param {string} stepId
 * @param {string} status
 */
function markStep(stepId, status) {
  for (const element of document.querySelectorAll("[data-step]")) {
    if (!(element instanceof SVGElement || element instanceof HTMLElement) || element.dataset.step !== stepId) continue;
    if (element instanceof SVGElement) {
      element.dataset.status = status;
    } else {
      const old = element.querySelector(".status");
      if (old) old.replaceWith(badge(status));
    }
  }
  const steps = document.getElementById("steps");
  const known = Array.from(document.querySelectorAll("details.step")).some(
    (element) => element instanceof HTMLElement && element.dataset.step === stepId
  );
  if (!known && steps) {
    const list = steps instanceof HTMLOListElement ? steps : document.createElement("ol");
    if (list !== steps) {
      list.id = "steps";
      list.className = "steps";
      steps.replaceWith(list);
    }
    const item = document.createElement("li");
    const details = document.createElement("details");
    details.className = "step";
    details.dataset.step = stepId;
    const summary = document.createElement("summary");
    const code = document.createElement("code");
    code.textContent = stepId;
    summary.append(code, " ", badge(status));
    details.append(summary);
    item.append(details);
    list.append(item);
  }
}

/**
 * The event's status for its step, if it changes one.
 * @param {string} name
 * @returns {string | null}
 */
function stepStatus(name) {
  switch (name) {
    case "step_started":
    case "subflow_started":
      return "running";
    case "step_completed":
    case "subflow_completed":
      return "completed";
    case "step_failed":
    case "subflow_failed":
      return "failed";
    case "step_retrying":
      return "retried";
    default:
      return null;
  }
}

/** Follows a running execution over Server-Sent Events until its final event. */
function followExecution() {
  const section = document.getElementById("execution");
  if (!section || section.dataset.running !== "true" || !section.dataset.events) return;
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
    const subflow = Array.isArray(data.subflow_path) && data.subflow_path.length > 0;
    const status = stepStatus(name);
    if (status && !subflow && typeof data.step_id === "string") markStep(data.step_id, status);
    if (TERMINAL_EVENTS.includes(name) && !subflow) {
      finished = true;
      source.close();
      finish(name, data);
    }
  };
  for (const name of EVENT_NAMES) source.addEventListener(name, receive);
  source.addEventListener("error", () => {
    if (finished) source.close();
  });
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
 * Shows the end of the run: its status, the steps that never ran, and its result.
 * @param {string} name
 * @param {Record<string, unknown>} data
 */
function finish(name, data) {
  const status = name === "flow_failed" ? "failed" : name === "flow_cancelled" ? "cancelled" : "completed";
  const holder = document.getElementById("run-status");
  if (holder) holder.replaceChildren(badge(status));
  document.getElementById("cancel")?.remove();
  for (const node of document.querySelectorAll("#diagram [data-status]")) {
    if (node instanceof SVGElement && (node.dataset.status === "pending" || (status === "cancelled" && node.dataset.status === "running"))) {
      node.dataset.status = node.dataset.status === "pending" ? "skipped" : "cancelled";
    }
  }
  const result = document.getElementById("result");
  if (result) {
    const pre = document.createElement("pre");
    pre.className = "value";
    pre.textContent = JSON.stringify(data, null, 2);
    result.replaceWith(pre);
  }
}

/** Cancels the execution from its page. */
function setUpCancel() {
  const button = document.getElementById("cancel");
  if (!(button instanceof HTMLButtonElement) || !button.dataset.url) return;
  const url = button.dataset.url;
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const response = await apiFetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
      const body = await response.json();
      say("action-message", typeof body.message === "string" ? body.message : "HTTP " + response.status);
    } catch (error) {
      button.disabled = false;
      say("action-message", "Cancelling failed: " + (error instanceof Error ? error.message : String(error)));
    }
  });
}

/** How often the first page of the executions list is refreshed, in milliseconds. */
const LIST_REFRESH_MS = 3000;

/**
 * Refreshes the first page of the executions list: the same URL is fetched again (the page's own server-escaped
 * HTML, parsed without running anything) and its list replaces the shown one, so new runs appear.
 */
function refreshExecutionList() {
  const holder = document.getElementById("execution-list");
  if (!holder || holder.dataset.live !== "true") return;
  const parser = new DOMParser();
  window.setInterval(async () => {
    if (document.hidden) return;
    try {
      const response = await fetch(window.location.href, { credentials: "same-origin" });
      if (!response.ok) return;
      const fresh = parser.parseFromString(await response.text(), "text/html").getElementById("execution-list");
      const current = document.getElementById("execution-list");
      if (fresh && current && fresh.innerHTML !== current.innerHTML) {
        current.replaceChildren(...Array.from(fresh.childNodes).map((child) => document.importNode(child, true)));
      }
    } catch {
      // A failed refresh leaves the list as it is; the next one tries again.
    }
  }, LIST_REFRESH_MS);
}

document.addEventListener("DOMContentLoaded", () => {
  setUpKeyForm();
  setUpRunForm();
  setUpCancel();
  followExecution();
  refreshExecutionList();
});
