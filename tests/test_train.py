"""gan_course.train: exact resume, the NaN guard keeping the last good checkpoint, ResidentSampler."""

import pytest
import torch
from torch import nn

from gan_course.train import GANTrainer, ResidentSampler, TrainingDiverged, linear_decay


def _trainer(data, seed=0, **kw):
    torch.manual_seed(seed)
    G = nn.Sequential(nn.Linear(4, 16), nn.LeakyReLU(0.2), nn.Linear(16, 2))
    D = nn.Sequential(nn.Linear(2, 16), nn.LeakyReLU(0.2), nn.Dropout(0.2), nn.Linear(16, 1))  # dropout uses torch's RNG
    opt_g = torch.optim.Adam(G.parameters(), 1e-3, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), 1e-3, betas=(0.5, 0.999))
    noise = lambda m, g: torch.randn(m, 4, generator=g)
    return GANTrainer(G, D, opt_g, opt_d, ResidentSampler(data), noise, batch_size=16,
                      generator=torch.Generator().manual_seed(seed), **kw)


def _data():
    return torch.randn(100, 2, generator=torch.Generator().manual_seed(1)) * 0.5 + 2


def test_resume_equals_uninterrupted(tmp_path):
    full = _trainer(_data())
    full.train(20, progress=False)

    first = _trainer(_data(), checkpoint=tmp_path / "ck.pt")
    first.train(13, progress=False)            # 13 steps: mid-epoch of the sampler (100 rows / 16)
    torch.manual_seed(12345)                   # disturb the global RNG: resume must restore it
    second = _trainer(_data(), seed=7)         # different init: everything must come from the checkpoint
    second.resume(tmp_path / "ck.pt")
    assert second.step == 13
    second.train(7, progress=False)

    for net in ("G", "D"):
        a, b = getattr(full, net).state_dict(), getattr(second, net).state_dict()
        for k in a:
            assert torch.equal(a[k], b[k]), f"{net}.{k} differs after resume"
    assert full.history == second.history


def test_nan_guard_keeps_last_good_checkpoint(tmp_path):
    data = _data()
    tr = _trainer(data, checkpoint=tmp_path / "ck.pt", checkpoint_every=5)

    def poison(trainer):                       # from step 7 on, the real data is NaN → D's loss is NaN
        if trainer.step == 7:
            data[:] = float("nan")
    tr.callbacks.append(poison)
    with pytest.raises(TrainingDiverged, match=r"discriminator loss is nan at step 8.*last good checkpoint"):
        tr.train(20, progress=False)
    ck = torch.load(tmp_path / "ck.pt", weights_only=True)
    assert ck["step"] == 5                     # the step-5 checkpoint, not overwritten by the failure
    assert all(torch.isfinite(v).all() for v in ck["G"].values())
    assert all(torch.isfinite(p).all() for p in tr.D.parameters())  # the guard fires before the update


def test_resident_sampler_epochs_are_permutations():
    data = torch.arange(10).float()[:, None]
    s = ResidentSampler(data)
    g = torch.Generator().manual_seed(0)
    seen = torch.cat([s(5, g), s(5, g)])
    assert sorted(seen[:, 0].tolist()) == list(range(10))   # one epoch = each row once
    assert s.epoch == 1
    s(5, g)
    assert s.epoch == 2 and seen.device == data.device
    state = s.state_dict()
    nxt = s(5, g)
    s2 = ResidentSampler(data)
    s2.load_state_dict(state)
    assert torch.equal(s2(5, g), nxt)          # the rest of the saved epoch's permutation, row for row
    assert s2.pos == 10 and s2.epoch == 2


def test_resident_sampler_rejects_bad_input():
    with pytest.raises(ValueError, match="exceeds"):
        ResidentSampler(torch.zeros(3, 1))(4)
    with pytest.raises(ValueError, match="non-empty"):
        ResidentSampler(torch.zeros(0, 1))


def test_linear_decay():
    """``train --lr-decay`` / the benchmark's schedule: × 1 until the last ``fraction`` of the run, then to 0."""
    assert linear_decay(0, 300, 0.4) == linear_decay(180, 300, 0.4) == 1.0
    assert linear_decay(240, 300, 0.4) == pytest.approx(0.5) and linear_decay(270, 300, 0.4) == pytest.approx(0.25)
    assert linear_decay(300, 300, 0.4) == linear_decay(301, 300, 0.4) == 0.0
    assert linear_decay(5, 10, 1.0) == pytest.approx(0.5) and linear_decay(9, 10, 0) == 1.0
    for bad in (-0.1, 1.5, True, "0.4"):
        with pytest.raises(ValueError, match=r"lr decay must be a fraction in \[0, 1\], got"):
            linear_decay(0, 300, bad)
    with pytest.raises(ValueError, match="lr decay needs a total > 0, got 0"):
        linear_decay(0, 0, 0.5)


def test_weight_guard_names_the_last_good_step(tmp_path):
    """A step that leaves finite losses but NaN weights (here: an optimiser step that poisons one generator weight
    at step 7) stops training there: the message names the last good step (6) and the checkpoint kept (step 5)."""
    tr = _trainer(_data(), checkpoint=tmp_path / "ck.pt", checkpoint_every=5)
    real_step = tr.opt_g.step

    def poisoned_step(*a, **k):
        out = real_step(*a, **k)
        if tr.step + 1 == 7:
            with torch.no_grad():
                next(tr.G.parameters())[0, 0] = float("nan")
        return out
    tr.opt_g.step = poisoned_step
    with pytest.raises(TrainingDiverged, match=r"generator's weights are not finite \(NaN or inf\) after step 7, "
                                               r"the last good step is 6; the last good checkpoint \(step 5\) is kept"):
        tr.train(20, progress=False)
    assert tr.step == 6
    ck = torch.load(tmp_path / "ck.pt", weights_only=True)
    assert ck["step"] == 5 and all(torch.isfinite(v).all() for v in ck["G"].values())


def test_a_checkpoint_never_holds_non_finite_values(tmp_path):
    tr = _trainer(_data(), checkpoint=tmp_path / "ck.pt")
    tr.train(3, progress=False)
    before = (tmp_path / "ck.pt").read_bytes()
    state = next(iter(tr.opt_d.state.values()))
    state["exp_avg_sq"].fill_(float("inf"))                      # finite weights, overflowed Adam moments
    with pytest.raises(TrainingDiverged, match=r"state at step 3 holds non-finite values \(opt_d\.state\.0\.exp_avg_sq"):
        tr.save(tmp_path / "ck.pt")
    assert (tmp_path / "ck.pt").read_bytes() == before


def test_resume_refuses_a_corrupted_checkpoint(tmp_path):
    from gan_course.fileio import CorruptFile

    tr = _trainer(_data(), checkpoint=tmp_path / "ck.pt")
    tr.train(3, progress=False)
    blob = torch.load(tmp_path / "ck.pt", weights_only=True)
    blob["G"]["0.weight"][0, 0] += 1e15                          # a changed value under the old checksum
    torch.save(blob, tmp_path / "ck.pt")
    with pytest.raises(CorruptFile, match="ck.pt is corrupt"):
        _trainer(_data()).resume(tmp_path / "ck.pt")


def test_weight_check_is_exact():
    """Large finite weights whose sum overflows float32 are not divergence; a single NaN or inf anywhere is."""
    tr = _trainer(_data())
    tr.G.register_buffer("big", torch.full((4,), 3e38))           # finite, sum = inf in float32
    tr.train(2, progress=False)
    tr.G.big[2] = float("inf")
    with pytest.raises(TrainingDiverged, match=r"generator's weights are not finite .* after step 3, the last good step is 2"):
        tr.train(1, progress=False)
    tr.G.big[2] = 1.0
    tr.D.register_buffer("bad", torch.tensor([0.0, float("nan")]))
    with pytest.raises(TrainingDiverged, match="discriminator's weights are not finite"):
        tr.train(1, progress=False)


def test_train_stops_when_its_seconds_run_out(monkeypatch):
    import gan_course.train as train_module
    clock = iter(range(1000))                                  # a fake clock: one second per call
    monkeypatch.setattr(train_module.time, "perf_counter", lambda: float(next(clock)))
    tr = _trainer(_data())
    tr.train(50, progress=False, seconds=5)                    # deadline at 0 + 5: steps 1..5 read 1..5
    assert tr.step == 5 and len(tr.history["step"]) == 5
    tr.train(3, progress=False, seconds=100)                   # the step count comes first
    assert tr.step == 8
    for bad in (0, -1.0, float("nan")):
        with pytest.raises(ValueError, match="seconds must be > 0"):
            tr.train(3, progress=False, seconds=bad)
