"""The HTML bilan and feedback profiles in a real headless browser (Debian's chromium), driven through the
DevTools protocol over a pipe: no console error, no failed load, the SVG charts drawn, a screenshot, and
how many A4 pages a print takes.

Skipped only when chromium is absent outside CI; under CI=true a missing chromium is a failure.
"""

from __future__ import annotations

import base64
import fcntl
import io
import json
import os
import re
import select
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from world import AS_OF, FEEDBACK_KEY
from gqrec.cli import cli
from test_report import REPO, SAMPLE, add_iroise, build_report_world

pytestmark = pytest.mark.slow  # a real browser and PDF printing

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def chromium() -> str:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is required under CI (apt-get install -y chromium)")
        pytest.skip("chromium is not installed")
    return CHROMIUM


class Browser:
    """A headless chromium spoken to over --remote-debugging-pipe: JSON messages ending in NUL, our
    commands on its fd 3, its answers and events on its fd 4. Standard library only."""

    def __init__(self, executable: str, profile: Path, width: int = 1200, height: int = 1600):
        self.size = (width, height)
        to_chrome, self._commands = os.pipe()
        self._answers, from_chrome = os.pipe()

        def wire() -> None:  # in the child: the two pipe ends become fds 3 and 4
            high_in = fcntl.fcntl(to_chrome, fcntl.F_DUPFD, 10)
            high_out = fcntl.fcntl(from_chrome, fcntl.F_DUPFD, 10)
            os.dup2(high_in, 3)
            os.dup2(high_out, 4)

        self.process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}",
             "--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=wire, pass_fds=(3, 4),
        )
        os.close(to_chrome)
        os.close(from_chrome)
        self._buffer = b""
        self._last_id = 0
        self.events: list[dict] = []
        self.session: str | None = None

    def send(self, method: str, params: dict | None = None, timeout: float = 30) -> dict:
        self._last_id += 1
        message = {"id": self._last_id, "method": method, "params": params or {}}
        if self.session:
            message["sessionId"] = self.session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._read(timeout)
            if answer.get("id") == self._last_id:
                assert "error" not in answer, answer["error"]
                return answer["result"]
            self.events.append(answer)

    def wait_for(self, method: str, timeout: float = 30) -> dict:
        while not any(e.get("method") == method for e in self.events):
            self.events.append(self._read(timeout))
        return next(e for e in self.events if e.get("method") == method)

    def _read(self, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._answers], [], [], left)[0]:
                raise TimeoutError("chromium did not answer")
            chunk = os.read(self._answers, 1 << 16)
            if not chunk:
                raise EOFError("chromium closed the pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def open(self, url: str) -> None:
        """Attach to the first tab, listen to its console and log, load `url`, wait for it and `settle` it."""
        page = next(t for t in self.send("Target.getTargets")["targetInfos"] if t["type"] == "page")
        self.session = self.send("Target.attachToTarget", {"targetId": page["targetId"], "flatten": True})["sessionId"]
        for domain in ("Runtime", "Log", "Page"):
            self.send(f"{domain}.enable")
        width, height = self.size  # the viewport itself, whatever the window's frame takes
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        self.send("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired")
        self.settle()

    def settle(self, budget_ms: int = 5000) -> None:
        """Run what the loaded page still has pending (timers, animation frames, fetches) through `budget_ms`
        of virtual time — at once, not in real time — and wait for chromium to say it is spent: a console
        error the page logs up to that late is then among `events`."""
        self.send("Emulation.setVirtualTimePolicy", {"policy": "pauseIfNetworkFetchesPending", "budget": budget_ms})
        self.wait_for("Emulation.virtualTimeBudgetExpired")
        self.send("Runtime.evaluate", {"expression": "1"})  # a round trip: every event sent before it has arrived

    def evaluate(self, expression: str):
        return self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})["result"]["value"]

    def pdf_pages(self) -> int:
        """Pages of the page printed to PDF as a user's « Imprimer » would, with its @page size."""
        printed = self.send("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True}, timeout=90)
        return len(PdfReader(io.BytesIO(base64.b64decode(printed["data"]))).pages)

    def screenshot(self, path: Path) -> None:
        path.write_bytes(base64.b64decode(self.send("Page.captureScreenshot", {"format": "png"})["data"]))

    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and error log entries (failed loads included)."""
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
                found.append(" ".join(str(a.get("value")) for a in params["args"]))
            elif method == "Runtime.exceptionThrown":
                found.append(params["exceptionDetails"].get("text", "exception"))
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                found.append(params["entry"]["text"])
        return found

    def close(self) -> None:
        self.session = None
        try:
            self.send("Browser.close", timeout=10)
        except (TimeoutError, EOFError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._commands)
        os.close(self._answers)


def printed_pages(chromium: str, page: Path, tmp_path: Path) -> int:
    browser = Browser(chromium, tmp_path / f"profile-print-{page.stem}")
    try:
        browser.open(page.resolve().as_uri())
        return browser.pdf_pages()
    finally:
        browser.close()


def load(chromium: str, page: Path, tmp_path: Path, screenshot: Path | None = None) -> tuple[list[str], int]:
    """(errors, SVG charts drawn) for a page opened in the browser."""
    browser = Browser(chromium, tmp_path / f"profile-{page.stem}")
    try:
        browser.open(page.resolve().as_uri())
        charts = browser.evaluate(
            "Array.from(document.querySelectorAll('svg.chart')).filter(s => s.getBBox().width > 0).length")
        if screenshot:
            browser.screenshot(screenshot)
        return browser.errors(), charts
    finally:
        browser.close()


@pytest.fixture
def html_report(tmp_path) -> Path:
    world = build_report_world(tmp_path / "records")
    add_iroise(world)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["report", str(world.root), "--year", "2024", "--format", "html",
                                      "--out", str(out), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    return out / "bilan-2024.html"


def test_html_is_self_contained_with_svg_charts(html_report):
    html = html_report.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"fr\">")
    assert "<style>" in html and "@media print" in html and "@page" in html
    assert "<script" not in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html and "src=" not in html
    # meetings held vs expected and attendance per region (2 + 2), indicator lines for Armor's asthma
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 5
    assert 'class="bar-held"' in html and 'class="bar-expected"' in html and 'class="bar-rate"' in html
    assert 'class="line-participant"' in html and 'class="line-control"' in html


def test_the_browser_shows_the_report_without_error(chromium, html_report, tmp_path):
    screenshot = tmp_path / "bilan.png"
    errors, charts = load(chromium, html_report, tmp_path, screenshot)
    assert errors == []
    assert charts == 5
    data = screenshot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1200, 1600)
    assert len(data) > 30_000  # a page of text, tables and colours, not a blank image
    keep = os.environ.get("GQREC_SCREENSHOT")
    if keep:
        shutil.copy(screenshot, keep)


def test_the_browser_check_does_see_errors(chromium, tmp_path):
    """The check is not vacuous: a page with a console error, an exception, a missing image and an error
    logged seconds after its load fails it."""
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><html><head><meta charset="utf-8"><title>x</title><link rel="icon" href="data:,">'
                    '</head><body><img src="missing.png"><script>console.error("boom"); '
                    'setTimeout(() => console.error("late"), 3000); nowhere();</script></body></html>',
                    encoding="utf-8")
    errors, charts = load(chromium, page, tmp_path)
    assert charts == 0
    assert "boom" in errors and "late" in errors
    assert any("Uncaught" in e for e in errors)
    assert any("Failed to load resource" in e for e in errors)


def test_a_group_profile_prints_on_at_most_three_pages(chromium, tmp_path):
    """The sample group Lamballe, 2025-S1: six themes, eight indicators, twelve members (thirteen pages
    before the profiles had a print stylesheet)."""
    out = tmp_path / "profils"
    result = CliRunner().invoke(cli, ["feedback", str(SAMPLE), "--period", "2025-S1", "--group", "lamballe",
                                      "--format", "html", "--out", str(out)],
                                env={"GQREC_FEEDBACK_KEY": FEEDBACK_KEY})  # the key that seals the sample
    assert result.exit_code == 0, result.output
    (page,) = out.glob("*.html")
    html = page.read_text(encoding="utf-8")
    assert "@page" in html and "@media print" in html and ".." not in html
    assert 1 <= printed_pages(chromium, page, tmp_path) <= 3


def test_the_sample_bilan_prints_without_wasted_pages(chromium, tmp_path):
    """The charts fill the page width (three a row) instead of two narrow columns: 2025's bilan of the
    sample records took eight pages, it took six; the effect of the themes, the idées forces and the actions
    to review add two, the cover (each region's association, partners, coordinator and COPIL, a page of its
    own) and its moving the tables down two more."""
    assert printed_pages(chromium, REPO / "reports" / "bilan-2025.html", tmp_path) <= 10


def test_indicators_without_data_in_the_year_get_no_chart(tmp_path):
    """Armor's asthma indicator has 2024 data only: the 2025 bilan lists it in its table, without a chart."""
    world = build_report_world(tmp_path / "records")
    result = CliRunner().invoke(cli, ["report", str(world.root), "--year", "2025", "--format", "html", "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    assert "Corticoïde inhalé chez l&#x27;asthmatique" in result.output  # in the evolution table
    assert 'class="line-participant"' not in result.output and "c_indicators" not in result.output


def test_rate_axes_start_at_zero():
    """Rates of 60 to 62 % are drawn on an axis from 0 %, not cut at 55–65 % where they would look steep."""
    from gqrec.document import svg

    chart = svg.rate_lines(["2024-S1", "2024-S2"], [("participants", (0.60, 0.62), "participant")], "t",
                           lambda v: f"{round(v * 100)} %")
    ticks = re.findall(r'class="axis"[^>]*>(\d+) %<', chart)
    assert ticks[0] == "0" and int(ticks[-1]) >= 62
