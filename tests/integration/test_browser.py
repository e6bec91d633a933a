"""What a learner opens works: JupyterLab in a real (headless) browser, live widgets, a moved slider.

Starts JupyterLab from the installed package on 127.0.0.1 (free port, random token) in a temporary
folder holding a COPY of ``notebooks/``; its kernels run in fast mode (``GAN_COURSE_FAST=1``).
Debian's ``chromium`` + ``chromium-driver``, driven by selenium 4, open
``03_optimal_discriminator_and_jsd.ipynb``, run all cells (JupyterLab's ``notebook:run-all-cells``
command), wait for the C(G)/JSD explorer, drag the μ_g slider, and assert that the printed read-out
(``C(G) = …   JSD = …``) changes. A screenshot is saved in a temporary folder (path printed; run
with ``-s`` to see it). Skipped only when chromium or chromedriver is not installed
(``.ci/run`` installs them with apt-get).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import free_port

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = "03_optimal_discriminator_and_jsd.ipynb"
SLIDER = "μ_g"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"

pytestmark = [pytest.mark.integration, pytest.mark.browser]


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.path.exists(p)]
    if missing:
        return (f"{' and '.join(missing)} not installed (Debian: apt-get install chromium chromium-driver; "
                ".ci/run does this when it can)")
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    return None


class Lab:
    """A JupyterLab server on 127.0.0.1 serving ``workdir`` (kernels in fast mode)."""

    def __init__(self, workdir: Path):
        self.port, self.token = free_port(), secrets.token_hex(16)
        self.base = f"http://127.0.0.1:{self.port}"
        cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1",
               f"--port={self.port}", f"--IdentityProvider.token={self.token}",
               f"--ServerApp.root_dir={workdir}", "--LabApp.expose_app_in_browser=True",
               f"--LabApp.workspaces_dir={workdir / '.ws'}", f"--LabApp.user_settings_dir={workdir / '.settings'}",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")
        news = workdir / ".settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
        news.parent.mkdir(parents=True)
        news.write_text('{"fetchNews": "false"}')  # no "official Jupyter news?" pop-up over the screenshot
        env = {**os.environ, "GAN_COURSE_FAST": "1", "TQDM_DISABLE": "1",
               "JUPYTER_RUNTIME_DIR": str(workdir / ".runtime"), "JUPYTER_CONFIG_DIR": str(workdir / ".config")}
        env.pop("MPLBACKEND", None)  # the browser must get inline figures
        self.log = open(workdir / ".lab.log", "w")
        self.proc = subprocess.Popen(cmd, cwd=workdir, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.logpath = workdir / ".lab.log"

    def wait(self, timeout: float = 60) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"jupyter lab exited early:\n{self.logpath.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.base}/api/status?token={self.token}", timeout=5):
                    return
            except OSError:
                time.sleep(0.5)
        raise AssertionError(f"jupyter lab did not answer within {timeout:.0f} s:\n{self.logpath.read_text()[-3000:]}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.log.close()


@contextlib.contextmanager
def lab_and_browser(notebook_dir: Path, shots: Path, window: str, seen: dict | None = None):
    """JupyterLab serving a copy of ``notebook_dir`` (as ``notebooks/``) and a headless Chromium: yields
    ``(lab, driver)``. Afterwards the browser quits, the server stops and the copy is removed; on a failure, a
    screenshot ``failure.png`` in ``shots`` and the tail of the server's log (and ``seen``) in the AssertionError."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    work = Path(tempfile.mkdtemp(prefix="gan-course-lab-"))
    shutil.copytree(notebook_dir, work / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    lab = Lab(work)
    driver = None
    try:
        lab.wait()
        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--no-first-run", f"--window-size={window}", f"--user-data-dir={work / '.chromium'}"):
            opts.add_argument(a)
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
        driver.set_page_load_timeout(60)
        yield lab, driver
    except Exception as e:
        if driver is not None:
            try:
                shots.mkdir(parents=True, exist_ok=True)
                driver.save_screenshot(str(shots / "failure.png"))
            except Exception:
                pass
        so_far = f"seen so far: {seen}\n" if seen is not None else ""
        raise AssertionError(f"{type(e).__name__}: {e}\n{so_far}--- jupyter lab log (tail) ---\n"
                             f"{lab.logpath.read_text()[-3000:]}\n(screenshots in {shots})") from None
    finally:
        if driver is not None:
            driver.quit()
        lab.stop()
        shutil.rmtree(work, ignore_errors=True)


def drive(notebook_dir: Path, notebook: str, slider: str, shots: Path, timeout: float = 150) -> dict:
    """Open ``notebook`` (a file in ``notebook_dir``, copied with its folder) in JupyterLab in headless
    Chromium, run all cells, drag the slider labelled ``slider`` and return the read-outs before and
    after plus the screenshot path. Raises AssertionError with the server log on failure."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    t0 = time.time()
    with lab_and_browser(notebook_dir, shots, "1400,1000") as (lab, driver):
        driver.get(f"{lab.base}/lab/tree/notebooks/{notebook}?token={lab.token}")
        left = lambda: max(5.0, timeout - (time.time() - t0))  # noqa: E731

        def js(script):
            return driver.execute_script(script)

        # The notebook panel is open and its kernel is ready.
        WebDriverWait(driver, left(), 0.5).until(lambda d: js(
            "const a = window.jupyterapp; const w = a && a.shell.currentWidget;"
            "return !!(w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel"
            " && w.sessionContext.session.kernel.status === 'idle' && w.content && w.content.widgets.length);"))
        js("window.jupyterapp.commands.execute('notebook:run-all-cells');")

        slider_xpath = (f"//div[contains(@class,'widget-slider')][.//label[normalize-space()='{slider}']]")
        readout_xpath = "//*[contains(@class,'widget-html')][contains(., 'C(G) =') and contains(., 'JSD =')]"

        def cell_error():
            return js("const w = window.jupyterapp.shell.currentWidget;"
                      "for (const c of w.content.model.cells) { if (c.type !== 'code') continue;"
                      " for (const o of c.outputs.toJSON()) if (o.output_type === 'error') return o.ename + ': ' + o.evalue; }"
                      "return null;")

        def ready(d):
            err = cell_error()
            if err:
                raise AssertionError(f"a cell raised while running {notebook}:\n{err[-2000:]}")
            return d.find_elements(By.XPATH, slider_xpath) and d.find_elements(By.XPATH, readout_xpath)

        WebDriverWait(driver, left(), 0.5).until(ready)
        slider_el = driver.find_element(By.XPATH, slider_xpath)
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", slider_el)
        readout = driver.find_element(By.XPATH, readout_xpath)
        before = readout.text.strip()
        value_before = slider_el.find_element(By.CSS_SELECTOR, ".widget-readout").text
        handle = slider_el.find_element(By.CSS_SELECTOR, ".noUi-handle")
        ActionChains(driver).click_and_hold(handle).move_by_offset(25, 0).pause(0.2).release().perform()
        WebDriverWait(driver, left(), 0.5).until(
            lambda d: d.find_element(By.XPATH, readout_xpath).text.strip() not in ("", before))
        after = driver.find_element(By.XPATH, readout_xpath).text.strip()
        value_after = slider_el.find_element(By.CSS_SELECTOR, ".widget-readout").text
        time.sleep(1.0)  # let the redrawn figure arrive before the screenshot
        shots.mkdir(parents=True, exist_ok=True)
        shot = shots / f"{Path(notebook).stem}.png"
        driver.save_screenshot(str(shot))
        return {"before": before, "after": after, "slider_before": value_before, "slider_after": value_after,
                "screenshot": shot, "seconds": time.time() - t0}


def test_widget_slider_moves_readout_in_jupyterlab():
    reason = browser_missing()
    if reason:
        pytest.skip(reason)
    assert (ROOT / "notebooks" / NOTEBOOK).is_file(), f"notebooks/{NOTEBOOK} is missing"
    shots = Path(tempfile.mkdtemp(prefix="gan-course-screenshots-"))
    r = drive(ROOT / "notebooks", NOTEBOOK, SLIDER, shots)
    print(f"\nscreenshot: {r['screenshot']}  ({r['seconds']:.0f} s in all)")
    print(f"μ_g {r['slider_before']} → {r['slider_after']}")
    print(f"read-out before: {r['before']}\nread-out after:  {r['after']}")
    assert r["slider_after"] != r["slider_before"], "the drag did not move the μ_g slider"
    for text in (r["before"], r["after"]):
        assert "C(G) =" in text and "JSD =" in text, f"unexpected read-out {text!r}"
    assert r["after"] != r["before"], "moving μ_g did not change the C(G) / JSD read-out"
