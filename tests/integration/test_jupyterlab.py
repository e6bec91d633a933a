"""README command 1 ends with `jupyter lab notebooks/`: the server must start and serve the notebooks.

Started exactly that way (from the repository root, no browser), then asked over loopback.
"""

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import free_port

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def test_jupyter_lab_serves_the_notebooks(tmp_path):
    port, token = free_port(), secrets.token_hex(16)
    cmd = [sys.executable, "-m", "jupyter", "lab", "notebooks/", "--no-browser", "--ip=127.0.0.1",
           f"--port={port}", f"--IdentityProvider.token={token}", "--ServerApp.open_browser=False"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # CI containers run as root
        cmd.append("--allow-root")
    env_home = {"JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "JUPYTER_CONFIG_DIR": str(tmp_path / "config")}

    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env_home},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline, last = time.time() + 60, None
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{base}/api/contents?token={token}", timeout=5) as r:
                    listing = json.load(r)
                break
            except OSError as e:
                last = e
                if proc.poll() is not None:
                    raise AssertionError(f"jupyter lab exited early:\n{proc.stdout.read()}")
                time.sleep(0.5)
        else:
            raise AssertionError(f"jupyter lab did not answer on port {port} within 60 s: {last}")
        names = {item["name"] for item in listing["content"]}
        expected = {p.name for p in (ROOT / "notebooks").glob("*.ipynb")}
        assert "00_start_here.ipynb" in names and expected <= names
        with urllib.request.urlopen(f"{base}/lab?token={token}", timeout=10) as r:
            page = r.read().decode()
        assert r.status == 200 and "JupyterLab" in page
        with urllib.request.urlopen(f"{base}/api/contents/00_start_here.ipynb?token={token}", timeout=10) as r:
            nb = json.load(r)
        assert nb["type"] == "notebook" and nb["content"]["cells"]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
