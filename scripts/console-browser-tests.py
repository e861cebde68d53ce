#!/usr/bin/env python3
"""The FlowLang web console in headless Chromium, driven by Selenium over W3C WebDriver.

Run by scripts/console-browser-tests.sh, which starts the servers. Every wait is on a DOM condition
(WebDriverWait), never on the clock. Each test prints PASS or FAIL; the exit status is 1 when any failed.
"""
import argparse
import json
import os
import sys
import traceback
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

# Chromium's blink setting: 0 is dark, 1 is light (checked below through matchMedia).
SCHEMES = {"light": 1, "dark": 0}
WAIT_SECONDS = 30


def browser(scheme):
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1400,1100", "--no-first-run", "--disable-extensions",
                     f"--blink-settings=preferredColorScheme={SCHEMES[scheme]}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(WAIT_SECONDS)
    return driver


def wait(driver, condition, message):
    # The script replaces status badges as events arrive: an element found just before is then stale.
    return WebDriverWait(driver, WAIT_SECONDS, ignored_exceptions=[StaleElementReferenceException]).until(condition, message)


def api(base, path, body=None, key=None):
    """Calls the API: JSON in, JSON out."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method="POST" if data is not None else "GET")
    request.add_header("Content-Type", "application/json")
    if key:
        request.add_header("X-API-Key", key)
    with urllib.request.urlopen(request, timeout=WAIT_SECONDS) as response:
        return json.loads(response.read())


def start(base, inputs, key=None):
    """Starts an OrderFulfillment run in the background; returns its id."""
    return api(base, "/flows/OrderFulfillment/execute?wait=false", {"inputs": inputs}, key)["execution_id"]


def errors(driver, allowed=()):
    """The browser log's errors since the last call, without those containing an `allowed` text."""
    entries = driver.get_log("browser")
    return [e["message"] for e in entries
            if e["level"] == "SEVERE" and not any(text in e["message"] for text in allowed)]


def assert_no_errors(driver, allowed=()):
    found = errors(driver, allowed)
    assert not found, f"browser errors: {found}"


def attribute_is(locator, name, value):
    def check(driver):
        elements = driver.find_elements(*locator)
        return bool(elements) and elements[0].get_attribute(name) == value
    return check


def node(step):
    return (By.CSS_SELECTOR, f'#diagram g.node[data-step="{step}"]')


class Suite:
    def __init__(self, args):
        self.args = args
        self.failures = []
        self.passed = 0

    def run(self, name, body, *parameters):
        label = name + (f" [{parameters[-1]}]" if parameters else "")
        try:
            body(*parameters)
            self.passed += 1
            print(f"PASS {label}", flush=True)
        except Exception:  # noqa: BLE001 - every failure is reported and counted
            self.failures.append(label)
            print(f"FAIL {label}\n{traceback.format_exc()}", flush=True)

    def shot(self, driver, name, scheme):
        driver.save_screenshot(os.path.join(self.args.screenshots, f"{name}-{scheme}.png"))

    # Tests ---------------------------------------------------------------------------------------------

    def pages_load_without_errors(self, driver, scheme):
        base = self.args.url
        failed = api(base, "/flows/OrderFulfillment/execute", {"inputs": {"order_id": "F-1", "hold_ms": 10, "decline": True}})
        pages = {
            "flows": "/ui",
            "flow-all-input-types": "/ui/flows/AllInputTypes",
            "flow-order-fulfillment": "/ui/flows/OrderFulfillment",
            "executions": "/ui/executions",
            "execution-failed": f"/ui/executions/{failed['execution_id']}",
        }
        for name, path in pages.items():
            driver.get(base + path)
            wait(driver, ec.presence_of_element_located((By.CSS_SELECTOR, "main h1")), f"{path}: no heading")
            found = errors(driver)
            assert not found, f"{path}: browser errors {found}"
            self.shot(driver, name, scheme)
        is_dark = driver.execute_script("return window.matchMedia('(prefers-color-scheme: dark)').matches")
        assert is_dark == (scheme == "dark"), f"prefers-color-scheme dark is {is_dark} in the {scheme} browser"
        driver.get(base + "/ui/executions/no-such-execution")
        heading = wait(driver, ec.presence_of_element_located((By.CSS_SELECTOR, "main h1")), "no heading")
        assert heading.text == "Execution not found", heading.text
        assert_no_errors(driver, allowed=("404",))
        self.shot(driver, "execution-not-found", scheme)

    def form_starts_a_run_with_every_input_type(self, driver, scheme):
        base = self.args.url
        driver.get(base + "/ui/flows/AllInputTypes")
        form = wait(driver, ec.presence_of_element_located((By.ID, "run-form")), "no run form")

        def control(name):
            return form.find_element(By.CSS_SELECTOR, f'[data-input="{name}"]')

        control("text").send_keys("from the browser <b>")
        control("count").send_keys("7")
        control("ratio").send_keys("0.25")
        Select(control("enabled")).select_by_value("true")
        control("tags").send_keys("[not json")
        control("options").send_keys('{"mode": "slow"}')
        control("anything").send_keys('{"nested": [1, {"deep": true}]}')
        form.find_element(By.CSS_SELECTOR, 'button[value="async"]').click()
        wait(driver, ec.text_to_be_present_in_element((By.ID, "input-4-error"), "Not valid JSON"), "no JSON error shown")
        assert "/ui/flows/AllInputTypes" in driver.current_url, "the form was sent with invalid JSON"
        control("tags").clear()
        control("tags").send_keys('["a", "b"]')
        form.find_element(By.CSS_SELECTOR, 'button[value="async"]').click()
        wait(driver, ec.url_contains("/ui/executions/"), "the run did not start")
        execution = driver.current_url.rsplit("/", 1)[-1]
        wait(driver, attribute_is((By.CSS_SELECTOR, "#run-status .status"), "data-status", "completed"), "run did not complete")
        record = api(base, f"/flows/AllInputTypes/executions/{execution}")
        inputs = record["inputs"]
        assert inputs["text"] == "from the browser <b>" and inputs["count"] == 7 and inputs["ratio"] == 0.25, inputs
        assert inputs["enabled"] is True and inputs["tags"] == ["a", "b"] and inputs["options"] == {"mode": "slow"}, inputs
        assert inputs["anything"] == {"nested": [1, {"deep": True}]}, inputs
        driver.get(base + "/ui/executions?flow=AllInputTypes")
        wait(driver, ec.presence_of_element_located((By.CSS_SELECTOR, f'tr[data-execution="{execution}"]')),
             "the run is not in the executions list")
        assert_no_errors(driver)

    def steps_turn_running_then_completed_live(self, driver, scheme):
        base = self.args.url
        driver.get(base + "/ui/flows/OrderFulfillment")
        form = wait(driver, ec.presence_of_element_located((By.ID, "run-form")), "no run form")
        form.find_element(By.CSS_SELECTOR, '[data-input="order_id"]').send_keys("LIVE-1")
        hold = form.find_element(By.CSS_SELECTOR, '[data-input="hold_ms"]')
        hold.clear()
        # fraud_check and reserve_stock run 0-3 s after the click, ship 3-6 s: the page has seconds to open on a
        # loaded machine and still sees a step start and then finish.
        hold.send_keys("3000")
        form.find_element(By.CSS_SELECTOR, 'button[value="async"]').click()
        wait(driver, ec.url_contains("/ui/executions/"), "the run did not start")
        driver.execute_script("window.flowlangSamePage = true")
        wait(driver, lambda d: attribute_is(node("fraud_check"), "data-status", "running")(d)
             or attribute_is(node("ship"), "data-status", "running")(d), "no slow step was seen running")
        self.shot(driver, "execution-running", scheme)
        if self.args.docs and scheme == "light":
            driver.save_screenshot(os.path.join(self.args.docs, "console-running.png"))
        wait(driver, attribute_is(node("fraud_check"), "data-status", "completed"), "fraud_check never completed")
        wait(driver, attribute_is(node("ship"), "data-status", "completed"), "ship never completed")
        wait(driver, attribute_is((By.CSS_SELECTOR, "#run-status .status"), "data-status", "completed"), "run never completed")
        assert driver.execute_script("return window.flowlangSamePage === true"), "the page was reloaded"
        assert driver.find_element(*node("charge_card")).get_attribute("data-status") == "not-run"
        charge_entry = driver.find_element(By.CSS_SELECTOR, 'details.step[data-step="charge_card"] .status')
        assert charge_entry.get_attribute("data-status") == "not-run", charge_entry.get_attribute("data-status")
        assert_no_errors(driver)
        self.shot(driver, "execution-completed", scheme)

    def timeline_bars_appear_and_grow_live(self, driver, scheme):
        base = self.args.url
        # fraud_check runs until the test cancels it, so its bar is still growing however late the page opens.
        held = start(base, {"order_id": "TIMELINE-HELD", "hold_ms": 600000})
        driver.get(f"{base}/ui/executions/{held}")
        # A running bar ends at "now" and spans most of the axis, so its pixel width saturates; its duration grows.
        fraud = (By.CSS_SELECTOR, '#timeline g.row[data-step-id="1.branch0.0"]')
        wait(driver, ec.presence_of_element_located(fraud), "no timeline row for fraud_check")
        first = int(driver.find_element(*fraud).get_attribute("data-duration-ms"))
        wait(driver, lambda d: int(d.find_element(*fraud).get_attribute("data-duration-ms")) > first + 500,
             "the running bar did not grow")
        assert int(driver.find_element(fraud[0], fraud[1] + " rect").get_attribute("width")) > 2, "the running bar is empty"
        api(base, f"/flows/OrderFulfillment/executions/{held}/cancel", {})
        wait(driver, attribute_is((By.CSS_SELECTOR, "#run-status .status"), "data-status", "cancelled"), "held run not cancelled")
        execution = start(base, {"order_id": "TIMELINE-1", "hold_ms": 1500})
        driver.get(f"{base}/ui/executions/{execution}")
        driver.execute_script("window.flowlangSamePage = true")
        for path in ("2[0].0", "2[1].0", "2[2].0", "4"):
            wait(driver, ec.presence_of_element_located((By.CSS_SELECTOR, f'#timeline g.row[data-step-id="{path}"]')),
                 f"no timeline row appeared for {path}")
        wait(driver, attribute_is((By.CSS_SELECTOR, "#run-status .status"), "data-status", "completed"), "run never completed")
        rows = driver.find_elements(By.CSS_SELECTOR, "#timeline g.row")
        ys = [int(row.find_element(By.CSS_SELECTOR, "rect").get_attribute("y")) for row in rows]
        assert len(set(ys)) == len(ys), f"rows overlap: {ys}"
        assert driver.execute_script("return window.flowlangSamePage === true"), "the page was reloaded"
        assert_no_errors(driver)
        self.shot(driver, "execution-timeline", scheme)

    def loops_expand_into_their_iterations(self, driver, scheme):
        base = self.args.url
        done = api(base, "/flows/OrderFulfillment/execute", {"inputs": {"order_id": "LOOP-1", "hold_ms": 10}})
        driver.get(f"{base}/ui/executions/{done['execution_id']}")
        loop = wait(driver, ec.presence_of_element_located((By.CSS_SELECTOR, 'details.loop[data-step-id="2"]')), "no loop entry")
        assert "3 iterations" in loop.text, loop.text
        assert not driver.find_element(By.CSS_SELECTOR, 'details.iteration[data-step-id="2[1]"]').is_displayed()
        loop.find_element(By.TAG_NAME, "summary").click()
        iteration = wait(driver, ec.visibility_of_element_located((By.CSS_SELECTOR, 'details.iteration[data-step-id="2[1]"]')),
                         "the iterations did not show")
        iteration.find_element(By.TAG_NAME, "summary").click()
        pack = wait(driver, ec.visibility_of_element_located((By.CSS_SELECTOR, 'details.step[data-step-id="2[1].0"]')),
                    "the iteration's step did not show")
        assert pack.find_element(By.CSS_SELECTOR, ".status").get_attribute("data-status") == "completed"
        assert driver.find_element(By.CSS_SELECTOR, '#diagram g.node[data-step-id="2"]').get_attribute("data-status") == "completed"
        assert_no_errors(driver)
        self.shot(driver, "execution-loop-expanded", scheme)

    def a_loop_fills_in_live(self, driver, scheme):
        base = self.args.url
        # Four iterations of 2 s each: the page opens while the loop runs and sees it grow.
        execution = start(base, {"order_id": "LOOP-LIVE", "hold_ms": 10, "pack_ms": 2000, "items": ["a", "b", "c", "d"]})
        driver.get(f"{base}/ui/executions/{execution}")
        driver.execute_script("window.flowlangSamePage = true")
        count = (By.CSS_SELECTOR, 'details.loop[data-step-id="2"] > summary > .count')
        first = wait(driver, ec.presence_of_element_located(count), "no loop entry").text
        assert first != "4 iterations", "the loop had ended before the page opened"
        wait(driver, ec.text_to_be_present_in_element(count, "4 iterations"), "the loop's count did not grow to 4")
        diagram_count = (By.CSS_SELECTOR, '#diagram g.node.loop[data-step-id="2"] text.count')
        wait(driver, ec.text_to_be_present_in_element(diagram_count, "×4"), "the diagram's count did not grow to 4")
        wait(driver, attribute_is((By.CSS_SELECTOR, "#run-status .status"), "data-status", "completed"), "run never completed")
        for index in range(4):
            for position, step in enumerate(("pack", "wrap")):
                found = driver.find_elements(By.CSS_SELECTOR, f'details.iteration[data-step-id="2[{index}]"] '
                                                              f'details.step[data-step="{step}"][data-step-id="2[{index}].{position}"]')
                assert found, f"{step} of iteration {index} is not inside its iteration"
        loose = driver.find_elements(By.CSS_SELECTOR, "#steps > li > details.step[data-pattern^='2[*]']")
        assert not loose, f"{len(loose)} loop steps outside the loop's entry"
        loop_status = driver.find_element(By.CSS_SELECTOR, 'details.loop[data-step-id="2"] > summary > .status')
        assert loop_status.get_attribute("data-status") == "completed", loop_status.get_attribute("data-status")
        counts = driver.find_element(By.CSS_SELECTOR, 'details.loop[data-step-id="2"] > p.counts').get_attribute("textContent")
        assert counts == "8 completed", counts
        assert driver.execute_script("return window.flowlangSamePage === true"), "the page was reloaded"
        assert_no_errors(driver)

    def cancel_ends_a_running_execution(self, driver, scheme):
        base = self.args.url
        execution = start(base, {"order_id": "CANCEL-1", "hold_ms": 60000})
        driver.get(f"{base}/ui/executions/{execution}")
        wait(driver, attribute_is(node("fraud_check"), "data-status", "running"), "fraud_check never ran")
        driver.find_element(By.ID, "cancel").click()
        wait(driver, attribute_is((By.CSS_SELECTOR, "#run-status .status"), "data-status", "cancelled"), "run not cancelled")
        assert api(base, f"/flows/OrderFulfillment/executions/{execution}")["status"] == "cancelled"
        assert not driver.find_elements(By.ID, "cancel"), "the cancel button stayed"
        assert_no_errors(driver)

    def failed_step_shows_error_and_attempts(self, driver, scheme):
        base = self.args.url
        failed = api(base, "/flows/OrderFulfillment/execute", {"inputs": {"order_id": "FAIL-7", "hold_ms": 300, "decline": True}})
        driver.get(f"{base}/ui/executions/{failed['execution_id']}")
        wait(driver, attribute_is(node("charge_card"), "data-status", "failed"), "charge_card is not failed")
        step = driver.find_element(By.CSS_SELECTOR, 'details.step[data-step="charge_card"]')
        assert step.get_attribute("open") is not None, "the failed step is not expanded"
        text = step.text
        assert "GatewayTimeout: Payment gateway timed out for order FAIL-7" in text, text
        assert "attempts: 3" in text and "Attempt 2 failed" in text, text
        assert_no_errors(driver)
        self.shot(driver, "execution-failed-step", scheme)
        if self.args.docs and scheme == "light":
            driver.save_screenshot(os.path.join(self.args.docs, "console-failed.png"))

    def new_runs_appear_in_the_list_live(self, driver, scheme):
        base = self.args.url
        driver.get(base + "/ui/executions")
        wait(driver, ec.presence_of_element_located((By.ID, "execution-list")), "no list")
        driver.execute_script("window.flowlangSamePage = true")
        execution = start(base, {"order_id": "NEW-1", "hold_ms": 10})
        wait(driver, ec.presence_of_element_located((By.CSS_SELECTOR, f'tr[data-execution="{execution}"]')),
             "the new run did not appear")
        assert driver.execute_script("return window.flowlangSamePage === true"), "the page was reloaded"
        assert_no_errors(driver)

    def key_prompt_when_keys_are_on(self, driver, scheme):
        base = self.args.keyed_url
        driver.get(base + "/ui/flows/OrderFulfillment")
        field = wait(driver, ec.presence_of_element_located((By.CSS_SELECTOR, "#key-form #key")), "no key prompt")
        self.shot(driver, "key-prompt", scheme)
        assert_no_errors(driver, allowed=("401",))
        field.send_keys(self.args.key)
        driver.find_element(By.CSS_SELECTOR, '#key-form button[type="submit"]').click()
        form = wait(driver, ec.presence_of_element_located((By.ID, "run-form")), "the key did not open the flow page")
        form.find_element(By.CSS_SELECTOR, '[data-input="order_id"]').send_keys("KEY-1")
        hold = form.find_element(By.CSS_SELECTOR, '[data-input="hold_ms"]')
        hold.clear()
        hold.send_keys("10")
        form.find_element(By.CSS_SELECTOR, 'button[value="async"]').click()
        wait(driver, ec.url_contains("/ui/executions/"), "the run did not start with the session's key")
        wait(driver, attribute_is((By.CSS_SELECTOR, "#run-status .status"), "data-status", "completed"),
             "the live page did not follow the run with the key")
        assert_no_errors(driver)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--keyed-url", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--screenshots", required=True)
    parser.add_argument("--docs")
    args = parser.parse_args()
    suite = Suite(args)
    for scheme in ("light", "dark"):
        driver = browser(scheme)
        try:
            suite.run("every page loads without a browser error", suite.pages_load_without_errors, driver, scheme)
            suite.run("a run starts from the form with every input type", suite.form_starts_a_run_with_every_input_type, driver, scheme)
            suite.run("steps turn running then completed without a reload", suite.steps_turn_running_then_completed_live, driver, scheme)
            suite.run("timeline bars appear and grow without a reload", suite.timeline_bars_appear_and_grow_live, driver, scheme)
            suite.run("a loop expands into its iterations", suite.loops_expand_into_their_iterations, driver, scheme)
            suite.run("a loop fills in live, grouped by iteration", suite.a_loop_fills_in_live, driver, scheme)
            suite.run("cancel ends a running execution", suite.cancel_ends_a_running_execution, driver, scheme)
            suite.run("a failed step shows its error and attempts", suite.failed_step_shows_error_and_attempts, driver, scheme)
            suite.run("new runs appear in the executions list without a reload", suite.new_runs_appear_in_the_list_live, driver, scheme)
        finally:
            driver.quit()
        keyed = browser(scheme)
        try:
            suite.run("the key prompt appears when API keys are on", suite.key_prompt_when_keys_are_on, keyed, scheme)
        finally:
            keyed.quit()
    print(f"console browser tests: {suite.passed} passed, {len(suite.failures)} failed")
    return 1 if suite.failures else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except TimeoutException as error:
        print(f"FAIL: {error}")
        sys.exit(1)
