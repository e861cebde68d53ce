// FlowLang console: the run form, cancel, the executions list's refresh and the API key (live.js follows an
// execution). Pages work without this script; it only adds to them. User data reaches the page through
// textContent only.
"use strict";

const KEY_STORAGE = "flowlang.apiKey";

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
  refreshExecutionList();
});
