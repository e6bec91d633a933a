import os
import random
import subprocess
import sys

import numpy as np
import pytest
import torch

from gan_course import config


def test_fast_mode_is_on_under_pytest():
    # conftest.py sets GAN_COURSE_FAST=1 before gan_course is imported
    assert config.FAST is True and config.MODE == "fast"
    assert config.pick(1000, 10) == 10


@pytest.mark.parametrize("value,expected", [("1", True), ("true", True), ("YES", True), ("0", False),
                                            ("", False), (None, False), ("no", False)])
def test_read_fast(value, expected):
    assert config._read_fast(value) is expected


def test_read_fast_rejects_garbage():
    with pytest.raises(ValueError, match="GAN_COURSE_FAST='maybe'"):
        config._read_fast("maybe")


def test_mode_read_from_environment_in_a_fresh_process():
    code = "from gan_course import config; print(config.FAST, config.MODE)"
    for val, want in (("1", "True fast"), ("0", "False lesson")):
        env = dict(os.environ, GAN_COURSE_FAST=val)
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        assert out.stdout.strip() == want


def test_get_device_default_and_override(monkeypatch):
    monkeypatch.delenv("GAN_COURSE_DEVICE", raising=False)
    expected = "cuda" if torch.cuda.is_available() else "mps" if torch.backends.mps.is_available() else "cpu"
    assert config.get_device().type == expected
    monkeypatch.setenv("GAN_COURSE_DEVICE", "cpu")
    assert config.get_device() == torch.device("cpu")
    assert config.get_device("cpu") == torch.device("cpu")


def test_get_device_rejects_unknown_and_unavailable(monkeypatch):
    with pytest.raises(ValueError, match="'tpu' is not one of"):
        config.get_device("tpu")
    if not torch.cuda.is_available():
        monkeypatch.setenv("GAN_COURSE_DEVICE", "cuda")
        with pytest.raises(ValueError, match="CUDA is not available"):
            config.get_device()


def test_seed_everything_reproduces_all_generators():
    def draw():
        g = config.seed_everything(123)
        return (random.random(), np.random.rand(), torch.rand(1).item(), torch.rand(1, generator=g).item())

    a, b = draw(), draw()
    assert a == b
    config.seed_everything(124)
    assert torch.rand(1).item() != a[2]


@pytest.mark.parametrize("bad", [-1, 1.5, "3", True])
def test_seed_everything_rejects_bad_seed(bad):
    with pytest.raises(ValueError, match="seed must be a non-negative integer"):
        config.seed_everything(bad)


def test_native_bf16(monkeypatch):
    """CPU bf16 counts as native only when torch's CPU probes say AMX or AVX512-BF16; non-CPU/CUDA never."""
    assert config.native_bf16("meta") is False
    monkeypatch.delenv("ONEDNN_MAX_CPU_ISA", raising=False)
    monkeypatch.setattr(torch.backends.cpu, "get_cpu_capability", lambda: "AVX512")    # whatever this CPU has
    monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", lambda: False, raising=False)
    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: False, raising=False)
    assert config.native_bf16("cpu") is False
    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: True, raising=False)
    assert config.native_bf16(torch.device("cpu")) is True
    monkeypatch.setattr(torch.backends.cpu, "get_cpu_capability", lambda: "AVX2")      # kernels without AVX-512
    assert config.native_bf16("cpu") is False
