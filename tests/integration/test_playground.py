"""Notebook 11's playground in a real browser: JupyterLab (started from the installed package, as
``tests/integration/test_browser.py`` does) in headless Chromium, driven by selenium 4.

The notebook runs top to bottom (fast mode); then, on its live playground: reset, Play → the step counter advances and
the heat map changes (pixel difference between two screenshots of the view); the loss is switched while training
runs, without an error; Pause → the counter stops; "step G" → the counter moves by exactly one; draw mode, three
clicks on the view, "use as data" → the three points are the data. Screenshots are saved in a folder
(``GAN_COURSE_SCREENSHOTS`` or a temporary one; its path is printed, run with ``-s``). Skipped only when chromium
or chromedriver (Debian: ``apt-get install chromium chromium-driver``) or selenium is missing.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import time
from pathlib import Path

import pytest

from tests.integration.test_browser import browser_missing, lab_and_browser

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = "11_playground.ipynb"

pytestmark = [pytest.mark.integration, pytest.mark.browser, pytest.mark.slow]


def changed_fraction(png_a: bytes, png_b: bytes) -> float:
    """Share of pixels that differ (any channel by more than 8 of 255) between two screenshots of one element."""
    import numpy as np
    from PIL import Image

    a = np.asarray(Image.open(io.BytesIO(png_a)).convert("RGB"), dtype=np.int16)
    b = np.asarray(Image.open(io.BytesIO(png_b)).convert("RGB"), dtype=np.int16)
    h, w = min(a.shape[0], b.shape[0]), min(a.shape[1], b.shape[1])
    return float((np.abs(a[:h, :w] - b[:h, :w]).max(-1) > 8).mean())


def drive(shots: Path, timeout: float = 420) -> dict:
    """Run the scenario of the module docstring; return what was seen. AssertionError (with the server log)
    when something fails; a screenshot of the failure is saved in ``shots``."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    t0 = time.time()
    seen: dict = {"screenshots": []}
    shots.mkdir(parents=True, exist_ok=True)

    def left():
        return max(5.0, timeout - (time.time() - t0))

    def shot(name):
        path = shots / f"{name}.png"
        driver.save_screenshot(str(path))
        seen["screenshots"].append(path)

    with lab_and_browser(ROOT / "notebooks", shots, "1400,1100", seen) as (lab, driver):
        driver.get(f"{lab.base}/lab/tree/notebooks/{NOTEBOOK}?token={lab.token}")

        def js(script, *args):
            return driver.execute_script(script, *args)

        WebDriverWait(driver, left(), 0.5).until(lambda d: js(
            "const a = window.jupyterapp; const w = a && a.shell.currentWidget;"
            "return !!(w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel"
            " && w.sessionContext.session.kernel.status === 'idle' && w.content && w.content.widgets.length);"))
        js("window.jupyterapp.commands.execute('notebook:run-all-cells');")

        def cell_error():
            return js("const w = window.jupyterapp.shell.currentWidget;"
                      "for (const c of w.content.model.cells) { if (c.type !== 'code') continue;"
                      " for (const o of c.outputs.toJSON()) if (o.output_type === 'error') return o.ename + ': ' + o.evalue; }"
                      "return null;")

        def all_ran(d):
            err = cell_error()
            if err:
                raise AssertionError(f"a cell raised while running {NOTEBOOK}:\n{err[-2000:]}")
            return js("const w = window.jupyterapp.shell.currentWidget;"
                      "if (w.sessionContext.session.kernel.status !== 'idle') return false;"
                      "for (const c of w.content.model.cells) if (c.type === 'code' && !c.executionCount) return false;"
                      "return document.querySelectorAll('.gan-playground .gan-playground-view').length > 0;")

        WebDriverWait(driver, left(), 1.0).until(all_ran)
        seen["run_all_seconds"] = time.time() - t0
        root = driver.find_elements(By.CSS_SELECTOR, ".gan-playground")[0]

        def el(cls):
            return root.find_element(By.CSS_SELECTOR, f".gan-playground-{cls}")

        def counter() -> int:
            m = re.search(r"step (\d+)", el("counter").text)
            assert m, f"no step counter in {el('counter').text!r}"
            return int(m.group(1))

        def status() -> str:
            return el("status").text

        view = el("view")
        js("arguments[0].scrollIntoView({block: 'center'});", view)
        time.sleep(0.5)
        shot("1_after_run_all")

        # reset (a fresh game: the heat map moves most at the start), then Play: the counter advances and the
        # heat map changes
        el("reset").click()
        WebDriverWait(driver, left(), 0.2).until(lambda d: counter() == 0)
        start = counter()
        el("play").click()
        WebDriverWait(driver, left(), 0.2).until(lambda d: counter() >= start + 5)
        before_png = view.screenshot_as_png
        c1 = counter()
        WebDriverWait(driver, left(), 0.2).until(lambda d: counter() >= c1 + 30)
        after_png = view.screenshot_as_png
        seen["heat_map_changed"] = changed_fraction(before_png, after_png)
        (shots / "2a_view_playing.png").write_bytes(before_png)
        (shots / "2b_view_30_steps_later.png").write_bytes(after_png)
        shot("2_playing")

        # switch the loss while it trains
        Select(el("loss").find_element(By.TAG_NAME, "select")).select_by_visible_text("hinge")
        c2 = counter()
        WebDriverWait(driver, left(), 0.2).until(lambda d: counter() >= c2 + 10)
        seen["status_after_loss_switch"] = status()
        seen["cell_error_after_loss_switch"] = cell_error()
        shot("3_loss_switched")

        # Pause: the counter stops
        el("play").click()
        WebDriverWait(driver, left(), 0.2).until(lambda d: el("play").text.strip() == "Play")
        time.sleep(0.5)
        paused = counter()
        time.sleep(2.0)
        seen["paused"] = (paused, counter())

        # step G: exactly one more
        el("step-g").click()
        WebDriverWait(driver, left(), 0.2).until(lambda d: counter() != paused)
        time.sleep(0.5)
        seen["step_g"] = (paused, counter())
        shot("4_step_g")

        # draw three points, use them as the data
        el("draw").click()
        WebDriverWait(driver, left(), 0.2).until(lambda d: "draw mode" in status())
        size = view.size
        for dx, dy in ((-0.25, -0.2), (0.2, -0.15), (0.0, 0.25)):
            ActionChains(driver).move_to_element_with_offset(view, int(dx * size["width"]),
                                                             int(dy * size["height"])).click().perform()
            time.sleep(0.4)
        WebDriverWait(driver, left(), 0.2).until(lambda d: "3 points" in status())
        shot("5_drawn")
        el("use").click()
        WebDriverWait(driver, left(), 0.2).until(lambda d: "drawn (3 points" in el("data").text)
        seen["data_text"] = el("data").text
        try:   # a new game: the counter restarts (its message may arrive just after the data's)
            WebDriverWait(driver, 20, 0.2).until(lambda d: counter() == 0)
        except Exception:
            pass
        seen["status_after_drawing"] = status()
        seen["counter_after_drawing"] = counter()
        time.sleep(1.0)
        shot("6_drawn_data")
        seen["cell_error"] = cell_error()
        seen["seconds"] = time.time() - t0
        return seen


def test_playground_in_jupyterlab():
    reason = browser_missing()
    if reason:
        pytest.skip(reason)
    assert (ROOT / "notebooks" / NOTEBOOK).is_file(), f"notebooks/{NOTEBOOK} is missing"
    shots = Path(os.environ.get("GAN_COURSE_SCREENSHOTS") or tempfile.mkdtemp(prefix="gan-course-playground-"))
    r = drive(shots)
    print(f"\nscreenshots in {shots}: {', '.join(p.name for p in r['screenshots'])}  ({r['seconds']:.0f} s in all, "
          f"{r['run_all_seconds']:.0f} s to open and run the notebook)")
    print(f"heat map: {100 * r['heat_map_changed']:.1f} % of the view's pixels changed over 30 steps of Play")
    print(f"paused at {r['paused']}, step G {r['step_g']}; data: {r['data_text']!r}")
    # the heat map (and samples) moved: more than 1 % of the view's pixels differ after 30 steps
    assert r["heat_map_changed"] > 0.01, r["heat_map_changed"]
    assert "error" not in r["status_after_loss_switch"].lower() and r["cell_error_after_loss_switch"] is None, r
    assert r["paused"][0] == r["paused"][1], f"the counter moved while paused: {r['paused']}"
    assert r["step_g"][1] == r["step_g"][0] + 1, f"step G moved the counter from {r['step_g'][0]} to {r['step_g'][1]}"
    assert "drawn (3 points" in r["data_text"] and r["counter_after_drawing"] == 0, r
    assert "error" not in r["status_after_drawing"].lower() and r["cell_error"] is None, r
