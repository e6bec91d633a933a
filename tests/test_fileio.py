"""gan_course.fileio: the one atomic write (fsync, rename, no leftovers), checksummed checkpoints, ``kill -9``."""

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from gan_course import fileio
from gan_course.fileio import CorruptFile, atomic_save, atomic_write, check_writable, digest, load

ROOT = Path(__file__).resolve().parents[1]


def test_fsync_before_rename_then_folder(tmp_path, monkeypatch):
    calls = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        calls.append("fsync folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync file")
        real_fsync(fd)

    def replace(a, b):
        calls.append("rename")
        real_replace(a, b)
    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    atomic_write(tmp_path / "a.txt", lambda f: f.write("x"), binary=False)
    assert calls[:2] == ["fsync file", "rename"]
    if os.name == "posix":
        assert calls == ["fsync file", "rename", "fsync folder"]
    assert (tmp_path / "a.txt").read_text() == "x"


def test_failed_write_leaves_target_and_no_temporary(tmp_path):
    out = tmp_path / "a.txt"
    out.write_text("old")

    def boom(f):
        f.write("half")
        raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        atomic_write(out, boom, binary=False)
    assert out.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_new_file_gets_ordinary_permissions(tmp_path):
    mask = os.umask(0o022)
    try:
        atomic_write(tmp_path / "a", lambda f: f.write(b"x"))
    finally:
        os.umask(mask)
    if os.name == "posix":
        assert (tmp_path / "a").stat().st_mode & 0o777 == 0o644


def test_stale_temporaries_of_dead_writers_are_removed(tmp_path):
    out = tmp_path / "c.pt"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f"c.pt.{int(dead.stdout)}.abc123.tmp"
    live = tmp_path / f"c.pt.{os.getpid()}.def456.tmp"             # a writer that is still running: this one
    stale.write_bytes(b"x" * 1000)
    live.write_bytes(b"y")
    atomic_save({"w": torch.ones(2)}, out)
    assert not stale.exists() and live.exists()


KILL_LOOP = """
import sys, torch
from gan_course.fileio import atomic_save
w = torch.randn(4_000_000)                                        # 16 MB: most of the time is spent writing
i = 0
while True:
    i += 1
    atomic_save({"i": i, "w": w + i}, sys.argv[1])
"""


def test_kill_9_during_a_write_loop(tmp_path):
    """A process saving a 16-MB checkpoint in a loop is killed (SIGKILL) while a temporary file exists, three
    times: each time the checkpoint loads whole (SHA-256 verified); the dead writers' temporary files are left
    and the next write removes them."""
    out = tmp_path / "c.pt"
    left = 0
    for _ in range(3):
        proc = subprocess.Popen([sys.executable, "-c", KILL_LOOP, str(out)], cwd=ROOT, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 60
            while not (out.exists() and list(tmp_path.glob("c.pt.*.tmp"))):
                assert proc.poll() is None, proc.stderr.read().decode()
                assert time.monotonic() < deadline
                time.sleep(0.001)
            os.kill(proc.pid, signal.SIGKILL)
        finally:
            proc.kill()
            proc.wait()
        blob = load(out)
        assert blob["i"] >= 1 and blob["w"].shape == (4_000_000,)
        left = max(left, len(list(tmp_path.glob("c.pt.*.tmp"))))
    assert left >= 1                                              # the kill came mid-write
    atomic_save({"i": 0}, out)                                    # the next run
    assert list(tmp_path.glob("*.tmp")) == [] and load(out) == {"i": 0}


def test_digest_sees_every_byte_and_key():
    a = {"w": torch.arange(6.0).reshape(2, 3), "meta": {"step": 3, "lr": 2e-4}, "h": [1.0, None]}
    d = digest(a)
    assert d == digest({"w": torch.arange(6.0).reshape(2, 3), "meta": {"step": 3, "lr": 2e-4}, "h": [1.0, None]})
    b = {**a, "w": a["w"].clone()}
    b["w"].view(-1)[4] = torch.nextafter(b["w"].view(-1)[4], torch.tensor(10.0))    # one ulp
    assert digest(b) != d
    assert digest({**a, "meta": {"step": 4, "lr": 2e-4}}) != d
    assert digest({**a, "w": a["w"].reshape(3, 2)}) != d
    assert digest({**a, "w": a["w"].double()}) != d


def test_load_verifies_the_checksum(tmp_path):
    p = tmp_path / "c.pt"
    atomic_save({"w": torch.ones(1000), "step": 5}, p)
    assert set(load(p)) == {"w", "step"}
    blob = torch.load(p, weights_only=True)
    assert blob["sha256"] == digest({"w": torch.ones(1000), "step": 5})
    blob["w"][500] = 2.0                                          # a changed value, old checksum
    torch.save(blob, p)
    with pytest.raises(CorruptFile, match=f"checkpoint {p} is corrupt.*SHA-256"):
        load(p)


def test_files_without_a_checksum_load_unverified(tmp_path):
    torch.save({"w": torch.ones(3)}, tmp_path / "old.pt")
    assert torch.equal(load(tmp_path / "old.pt")["w"], torch.ones(3))
    for shipped in sorted((ROOT / "data" / "weights").glob("*.pt")):
        assert "sha256" not in torch.load(shipped, weights_only=True)      # shipped before checksums: unchanged
        assert load(shipped)


class _Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned > /dev/null",))


def test_load_refuses_code_and_names_the_file(tmp_path):
    p = tmp_path / "evil.pt"
    torch.save({"w": _Evil()}, p)
    with pytest.raises(CorruptFile, match=f"checkpoint {p} (was refused|cannot be read)"):
        load(p)
    (tmp_path / "empty.pt").write_bytes(b"")
    with pytest.raises(CorruptFile, match="empty.pt cannot be read"):
        load(tmp_path / "empty.pt", "checkpoint")
    with pytest.raises(FileNotFoundError, match="generator file .*nope.pt does not exist"):
        load(tmp_path / "nope.pt", "generator file")


def test_check_writable_names_the_path(tmp_path):
    assert check_writable(tmp_path / "sub" / "x.pt", "--out") == tmp_path / "sub" / "x.pt"
    assert list((tmp_path / "sub").iterdir()) == []               # the probe is gone
    with pytest.raises(ValueError, match=f"--out {tmp_path} is a folder"):
        check_writable(tmp_path, "--out")
    (tmp_path / "f").write_text("")
    with pytest.raises(ValueError, match=f"cannot write --export {tmp_path / 'f' / 'x.pt'}: its folder"):
        check_writable(tmp_path / "f" / "x.pt", "--export")


def test_iter_tensors_names():
    names = [n for n, _ in fileio.iter_tensors({"G": {"w": torch.ones(1)}, "opt": [torch.ones(1), (1, torch.ones(1))]})]
    assert names == ["G.w", "opt.0", "opt.1.1"]
