"""The command line under bad input and faults, as a careless user or a ``kill -9`` would try it.

Each test reproduces one fault (docs/reliability.md lists them) and checks that nothing is lost (the files that
were there are byte for byte the same, nothing half-written or untrained appears) and that the one-line message
names the bad value or path. Tiny runs: MLP or DCGAN width 8, batch 16, a few steps.
"""

import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import torch

from gan_course.fileio import atomic_save, load
from gan_course.tools.cli import main
from tests.helpers import cli_error

ROOT = Path(__file__).resolve().parents[2]
TINY = ["--batch-size", "16", "--width", "8", "--threads", "1", "--quiet", "--seed", "3"]


def _train(kind, out, steps, *more):
    return ["train", kind, "--steps", str(steps), "--out", str(out), *TINY, *more]


def _step(path) -> int:
    return load(path)["step"]


# ------------------------------------------------------------------------------------------------ student-copy
def _tiny_notebooks(folder: Path) -> Path:
    import nbformat

    folder.mkdir()
    for name in ("01_a.ipynb", "02_the_gan_game.ipynb"):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
        nbformat.write(nb, folder / name)
    return folder


def test_student_copy_keeps_a_learners_notebook(tmp_path, capsys):
    src, lab = _tiny_notebooks(tmp_path / "src"), tmp_path / "lab"
    lab.mkdir()
    (lab / "02_the_gan_game.ipynb").write_text("{}")             # the learner's work
    err = cli_error(capsys, ["student-copy", str(lab), "--source", str(src)])
    assert "02_the_gan_game.ipynb" in err and "--force" in err
    assert (lab / "02_the_gan_game.ipynb").read_text() == "{}"
    assert sorted(p.name for p in lab.iterdir()) == ["02_the_gan_game.ipynb"]   # nothing else written either
    assert main(["student-copy", str(lab), "--source", str(src), "--force"]) == 0
    assert (lab / "02_the_gan_game.ipynb").read_text() != "{}" and (lab / "01_a.ipynb").is_file()


def test_student_copy_never_writes_inside_notebooks(capsys):
    inside = ROOT / "notebooks" / "lab-copy-refused"
    assert not inside.exists()
    try:
        err = cli_error(capsys, ["student-copy", str(inside)])
        assert "lab-copy-refused" in err and "notebooks folder" in err
        assert not inside.exists()
    finally:
        if inside.exists():                                       # only if the guard failed
            for p in inside.iterdir():
                p.unlink()
            inside.rmdir()


# ------------------------------------------------------------------------------------------------ train: no loss
def test_train_keeps_an_existing_checkpoint(tmp_path, capsys, monkeypatch):
    c = tmp_path / "c.pt"
    assert main(_train("mlp", c, 3)) == 0
    before = c.read_bytes()
    err = cli_error(capsys, _train("mlp", c, 1))
    assert str(c) in err and "already exists" in err and "--resume" in err and "--force" in err
    assert c.read_bytes() == before
    assert main(_train("mlp", c, 1, "--force")) == 0 and _step(c) == 1
    monkeypatch.chdir(tmp_path)                                   # the default --out, runs/KIND.pt, too
    assert main(["train", "mlp", "--steps", "2", *TINY]) == 0
    before = (tmp_path / "runs" / "mlp.pt").read_bytes()
    assert "runs/mlp.pt already exists" in cli_error(capsys, ["train", "mlp", "--steps", "1", *TINY])
    assert (tmp_path / "runs" / "mlp.pt").read_bytes() == before


def test_train_checks_outputs_before_training(tmp_path, capsys):
    afile = tmp_path / "afile"
    afile.write_text("x")
    for out in ("/proc/x.pt", str(afile / "x.pt")):               # a folder no one can write to; a "folder" that is a file
        err = cli_error(capsys, _train("dcgan", out, 150))
        assert f"cannot write --out {out}" in err and "not writable" in err
    err = cli_error(capsys, _train("mlp", tmp_path / "ok.pt", 150, "--export", str(tmp_path)))
    assert f"--export {tmp_path} is a folder" in err
    assert "training" not in capsys.readouterr().out             # refused before a single step
    assert not (tmp_path / "ok.pt").exists()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes to read-only folders")
def test_train_read_only_folder(tmp_path, capsys):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        assert f"cannot write --out {ro / 'c.pt'}" in cli_error(capsys, _train("mlp", ro / "c.pt", 5))
    finally:
        ro.chmod(0o755)


def test_zero_step_runs_are_refused(tmp_path, capsys):
    out = tmp_path / "new" / "x.pt"
    err = cli_error(capsys, ["train", "mlp", "--batch-size", "100000", "--out", str(out), "--quiet"])
    assert "--batch-size 100000" in err and "60000" in err and "0 steps" in err
    assert not out.parent.exists()                                # nothing written, not even the folder
    c = tmp_path / "c.pt"
    assert main(_train("mlp", c, 2)) == 0
    before = c.read_bytes()
    err = cli_error(capsys, _train("mlp", c, 2, "--resume"))      # already at step 2
    assert "nothing to train" in err and "step 2" in err
    assert c.read_bytes() == before


# ------------------------------------------------------------------------------------------------ divergence
def test_divergence_never_reaches_a_checkpoint_or_a_sample(tmp_path, capsys):
    d, png = tmp_path / "d.pt", tmp_path / "s.png"
    err = cli_error(capsys, ["train", "mlp", "--lr", "1e8", "--steps", "40", "--checkpoint-every", "1", "--out", str(d),
                             *TINY, "--seed", "0"])
    assert "training stopped" in err and "last good checkpoint (step" in err and str(d) in err
    blob = load(d)                                                # SHA-256 verified
    assert f"(step {blob['step']})" in err
    assert all(torch.isfinite(v).all() for k in ("G", "D", "opt_g", "opt_d")
               for v in _floats(blob[k]))
    assert main(["sample", "--checkpoint", str(d), "--out", str(png), "-n", "10"]) == 0
    blob["G"] = {k: torch.full_like(v, float("nan")) if v.is_floating_point() else v for k, v in blob["G"].items()}
    atomic_save(blob, d)                                          # a generator with NaN weights, checksum valid
    png.unlink()
    err = cli_error(capsys, ["sample", "--checkpoint", str(d), "--out", str(png)])
    assert str(d) in err and "not finite" in err
    assert not png.exists()


def _floats(tree):
    from gan_course.fileio import iter_tensors
    return [t for _, t in iter_tensors(tree) if t.is_floating_point()]


# ------------------------------------------------------------------------------------------------ corrupt files
def _data_record_at(path: Path, offset: int) -> str:
    """The zip member of a ``torch.save`` file whose stored bytes hold ``offset``."""
    with zipfile.ZipFile(path) as z, open(path, "rb") as f:
        for info in z.infolist():
            f.seek(info.header_offset + 26)
            n, m = int.from_bytes(f.read(2), "little"), int.from_bytes(f.read(2), "little")
            start = info.header_offset + 30 + n + m
            if start <= offset < start + info.file_size:
                return info.filename
    return ""


def test_corrupted_checkpoint_is_refused(tmp_path, capsys):
    c, png = tmp_path / "c.pt", tmp_path / "s.png"
    assert main(_train("dcgan", c, 3)) == 0
    raw = bytearray(c.read_bytes())
    mid = len(raw) // 2
    assert "/data/" in _data_record_at(c, mid)                    # the middle of the file is tensor bytes
    raw[mid:mid + 32] = b"\x7f" * 32
    c.write_bytes(raw)
    torch.load(c, weights_only=True)                              # torch alone loads it without a word
    err = cli_error(capsys, _train("dcgan", c, 6, "--resume"))
    assert f"checkpoint {c} is corrupt" in err and "SHA-256" in err
    assert c.read_bytes() == raw                                  # not overwritten by a resumed run
    assert f"{c} is corrupt" in cli_error(capsys, ["sample", "--checkpoint", str(c), "--out", str(png)])
    assert not png.exists()
    c.write_bytes(raw[:len(raw) // 3])                            # truncated
    assert f"checkpoint {c} cannot be read" in cli_error(capsys, _train("dcgan", c, 6, "--resume"))


# ------------------------------------------------------------------------------------------------ kill -9
def test_kill_9_during_checkpoint_writes(tmp_path, capsys):
    """A real ``train`` writing a checkpoint every step is killed while a temporary file exists; the checkpoint
    still loads (SHA-256 verified) and the next run removes the dead process's temporary file."""
    c = tmp_path / "c.pt"
    cmd = [sys.executable, "-m", "gan_course", *_train("mlp", c, 100000, "--checkpoint-every", "1")]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not (c.exists() and list(tmp_path.glob("c.pt.*.tmp"))):
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "no checkpoint write seen"
            time.sleep(0.002)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    step = _step(c)                                               # whole and verified
    assert step >= 1
    assert main(_train("mlp", c, step + 1, "--resume")) == 0
    assert _step(c) == step + 1
    assert list(tmp_path.glob("*.tmp")) == []


# ------------------------------------------------------------------------------------------------ arguments
@pytest.mark.parametrize("argv, message", [
    (["train", "mlp", "--lr", "nan"], "lr must be a finite number, got 'nan'"),
    (["train", "mlp", "--lr", "inf"], "lr must be a finite number, got 'inf'"),
    (["train", "mlp", "--lr", "0"], "lr must be > 0, got '0'"),
    (["train", "mlp", "--loss", "hinge"], "invalid choice: 'hinge'"),
    (["train", "mlp", "--device", "tpu"], "device 'tpu' is not one of cpu, cuda, mps"),
    (["train", "mlp", "--seed", "-1"], "seed must be ≥ 0, got '-1'"),
    (["train", "mlp", "--checkpoint-every", "-5"], "checkpoint-every must be ≥ 0, got '-5'"),
    (["train", "mlp", "--threads", "0"], "threads must be > 0, got '0'"),
    (["bench", "--max-steps", "0"], "max-steps must be > 0, got '0'"),
    (["bench", "--threads", "0"], "threads must be > 0, got '0'"),
    (["bench", "--seconds", "nan"], "seconds must be a finite number, got 'nan'"),
    (["bench", "--device", "tpu"], "device 'tpu' is not one of"),
    (["sample", "--checkpoint", "x.pt", "-n", "1000000000"], "n must be > 0 and ≤ 10,000, got '1000000000'"),
    (["sample", "--checkpoint", "x.pt", "--out", "s.txt"], "'s.txt' must end in one of .png, .jpg"),
    (["sample", "--checkpoint", "x.pt", "--seed", "-1"], "seed must be ≥ 0, got '-1'"),
    (["train-classifier", "--lr", "nan"], "lr must be a finite number, got 'nan'"),
    (["train-classifier", "--epochs", "0"], "epochs must be > 0, got '0'"),
])
def test_bad_values_exit_2_naming_the_value(argv, message, capsys):
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 2 and message in capsys.readouterr().err


def test_errors_are_one_line_unless_debug(tmp_path, monkeypatch):
    missing = str(tmp_path / "missing.pt")
    cmd = [sys.executable, "-m", "gan_course", "sample", "--checkpoint", missing]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert r.returncode == 1 and r.stderr == f"error: generator file {missing} does not exist\n"
    with pytest.raises(FileNotFoundError, match="missing.pt does not exist"):
        main(["sample", "--checkpoint", missing, "--debug"])
    monkeypatch.setenv("GAN_COURSE_DEBUG", "1")
    with pytest.raises(FileNotFoundError):
        main(["sample", "--checkpoint", missing])


# ------------------------------------------------------------------------------------------------ sample
def test_sample_draws_in_batches(tmp_path, monkeypatch):
    from gan_course.mnist import checkpoints, nets

    G = nets.MLPGenerator(z_dim=8, hidden=8).eval()
    whole = checkpoints.draw(G, 25, seed=1)
    seen = []
    G.register_forward_hook(lambda m, inp, out: seen.append(len(inp[0])))
    monkeypatch.setattr(checkpoints, "BATCH", 10)
    assert torch.allclose(checkpoints.draw(G, 25, seed=1), whole, atol=1e-6)
    assert seen == [10, 10, 5]


def test_sample_writes_every_allowed_format(tmp_path):
    from gan_course.mnist import checkpoints, nets
    from gan_course.tools.sample import FORMATS

    gen = tmp_path / "g.pt"
    checkpoints.export_generator(nets.MLPGenerator(hidden=8), {"class": "MLPGenerator", "kwargs": {"hidden": 8}}, gen)
    for fmt in FORMATS:
        out = tmp_path / f"s.{fmt.upper() if fmt == 'png' else fmt}"
        assert main(["sample", "--checkpoint", str(gen), "--out", str(out), "-n", "10"]) == 0
        assert out.stat().st_size > 0
    assert list(tmp_path.glob("*.tmp")) == []


# ------------------------------------------------------------------------------------------------ train-classifier
@pytest.mark.parametrize("accuracy", [0.5, 0.995])
def test_train_classifier_replaces_weights_only_when_good(accuracy, tmp_path, capsys, monkeypatch):
    from gan_course.mnist.classifier import DEFAULT_WEIGHTS, MNISTClassifier
    from gan_course.mnist.fid import load_classifier
    from gan_course.tools import classifier

    torch.manual_seed(0)
    monkeypatch.setattr(classifier, "train_classifier", lambda **kw: (MNISTClassifier(), accuracy))
    out, new = tmp_path / "classifier.pt", tmp_path / "classifier.new.pt"
    out.write_bytes(DEFAULT_WEIGHTS.read_bytes())                 # a copy of the shipped weights
    shipped = out.read_bytes()
    argv = ["train-classifier", "--out", str(out), "--device", "cpu"]
    if accuracy < 0.99:
        err = cli_error(capsys, argv)
        assert "0.5000 is below the 99%" in err and "unchanged" in err and "classifier.new.pt" in err
        assert out.read_bytes() == shipped and new.is_file()
    else:
        assert main(argv) == 0
        assert out.read_bytes() != shipped and not new.exists()
        load_classifier(path=out)                                 # SHA-256 verified
