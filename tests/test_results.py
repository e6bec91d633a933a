"""The result files committed in data/results/: the mode-collapse tables of notebook 06, PacGAN's Table 1 (06) and
the DCGAN guidelines (08).

Both are written by ``python -m gan_course modes`` (``gan_course.tools.modes_table``); notebook 06 loads
them, shows them and asserts the lesson's claims about them (a remedy beats the vanilla GAN, ...). These
tests check the files themselves: their format, that their summaries agree with their per-seed figures,
that the 10,000-step table is the same experiment as the 1,500-step one, and that the figures the
notebook's text quotes are the figures of the committed files (so a regenerated table cannot silently
contradict the lesson).
"""

import json
import math
import statistics

import pytest

from gan_course.config import repo_path
from gan_course.modes.remedies import METHODS, ToyConfig
from gan_course.modes.table import load_table

K = {"ring": 8, "grid": 25}
KEYS = ("modes", "high_quality", "reverse_kl")
SHORT, LONG = "modes_table.json", "modes_table_10k.json"


def table(name):
    return load_table(repo_path("data", "results", name))


@pytest.fixture(scope="module")
def short():
    return table(SHORT)


@pytest.fixture(scope="module")
def long():
    return table(LONG)


# ---------------------------------------------------------------- format and consistency of each file


@pytest.mark.parametrize("name", [SHORT, LONG])
def test_every_method_on_both_data_sets(name):
    t = table(name)
    res = t["results"]
    assert set(res) == {"ring", "grid"}
    assert all(set(res[d]) == set(METHODS) for d in res), {d: sorted(res[d]) for d in res}
    assert len(t["seeds"]) >= 5 and t["n_eval"] == 2500
    assert t["threshold_std"] == 3.0
    assert t["command"].startswith("python -m gan_course modes --seeds ")


@pytest.mark.parametrize("name", [SHORT, LONG])
def test_config_is_a_toy_config(name):
    # the notebook re-runs part of the table live from this stored configuration
    cfg = ToyConfig(**{k: tuple(v) if isinstance(v, list) else v for k, v in table(name)["config"].items()})
    assert cfg.steps == {SHORT: 1500, LONG: 10_000}[name]


@pytest.mark.parametrize("name", [SHORT, LONG])
def test_per_seed_figures_are_in_range(name):
    t = table(name)
    for d, methods in t["results"].items():
        for m, r in methods.items():
            assert len(r["per_seed"]) == len(t["seeds"]), (d, m)
            for fig in r["per_seed"]:
                assert isinstance(fig["modes"], int) and 0 <= fig["modes"] <= K[d], (d, m, fig)
                assert 0.0 <= fig["high_quality"] <= 1.0, (d, m, fig)
                assert 0.0 <= fig["reverse_kl"] <= math.log(K[d]) + 1e-9, (d, m, fig)
                if fig["modes"] == 0:  # nothing captured: reverse KL is log K by the table's convention
                    assert fig["reverse_kl"] == pytest.approx(math.log(K[d]), abs=1e-9), (d, m, fig)


@pytest.mark.parametrize("name", [SHORT, LONG])
def test_mean_and_std_summarise_the_seeds(name):
    for d, methods in table(name)["results"].items():
        for m, r in methods.items():
            for key in KEYS:
                v = [fig[key] for fig in r["per_seed"]]
                assert r["mean"][key] == pytest.approx(statistics.mean(v), abs=1e-12), (d, m, key)
                assert r["std"][key] == pytest.approx(statistics.stdev(v), abs=1e-12), (d, m, key)  # ddof = 1


@pytest.mark.parametrize("name", [SHORT, LONG])
def test_stored_samples_for_the_figures(name):
    for d, methods in table(name)["results"].items():
        for m, r in methods.items():
            s = r["samples_first_seed"]
            assert len(s) == 500 and all(len(row) == 2 and all(math.isfinite(v) for v in row) for row in s), (d, m)
            labels = r["labels_first_seed"]
            if m == "madgan":  # the generator that made each sample
                assert len(labels) == len(s) and set(labels) <= set(range(table(name)["config"]["madgan_k"]))
            else:
                assert labels is None, (d, m)


def test_long_table_is_the_same_experiment_at_10k_steps(short, long):
    assert long["config"]["steps"] == 10_000 and short["config"]["steps"] == 1500
    assert long["seeds"] == short["seeds"] and long["n_eval"] == short["n_eval"]
    assert {k: v for k, v in long["config"].items() if k != "steps"} == {
        k: v for k, v in short["config"].items() if k != "steps"}
    assert "--steps 10000" in long["command"]


# ---------------------------------------------------------------- figures quoted in notebook 06's text


def best(res, d):
    """The notebook's choice of the best method: most modes, then most high-quality samples."""
    return max(METHODS, key=lambda m: (res[d][m]["mean"]["modes"], res[d][m]["mean"]["high_quality"]))


def test_quoted_figures_of_the_1500_step_table(short):
    res = short["results"]
    # "the committed table's vanilla ring figure is 0.4 ± 0.55 modes over 5 seeds"
    assert round(res["ring"]["vanilla"]["mean"]["modes"], 1) == 0.4
    assert round(res["ring"]["vanilla"]["std"]["modes"], 2) == 0.55
    # "Unrolled GAN, best on the grid at 1,500 steps"
    assert best(res, "grid") == "unrolled"


def test_quoted_figures_of_the_10k_step_table(short, long):
    res, lres = short["results"], long["results"]
    # "570 s on an idle 2-core CPU"; "a 6.7× longer budget"
    assert round(long["wall_seconds"], -1) == 570 and long["cpus"] == 2
    assert round(long["config"]["steps"] / short["config"]["steps"], 1) == 6.7
    # Ring: unrolled GAN keeps all 8 modes in every seed with ≈ 95 % high-quality samples (just below 95 %)
    # and reverse KL ≈ 0.03; PacGAN4 also 8/8 with reverse KL ≈ 0.03 but blurrier samples.
    unrolled, pacgan = lres["ring"]["unrolled"], lres["ring"]["pacgan"]
    assert [fig["modes"] for fig in unrolled["per_seed"]] == [8] * 5
    assert round(unrolled["mean"]["high_quality"], 2) == 0.95 and unrolled["mean"]["high_quality"] < 0.95
    assert round(unrolled["mean"]["reverse_kl"], 2) == 0.03 and unrolled["mean"]["reverse_kl"] <= 0.04
    assert [fig["modes"] for fig in pacgan["per_seed"]] == [8] * 5
    assert round(pacgan["mean"]["reverse_kl"], 2) == 0.03
    assert pacgan["mean"]["high_quality"] < unrolled["mean"]["high_quality"]
    # the vanilla GAN covers the ring at 10,000 steps: 8/8 in every seed, fewer sharp samples, reverse KL ≈ 0.3
    vanilla = lres["ring"]["vanilla"]
    assert [fig["modes"] for fig in vanilla["per_seed"]] == [8] * 5
    assert vanilla["mean"]["high_quality"] < unrolled["mean"]["high_quality"]
    assert round(vanilla["mean"]["reverse_kl"], 1) == 0.3
    # seeds split in two: non-saturating, label smoothing and instance noise end with 8 modes on two seeds
    # and at most 1 on the other three, a mean of 3.4 ± 4.2
    for m in ("non_saturating", "label_smoothing", "instance_noise"):
        modes = [fig["modes"] for fig in lres["ring"][m]["per_seed"]]
        assert modes.count(8) == 2 and all(v <= 1 for v in modes if v != 8), (m, modes)
        assert round(lres["ring"][m]["mean"]["modes"], 1) == 3.4 and round(lres["ring"][m]["std"]["modes"], 1) == 4.2
    # Grid: the best method is PacGAN4 with 20.8 ± 2.2 of 25; the vanilla GAN 19.4 ± 3.6; no method reaches 24.8
    assert best(lres, "grid") == "pacgan"
    g_pac, g_van = lres["grid"]["pacgan"], lres["grid"]["vanilla"]
    assert (round(g_pac["mean"]["modes"], 1), round(g_pac["std"]["modes"], 1)) == (20.8, 2.2)
    assert (round(g_van["mean"]["modes"], 1), round(g_van["std"]["modes"], 1)) == (19.4, 3.6)
    assert g_pac["mean"]["modes"] - g_van["mean"]["modes"] < g_pac["std"]["modes"] + g_van["std"]["modes"]
    assert max(lres["grid"][m]["mean"]["modes"] for m in METHODS) < 24.8
    # unrolled GAN loses grid modes at 10,000 steps on every seed, four of five end with at most 4, and
    # seed 0 ends with 100 % of its samples sharp on a single mode
    before = [fig["modes"] for fig in res["grid"]["unrolled"]["per_seed"]]
    after = [fig["modes"] for fig in lres["grid"]["unrolled"]["per_seed"]]
    assert all(a < b for a, b in zip(after, before)), (before, after)
    assert sum(a <= 4 for a in after) == 4, after
    seed0 = lres["grid"]["unrolled"]["per_seed"][long["seeds"].index(0)]
    assert seed0["modes"] == 1 and seed0["high_quality"] == 1.0



# ---------------------------------------------------------------- PacGAN's Table 1 with the authors' setup


PAC = "pacgan_table1.json"


@pytest.fixture(scope="module")
def pac():
    return table(PAC)


def test_pacgan_file_is_the_authors_setup(pac):
    from dataclasses import asdict

    from gan_course.modes.pacgan import PacConfig
    authors = {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(PacConfig()).items()}
    assert {k: v for k, v in pac["config"].items() if k != "steps"} == {k: v for k, v in authors.items() if k != "steps"}
    assert pac["command"].startswith("python -m gan_course pacgan ")
    assert f"--steps {pac['config']['steps']}" in pac["command"]
    assert pac["complete"] and len(pac["trials"]) >= 3 and pac["wall_seconds"] > 0 and pac["cpu_seconds"] > 0


def test_pacgan_summaries_are_mean_and_standard_error(pac):
    for d, rows in pac["results"].items():
        for name, r in rows.items():
            assert len(r["per_trial"]) == len(pac["trials"]), (d, name)
            for key, mean in r["mean"].items():
                v = [f[key] for f in r["per_trial"]]
                assert mean == pytest.approx(statistics.mean(v), abs=1e-12)
                assert r["se"][key] == pytest.approx(statistics.stdev(v) / math.sqrt(len(v)), abs=1e-12)
            for fig in r["per_trial"]:
                assert 0 <= fig["modes"] <= K[d] and 0 <= fig["high_quality"] <= 1
                assert 0 <= fig["precision"] <= 1 and 0 <= fig["recall"] <= 1
            assert len(r["samples_first_trial"]) == 500


def _same_checkpoint(got, want, made_on):
    """Figures of re-trained trials against a file's: to the last digit on the CPU that made the file (``made_on``:
    its model name and, where the run recorded it, the vector instructions PyTorch used; one name can hide CPUs with
    and without AVX-512); another CPU rounds differently and early training is chaotic, so there only the trials'
    means (within two modes and five points of high quality)."""
    if _same_cpu(*made_on):
        for g, w in zip(got, want, strict=True):
            assert g == pytest.approx(w, abs=1e-9)
    else:
        for key, tol in (("modes", 2), ("high_quality", 0.05)):
            assert abs(statistics.mean(g[key] for g in got) - statistics.mean(w[key] for w in want)) <= tol, (got, want)


def _same_cpu(model, capability=None) -> bool:
    """Whether this CPU is the one a result was made on: the same model name and the same vector instructions in
    PyTorch's kernels (``cpu_capability``). Files made before they recorded it come from machines 1-4 of
    docs/benchmarks.md, all with AVX-512."""
    import torch

    from gan_course.config import cpu_model
    return cpu_model() == model and (capability or "AVX512") == torch.backends.cpu.get_cpu_capability()


def _made_on(record, d, name):
    """The CPU model and capability (None where not recorded) of the run that trained row ``name`` on ``d`` (a record
    continued with ``--resume`` has several)."""
    from gan_course.modes.pacgan import runs
    return next((r["cpu_model"], r.get("cpu_capability")) for r in runs(record) if f"{d}: {name}" in r["rows"])


def test_pacgan_first_row_regenerates_at_a_tiny_budget(pac):
    """The first row's first checkpoint, re-trained with the file's trials (batched, as the command trains them),
    threads and setup (compared by :func:`_same_checkpoint`)."""
    import torch

    from gan_course.modes.pacgan import PacConfig, evaluate, train_pacgan
    from gan_course.modes.table import mixture
    d = next(iter(pac["results"]))
    name, row = next(iter(pac["results"][d].items()))
    first = min(int(s) for s in row["curve"])
    torch.set_num_threads(pac["threads"])
    out = train_pacgan(mixture(d), pac["trials"], row["pack"], PacConfig(steps=first))
    got, want = evaluate(out["samples"], mixture(d), with_pr=False), row["curve"][str(first)]
    _same_checkpoint(got, want, _made_on(pac, d, name))

def _pac_curve(row, key):
    """Mean of ``key`` over trials at every checkpoint, the final figures last."""
    steps = sorted(int(s) for s in row["curve"])
    figs = [row["curve"][str(s)] for s in steps] + [row["per_trial"]]
    return [statistics.mean(f[key] for f in fs) for fs in figs]


def test_quoted_figures_of_the_pacgan_file(pac):
    """The figures notebook 06 (section 5) and data/results/README.md quote from the committed run."""
    from gan_course.modes.pacgan import PAPER_TABLE1
    # "20,000 steps, 5 % of the paper's schedule"; 3 trials; GAN and PacGAN4 on ring and grid
    assert pac["config"]["steps"] == 20_000 and 100 * pac["config"]["steps"] / pac["paper_steps"] == 5
    assert len(pac["trials"]) == 3
    names = ["GAN", "PacGAN2", "PacGAN3", "PacGAN4"]
    assert {d: list(rows) for d, rows in pac["results"].items()} == {"ring": names, "grid": names}
    res = pac["results"]
    r_gan, r_pac, g_gan, g_pac = res["ring"]["GAN"], res["ring"]["PacGAN4"], res["grid"]["GAN"], res["grid"]["PacGAN4"]

    def within(row, d, key):      # ours and the paper's differ by at most 2 combined standard errors
        p_mean, p_se = PAPER_TABLE1[d][row["pack"]][key]
        return abs(row["mean"][key] - p_mean) <= 2 * math.hypot(row["se"][key], p_se)

    # ring, PacGAN4: all 8 modes in every trial, 86 % high quality, reverse KL 0.02 (lower than the paper's 0.07)
    assert [f["modes"] for f in r_pac["per_trial"]] == [8, 8, 8]
    assert round(100 * r_pac["mean"]["high_quality"]) == 86 and round(r_pac["mean"]["reverse_kl"], 2) == 0.02
    assert r_pac["mean"]["reverse_kl"] + 2 * r_pac["se"]["reverse_kl"] < PAPER_TABLE1["ring"][4]["reverse_kl"][0]
    # ... and it covers the ring by the notebook's rule (noise floor: the uniform circle, 7.6 % and 0.02)
    assert r_pac["mean"]["high_quality"] >= 0.076 + 0.25 and r_pac["mean"]["reverse_kl"] <= 0.02 + 0.10
    # ring, GAN: 8 modes in every trial, reverse KL 0.39 within 2 SE of the paper's 0.45, more than 8x PacGAN4's worst
    assert [f["modes"] for f in r_gan["per_trial"]] == [8, 8, 8]
    assert round(r_gan["mean"]["reverse_kl"], 2) == 0.39 and within(r_gan, "ring", "reverse_kl")
    assert min(f["reverse_kl"] for f in r_gan["per_trial"]) > 8 * max(f["reverse_kl"] for f in r_pac["per_trial"])
    assert not r_gan["mean"]["reverse_kl"] <= 0.02 + 0.10                          # so it does not cover
    # not the paper's sharp collapse (>= 90 % high quality with modes missing): about 74 % on all 8 modes
    assert round(100 * r_gan["mean"]["high_quality"]) == 74
    assert not (r_gan["mean"]["high_quality"] >= 0.9 and r_gan["mean"]["modes"] < 8)
    # flattening: PacGAN4 moves by about 4 points / 0.01 over the last three checkpoints; the GAN by more than 10
    hq_pac, rkl_pac, hq_gan = _pac_curve(r_pac, "high_quality"), _pac_curve(r_pac, "reverse_kl"), _pac_curve(r_gan, "high_quality")
    assert 0.03 < max(hq_pac[-3:]) - min(hq_pac[-3:]) < 0.045 and max(rkl_pac[-3:]) - min(rkl_pac[-3:]) < 0.01
    assert max(hq_gan[-3:]) - min(hq_gan[-3:]) > 0.10
    # "PacGAN4 sharpens later: 11 % at 4,000 steps against the GAN's 60 %" (checkpoint index 2 = 4,000 steps)
    assert sorted(int(s) for s in r_pac["curve"])[2] == 4000
    assert round(100 * hq_pac[2]) == 11 and round(100 * hq_gan[2]) == 60
    # grid, GAN: 17.0 +- 0.6 modes (the paper's 17.3 +- 0.8 within 2 SE), 50 % sharp, below 20 % at 8,000 steps
    assert round(g_gan["mean"]["modes"], 1) == 17.0 and round(g_gan["se"]["modes"], 1) == 0.6 and within(g_gan, "grid", "modes")
    hq_g = _pac_curve(g_gan, "high_quality")
    assert round(100 * hq_g[-1]) == 50 and hq_g[sorted(int(s) for s in g_gan["curve"]).index(8000)] < 0.2
    # grid, PacGAN4: below 10 % sharp at every checkpoint, 14 modes on average; it does not cover
    assert max(_pac_curve(g_pac, "high_quality")) < 0.10 and g_pac["mean"]["modes"] == 14
    assert not g_pac["mean"]["high_quality"] >= 0.25
    # ring, PacGAN2 and PacGAN3: 7.7 modes each, reverse KL 0.13 and 0.07 (the paper's within 2 SE); PacGAN2 within
    # 2 SE of the paper on all three figures; by the mean PacGAN3 covers, PacGAN2 misses the bound (0.13 > 0.12)
    r2, r3, g2, g3 = res["ring"]["PacGAN2"], res["ring"]["PacGAN3"], res["grid"]["PacGAN2"], res["grid"]["PacGAN3"]
    assert round(r2["mean"]["modes"], 1) == round(r3["mean"]["modes"], 1) == 7.7
    assert round(r2["mean"]["reverse_kl"], 2) == 0.13 and round(r3["mean"]["reverse_kl"], 2) == 0.07
    assert within(r2, "ring", "reverse_kl") and within(r3, "ring", "reverse_kl")
    assert all(within(r2, "ring", k) for k in ("modes", "high_quality", "reverse_kl"))

    def covers(mean):               # notebook 06's rule on the ring: the uniform circle's 7.8 % + 25 points, 0.024 + 0.10
        return mean["high_quality"] >= 0.078 + 0.25 and mean["reverse_kl"] <= 0.024 + 0.10
    assert covers(r3["mean"]) and not covers(r2["mean"])
    # "PacGAN3's 88.3 +- 0.2 % on the ring"
    assert (round(100 * r3["mean"]["high_quality"], 1), round(100 * r3["se"]["high_quality"], 1)) == (88.3, 0.2)
    # grid: sharpening in the order of the packing degree; PacGAN2 24.0 +- 0.6 modes (the paper's 23.8 within 2 SE)
    # at 40 %, up from 5 % at 10,000 steps; PacGAN3 13 %; none covers (the uniform box's 2.0 % + 25 points, 0.24 + 0.10)
    hq_final = [res["grid"][n]["mean"]["high_quality"] for n in names[1:]]
    assert hq_final == sorted(hq_final, reverse=True)
    assert (round(g2["mean"]["modes"], 1), round(g2["se"]["modes"], 1)) == (24.0, 0.6) and within(g2, "grid", "modes")
    hq_g2 = _pac_curve(g2, "high_quality")
    assert round(100 * hq_g2[-1]) == 40 and round(100 * hq_g2[sorted(int(s) for s in g2["curve"]).index(10000)]) == 5
    assert round(100 * g3["mean"]["high_quality"]) == 13
    assert not any(r["mean"]["high_quality"] >= 0.020 + 0.25 and r["mean"]["reverse_kl"] <= 0.240 + 0.10
                   for r in res["grid"].values())


# ---------------------------------------------------------------- the remedies on the authors' setup (notebook 06)


REM = "pacgan_remedies.json"


@pytest.fixture(scope="module")
def rem():
    return table(REM)


def test_remedies_file_is_the_table1_setup_with_one_remedy_per_row(rem, pac):
    from dataclasses import asdict

    from gan_course.modes.pacgan import ROW_REMEDIES, row_name
    from gan_course.modes.pacsteps import RemedyConfig
    assert rem["config"] == pac["config"]                                 # same nets, data, optimiser and schedule
    # the constants as JSON holds them (tuples as lists); a constant the file lacks belongs to a row it does not hold
    want = json.loads(json.dumps(asdict(RemedyConfig())))
    assert rem["remedy_config"] == {k: want[k] for k in rem["remedy_config"]}
    assert set(want) - set(rem["remedy_config"]) <= {"unroll"} and "unrolled" not in rem["remedies"]
    assert rem["command"].startswith("python -m gan_course pacgan ") and "--remedies" in rem["command"]
    assert len(rem["trials"]) >= 5
    # the command names remedies in pacgan's order; the committed file holds the rows it finished, in that order
    assert rem["remedies"] == [r for r in ROW_REMEDIES if r in rem["remedies"]]
    names = ["GAN"] + [row_name(1, r) for r in rem["remedies"]]
    assert list(rem["results"]["ring"]) == names[:len(rem["results"]["ring"])]
    assert rem["complete"] == (len(rem["results"]["ring"]) == len(names))
    # made in parts with --resume: every row is trained by exactly one run, each run on the same setup
    from gan_course.modes.pacgan import runs
    assert sorted(r for run in runs(rem) for r in run["rows"]) == sorted(f"ring: {n}" for n in rem["results"]["ring"])
    for run in rem.get("earlier_runs", []):
        assert run["threads"] == rem["threads"] and run["torch"] == rem["torch"] and "--remedies" in run["command"]
    for name, r in rem["results"]["ring"].items():
        assert len(r["per_trial"]) == len(rem["trials"]) and r["pack"] == 1
        if r["remedy"] in ("madgan", "madgan_sim"):   # who holds which mode: the same 3σ rule as the row's figures
            assert len(r["ownership"]) == len(rem["trials"])
            for own, f in zip(r["ownership"], r["per_trial"]):
                assert len(own["counts"]) == rem["remedy_config"]["madgan_k"] and len(own["counts"][0]) == 8
                assert sum(map(sum, own["counts"])) == round(f["high_quality"] * rem["config"]["n_eval"]), name
        for key, mean in r["mean"].items():
            v = [f[key] for f in r["per_trial"]]
            assert mean == pytest.approx(statistics.mean(v), abs=1e-12)
            assert r["se"][key] == pytest.approx(statistics.stdev(v) / math.sqrt(len(v)), abs=1e-12)


def test_a_remedy_row_regenerates_at_a_tiny_budget(rem):
    """The last remedy row's first checkpoint, re-trained as the command trains it (a remedy's schedule is that of
    the whole run; compared by :func:`_same_checkpoint`)."""
    import torch

    from gan_course.modes.pacgan import PacConfig, evaluate, row_parts, train_pacgan
    from gan_course.modes.table import mixture
    row = list(rem["results"]["ring"].values())[-1]               # the last remedy row in the file
    first = min(int(s) for s in row["curve"])
    torch.set_num_threads(rem["threads"])
    parts = row_parts(row["remedy"], rem["trials"], rem["config"]["steps"], spread=1.0)
    out = train_pacgan(mixture("ring"), rem["trials"], 1, PacConfig(steps=first), **parts)
    got, want = evaluate(out["samples"], mixture("ring"), with_pr=False), row["curve"][str(first)]
    _same_checkpoint(got, want, _made_on(rem, "ring", list(rem["results"]["ring"])[-1]))


def test_quoted_figures_of_the_remedies_file(rem, pac):
    """The figures notebook 06 (section 5) and data/results/README.md quote from the remedies run."""
    from gan_course.modes.pacgan import PAPER_TABLE1
    assert rem["config"]["steps"] == 20_000 and len(rem["trials"]) == 5 and rem["complete"]
    rows = rem["results"]["ring"]
    assert list(rows) == ["GAN", "GAN + label smoothing", "GAN + instance noise", "GAN + replay", "GAN + minibatch std",
                          "MAD-GAN", "MAD-GAN-Sim", "GAN, wide G", "WGAN-GP", "WGAN-GP, λ = 0.1"]
    gan, ls, noise, replay, mbstd, mad = list(rows.values())[:6]
    pac4 = pac["results"]["ring"]["PacGAN4"]
    # "406 min in all" over the seven runs of the file ("about seven hours")
    from gan_course.modes.pacgan import runs
    assert len(runs(rem)) == 7 and round(sum(r["wall_seconds"] for r in runs(rem)) / 60) == 406

    def fig(row, key, scale=1, digits=2):
        return round(scale * row["mean"][key], digits), round(scale * row["se"][key], digits)

    def covers(f):                  # notebook 06's rule: the uniform circle's 7.6-7.8 % + 25 points, 0.02 + 0.10
        return f["high_quality"] >= 0.078 + 0.25 and f["reverse_kl"] <= 0.024 + 0.10

    def diff(row, key):             # a row's difference from the plain GAN, in combined standard errors
        return (row["mean"][key] - gan["mean"][key]) / math.hypot(row["se"][key], gan["se"][key])

    def within_paper(row, key):     # within 2 combined standard errors of the paper's GAN row
        p_mean, p_se = PAPER_TABLE1["ring"][1][key]
        return abs(row["mean"][key] - p_mean) <= 2 * math.hypot(row["se"][key], p_se)

    # the plain GAN: 7.4 +- 0.2 modes, 75 +- 10 %, reverse KL 0.29 +- 0.09, within 2 combined SE of the paper's 0.45
    assert fig(gan, "modes", digits=1) == (7.4, 0.2) and fig(gan, "high_quality", 100, 0) == (75, 10)
    assert fig(gan, "reverse_kl") == (0.29, 0.09) and within_paper(gan, "reverse_kl")
    # three of five trials miss a mode; one covers the ring; 39-92 % sharp samples across the trials
    assert sum(f["modes"] < 8 for f in gan["per_trial"]) == 3 and sum(map(covers, gan["per_trial"])) == 1
    hq = [round(100 * f["high_quality"]) for f in gan["per_trial"]]
    assert (min(hq), max(hq)) == (39, 92)
    # label smoothing: 83 +- 5 % high quality, precision 0.83 against 0.75, reverse KL 0.47 +- 0.06, 7.2 +- 0.4 modes,
    # no trial covers; its differences from the GAN within 2 combined SE (reverse KL 1.7)
    assert fig(ls, "high_quality", 100, 0) == (83, 5) and fig(ls, "reverse_kl") == (0.47, 0.06)
    assert fig(ls, "modes", digits=1) == (7.2, 0.4)
    assert round(ls["mean"]["precision"], 2) == 0.83 and round(gan["mean"]["precision"], 2) == 0.75
    assert not any(map(covers, ls["per_trial"]))
    assert all(abs(diff(ls, k)) < 2 for k in ("modes", "high_quality", "reverse_kl"))
    assert round(diff(ls, "reverse_kl"), 1) == 1.7
    # instance noise: 7.6 +- 0.2 modes, 75 +- 7 %, reverse KL 0.22 +- 0.08, two trials cover; every difference
    # from the GAN within one combined SE
    assert fig(noise, "modes", digits=1) == (7.6, 0.2) and fig(noise, "high_quality", 100, 0) == (75, 7)
    assert fig(noise, "reverse_kl") == (0.22, 0.08) and sum(map(covers, noise["per_trial"])) == 2
    assert all(abs(diff(noise, k)) < 1 for k in ("modes", "high_quality", "reverse_kl"))
    # replay: 6.6 +- 0.2 modes (every trial misses one or two), 89 +- 3 %, reverse KL 0.63 +- 0.11; fewer modes and a
    # higher reverse KL than the GAN, each by more than 2 combined SE; the paper's GAN row's modes and reverse KL
    # within 2 combined SE, its 98 % not
    assert fig(replay, "modes", digits=1) == (6.6, 0.2) and fig(replay, "high_quality", 100, 0) == (89, 3)
    assert fig(replay, "reverse_kl") == (0.63, 0.11)
    assert all(6 <= f["modes"] <= 7 for f in replay["per_trial"]) and not any(map(covers, replay["per_trial"]))
    assert diff(replay, "modes") < -2 and diff(replay, "reverse_kl") > 2
    assert within_paper(replay, "modes") and within_paper(replay, "reverse_kl")
    assert not within_paper(replay, "high_quality")
    # minibatch std: 7.4 +- 0.2 modes, 76 +- 6 %, reverse KL 0.44 +- 0.06, no trial covers; every difference from
    # the GAN within 1.5 combined SE (reverse KL 1.4)
    assert fig(mbstd, "modes", digits=1) == (7.4, 0.2) and fig(mbstd, "high_quality", 100, 0) == (76, 6)
    assert fig(mbstd, "reverse_kl") == (0.44, 0.06) and not any(map(covers, mbstd["per_trial"]))
    assert all(abs(diff(mbstd, k)) < 1.5 for k in ("modes", "high_quality", "reverse_kl"))
    assert round(diff(mbstd, "reverse_kl"), 1) == 1.4
    # "by 5,000 steps every row [of section 4's remedies] already has 7.4-7.8 modes on average"
    at5k = [statistics.mean(f["modes"] for f in r["curve"]["5000"]) for r in (gan, ls, noise, replay, mbstd)]
    assert round(min(at5k), 1) == 7.4 and round(max(at5k), 1) == 7.8
    # none of the four remedies covers the ring in every trial; PacGAN4 and MAD-GAN do
    assert all(map(covers, pac4["per_trial"])) and all(map(covers, mad["per_trial"]))
    assert not any(all(map(covers, r["per_trial"])) for r in (gan, ls, noise, replay, mbstd))


def test_quoted_figures_of_the_mad_rows(rem, pac):
    """The figures notebook 06 (section 6, "What MAD-GAN does on PacGAN's ring") quotes from the remedies run."""
    import torch

    from gan_course.modes.table import mixture
    rows = rem["results"]["ring"]
    gan, mad, sim = rows["GAN"], rows["MAD-GAN"], rows["MAD-GAN-Sim"]
    pac4 = pac["results"]["ring"]["PacGAN4"]

    def covers(f):                  # notebook 06's rule, as in the test above
        return f["high_quality"] >= 0.078 + 0.25 and f["reverse_kl"] <= 0.024 + 0.10

    def diff(row, other, key):      # difference in combined standard errors
        return (row["mean"][key] - other["mean"][key]) / math.hypot(row["se"][key], other["se"][key])

    def mean_at(row, step, key):
        return statistics.mean(f[key] for f in row["curve"][str(step)])

    # MAD-GAN: 8 modes in all five trials, 88.5 +- 1.5 %, reverse KL 0.023 +- 0.007, recall 0.75 (GAN's 0.58);
    # covers in every trial, the GAN in one
    assert all(f["modes"] == 8 for f in mad["per_trial"]) and all(map(covers, mad["per_trial"]))
    assert (round(100 * mad["mean"]["high_quality"], 1), round(100 * mad["se"]["high_quality"], 1)) == (88.5, 1.5)
    assert (round(mad["mean"]["reverse_kl"], 3), round(mad["se"]["reverse_kl"], 3)) == (0.023, 0.007)
    assert round(mad["mean"]["recall"], 2) == 0.75 and round(gan["mean"]["recall"], 2) == 0.58
    assert sum(map(covers, gan["per_trial"])) == 1
    # reverse KL lower by 2.9 combined SE; modes and recall higher by more than 2; high quality within 2
    assert round(diff(mad, gan, "reverse_kl"), 1) == -2.9
    assert diff(mad, gan, "modes") > 2 and diff(mad, gan, "recall") > 2 and abs(diff(mad, gan, "high_quality")) < 2
    # PacGAN4's 86 %, 0.019; every difference from it within 1.2 combined SE (modes: both 8 in every trial)
    assert round(100 * pac4["mean"]["high_quality"]) == 86 and round(pac4["mean"]["reverse_kl"], 3) == 0.019
    assert all(abs(diff(mad, pac4, k)) < 1.2 for k in ("high_quality", "reverse_kl", "precision", "recall"))
    assert all(f["modes"] == 8 for f in pac4["per_trial"])
    # by 10,000 steps 8 modes and reverse KL 0.03 on average (the GAN's still above 0.2)
    assert mean_at(mad, 10_000, "modes") == 8 and round(mean_at(mad, 10_000, "reverse_kl"), 2) == 0.03
    assert mean_at(gan, 10_000, "reverse_kl") > 0.2
    # ownership: MAD-GAN's generators hold 2-4 modes each, 3 or 4 shared per trial, purity 0.73-0.83
    own = mad["ownership"]
    assert {m for o in own for m in o["modes_per_generator"]} == {2, 3, 4} and {o["shared"] for o in own} == {3, 4}
    assert (round(min(o["purity"] for o in own), 2), round(max(o["purity"] for o in own), 2)) == (0.73, 0.83)
    # MAD-GAN-Sim: 2 or 3 modes per generator, purity 0.92-1.00, above MAD-GAN's best in every trial; in two
    # trials every generator holds exactly two modes and none is shared
    sown = sim["ownership"]
    assert {m for o in sown for m in o["modes_per_generator"]} == {2, 3}
    assert (round(min(o["purity"] for o in sown), 2), round(max(o["purity"] for o in sown), 2)) == (0.92, 1.00)
    assert min(o["purity"] for o in sown) > max(o["purity"] for o in own)
    assert sum(o["modes_per_generator"] == [2, 2, 2, 2] and o["shared"] == 0 for o in sown) == 2
    # four of five trials cover; trial 0 was 73 % sharp at 15,000 steps and 27 % (reverse KL 0.29) at 20,000, half
    # of its (plotted) samples more than 3.8 sigma from the nearest centre; the row: 76 +- 12 %, 0.09 +- 0.05
    assert [covers(f) for f in sim["per_trial"]] == [False, True, True, True, True]
    assert round(100 * sim["curve"]["15000"][0]["high_quality"]) == 73
    assert round(100 * sim["per_trial"][0]["high_quality"]) == 27 and round(sim["per_trial"][0]["reverse_kl"], 2) == 0.29
    mix = mixture("ring")
    dist = torch.cdist(torch.tensor(sim["samples_first_trial"]), mix.centers).min(1).values / mix.std
    assert 3.8 < float(dist.median()) < 4.0
    assert (round(100 * sim["mean"]["high_quality"]), round(100 * sim["se"]["high_quality"])) == (76, 12)
    assert (round(sim["mean"]["reverse_kl"], 2), round(sim["se"]["reverse_kl"], 2)) == (0.09, 0.05)
    # no difference from plain MAD-GAN beyond 1.4 combined SE
    assert all(abs(diff(sim, mad, k)) < 1.4 for k in ("high_quality", "reverse_kl", "precision", "recall"))
    # the control, one G of MAD-GAN's weights: 6.6 +- 0.5 modes, 73 +- 7 %, reverse KL 0.52 +- 0.13, no trial covers;
    # within 1.5 combined SE of the plain GAN on every figure; against MAD-GAN reverse KL higher by 3.8 combined
    # SE, modes and recall lower by more than 2.5
    wide = rows["GAN, wide G"]
    assert (round(wide["mean"]["modes"], 1), round(wide["se"]["modes"], 1)) == (6.6, 0.5)
    assert (round(100 * wide["mean"]["high_quality"]), round(100 * wide["se"]["high_quality"])) == (73, 7)
    assert (round(wide["mean"]["reverse_kl"], 2), round(wide["se"]["reverse_kl"], 2)) == (0.52, 0.13)
    assert not any(map(covers, wide["per_trial"]))
    assert all(abs(diff(wide, gan, k)) < 1.5 for k in ("modes", "high_quality", "reverse_kl", "precision", "recall"))
    assert round(diff(wide, mad, "reverse_kl"), 1) == 3.8
    assert diff(wide, mad, "modes") < -2.5 and diff(wide, mad, "recall") < -2.5


# ---------------------------------------------------------------- the DCGAN guidelines, tested (notebook 08)


GUIDE = "dcgan_guidelines.json"


@pytest.fixture(scope="module")
def guide():
    import json
    return json.loads(repo_path("data", "results", GUIDE).read_text())


def _guide_rows(guide, variant):
    return [r for r in guide["rows"] if r["variant"] == variant]


def test_guidelines_file_is_the_papers_settings(guide):
    from gan_course.mnist.guidelines import VARIANTS
    assert guide["command"].startswith("python -m gan_course guidelines")
    assert guide["settings"] == {"steps": 1500, "width": 16, "n_eval": 1000, "batch": 64, "lr": 2e-4,
                                 "betas": [0.5, 0.999], "loss": "non_saturating"}
    assert list(guide["variants"]) == list(VARIANTS)
    for v, spec in guide["variants"].items():
        assert (spec["d_activation"], spec["batchnorm"]) == VARIANTS[v]
        rows = _guide_rows(guide, v)
        assert sorted(r["seed"] for r in rows) == [0, 1, 2]
        for r in rows:
            assert r["fid_ratio"] == pytest.approx(r["fid"] / guide["baseline"]["fid"], rel=1e-12)
            assert sum(r["histogram"]) == guide["settings"]["n_eval"] and r["steps"] == 1500


def test_quoted_figures_of_the_guidelines_file(guide):
    """What notebook 08 ("The guidelines, tested") says about the committed run."""
    mean = {v: {k: statistics.mean(r[k] for r in _guide_rows(guide, v)) for k in ("fid_ratio", "recall")}
            for v in guide["variants"]}
    fid = {v: [r["fid_ratio"] for r in _guide_rows(guide, v)] for v in guide["variants"]}
    for with_bn, without in (("paper", "no_batchnorm"), ("relu_in_d", "relu_in_d_no_batchnorm")):
        # "without it every run is worse than every run with it, with either activation in D"
        assert min(fid[without]) > max(fid["paper"] + fid["relu_in_d"])
        # "a mean FID 1.5-1.7 times as high and less than half the recall"
        assert 1.45 <= mean[without]["fid_ratio"] / mean[with_bn]["fid_ratio"] <= 1.75
        assert mean[without]["recall"] < 0.5 * mean[with_bn]["recall"]
    # "ReLU and LeakyReLU give overlapping ranges of FID over the three seeds"
    assert max(min(fid["paper"]), min(fid["relu_in_d"])) <= min(max(fid["paper"]), max(fid["relu_in_d"]))
    # every run is far from real digits and far better than nothing: between the baseline and an untrained G (~340x)
    assert all(1 < r["fid_ratio"] < 200 for r in guide["rows"])


def test_guidelines_first_row_regenerates(guide):
    """The first row re-trained with the file's settings and threads: on the CPU model that made the file, the same
    figures to the last digit; elsewhere the float round-off differs and training amplifies it, so the FID only has
    to fall within the spread of that variant's three seeds, widened by half."""
    import torch

    from gan_course.data import mnist_tensor
    from gan_course.mnist.guidelines import run_variant
    from gan_course.mnist.quality import real_vs_real
    first, s = guide["rows"][0], guide["settings"]
    torch.set_num_threads(guide["threads"])
    reference = real_vs_real(mnist_tensor("test"), s["n_eval"], seed=0)
    assert reference["fid"] == pytest.approx(guide["baseline"]["fid"], rel=1e-6)
    row = run_variant(first["variant"], first["seed"], s["steps"], mnist_tensor("train"), reference, width=s["width"],
                      n_eval=s["n_eval"])
    if _same_cpu(guide["cpu_model"], guide.get("cpu_capability")):
        assert row["fid"] == pytest.approx(first["fid"], rel=1e-9) and row["histogram"] == first["histogram"]
    else:
        fids = [r["fid_ratio"] for r in _guide_rows(guide, first["variant"])]
        assert min(fids) / 1.5 <= row["fid_ratio"] <= max(fids) * 1.5, (row["fid_ratio"], fids)


def test_quoted_figures_of_the_wgan_gp_row(rem):
    """The figures notebook 06 (section 5, "What the remedies of §4 do on the authors' ring") and
    data/results/README.md quote from the WGAN-GP row, against the uniform circle's 3σ figures."""
    from gan_course.modes.baselines import expected_circle_metrics
    from gan_course.modes.table import mixture
    rows = rem["results"]["ring"]
    w, gan = rows["WGAN-GP"], rows["GAN"]
    assert w["remedy"] == "wgan_gp" and rem["remedy_config"]["n_critic"] == 5 and rem["remedy_config"]["gp_weight"] == 10
    # every trial: 2 modes; the row 0.4 +- 0.1 % high quality, reverse KL 1.41 +- 0.01, precision 0.005, recall 0.45
    assert all(f["modes"] == 2 for f in w["per_trial"])
    assert (round(100 * w["mean"]["high_quality"], 1), round(100 * w["se"]["high_quality"], 1)) == (0.4, 0.1)
    assert (round(w["mean"]["reverse_kl"], 2), round(w["se"]["reverse_kl"], 2)) == (1.41, 0.01)
    assert round(w["mean"]["precision"], 3) == 0.005 and round(w["mean"]["recall"], 2) == 0.45
    # below the uniform circle on all three figures, in every trial (its modes and high quality in closed form;
    # its reverse KL 0.024, as notebook 06's "covers" rule above)
    circle = expected_circle_metrics(mixture("ring"))
    assert all(f["modes"] < circle["modes"] - 5 and f["high_quality"] < circle["high_quality"] / 5
               and f["reverse_kl"] > 0.024 + 1 for f in w["per_trial"])
    # the GAN after 5,000 steps (as many generator updates as WGAN-GP's 20,000 steps and more): 7-8 modes, 59-73 %
    g5 = gan["curve"]["5000"]
    assert {f["modes"] for f in g5} <= {7, 8} and (round(100 * min(f["high_quality"] for f in g5)),
                                                   round(100 * max(f["high_quality"] for f in g5))) == (59, 73)
    # WGAN-GP's checkpoints stay at or below 1.6 % in every trial
    assert round(100 * max(f["high_quality"] for c in w["curve"].values() for f in c), 1) == 1.6


def test_quoted_figures_of_the_wgan_gp_row_with_the_toy_penalty(rem):
    """The figures notebook 06 (section 5) and data/results/README.md quote from row "WGAN-GP, λ = 0.1" (the penalty
    weight of Gulrajani et al.'s script for 2-D data), against the row with λ = 10, the plain GAN and the uniform
    circle."""
    from gan_course.modes.baselines import expected_circle_metrics
    from gan_course.modes.table import mixture
    rows = rem["results"]["ring"]
    toy, w10, gan = rows["WGAN-GP, λ = 0.1"], rows["WGAN-GP"], rows["GAN"]
    assert toy["remedy"] == "wgan_gp_toy" and rem["remedy_config"]["toy_gp_weight"] == 0.1
    # 8 modes in every trial; 51 +- 4 % high quality, reverse KL 0.13 +- 0.03, precision 0.57, recall 0.78
    assert all(f["modes"] == 8 for f in toy["per_trial"])
    assert (round(100 * toy["mean"]["high_quality"]), round(100 * toy["se"]["high_quality"])) == (51, 4)
    assert (round(toy["mean"]["reverse_kl"], 2), round(toy["se"]["reverse_kl"], 2)) == (0.13, 0.03)
    assert round(toy["mean"]["precision"], 2) == 0.57 and round(toy["mean"]["recall"], 2) == 0.78
    # every trial far above the uniform circle's high quality (7.8 %) and, three of five, covering by notebook 06's
    # rule (the circle's high quality + 25 points, its reverse KL 0.024 + 0.10); λ = 10: 0.4 %, 2 modes
    circle = expected_circle_metrics(mixture("ring"))
    assert all(f["high_quality"] > 4 * circle["high_quality"] for f in toy["per_trial"])
    assert sum(f["high_quality"] >= 0.078 + 0.25 and f["reverse_kl"] <= 0.024 + 0.10 for f in toy["per_trial"]) == 3
    assert toy["mean"]["high_quality"] > 100 * w10["mean"]["high_quality"]

    def diff(key):                  # the difference from the plain GAN, in combined standard errors
        return (toy["mean"][key] - gan["mean"][key]) / math.hypot(toy["se"][key], gan["se"][key])
    # against the plain GAN: more modes (2.4 combined SE) and recall (2.3), fewer sharp samples (-2.3), reverse KL
    # lower by 1.6 (within 2)
    assert [round(diff(k), 1) for k in ("modes", "recall", "high_quality", "reverse_kl")] == [2.4, 2.3, -2.3, -1.6]
    # still sharpening: every trial's high quality rose from 5,000 to 20,000 steps (17-22 % at 5,000, 28-44 % at
    # 15,000)
    c5, c15 = toy["curve"]["5000"], toy["curve"]["15000"]
    assert all(f["high_quality"] > g["high_quality"] for f, g in zip(toy["per_trial"], c5))
    assert [round(100 * min(f["high_quality"] for f in c)) for c in (c5, c15)] == [17, 28]
    assert [round(100 * max(f["high_quality"] for f in c)) for c in (c5, c15)] == [22, 44]
