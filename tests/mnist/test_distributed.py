"""``torchrun --nproc_per_node=2 -m gan_course train`` on CPU (gloo), a few steps."""

import os
import subprocess
import sys

import pytest
import torch
from tests.helpers import free_port

from gan_course.mnist.distributed import shard


def test_shards_are_disjoint_and_cover():
    parts = [shard(10, r, 3) for r in range(3)]
    assert sorted(torch.cat(parts).tolist()) == list(range(10))


@pytest.mark.parametrize("bf16", ["off", "on"])                  # on: DDP(Autocast(net)), gan_course.mnist.precision
def test_torchrun_two_processes(tmp_path, bf16):
    out = tmp_path / "ddp.pt"
    cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node=2", f"--master_port={free_port()}",
           "-m", "gan_course", "train", "dcgan", "--steps", "3", "--batch-size", "8", "--width", "4",
           "--device", "cpu", "--threads", "1", "--checkpoint-every", "2", "--quiet", "--out", str(out), "--bf16", bf16]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=150, env=env)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    assert r.stdout.count("training dcgan on cpu × 2 process(es)") == 1      # only rank 0 logs
    s = torch.load(out, map_location="cpu", weights_only=True)
    assert s["step"] == 3 and s["extra"]["world_size"] == 2 and s["extra"]["bf16"] == (bf16 == "on")
    ranks = s["extra"]["ranks"]
    assert len(ranks) == 2
    assert not torch.equal(ranks[0]["sampler"]["perm"], ranks[1]["sampler"]["perm"])   # own shard each
    assert not any(k.startswith("module.") for k in (*s["G"], *s["D"]))               # unwrapped weights
