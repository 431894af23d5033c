"""Players per seat in simulate(), train() and Model: the same results and
model files as the CLI for the same settings."""

import json
import os
import signal
import threading
import time

import pytest

import selfplay
from conftest import cli_json, without_timing

# A training of a fraction of a second (tests/train_cli_test.cc's).
TINY_TRAINING = dict(
    iterations=2, games_per_iteration=150, oracle="mcts:8", evaluation_games=40, seed=5)
TINY_TRAINING_FLAGS = [
    "--iterations", 2, "--games-per-iteration", 150, "--oracle", "mcts:8",
    "--evaluation-games", 40, "--seed", 5]


def without_run(text):
    """A model document without its "run" object, the one part that differs
    between runs of the same training."""
    document = json.loads(text)
    assert "run" in document
    del document["run"]
    return document


@pytest.mark.parametrize(
    "policies, flag", [(["mcts:10", "random"], "mcts:10,random"), ("mcts:6", "mcts:6")])
def test_policies_play_as_the_cli_policy(cli, tmp_path, policies, flag):
    result = selfplay.simulate(
        "connect-four", games=30, seed=4, threads=2, policies=policies)
    expected = cli_json(
        cli, tmp_path, "simulate", "--game", "connect-four", "--games", 30,
        "--seed", 4, "--threads", 2, "--policy", flag)
    assert without_timing(result.to_json()) == expected
    # Not what random players do.
    plain = selfplay.simulate("connect-four", games=30, seed=4, threads=2)
    assert without_timing(plain.to_json()) != expected


def test_a_bad_policy_raises_the_cli_message(cli):
    completed = cli("simulate", "--game", "connect-four", "--games", 1,
                    "--policy", "mcts:x")
    assert completed.returncode == 2
    prefix = "selfplay simulate: --policy: "
    message = completed.stderr.strip()
    assert message.startswith(prefix)
    with pytest.raises(ValueError) as error:
        selfplay.simulate("connect-four", games=1, policies="mcts:x")
    assert str(error.value) == message[len(prefix):]


def test_a_policy_that_needs_a_model_raises_value_error():
    # The CLI's message names its --policy-model instead.
    with pytest.raises(ValueError) as error:
        selfplay.simulate("connect-four", games=1, policies="greedy")
    assert str(error.value) == "player greedy needs a model"


def test_train_writes_the_cli_model(cli, tmp_path):
    out = tmp_path / "cli-model.json"
    completed = cli("train", "--game", "tic-tac-toe", *TINY_TRAINING_FLAGS,
                    "--threads", 2, "--noprogress", "--out", out)
    assert completed.returncode == 0, completed.stderr
    expected = without_run(out.read_text())
    for threads in (1, 2):
        model = selfplay.train("tic-tac-toe", threads=threads, **TINY_TRAINING)
        assert without_run(model.to_json()) == expected
    assert model.game == "tic-tac-toe"
    assert [(o["feature"], o["weight"]) for o in model.objectives] == [
        (o["feature"], o["weight"]) for o in expected["objectives"]]
    assert model.objectives, "the tiny training finds objectives"


def test_bad_training_options_raise_value_error():
    # Others, with the CLI's messages: test_errors.py.
    with pytest.raises(ValueError):
        selfplay.train("tic-tac-toe", **{**TINY_TRAINING, "oracle": "greedy"})
    with pytest.raises(ValueError):
        selfplay.train("tic-tac-toe", **{**TINY_TRAINING, "iterations": 0})


def test_a_loaded_model_plays_as_the_cli_policy_model(cli, tmp_path):
    path = tmp_path / "model.json"
    path.write_text(selfplay.train("tic-tac-toe", threads=1, **TINY_TRAINING).to_json())
    model = selfplay.Model.load(path, "tic-tac-toe")
    assert model.to_json() == path.read_text()
    assert selfplay.Model.parse(path.read_text(), "tic-tac-toe").to_json() == model.to_json()
    result = selfplay.simulate(
        "tic-tac-toe", games=200, seed=2, threads=2, policies=["greedy", "objective-mcts:8"],
        model=model)
    expected = cli_json(
        cli, tmp_path, "simulate", "--game", "tic-tac-toe", "--games", 200, "--seed", 2,
        "--threads", 2, "--policy", "greedy,objective-mcts:8", "--policy-model", path)
    assert without_timing(result.to_json()) == expected


def test_a_model_of_another_game_is_refused(tmp_path):
    path = tmp_path / "model.json"
    path.write_text(selfplay.train("tic-tac-toe", threads=1, **TINY_TRAINING).to_json())
    with pytest.raises(ValueError):
        selfplay.Model.load(path, "connect-four")
    model = selfplay.Model.load(path, "tic-tac-toe")
    with pytest.raises(ValueError, match="model of tic-tac-toe, not of connect-four"):
        selfplay.simulate("connect-four", games=1, policies="greedy", model=model)
    with pytest.raises(ValueError):
        selfplay.Model.load(tmp_path / "missing.json", "tic-tac-toe")


def test_ctrl_c_stops_a_training_promptly():
    # Days of self-play: only the interrupt can end the call in time.
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    start = time.monotonic()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            selfplay.train("checkers", games_per_iteration=10**9, oracle="random", threads=1)
    finally:
        timer.cancel()
    assert time.monotonic() - start < 60
