#!/usr/bin/env python3
"""Browser tests of coupon-server's HTML pages: headless Chromium driven by Selenium, with
axe-core (from axe-selenium-python) on every page state at 375 px and 1280 px.

Usage: PYTHON web_flows.py CONFIG.json [OUT_DIR]

PYTHON is the virtual environment that tools/setup makes (`tools/browser/venv-path`
names it): Debian's python3-selenium plus axe-selenium-python. CONFIG is JSON:

  base_url        http://127.0.0.1:PORT of a running server (seeded: the demo merchant)
  base_url_2      optional: a second instance on the same database
  merchant_token  the demo merchant's token
  product_id      a product of that merchant (its coupon has no use limits)
  out_dir         where results.json and screens/<width>/NN-name.png go (OUT_DIR wins)
  files           absolute paths: clean_png (the product's coupon), tampered_png,
                  forged_png, jpeg_copy (a JPEG of clean_png), good_upload_png (a new
                  coupon of the merchant for product_id), refused_upload_png
  expect          texts the pages must show: product_name, price, discount_text,
                  coupon_serial, order_quantity, list_total, order_discount, total,
                  upload_title, upload_serial, upload_discount_text

Each flow is a function; each records pass or fail with its messages, and an exception
fails only its own flow (every wait gives up after 10 s, every page load after 20 s).
Every page state a flow reaches is checked at both widths: 1280x900 as a window, and
375x812 at pixel ratio 2, chromedriver's mobileEmulation metrics applied to the live page
through the same DevTools command (Emulation.setDeviceMetricsOverride), so that a state
reached by a POST is checked as it is rather than reached twice; the first flow checks
that a driver started with mobileEmulation lays a page out the same. At each width:
axe-core (serious and critical violations fail the flow), a full-page screenshot
(screens/<width>/NN-name.png). Once per state: the tokens that must not be in any later
page, same-origin resources, a CSRF field in every POST form, and (noted, not failed)
a page wider than 375 px. A page seen again unchanged (but for its per-render tokens) is
not checked twice.

Prints PASS/FAIL per flow, then a one-line summary last; writes results.json (flows with
their messages, axe violations per page state and width, the pages visited). Exit
status 0 only when every flow passed.
"""

import http.client
import json
import os
import re
import shutil
import sys
import time
import traceback
import uuid
import base64
from urllib.parse import urlencode, urlparse, urljoin, parse_qs

try:
    from selenium import webdriver
    from selenium.common.exceptions import (
        ElementNotInteractableException,
        NoSuchElementException,
        StaleElementReferenceException,
        TimeoutException,
        WebDriverException,
    )
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import Select, WebDriverWait
    from axe_selenium_python import Axe
except ImportError as missing:
    sys.exit("web_flows.py: %s. Run it with the Python of tools/setup's virtual environment: "
             '"$(sh tools/browser/venv-path)/bin/python3" tools/browser/web_flows.py CONFIG.json' % missing)

WAIT_SECONDS = 10
PAGE_LOAD_SECONDS = 20
HTTP_SECONDS = 20
DESKTOP = (1280, 900)
MOBILE = {"width": 375, "height": 812, "pixelRatio": 2}
WIDTHS = (1280, 375)
BLOCKING_IMPACTS = ("serious", "critical")
# axe-core itself: 4.4.3 from PyPI's axe-core-python (tools/setup installs it) when present,
# else the 3.1.1 that axe-selenium-python 2.1.6 bundles. With 3.1.1 its radiogroup and
# checkboxgroup rules are switched off: axe-core deprecated and then removed them (4.0); they
# flag a fieldset with a legend that holds the radios and one more field (the order form's
# coupon file), which WCAG allows. Every other rule of the version runs.
LEGACY_AXE_DISABLED_RULES = ("radiogroup", "checkboxgroup")
AXE_DISABLED_RULES = ()


def axe_script_path(driver):
    """axe-core 4 from axe-core-python if installed, else axe-selenium-python's own."""
    try:
        import axe_core_python
        path = os.path.join(os.path.dirname(axe_core_python.__file__), "axe.min.js")
        if os.path.exists(path):
            return path
    except ImportError:
        pass
    return Axe(driver).script_url
MEMBER_COOKIE = "couponmark_member"
SHOP_COOKIE = "couponmark_shop"
CSRF_COOKIE = "couponmark_csrf"


class FlowFailure(Exception):
    """A check a flow cannot go on without."""


# ---------------------------------------------------------------------------
# Plain HTTP (no browser): the security checks


class Answer:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # list of (name, value), names as sent
        self.body = body

    def header(self, name):
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def all(self, name):
        return [value for key, value in self.headers if key.lower() == name.lower()]

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def cookies(self):
        """name -> (value, the whole Set-Cookie line)."""
        found = {}
        for line in self.all("Set-Cookie"):
            pair = line.split(";", 1)[0]
            if "=" in pair:
                name, value = pair.split("=", 1)
                found[name.strip()] = (value.strip(), line)
        return found


def fetch(method, url, cookies=None, form=None, headers=None):
    """One request, redirects not followed; `form` is sent urlencoded."""
    parts = urlparse(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=HTTP_SECONDS)
    sent = dict(headers or {})
    if cookies:
        sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    body = None
    if form is not None:
        body = urlencode(form).encode()
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        return Answer(response.status, response.getheaders(), response.read())
    finally:
        connection.close()


def hidden_field(html, name, form_id=None):
    """The value of the hidden input `name` (inside form#form_id when given)."""
    if form_id:
        match = re.search(r'<form[^>]*\bid=["\']?%s\b.*?</form>' % re.escape(form_id), html, re.S | re.I)
        if not match:
            return None
        html = match.group(0)
    for tag in re.findall(r"<input\b[^>]*>", html, re.I):
        if re.search(r'\bname=["\']?%s["\'\s>/]' % re.escape(name), tag, re.I):
            value = re.search(r'\bvalue=["\']([^"\']*)["\']', tag, re.I)
            return value.group(1) if value else ""
    return None


# ---------------------------------------------------------------------------
# The run: one browser, the page states, the flows


class Flow:
    def __init__(self, name):
        self.name = name
        self.problems = []
        self.notes = []
        self.started = time.monotonic()

    def check(self, condition, message):
        if not condition:
            self.problems.append(message)
        return bool(condition)

    def require(self, condition, message):
        if not condition:
            raise FlowFailure(message)

    def note(self, message):
        self.notes.append(message)


class Run:
    def __init__(self, config, out_dir):
        self.config = config
        self.base = config["base_url"].rstrip("/")
        self.base2 = (config.get("base_url_2") or "").rstrip("/") or None
        self.files = config.get("files", {})
        self.expect = config.get("expect", {})
        self.product_id = config["product_id"]
        self.merchant_token = config["merchant_token"]
        # False: no screenshots, axe or width checks (a second run on another store, whose
        # pages are the same HTML); the flows and the per-page token, resource and form
        # checks still run.
        self.audit_pages = config.get("audit_pages", True)
        self.out_dir = out_dir
        self.flows = []
        self.flow = None
        self.axe_results = []
        self.pages = []
        self.leaks = []
        self.foreign = []
        self.form_problems = []
        self.overflows = []
        self.timing = {"screenshots": 0.0, "axe": 0.0}
        self.seen_states = {}
        self.state_count = 0
        self.member_token = None
        self.member_id = None
        self.member_email = None
        self.driver = None
        self.axe_script = None
        self.axe_version = None
        for width in WIDTHS:
            os.makedirs(os.path.join(out_dir, "screens", str(width)), exist_ok=True)

    # -- the browser

    @staticmethod
    def options(mobile=False):
        options = webdriver.ChromeOptions()
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--hide-scrollbars",
                         "--disable-extensions", "--disable-background-networking", "--lang=en-US"):
            options.add_argument(argument)
        if mobile:
            options.add_experimental_option("mobileEmulation", {"deviceMetrics": dict(MOBILE)})
        else:
            options.add_argument("--window-size=%d,%d" % DESKTOP)
        # Debian's /usr/bin/chromium is a shell wrapper that adds flags of its own.
        for binary in ("/usr/lib/chromium/chromium", "/usr/bin/chromium"):
            if os.path.exists(binary):
                options.binary_location = binary
                break
        return options

    @staticmethod
    def start_driver(mobile=False):
        driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
        driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=Run.options(mobile))
        driver.set_page_load_timeout(PAGE_LOAD_SECONDS)
        driver.set_script_timeout(WAIT_SECONDS * 3)
        driver.implicitly_wait(0)
        return driver

    def url(self, path, base=None):
        return (base or self.base) + path

    def get(self, path, name, base=None):
        self.driver.get(self.url(path, base))
        self.settle()
        return self.capture(name)

    def settle(self):
        WebDriverWait(self.driver, WAIT_SECONDS).until(
            lambda d: d.execute_script("return document.readyState") == "complete")

    def path(self):
        return urlparse(self.driver.current_url).path

    def query(self):
        return parse_qs(urlparse(self.driver.current_url).query)

    def find(self, css, context=None):
        return (context or self.driver).find_element(By.CSS_SELECTOR, css)

    def finds(self, css, context=None):
        return (context or self.driver).find_elements(By.CSS_SELECTOR, css)

    def has(self, css):
        return len(self.finds(css)) > 0

    def text(self, css, context=None):
        try:
            return self.find(css, context).text.strip()
        except NoSuchElementException:
            return None

    def wait_for(self, css, what=None):
        try:
            return WebDriverWait(self.driver, WAIT_SECONDS).until(
                EC.presence_of_element_located((By.CSS_SELECTOR, css)))
        except TimeoutException:
            raise FlowFailure("no %s on %s (waited %d s)" % (what or css, self.path(), WAIT_SECONDS))

    def form(self, form_css):
        try:
            return self.find(form_css)
        except NoSuchElementException:
            raise FlowFailure("no %s on %s" % (form_css, self.path()))

    def fill(self, form, name, value):
        """Sets the field `name` of `form`: text, number, select, radio (by value) or file."""
        fields = self.finds('[name="%s"]' % name, form)
        if not fields:
            raise FlowFailure("form has no field %r on %s" % (name, self.path()))
        field = fields[0]
        tag = field.tag_name.lower()
        kind = (field.get_attribute("type") or "").lower()
        if kind == "radio":
            matching = [f for f in fields if f.get_attribute("value") == value]
            if not matching:
                raise FlowFailure("radio %s has no value %r on %s" % (name, value, self.path()))
            self.click(matching[0])
        elif tag == "select":
            select = Select(field)
            try:
                select.select_by_value(value)
            except NoSuchElementException:
                select.select_by_visible_text(value)
        elif kind == "file":
            field.send_keys(value)
        else:
            try:
                field.clear()
                field.send_keys(value)
            except ElementNotInteractableException:
                self.driver.execute_script("arguments[0].value = arguments[1]", field, value)
                self.flow.note("field %s was not interactable; its value was set by script" % name)

    def click(self, element):
        try:
            element.click()
        except (ElementNotInteractableException, WebDriverException):
            self.driver.execute_script("arguments[0].click()", element)

    def submit(self, form, name, server_validation=False):
        """Submits `form` with its submit button, waits for the next page and captures it.
        `server_validation`: the browser's own checks (required, pattern) are switched off
        so that the server's error messages are what is tested."""
        if server_validation:
            self.driver.execute_script("arguments[0].setAttribute('novalidate', '')", form)
        old = self.find("html")
        buttons = self.finds('button[type="submit"], input[type="submit"], button:not([type])', form)
        if buttons:
            self.click(buttons[0])
        else:
            form.submit()
        try:
            WebDriverWait(self.driver, WAIT_SECONDS).until(lambda d: self.detached(old))
        except TimeoutException:
            raise FlowFailure("submitting the form on %s loaded no new page within %d s" % (self.path(), WAIT_SECONDS))
        self.settle()
        return self.capture(name)

    @staticmethod
    def detached(element):
        """Whether `element` belongs to a page that is gone (Chromium says so either as a
        stale element or, for a node of a discarded document, as an inspector error)."""
        try:
            element.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error) or "No node with given id" in str(error):
                return True
            raise

    # -- every page state

    def capture(self, name):
        """Checks the current page state at both widths; returns its HTML."""
        html = self.driver.page_source
        url = self.driver.current_url
        # The same page again, unchanged but for its per-render tokens, was checked already.
        key = (url, re.sub(r'(name="(?:csrf_token|idempotency_key)"[^>]*value=")[^"]*', r"\1", html))
        if key in self.seen_states:
            self.pages.append({"state": self.seen_states[key], "flow": self.flow.name, "url": url, "again": name})
            self.check_tokens(self.seen_states[key], html)
            return html
        self.state_count += 1
        label = "%02d-%s" % (self.state_count, re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"))
        self.seen_states[key] = label
        self.pages.append({"state": label, "flow": self.flow.name, "url": url, "title": self.driver.title})
        self.check_tokens(label, html)
        self.check_resources(label, url)
        self.check_forms(label)
        for width in (WIDTHS if self.audit_pages else ()):
            if width == 375:
                self.emulate_mobile(True)
            try:
                if width == 375:
                    self.check_overflow(label)
                started = time.monotonic()
                self.screenshot(os.path.join(self.out_dir, "screens", str(width), label + ".png"))
                self.timing["screenshots"] += time.monotonic() - started
                started = time.monotonic()
                self.run_axe(label, width, url)
                self.timing["axe"] += time.monotonic() - started
            finally:
                if width == 375:
                    self.emulate_mobile(False)
        return html

    def emulate_mobile(self, on):
        if on:
            self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": MOBILE["width"], "height": MOBILE["height"], "deviceScaleFactor": MOBILE["pixelRatio"],
                "mobile": True})
            self.driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 1})
        else:
            self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
            self.driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": False})
        # Two animation frames: the new layout is done.
        self.driver.execute_async_script(
            "var done = arguments[arguments.length - 1];"
            "requestAnimationFrame(function () { requestAnimationFrame(function () { done(true); }); });")

    def screenshot(self, path):
        """The whole page (up to 10000 CSS px tall), at the emulated pixel ratio."""
        try:
            metrics = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
            size = metrics.get("cssContentSize") or metrics.get("contentSize")
            viewport = metrics.get("cssLayoutViewport") or metrics.get("layoutViewport")
            width = max(size["width"], viewport["clientWidth"])
            height = min(max(size["height"], viewport["clientHeight"]), 10000)
            shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
            with open(path, "wb") as handle:
                handle.write(base64.b64decode(shot["data"]))
        except WebDriverException:
            self.driver.save_screenshot(path)

    def axe(self):
        """axe-core's violations on the current page (injected once per document)."""
        global AXE_DISABLED_RULES
        if self.axe_script is None:
            with open(axe_script_path(self.driver), encoding="utf8") as handle:
                self.axe_script = handle.read()
        if not self.driver.execute_script("return typeof window.axe === 'object'"):
            self.driver.execute_script(self.axe_script)
        if self.axe_version is None:
            self.axe_version = self.driver.execute_script("return window.axe.version")
            AXE_DISABLED_RULES = LEGACY_AXE_DISABLED_RULES if self.axe_version.startswith("3.") else ()
        return self.driver.execute_async_script(
            "var done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations'], rules: %s})"
            ".then(function (r) { done(r); }, function (e) { done({error: String(e)}); });"
            % json.dumps({rule: {"enabled": False} for rule in AXE_DISABLED_RULES}))

    def run_axe(self, label, width, url):
        response = self.axe()
        if not isinstance(response, dict) or "error" in response:
            self.flow.problems.append("axe did not run on %s at %d px: %s" % (label, width, response))
            return
        violations = [
            {"id": v["id"], "impact": v.get("impact"), "nodes": len(v.get("nodes", [])),
             "help": v.get("help"), "targets": [" ".join(n.get("target", [])) for n in v.get("nodes", [])][:5]}
            for v in response.get("violations", [])]
        self.axe_results.append({"page": label, "width": width, "url": url, "flow": self.flow.name,
                                 "violations": violations})
        for v in violations:
            if v["impact"] in BLOCKING_IMPACTS:
                self.flow.problems.append("axe %s (%s, %d nodes: %s) on %s at %d px" % (
                    v["id"], v["impact"], v["nodes"], "; ".join(v["targets"][:3]), label, width))

    def check_overflow(self, label):
        """A page wider than the 375 px screen scrolls sideways: noted (not failed), with the
        outermost elements that stick out."""
        found = self.driver.execute_script("""
            var width = document.documentElement.clientWidth, out = [];
            document.querySelectorAll('body *').forEach(function (e) {
              var box = e.getBoundingClientRect();
              if (box.right > width + 1 && !(e.parentElement && e.parentElement.getBoundingClientRect().right > width + 1))
                out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' ' + Math.round(box.width) + ' px');
            });
            return [width, document.documentElement.scrollWidth, out.slice(0, 4)];""")
        width, scroll_width, elements = found
        if scroll_width > width + 1:
            self.overflows.append("%s is %d px wide at %d px (%s)" % (label, scroll_width, width, ", ".join(elements)))

    def check_tokens(self, label, html):
        if self.merchant_token and self.merchant_token in html:
            self.leaks.append("the merchant token is in the HTML of %s" % label)
        if self.member_token and self.member_token in html:
            self.leaks.append("the member token is in the HTML of %s (after the join page)" % label)

    def check_resources(self, label, page_url):
        origin = urlparse(page_url)
        found = self.driver.execute_script("""
            var out = [];
            document.querySelectorAll('link[href], script[src], img[src], form[action], source[src], iframe[src]')
              .forEach(function (e) {
                var a = e.hasAttribute('src') ? 'src' : (e.hasAttribute('href') ? 'href' : 'action');
                out.push([e.tagName.toLowerCase(), e.getAttribute(a)]);
              });
            return out;""")
        for tag, value in found:
            value = (value or "").strip()
            lowered = value.lower()
            if lowered.startswith("//") or lowered.startswith("http://") or lowered.startswith("https://"):
                target = urlparse(urljoin(page_url, value))
                if (target.hostname, target.port) != (origin.hostname, origin.port):
                    self.foreign.append("%s on %s loads %s" % (tag, label, value))

    def check_forms(self, label):
        forms = self.driver.execute_script("""
            return Array.from(document.querySelectorAll('form')).map(function (f) {
              var token = f.querySelector('input[name="csrf_token"]');
              return {id: f.id, cls: f.className, method: (f.getAttribute('method') || 'get').toLowerCase(),
                      token: token ? token.type + ':' + (token.value ? 'set' : 'empty') : 'none',
                      file: !!f.querySelector('input[type="file"]'),
                      enctype: (f.getAttribute('enctype') || '').toLowerCase()};
            });""")
        for form in forms:
            name = "form%s" % ("#" + form["id"] if form["id"] else "." + form["cls"])
            if form["method"] == "post" and form["token"] != "hidden:set":
                self.form_problems.append("%s on %s: csrf_token is %s" % (name, label, form["token"]))
            if form["file"] and form["enctype"] != "multipart/form-data":
                self.form_problems.append("%s on %s has a file field but enctype %r" % (name, label, form["enctype"]))

    # -- running the flows

    def run_flow(self, function):
        name = function.__name__.replace("flow_", "")
        self.flow = Flow(name)
        error = None
        try:
            function(self, self.flow)
        except FlowFailure as failure:
            error = str(failure)
        except Exception as exception:  # noqa: BLE001 - a flow's exception fails that flow only
            error = "%s: %s" % (type(exception).__name__, str(exception).strip().splitlines()[0] if str(exception).strip() else "")
            self.flow.notes.append(traceback.format_exc(limit=4))
        problems = list(self.flow.problems) + ([error] if error else [])
        passed = not problems
        self.flows.append({
            "name": name, "passed": passed,
            "message": "ok" if passed else "; ".join(problems),
            "problems": problems, "notes": self.flow.notes,
            "seconds": round(time.monotonic() - self.flow.started, 2)})
        status = "PASS" if passed else "FAIL"
        print("%s %s (%.1f s)%s" % (status, name, time.monotonic() - self.flow.started,
                                    "" if passed else ": " + "; ".join(problems)), flush=True)

    def member_cookie(self):
        cookie = self.driver.get_cookie(MEMBER_COOKIE)
        return cookie["value"] if cookie else None

    def shop_cookie(self):
        # The shop's cookie has path /merchant: read it from a page under that path.
        for cookie in self.driver.get_cookies():
            if cookie["name"] == SHOP_COOKIE:
                return cookie
        return None


# ---------------------------------------------------------------------------
# The flows, in the order they run (later ones use what earlier ones made)


def flow_mobile_emulation_matches(run, flow):
    """The 375 px states are checked with chromedriver's mobileEmulation metrics applied
    through DevTools; a driver started with mobileEmulation itself must lay the catalogue
    out the same way."""
    run.driver.get(run.url("/"))
    run.settle()
    probe = ("return {w: window.innerWidth, cw: document.documentElement.clientWidth, dpr: window.devicePixelRatio,"
             " coarse: matchMedia('(pointer: coarse)').matches, sw: document.documentElement.scrollWidth,"
             " h: document.documentElement.scrollHeight}")
    run.emulate_mobile(True)
    try:
        ours = run.driver.execute_script(probe)
    finally:
        run.emulate_mobile(False)
    desktop = run.driver.execute_script(probe)
    mobile = Run.start_driver(mobile=True)
    try:
        mobile.get(run.url("/"))
        WebDriverWait(mobile, WAIT_SECONDS).until(lambda d: d.execute_script("return document.readyState") == "complete")
        theirs = mobile.execute_script(probe)
    finally:
        mobile.quit()
    flow.note("mobileEmulation driver: %s; DevTools override: %s; desktop window: %s" % (theirs, ours, desktop))
    flow.check(desktop["w"] == DESKTOP[0], "the desktop window is %s px wide, not %d" % (desktop["w"], DESKTOP[0]))
    for key in ("w", "cw", "dpr", "sw", "h"):
        flow.check(ours[key] == theirs[key], "375 px emulation differs from mobileEmulation in %s: %s vs %s" % (
            key, ours[key], theirs[key]))
    flow.check(theirs["w"] == MOBILE["width"],
               "the catalogue at 375 px lays out %s px wide (no <meta name=viewport>?)" % theirs["w"])


def flow_axe_finds_violations(run, flow):
    """axe-core runs here and reports what it should: a page with an image without alt
    text, an unlabelled field and no lang is not clean."""
    run.driver.get("data:text/html,<!doctype html><title>x</title><main><h1>x</h1>"
                   "<img src='data:image/gif;base64,R0lGODlhAQABAAAAACw='><input type='text'></main>")
    response = run.axe()
    found = {v["id"] for v in response.get("violations", [])} if isinstance(response, dict) else set()
    flow.note("axe-core %s on a broken page: %s" % (run.axe_version, sorted(found)))
    for rule in ("image-alt", "label", "html-has-lang"):
        flow.check(rule in found, "axe-core did not report %s on a page made to break it (%s)" % (rule, response))


def flow_catalogue(run, flow):
    html = run.get("/", "catalogue")
    flow.check(run.has("nav#site-nav"), "no nav#site-nav on /")
    products = run.finds(".product")
    flow.require(products, "no .product on /")
    ours = None
    for product in products:
        name = run.text(".product-name", product)
        price = run.text(".price", product)
        links = run.finds("a.product-link", product)
        flow.check(name, "a .product without .product-name")
        flow.check(price and re.search(r"\d+\.\d\d [A-Z]{3}", price), "price %r is not like '18.99 EUR'" % price)
        flow.check(links, "product %r has no a.product-link" % name)
        if links:
            href = urlparse(urljoin(run.driver.current_url, links[0].get_attribute("href"))).path
            flow.check(re.fullmatch(r"/products/[^/]+", href), "a.product-link goes to %r" % href)
            if href == "/products/" + run.product_id:
                ours = (name, price)
    flow.require(ours, "the catalogue has no link to /products/%s" % run.product_id)
    flow.check(ours[0] == run.expect.get("product_name", ours[0]), "product name %r, expected %r" % (
        ours[0], run.expect.get("product_name")))
    flow.check(run.expect.get("price", "") in ours[1], "price %r, expected %r" % (ours[1], run.expect.get("price")))


def flow_non_member_redirects(run, flow):
    """Signed out: /reveal and /account lead to /join?next=..., and so does an order."""
    for path in ("/reveal", "/account"):
        run.get(path, "signed-out " + path.strip("/"))
        flow.check(run.path() == "/join", "GET %s signed out ended at %s, not /join" % (path, run.driver.current_url))
        flow.check(run.query().get("next") == [path], "GET %s signed out: next=%s, expected %s" % (
            path, run.query().get("next"), path))
    run.get("/products/" + run.product_id, "product signed out")
    form = run.form("form#order")
    run.fill(form, "quantity", "1")
    run.fill(form, "coupon_choice", "none")
    run.submit(form, "order signed out")
    flow.check(run.path() == "/join", "an order signed out ended at %s, not /join" % run.driver.current_url)
    next_page = (run.query().get("next") or [""])[0]
    flow.check(next_page.startswith("/products/" + run.product_id),
               "the join page's next is %r, not the product page" % next_page)
    flow.check(run.member_cookie() is None, "a member cookie was set without joining")


def flow_join_errors(run, flow):
    run.get("/join", "join")
    form = run.form("form#join")
    run.fill(form, "kind", "corporate")
    run.fill(form, "name", "Ada Corporate")
    run.fill(form, "email", "corp-%s@example.org" % uuid.uuid4().hex[:8])
    registration = run.finds('[name="company_registration_number"]', form)
    if registration:
        run.fill(form, "company_registration_number", "HRB 12345")
    run.submit(form, "join corporate without company name", server_validation=True)
    flow.check(run.has("#error-company_name") and run.text("#error-company_name"),
               "no #error-company_name (or it is empty) after a corporate join without company name; at %s" % run.path())
    flow.check(run.has("form#join"), "the join form is not shown again with the error")
    flow.check(run.member_cookie() is None, "a refused join signed someone in")
    # A malformed email is refused beside its field too.
    form = run.form("form#join")
    run.fill(form, "kind", "individual")
    run.fill(form, "name", "Ada")
    run.fill(form, "email", "not-an-email")
    run.submit(form, "join with a bad email", server_validation=True)
    flow.check(run.has("#error-email") and run.text("#error-email"), "no #error-email for the email 'not-an-email'")


def flow_join_individual(run, flow):
    run.get("/join", "join again")
    form = run.form("form#join")
    run.member_email = "browser-%s@example.org" % uuid.uuid4().hex[:10]
    run.fill(form, "kind", "individual")
    run.fill(form, "name", "Browser Tester")
    run.fill(form, "email", run.member_email)
    run.submit(form, "joined")
    member_id = run.text("#member-id")
    token = run.text("#member-token")
    flow.require(member_id and member_id.startswith("mem_"), "no #member-id like mem_... after joining (got %r) at %s" % (
        member_id, run.path()))
    flow.require(token and len(token) >= 16, "no #member-token after joining (got %r)" % token)
    run.member_id, run.member_token = member_id, token
    cookie = run.driver.get_cookie(MEMBER_COOKIE)
    flow.require(cookie, "joining set no %s cookie" % MEMBER_COOKIE)
    flow.check(cookie.get("httpOnly") is True, "%s is not HttpOnly" % MEMBER_COOKIE)
    flow.check(cookie.get("sameSite") == "Lax", "%s SameSite is %r, not Lax" % (MEMBER_COOKIE, cookie.get("sameSite")))
    flow.check(cookie.get("path") == "/", "%s path is %r, not /" % (MEMBER_COOKIE, cookie.get("path")))
    flow.check(token not in cookie["value"], "the session cookie carries the member token")
    run.get("/account", "account after joining")
    flow.check(run.path() == "/account", "a new member is not signed in: /account went to %s" % run.driver.current_url)
    flow.check(run.text("#member-id") == member_id, "/account shows %r, not %r" % (run.text("#member-id"), member_id))


def flow_signout_and_signin(run, flow):
    flow.require(run.member_token, "no member token (the join flow failed)")
    run.get("/account", "account before signing out")
    old_cookie = run.member_cookie()
    flow.require(old_cookie, "no member cookie to sign out")
    run.submit(run.form("form#signout"), "signed out")
    run.get("/account", "account after signing out")
    flow.check(run.path() == "/join", "after signing out /account went to %s, not /join" % run.driver.current_url)
    # The old cookie's value is dead on the server, not only forgotten by the browser.
    run.driver.add_cookie({"name": MEMBER_COOKIE, "value": old_cookie, "path": "/"})
    run.get("/account", "account with the old cookie")
    flow.check(run.path() == "/join", "the signed-out cookie still opens /account")
    run.driver.delete_cookie(MEMBER_COOKIE)
    run.get("/signin", "sign in")
    form = run.form("form#signin")
    run.fill(form, "token", "cm_not_a_real_token_" + uuid.uuid4().hex)
    run.submit(form, "sign in with a bad token", server_validation=True)
    flow.check(run.has("#error-token") and run.text("#error-token"), "no #error-token after a bad token")
    flow.check(run.member_cookie() is None, "a bad token signed in")
    form = run.form("form#signin")
    run.fill(form, "token", run.member_token)
    run.submit(form, "signed in")
    flow.check(run.path() == "/account", "signing in ended at %s, not /account" % run.driver.current_url)
    flow.check(run.text("#member-id") == run.member_id, "signed in as %r, not %r" % (run.text("#member-id"), run.member_id))
    flow.check(run.member_cookie() not in (None, old_cookie), "signing in did not set a new session cookie")


def flow_product_page(run, flow):
    run.get("/products/" + run.product_id, "product page")
    flow.check(run.text("h1") == run.expect.get("product_name", run.text("h1")), "h1 is %r, not %r" % (
        run.text("h1"), run.expect.get("product_name")))
    flow.check(run.expect.get("price", "") in (run.text("#price") or ""), "#price is %r, not %r" % (
        run.text("#price"), run.expect.get("price")))
    image = run.find("img#coupon")
    src = urlparse(urljoin(run.driver.current_url, image.get_attribute("src") or "")).path
    flow.check(src == "/products/%s/coupon.png" % run.product_id, "img#coupon src is %r" % src)
    flow.check(run.driver.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", image),
               "img#coupon did not load")
    flow.check(image.get_attribute("alt"), "img#coupon has no alt text")
    link = run.find("a#download-coupon")
    href = urljoin(run.driver.current_url, link.get_attribute("href") or "")
    flow.check(urlparse(href).netloc == urlparse(run.base).netloc, "a#download-coupon goes to another host: %s" % href)
    answer = fetch("GET", href, cookies={MEMBER_COOKIE: run.member_cookie()} if run.member_cookie() else None)
    flow.check(answer.status == 200, "a#download-coupon (%s) answered %d" % (href, answer.status))
    flow.check(answer.body.startswith(b"\x89PNG\r\n\x1a\n"), "a#download-coupon is not a PNG")
    disposition = answer.header("Content-Disposition") or ""
    flow.note("download %s: %s, %d bytes, Content-Disposition %r" % (href, answer.header("Content-Type"),
                                                                      len(answer.body), disposition))
    clean = run.files.get("clean_png")
    if clean and os.path.exists(clean):
        with open(clean, "rb") as handle:
            flow.check(answer.body == handle.read(),
                       "the downloaded coupon is not byte for byte the product's coupon (a re-encoded PNG loses its watermark)")


def reveal(run, flow, key, name):
    run.get("/reveal", "reveal form" if key == "clean_png" else "reveal form again")
    flow.require(run.path() == "/reveal", "/reveal went to %s (signed in?)" % run.driver.current_url)
    form = run.form("form#reveal")
    run.fill(form, "coupon", run.files[key])
    run.submit(form, name)


def flow_reveal_clean(run, flow):
    reveal(run, flow, "clean_png", "revealed clean coupon")
    flow.require(not run.has("#reveal-refused"), "the clean coupon was refused: %s" % run.text("#reason-code"))
    discount = run.text("#discount") or ""
    flow.check(run.expect["discount_text"] in discount, "#discount is %r, not %r" % (discount, run.expect["discount_text"]))
    flow.check(run.text("#terms"), "no #terms")
    image = run.finds("img#revealed")
    flow.check(image and (image[0].get_attribute("src") or "").startswith("data:image/png"), "no img#revealed data: PNG")
    if image:
        flow.check(run.driver.execute_script("return arguments[0].naturalWidth > 0", image[0]), "img#revealed did not load")
    flow.check("fragile" in (run.text("#coupon-layer") or "").lower(), "#coupon-layer is %r, not fragile" % run.text("#coupon-layer"))
    flow.check("tampered" not in (run.text("#tampered") or "").lower(), "the clean coupon is reported tampered")


def flow_reveal_tampered(run, flow):
    reveal(run, flow, "tampered_png", "revealed tampered coupon")
    flow.require(not run.has("#reveal-refused") or run.has("#tampered"),
                 "the tampered coupon was refused instead of revealed: %s" % run.text("#reason-code"))
    flow.check("tampered" in (run.text("#tampered") or "").lower(), "#tampered is %r" % run.text("#tampered"))
    flow.check(run.expect["discount_text"] in (run.text("#discount") or ""), "#discount is %r" % run.text("#discount"))


def flow_reveal_forged(run, flow):
    reveal(run, flow, "forged_png", "forged coupon refused")
    flow.check(run.has("#reveal-refused"), "no #reveal-refused for a forged coupon")
    code = run.text("#reason-code")
    flow.check(code, "#reason-code is empty")
    flow.note("reason code for the forged coupon: %r" % code)
    flow.check(not run.has("#discount") and not run.has("img#revealed"), "the forged coupon's discount is shown")


def flow_reveal_jpeg_copy(run, flow):
    reveal(run, flow, "jpeg_copy", "revealed JPEG copy")
    flow.require(not run.has("#reveal-refused"), "the JPEG copy was refused: %s" % run.text("#reason-code"))
    flow.check("robust" in (run.text("#coupon-layer") or "").lower(), "#coupon-layer is %r, not robust" % run.text("#coupon-layer"))
    flow.check(run.expect["discount_text"] in (run.text("#discount") or ""), "#discount is %r" % run.text("#discount"))


def order(run, flow, choice, key, name):
    run.get("/products/" + run.product_id, "product page before " + name)
    form = run.form("form#order")
    key_field = run.finds('input[name="idempotency_key"]', form)
    flow.check(key_field and key_field[0].get_attribute("type") == "hidden" and key_field[0].get_attribute("value"),
               "form#order has no hidden idempotency_key with a value")
    run.fill(form, "quantity", str(run.expect.get("order_quantity", 1)))
    run.fill(form, "coupon_choice", choice)
    if key:
        run.fill(form, "coupon", run.files[key])
    run.submit(form, name)


def check_totals(run, flow):
    for css, key in (("#list-total", "list_total"), ("#discount", "order_discount"), ("#total", "total")):
        if key in run.expect:
            value = run.text(css) or ""
            flow.check(run.expect[key] in value, "%s is %r, expected %r" % (css, value, run.expect[key]))
    serial = run.text("#coupon-serial") or ""
    flow.check(run.expect.get("coupon_serial", serial) in serial, "#coupon-serial is %r, expected %r" % (
        serial, run.expect.get("coupon_serial")))


def flow_order_with_product_coupon(run, flow):
    order(run, flow, "product", None, "ordered with the product's coupon")
    flow.require(run.has("#order-result"), "no #order-result (refused: %s) at %s" % (run.text("#reason-code"), run.path()))
    check_totals(run, flow)
    flow.check("fragile" in (run.text("#coupon-layer") or "").lower(), "#coupon-layer is %r" % run.text("#coupon-layer"))


def flow_order_with_jpeg_copy(run, flow):
    order(run, flow, "upload", "jpeg_copy", "ordered with a JPEG copy")
    flow.require(run.has("#order-result"), "no #order-result (refused: %s) at %s" % (run.text("#reason-code"), run.path()))
    check_totals(run, flow)
    flow.check("robust" in (run.text("#coupon-layer") or "").lower(), "#coupon-layer is %r, not robust" % run.text("#coupon-layer"))


def flow_order_with_tampered_coupon(run, flow):
    order(run, flow, "upload", "tampered_png", "order with a tampered coupon refused")
    flow.check(run.has("#order-refused"), "no #order-refused for a tampered coupon")
    flow.check(not run.has("#order-result"), "a tampered coupon was accepted")
    flow.check(run.text("#reason-code") == "coupon_tampered", "#reason-code is %r, not coupon_tampered" % run.text("#reason-code"))


def flow_account_history(run, flow):
    run.get("/account", "account with orders")
    flow.check(run.text("#member-id") == run.member_id, "#member-id is %r" % run.text("#member-id"))
    orders = run.finds("#orders tbody tr")
    flow.check(len(orders) >= 2, "#orders has %d rows, expected the 2 orders" % len(orders))
    serial = run.expect.get("coupon_serial", "")
    flow.check(any(serial in row.text for row in orders), "no order row names the coupon %s" % serial)
    rejections = run.finds("#rejections tbody tr")
    flow.check(len(rejections) >= 1, "#rejections has no row")
    flow.check(any("coupon_tampered" in row.text for row in rejections), "no rejection row says coupon_tampered")
    if run.has("a#next-page"):
        run.click(run.find("a#next-page"))
        run.settle()
        run.capture("account next page")


def flow_shop_login(run, flow):
    run.get("/merchant", "merchant signed out")
    flow.check(run.path() == "/merchant/login", "/merchant signed out went to %s" % run.driver.current_url)
    if run.path() != "/merchant/login":
        run.get("/merchant/login", "merchant login")
    form = run.form("form#merchant-login")
    run.fill(form, "token", "cm_wrong_" + uuid.uuid4().hex)
    run.submit(form, "merchant login bad token", server_validation=True)
    flow.check(run.has("#error-token") and run.text("#error-token"), "no #error-token after a bad shop token")
    form = run.form("form#merchant-login")
    run.fill(form, "token", run.merchant_token)
    run.submit(form, "merchant signed in")
    flow.check(run.path() == "/merchant", "the shop login ended at %s" % run.driver.current_url)
    flow.check(run.has("#products"), "no #products on /merchant")
    cookie = run.shop_cookie()
    flow.require(cookie, "no %s cookie after the shop login" % SHOP_COOKIE)
    flow.check(cookie.get("path") == "/merchant", "%s path is %r, not /merchant" % (SHOP_COOKIE, cookie.get("path")))
    flow.check(cookie.get("httpOnly") is True, "%s is not HttpOnly" % SHOP_COOKIE)
    flow.check(cookie.get("sameSite") in ("Lax", "Strict"), "%s SameSite is %r" % (SHOP_COOKIE, cookie.get("sameSite")))


def flow_add_product(run, flow):
    run.get("/merchant", "merchant dashboard")
    form = run.form("form#add-product")
    sku = "WEB-" + uuid.uuid4().hex[:6].upper()
    name = "Browser test kettle " + sku[-4:]
    for field, value in (("sku", sku + "X"), ("name", "Bad price thing"), ("description", "A thing."),
                         ("price", "abc"), ("currency", "EUR")):
        run.fill(form, field, value)
    run.submit(form, "add product with a bad price", server_validation=True)
    flow.check(run.has("#error-price") and run.text("#error-price"), "no #error-price for the price 'abc'")
    form = run.form("form#add-product")
    for field, value in (("sku", sku), ("name", name), ("description", "Gooseneck, 1 l."), ("price", "9.99"),
                         ("currency", "EUR")):
        run.fill(form, field, value)
    run.submit(form, "product added")
    if not run.has("#products"):
        run.get("/merchant", "merchant after adding a product")
    rows = [row for row in run.finds("#products tr") if name in row.text]
    flow.check(rows, "the new product %r is not in #products" % name)
    flow.check(rows and "9.99" in rows[0].text, "the new product's row does not show 9.99")
    flow.check(not any("Bad price thing" in row.text for row in run.finds("#products tr")), "the bad product was added")


def upload(run, flow, key, name):
    run.get("/merchant", "merchant before " + name)
    form = run.form("form#upload-coupon")
    run.fill(form, "product_id", run.product_id)
    run.fill(form, "title", run.expect.get("upload_title", "Browser test deal"))
    run.fill(form, "coupon", run.files[key])
    run.submit(form, name)
    flow.require(run.has("#upload-verdict"), "no #upload-verdict at %s" % run.path())


def flow_upload_good_coupon(run, flow):
    upload(run, flow, "good_upload_png", "coupon upload accepted")
    verdict = run.text("#upload-verdict") or ""
    flow.check("accepted" in verdict.lower(), "#upload-verdict is %r, not Accepted" % verdict)
    expected = run.expect.get("upload_discount_text")
    discount = run.text("#verdict-discount") or ""
    flow.check(discount and (not expected or expected in discount), "#verdict-discount is %r, expected %r" % (discount, expected))


def flow_upload_refused_coupon(run, flow):
    upload(run, flow, "refused_upload_png", "coupon upload refused")
    verdict = run.text("#upload-verdict") or ""
    flow.check("accepted" not in verdict.lower(), "a forged coupon was accepted")
    code = run.text("#reason-code")
    flow.check(code, "no #reason-code in the refused upload's verdict")
    flow.note("reason code for the refused upload: %r" % code)


def coupon_row(run, serial):
    for row in run.finds("#coupons tbody tr"):
        if (run.text(".serial", row) or "") == serial:
            return row
    return None


def flow_coupon_list(run, flow):
    run.get("/merchant", "merchant coupon list")
    serial = run.expect["upload_serial"]
    row = coupon_row(run, serial)
    flow.require(row, "no #coupons row with .serial %s (serials: %s)" % (
        serial, [run.text(".serial", r) for r in run.finds("#coupons tbody tr")]))
    flow.check(run.text(".title", row) == run.expect.get("upload_title"), ".title is %r" % run.text(".title", row))
    flow.check(run.text(".uses", row) is not None, "no .uses in the coupon's row")
    flow.check(run.finds("form.revoke", row), "no form.revoke in the coupon's row")


def flow_revoke_coupon(run, flow):
    run.get("/merchant", "merchant before revoking")
    serial = run.expect["upload_serial"]
    row = coupon_row(run, serial)
    flow.require(row, "no #coupons row for %s" % serial)
    run.submit(run.find("form.revoke", row), "revoke confirmation")
    form = run.form("form#confirm-revoke")
    flow.check(serial in run.driver.find_element(By.TAG_NAME, "body").text, "the confirmation page does not name %s" % serial)
    run.submit(form, "coupon revoked")
    if not coupon_row(run, serial):
        run.get("/merchant", "merchant after revoking")
    row = coupon_row(run, serial)
    flow.require(row, "the revoked coupon's row is gone from #coupons")
    flow.check("revoked" in row.text.lower(), "the coupon's row does not say revoked: %r" % row.text)


def flow_merchant_orders(run, flow):
    run.get("/merchant", "merchant orders")
    rows = run.finds("#orders tbody tr")
    flow.check(len(rows) >= 2, "#orders has %d rows, expected the shopper's 2 orders" % len(rows))
    serial = run.expect.get("coupon_serial", "")
    flow.check(any(serial in row.text for row in rows), "no order row names the coupon %s" % serial)
    if run.has("a#orders-next"):
        run.click(run.find("a#orders-next"))
        run.settle()
        run.capture("merchant orders next page")


def flow_redemptions_chart(run, flow):
    run.get("/merchant", "merchant chart")
    flow.require(run.has("svg#redemptions"), "no svg#redemptions")
    rects = run.finds("svg#redemptions rect")
    flow.check(len(rects) >= 1, "svg#redemptions has no rect")
    chart = run.find("svg#redemptions")
    labelled = chart.get_attribute("aria-label") or chart.get_attribute("aria-labelledby") or run.finds("title", chart)
    flow.check(labelled, "svg#redemptions has no accessible name (aria-label, aria-labelledby or <title>)")


def sign_in_by_http(run, base, form_path, form_id, token):
    """Signs in with plain HTTP, as a second browser would: the form's CSRF cookie and
    field, then the POST. Returns (the POST's answer, its cookies)."""
    page = fetch("GET", base + form_path)
    csrf_cookie = page.cookies().get(CSRF_COOKIE, (None, None))[0]
    field = hidden_field(page.text, "csrf_token", form_id)
    cookies = {CSRF_COOKIE: csrf_cookie} if csrf_cookie else {}
    answer = fetch("POST", base + form_path, cookies=cookies, form={"token": token, "csrf_token": field or ""})
    return answer, answer.cookies()


def flow_security_csrf(run, flow):
    member = run.member_cookie()
    run.get("/merchant", "merchant for the CSRF checks")
    shop = run.shop_cookie()
    flow.require(member and shop, "the browser holds no member or shop session")
    shop = shop["value"]
    # Another session of the same member and of the same shop, each with its own CSRF token.
    answer, cookies = sign_in_by_http(run, run.base, "/signin", "signin", run.member_token)
    flow.require(MEMBER_COOKIE in cookies, "signing in over HTTP set no member cookie (status %d)" % answer.status)
    other_member = cookies[MEMBER_COOKIE][0]
    account = fetch("GET", run.base + "/account", cookies={MEMBER_COOKIE: other_member})
    other_member_csrf = hidden_field(account.text, "csrf_token", "signout")
    flow.require(other_member_csrf, "no csrf_token in form#signout of the other session's /account (%d)" % account.status)
    answer, cookies = sign_in_by_http(run, run.base, "/merchant/login", "merchant-login", run.merchant_token)
    flow.require(SHOP_COOKIE in cookies, "the shop login over HTTP set no shop cookie (status %d)" % answer.status)
    other_shop = cookies[SHOP_COOKIE][0]
    dashboard = fetch("GET", run.base + "/merchant", cookies={SHOP_COOKIE: other_shop})
    other_shop_csrf = hidden_field(dashboard.text, "csrf_token", "add-product")
    flow.require(other_shop_csrf, "no csrf_token in form#add-product of the other shop session (%d)" % dashboard.status)

    product = {"sku": "CSRF-" + uuid.uuid4().hex[:6], "name": "CSRF probe", "description": "x", "price": "1.00",
               "currency": "EUR"}
    cases = [
        ("POST /signout without csrf_token", "/signout", {MEMBER_COOKIE: member}, {}),
        ("POST /signout with another session's csrf_token", "/signout", {MEMBER_COOKIE: member},
         {"csrf_token": other_member_csrf}),
        ("POST /merchant/products without csrf_token", "/merchant/products", {SHOP_COOKIE: shop}, dict(product)),
        ("POST /merchant/products with another session's csrf_token", "/merchant/products", {SHOP_COOKIE: shop},
         dict(product, csrf_token=other_shop_csrf)),
    ]
    for label, path, cookies, form in cases:
        answer = fetch("POST", run.base + path, cookies=cookies, form=form)
        flow.check(answer.status == 403, "%s answered %d, not 403" % (label, answer.status))
    # The browser's sessions are still there, and the probe product was not added.
    run.get("/merchant", "merchant after the CSRF probes")
    flow.check("CSRF probe" not in run.driver.page_source, "a product was added without a valid CSRF token")
    run.get("/account", "account after the CSRF probes")
    flow.check(run.path() == "/account", "the member was signed out by a POST without a valid CSRF token")
    # The other sessions' own tokens work (so the 403s were about the token).
    answer = fetch("POST", run.base + "/signout", cookies={MEMBER_COOKIE: other_member},
                  form={"csrf_token": other_member_csrf})
    flow.check(answer.status in (302, 303), "POST /signout with its own session's csrf_token answered %d" % answer.status)
    flow.check(fetch("GET", run.base + "/account", cookies={MEMBER_COOKIE: other_member}).status in (302, 303),
               "the other member session still opens /account after its sign-out")


def flow_security_cookie_confusion(run, flow):
    member = run.member_cookie()
    run.get("/merchant", "merchant for the cookie checks")
    shop = run.shop_cookie()
    flow.require(member and shop, "the browser holds no member or shop session")
    answer = fetch("GET", run.base + "/merchant", cookies={SHOP_COOKIE: member})
    location = urlparse(answer.header("Location") or "").path
    flow.check(answer.status in (302, 303) and location == "/merchant/login",
               "the member's cookie value as %s: GET /merchant answered %d (Location %r), not a redirect to /merchant/login" % (
                   SHOP_COOKIE, answer.status, answer.header("Location")))
    answer = fetch("GET", run.base + "/account", cookies={MEMBER_COOKIE: shop["value"]})
    location = urlparse(answer.header("Location") or "").path
    flow.check(answer.status in (302, 303) and location == "/join",
               "the shop's cookie value as %s: GET /account answered %d (Location %r)" % (
                   MEMBER_COOKIE, answer.status, answer.header("Location")))


def flow_security_signin_cookie_flags(run, flow):
    answer, cookies = sign_in_by_http(run, run.base, "/signin", "signin", run.member_token)
    flow.require(answer.status in (302, 303), "POST /signin answered %d" % answer.status)
    flow.check(urlparse(answer.header("Location") or "").path == "/account", "POST /signin redirects to %r" % answer.header("Location"))
    flow.require(MEMBER_COOKIE in cookies, "POST /signin set no %s (Set-Cookie: %s)" % (MEMBER_COOKIE, answer.all("Set-Cookie")))
    line = cookies[MEMBER_COOKIE][1]
    attributes = [part.strip().lower() for part in line.split(";")[1:]]
    flow.note("Set-Cookie: " + re.sub(r"=[^;]+", "=<value>", line, count=1))
    flow.check("httponly" in attributes, "the session cookie lacks HttpOnly: %s" % attributes)
    flow.check("samesite=lax" in attributes, "the session cookie lacks SameSite=Lax: %s" % attributes)
    flow.check("path=/" in attributes, "the session cookie's path is not /: %s" % attributes)
    for name, (_, other) in cookies.items():
        flow.check(run.member_token not in other, "Set-Cookie %s carries the member token" % name)
    fetch("POST", run.base + "/signout", cookies={MEMBER_COOKIE: cookies[MEMBER_COOKIE][0]},
         form={"csrf_token": hidden_field(fetch("GET", run.base + "/account",
                                               cookies={MEMBER_COOKIE: cookies[MEMBER_COOKIE][0]}).text,
                                          "csrf_token", "signout") or ""})


def flow_second_instance(run, flow):
    """The member signed in on base_url is signed in on base_url_2 (one database)."""
    if not run.base2:
        flow.note("no base_url_2: skipped")
        return
    member = run.member_cookie()
    flow.require(member, "the browser holds no member session")
    answer = fetch("GET", run.base2 + "/account", cookies={MEMBER_COOKIE: member})
    flow.check(answer.status == 200, "the member's cookie on the second instance: /account answered %d" % answer.status)
    flow.check(run.member_id in answer.text, "the second instance's /account does not show %s" % run.member_id)
    host1, host2 = urlparse(run.base).hostname, urlparse(run.base2).hostname
    if host1 != host2:
        run.driver.get(run.base2 + "/signin")
        run.driver.add_cookie({"name": MEMBER_COOKIE, "value": member, "path": "/"})
    run.get("/account", "account on the second instance", base=run.base2)
    flow.check(run.path() == "/account", "the second instance sent the browser to %s" % run.driver.current_url)
    flow.check(run.text("#member-id") == run.member_id, "the second instance shows %r" % run.text("#member-id"))
    run.get("/merchant", "merchant on the second instance", base=run.base2)
    flow.check(run.path() == "/merchant", "the shop session is not known to the second instance")


def flow_shop_signout(run, flow):
    run.get("/merchant", "merchant before signing out")
    old = run.shop_cookie()
    run.submit(run.form("form#merchant-signout"), "merchant signed out")
    run.get("/merchant", "merchant after signing out")
    flow.check(run.path() == "/merchant/login", "after the shop's sign-out /merchant went to %s" % run.driver.current_url)
    if old:
        answer = fetch("GET", run.base + "/merchant", cookies={SHOP_COOKIE: old["value"]})
        flow.check(answer.status in (302, 303), "the signed-out shop cookie still opens /merchant (%d)" % answer.status)


def flow_no_tokens_in_pages(run, flow):
    for leak in run.leaks:
        flow.problems.append(leak)
    flow.note("%d page states checked" % len(run.pages))


def flow_same_origin_resources(run, flow):
    for foreign in run.foreign:
        flow.problems.append(foreign)


def flow_forms_carry_csrf(run, flow):
    for problem in sorted(set(run.form_problems)):
        flow.problems.append(problem)


FLOWS = [
    flow_axe_finds_violations,
    flow_mobile_emulation_matches,
    flow_catalogue,
    flow_non_member_redirects,
    flow_join_errors,
    flow_join_individual,
    flow_signout_and_signin,
    flow_product_page,
    flow_reveal_clean,
    flow_reveal_tampered,
    flow_reveal_forged,
    flow_reveal_jpeg_copy,
    flow_order_with_product_coupon,
    flow_order_with_jpeg_copy,
    flow_order_with_tampered_coupon,
    flow_account_history,
    flow_shop_login,
    flow_add_product,
    flow_upload_good_coupon,
    flow_upload_refused_coupon,
    flow_coupon_list,
    flow_revoke_coupon,
    flow_merchant_orders,
    flow_redemptions_chart,
    flow_security_csrf,
    flow_security_cookie_confusion,
    flow_security_signin_cookie_flags,
    flow_second_instance,
    flow_shop_signout,
    flow_no_tokens_in_pages,
    flow_same_origin_resources,
    flow_forms_carry_csrf,
]


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 2
    started = time.monotonic()
    with open(argv[1], encoding="utf-8") as handle:
        config = json.load(handle)
    out_dir = argv[2] if len(argv) > 2 else config.get("out_dir") or os.path.dirname(os.path.abspath(argv[1]))
    os.makedirs(out_dir, exist_ok=True)
    run = Run(config, out_dir)
    browser_error = None
    try:
        run.driver = Run.start_driver()
        version = run.driver.capabilities.get("browserVersion")
        for function in FLOWS:
            run.run_flow(function)
    except Exception as exception:  # noqa: BLE001 - the browser itself failed
        browser_error = "%s: %s" % (type(exception).__name__, exception)
        version = None
    finally:
        if run.driver is not None:
            try:
                run.driver.quit()
            except Exception:  # noqa: BLE001
                pass
    failed = [flow for flow in run.flows if not flow["passed"]]
    blocking = [entry for entry in run.axe_results if any(v["impact"] in BLOCKING_IMPACTS for v in entry["violations"])]
    other = sum(len([v for v in entry["violations"] if v["impact"] not in BLOCKING_IMPACTS]) for entry in run.axe_results)
    duration = time.monotonic() - started
    results = {
        "base_url": run.base, "base_url_2": run.base2, "browser": version, "axe_core": run.axe_version,
        "axe_disabled_rules": list(AXE_DISABLED_RULES), "seconds": round(duration, 1),
        "seconds_in": {part: round(value, 1) for part, value in run.timing.items()},
        "error": browser_error,
        "flows": run.flows, "axe": run.axe_results, "overflow_375": run.overflows, "pages": run.pages,
        "summary": {"flows": len(run.flows), "passed": len(run.flows) - len(failed), "failed": len(failed),
                    "page_states": run.state_count, "page_visits": len(run.pages), "axe_runs": len(run.axe_results),
                    "axe_blocking_states": len(blocking), "axe_minor_violations": other},
    }
    with open(os.path.join(out_dir, "results.json"), "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=2)
    ok = browser_error is None and not failed and len(run.flows) == len(FLOWS)
    for overflow in run.overflows:
        print("note: at 375 px %s" % overflow)
    print("web_flows: %s; %d/%d flows ok, %d page states x 2 widths (axe serious/critical on %d, wider than 375 px: %d),"
          " in %.1f s%s" % (
              "PASSED" if ok else "FAILED", len(run.flows) - len(failed), len(FLOWS), run.state_count, len(blocking),
              len(run.overflows), duration,
              "" if browser_error is None else " (browser: %s)" % browser_error.splitlines()[0]), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
