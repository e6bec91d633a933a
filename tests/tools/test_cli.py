import shutil
import subprocess
import sys

from gan_course.data import DEFAULT_ROOT
from gan_course.tools.cli import main


def test_check_ok(capsys):
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "torch" in out and "device" in out and "All checks passed." in out
    assert out.count(" ok") == 4


def test_check_fails_with_reason(tmp_path, capsys):
    for f in DEFAULT_ROOT.glob("*.gz"):
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "train-labels-idx1-ubyte.gz").unlink()
    assert main(["check", "--root", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "train-labels-idx1-ubyte.gz" in out and "file is missing" in out and "Something is off" in out


def test_module_entry_point_and_help():
    out = subprocess.run([sys.executable, "-m", "gan_course", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "check" in out.stdout
    out = subprocess.run([sys.executable, "-m", "gan_course"], capture_output=True, text=True)
    assert out.returncode == 2


def test_unknown_command_is_an_error():
    out = subprocess.run([sys.executable, "-m", "gan_course", "frobnicate"], capture_output=True, text=True)
    assert out.returncode == 2 and "invalid choice" in out.stderr
