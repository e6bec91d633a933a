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


def test_guidelines_command_writes_its_file_and_keeps_an_existing_one(tmp_path, capsys):
    import json
    out = tmp_path / "g.json"
    args = ["guidelines", "--variants", "paper", "--seeds", "0", "--steps", "2", "--width", "4", "--n-eval", "20",
            "--out", str(out)]
    assert main(args) == 0
    rec = json.loads(out.read_text())
    assert rec["command"].startswith("python -m gan_course guidelines ") and rec["settings"]["steps"] == 2
    assert [r["variant"] for r in rec["rows"]] == ["paper"] and rec["baseline"]["fid"] > 0
    out.write_text("mine")
    capsys.readouterr()
    assert main(args) == 1 and out.read_text() == "mine"                 # never replaced without --force
    assert "--force" in capsys.readouterr().out
    assert main(args + ["--force"]) == 0 and json.loads(out.read_text())["rows"]
    assert main(["guidelines", "--steps", "0", "--out", str(tmp_path / "h.json")]) == 2
    assert "--steps" in capsys.readouterr().out and not (tmp_path / "h.json").exists()


def test_provenance_names_the_command_as_typed():
    from gan_course.tools.provenance import command_line, machine
    assert command_line("pacgan", ["pacgan", "--steps", "10", "--out", "a b.json"]) == \
        "python -m gan_course pacgan --steps 10 --out 'a b.json'"
    assert command_line("pacgan", ["modes"]) == "python -m gan_course pacgan (called from Python)"
    assert set(machine()) == {"cpus", "cpu_model", "cpu_capability", "torch", "python", "finished_utc"}
