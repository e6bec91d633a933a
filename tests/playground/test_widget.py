"""The Playground widget without a browser: the buttons call the scripted API, Play runs as an asyncio task
that lets other events in between frames, drawing turns clicks into data, and the frame-rate command runs."""

import argparse
import asyncio
import io
import json

import pytest
import torch
from PIL import Image

from gan_course.playground import PRESETS, Playground
from gan_course.playground.bench import frame_rate, register
from gan_course.playground.presets import DESCRIPTIONS, preset


def small(name="default", **kw):
    return Playground(name, n_eval=300, metrics_every=5, **kw)


def test_presets_are_valid_and_described():
    assert set(PRESETS) == set(DESCRIPTIONS)
    for name in PRESETS:
        pg = Playground(name, n_eval=100)
        assert pg.game.settings.data == preset(name)["data"]
    with pytest.raises(ValueError, match="unknown preset"):
        preset("nope")


def test_run_state_metrics():
    pg = small().run(12)
    st, m = pg.state(), pg.metrics()
    assert st["steps"] == 12 and st["playing"] is False and st["preset"] == "default"
    assert m["step"] == 12 and [h["step"] for h in pg.game.metric_history] == [0, 5, 10]
    json.dumps(st)                                                           # plain values only


def test_snapshot_is_one_png_with_view_and_charts():
    img = Image.open(io.BytesIO(small().run(5).snapshot().data))
    assert img.format == "PNG" and img.width > 700 and img.height >= 400


def test_buttons_drive_the_same_code():
    pg = small()
    w = pg.widget.children and pg.w
    w["step_g"].click()
    assert pg.game.steps == 1 and pg.game.g_updates == 1 and pg.game.d_updates == 0
    w["step_d"].click()
    w["step_both"].click()
    assert pg.game.steps == 3 and "step 3" in w["counter"].value
    w["loss"].value = "hinge"
    assert pg.game.settings.loss == "hinge"
    w["g_layers"].value = 1
    assert len(pg.game.G.sizes) == 3 and pg.game.steps == 3
    w["reset"].click()
    assert pg.game.steps == 0
    w["preset"].value = "collapse"
    assert pg.game.settings.loss == "minimax" and w["loss"].value == "minimax" and w["data"].value == "ring"
    w["views"]["arrows"].value = False
    assert "arrows" not in pg.views
    assert pg.errors == []


def test_scripted_changes_show_in_the_controls():
    pg = small()
    _ = pg.widget  # build the widget
    pg.update(loss="wgan_gp", pack=2)
    assert pg.w["loss"].value == "wgan_gp" and pg.w["pack"].value == 2


def test_errors_go_to_the_status_line():
    pg = small()
    _ = pg.widget  # build the widget
    pg.w["use"].click()                     # no points drawn yet
    assert "error" in pg.w["status"].value and "at least one point" in pg.w["status"].value
    assert len(pg.errors) == 1 and pg.game.settings.data == "two_gaussians"


def test_drawing_three_points_makes_them_the_data():
    pg = small()
    _ = pg.widget  # build the widget
    pg.w["draw"].value = True
    assert pg.draw_mode
    points = [(-1.0, 0.5), (0.0, -1.0), (1.0, 0.5)]
    for x, y in points:
        px, py = pg.renderer.to_pixel(x, y)
        pg._on_mouse({"type": "mousedown", "dataX": px, "dataY": py, "buttons": 1})
    pg._on_mouse({"type": "mousedown", "dataX": 1.0, "dataY": 1.0})          # outside the axes: ignored
    assert len(pg.drawn_points) == 3
    for (x, y), (u, v) in zip(points, pg.drawn_points):
        assert abs(x - u) < 0.02 and abs(y - v) < 0.02                        # within a pixel
    pg._on_mouse({"type": "mousemove", "dataX": px + 1, "dataY": py, "buttons": 1})  # a drag: too close, no point
    assert len(pg.drawn_points) == 3
    pg.w["use"].click()
    assert pg.game.data.name == "drawn" and len(pg.game.data.centers) == 3 and pg.game.steps == 0
    assert "drawn (3 points" in pg.w["data_info"].value and not pg.draw_mode
    pg.run(3)
    assert pg.metrics()["n_modes"] == 3


def test_play_yields_to_the_event_loop_and_pause_stops():
    async def scenario():
        pg = small()
        _ = pg.widget  # build the widget
        pg.play()
        assert pg.playing and pg.w["play"].description == "Pause"
        ticks = 0
        while pg.frames < 5:                # other coroutines run while it plays: this one counts
            await asyncio.sleep(0)
            ticks += 1
        pg.w["loss"].value = "least_squares"   # switch the loss while training runs
        start = pg.game.steps
        while pg.game.steps < start + 3:
            await asyncio.sleep(0)
        pg.w["play"].click()                # Pause
        await asyncio.sleep(0.05)
        stopped = pg.game.steps
        await asyncio.sleep(0.05)
        return pg, ticks, stopped

    pg, ticks, stopped = asyncio.run(scenario())
    assert ticks >= 5 and not pg.playing and pg.game.steps == stopped
    assert pg.game.settings.loss == "least_squares" and pg.errors == []
    assert pg.w["play"].description == "Play"


def test_play_outside_an_event_loop_says_how_to_train():
    with pytest.raises(RuntimeError, match="run"):
        small().play()


def test_slow_motion_waits_between_frames():
    async def scenario():
        pg = small()
        pg.slow = True
        pg.play()
        await asyncio.sleep(0.3)
        pg.pause()
        await asyncio.sleep(0.6)
        return pg.frames
    assert 1 <= asyncio.run(scenario()) <= 2     # 0.5 s per frame


def test_frame_rate_and_its_command(capsys):
    r = frame_rate(seconds=0.3, warmup=2, threads=1)
    assert r["fps"] > 0 and r["frames"] >= 1 and r["threads"] == 1 and r["cpu"]
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    args = parser.parse_args(["playground-bench", "--seconds", "0.2", "--threads", "1", "--json"])
    assert args.func(args) == 0
    assert json.loads(capsys.readouterr().out)["fps"] > 0


def test_the_playground_uses_its_own_threads_and_restores_them():
    seen = []
    pg = small(threads=1)
    step_g = pg.game.step_g

    def spy():
        seen.append(torch.get_num_threads())
        return step_g()

    pg.game.step_g = spy
    torch.set_num_threads(2)
    pg.run(2)
    assert seen == [1, 1] and torch.get_num_threads() == 2
    assert Image.open(io.BytesIO(pg.view_png("jpeg"))).format == "JPEG"
