import gzip
import shutil

import numpy as np
import pytest
import torch

from gan_course.data import DEFAULT_ROOT, DataError, load_mnist, mnist_tensor, verify

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]


def test_train_split_shapes_dtypes_and_label_counts():
    images, labels = load_mnist("train")
    assert images.shape == (60_000, 28, 28) and images.dtype == torch.uint8
    assert labels.shape == (60_000,) and labels.dtype == torch.int64
    assert torch.bincount(labels, minlength=10).tolist() == TRAIN_COUNTS


def test_test_split():
    images, labels = load_mnist("test")
    assert images.shape == (10_000, 28, 28) and labels.shape == (10_000,)
    assert int(labels.min()) == 0 and int(labels.max()) == 9


def test_unknown_split():
    with pytest.raises(ValueError, match="split must be one of \\['test', 'train'\\], got 'validation'"):
        load_mnist("validation")


def test_mnist_tensor_range_and_shape():
    x = mnist_tensor("test")
    assert x.shape == (10_000, 1, 28, 28) and x.dtype == torch.float32
    assert float(x.min()) == -1.0 and float(x.max()) == 1.0
    images, _ = load_mnist("test")
    # the scaling is exact: uint8 v ↦ v/127.5 − 1
    assert torch.allclose(x[:5, 0], images[:5].float() / 127.5 - 1)
    assert mnist_tensor("test", dtype=torch.float64).dtype == torch.float64


def test_verify_all_ok():
    assert set(verify().values()) == {"ok"}


@pytest.fixture
def copy(tmp_path):
    for f in DEFAULT_ROOT.glob("t10k-*.gz"):
        shutil.copy(f, tmp_path / f.name)
    return tmp_path


def test_copy_loads(copy):
    images, _ = load_mnist("test", root=copy)
    assert images.shape == (10_000, 28, 28)


def test_missing_file(copy):
    (copy / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(DataError, match=r"t10k-labels-idx1-ubyte\.gz .*file is missing.*Fix:"):
        load_mnist("test", root=copy)


def test_truncated_gzip(copy):
    p = copy / "t10k-images-idx3-ubyte.gz"
    p.write_bytes(p.read_bytes()[:50_000])
    with pytest.raises(DataError, match=r"t10k-images-idx3-ubyte\.gz .*truncated or corrupt.*Fix:"):
        load_mnist("test", root=copy)


def test_md5_mismatch(copy):
    p = copy / "t10k-images-idx3-ubyte.gz"
    raw = bytearray(gzip.decompress(p.read_bytes()))
    raw[1000] ^= 0xFF  # one flipped pixel: a valid gzip, a valid IDX, the wrong bytes
    p.write_bytes(gzip.compress(bytes(raw)))
    with pytest.raises(DataError, match=r"t10k-images-idx3-ubyte\.gz .*md5 of the uncompressed bytes is [0-9a-f]{32}, expected 2646ac64"):
        load_mnist("test", root=copy)


def test_wrong_magic_and_shape(copy, monkeypatch):
    # With the checksum table emptied (as for a user's own IDX files), header checks still guard.
    monkeypatch.setattr("gan_course.data.MD5", {})
    p = copy / "t10k-labels-idx1-ubyte.gz"
    raw = bytearray(gzip.decompress(p.read_bytes()))
    bad_magic = bytes([0, 0, 8, 3]) + bytes(raw[4:])
    p.write_bytes(gzip.compress(bad_magic))
    with pytest.raises(DataError, match=r"t10k-labels-idx1-ubyte\.gz .*IDX magic is 0x00000803, expected 0x00000801"):
        load_mnist("test", root=copy)
    bad_shape = bytes(raw[:4]) + np.array([9_999], ">i4").tobytes() + bytes(raw[8:-1])
    p.write_bytes(gzip.compress(bad_shape))
    with pytest.raises(DataError, match=r"t10k-labels-idx1-ubyte\.gz .*IDX shape is \(9999,\), expected \(10000,\)"):
        load_mnist("test", root=copy)


def test_md5_mismatch_is_reported_by_verify(copy):
    p = copy / "t10k-labels-idx1-ubyte.gz"
    p.write_bytes(gzip.compress(b"\x00" * 100))
    report = verify(copy)
    assert "md5" in report["t10k-labels-idx1-ubyte.gz"]
    assert report["t10k-images-idx3-ubyte.gz"] == "ok"
    assert "missing" in report["train-images-idx3-ubyte.gz"]


def test_a_directory_or_an_empty_file_is_named(copy):
    (copy / "t10k-labels-idx1-ubyte.gz").unlink()
    (copy / "t10k-labels-idx1-ubyte.gz").mkdir()
    with pytest.raises(DataError, match=r"t10k-labels-idx1-ubyte\.gz .*: is a directory, not a file.*Fix:"):
        load_mnist("test", root=copy)
    (copy / "t10k-images-idx3-ubyte.gz").write_bytes(b"")
    with pytest.raises(DataError, match=r"t10k-images-idx3-ubyte\.gz .*: is empty \(0 bytes\).*Fix:"):
        load_mnist("test", root=copy)
