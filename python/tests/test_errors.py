"""Bad arguments raise ValueError or TypeError with the CLI's messages, and
never crash the interpreter."""

import pytest

import selfplay


def cli_message(cli, *args):
    """What the CLI says of bad arguments, less its "selfplay <command>: "."""
    completed = cli(*args)
    assert completed.returncode == 2, completed.stderr
    prefix = f"selfplay {args[0]}: "
    message = completed.stderr.strip()
    assert message.startswith(prefix), message
    return message[len(prefix):]


def raised(error_type, call, *args, **kwargs):
    with pytest.raises(error_type) as error:
        call(*args, **kwargs)
    return str(error.value)


def test_an_unknown_game_raises_the_cli_message(cli):
    expected = cli_message(cli, "simulate", "--game", "no-such-game", "--games", 1)
    assert "no-such-game" in expected
    assert raised(ValueError, selfplay.simulate, "no-such-game", games=1) == expected
    assert raised(ValueError, selfplay.train, "no-such-game") == expected
    assert raised(ValueError, selfplay.VectorEnv, "no-such-game", 1) == expected


def test_a_missing_records_file_raises_the_cli_message(cli, tmp_path):
    path = tmp_path / "missing.sprec"
    expected = cli_message(cli, "records", "stats", path)
    assert str(path) in expected
    assert cli_message(cli, "records", "export", path, "--csv") == expected
    assert raised(ValueError, selfplay.records_stats, path) == expected
    assert raised(ValueError, selfplay.read_records, path) == expected


# The CLI names its option (--games), Python its keyword (games); the rest of
# the message is the same.
@pytest.mark.parametrize(
    "cli_args, options, cli_name, name",
    [
        (["--games", 0], {"games": 0}, "--games: ", "games "),
        (["--threads", -1], {"threads": -1}, "--threads: ", "threads "),
        (["--max-actions", 0], {"max_actions": 0}, "--max-actions: ", "max_actions "),
        (["--policy", "mcts:0"], {"policies": ["random", "mcts:0"]}, "--policy: ", ""),
        (["--policy", "random,random,random"], {"policies": ["random"] * 3}, "--policy: ", ""),
    ],
)
def test_bad_simulate_options_raise_the_cli_message(cli, cli_args, options, cli_name, name):
    expected = cli_message(cli, "simulate", "--game", "tic-tac-toe", *cli_args, "--noprogress")
    assert expected.startswith(cli_name)
    message = raised(ValueError, selfplay.simulate, "tic-tac-toe", **options)
    assert message.startswith(name)
    assert message[len(name):] == expected[len(cli_name):]


@pytest.mark.parametrize(
    "cli_args, options, cli_name, name",
    [
        (["--oracle", "bogus"], {"oracle": "bogus"}, "--oracle: ", ""),
        (["--weights", "bogus"], {"weights": "bogus"}, "--weights ", "weights "),
        (["--threads", -1], {"threads": -1}, "--threads: ", "threads "),
    ],
)
def test_bad_train_options_raise_the_cli_message(cli, cli_args, options, cli_name, name):
    expected = cli_message(cli, "train", "--game", "tic-tac-toe", *cli_args)
    assert expected.startswith(cli_name)
    message = raised(ValueError, selfplay.train, "tic-tac-toe", **options)
    assert message.startswith(name)
    assert message[len(name):] == expected[len(cli_name):]


def test_a_bad_player_spec_raises_the_cli_message(cli):
    expected = cli_message(cli, "simulate", "--game", "tic-tac-toe", "--policy", "bogus")
    assert expected.startswith("--policy: unknown player 'bogus'")
    assert raised(ValueError, selfplay.Player, "bogus") == expected[len("--policy: "):]


def test_players_outside_the_games_range_raise_the_cli_message(cli):
    expected = cli_message(cli, "simulate", "--game", "tic-tac-toe", "--players", 3)
    assert expected == "--players 3 is outside tic-tac-toe's range 2..2"
    for call in (selfplay.simulate, selfplay.train, selfplay.VectorEnv):
        args = ("tic-tac-toe", 1) if call is selfplay.VectorEnv else ("tic-tac-toe",)
        assert "--" + raised(ValueError, call, *args, players=3) == expected
    # With players: the range is checked before the players are made.
    message = raised(ValueError, selfplay.simulate, "tic-tac-toe", players=3, policies="random")
    assert "--" + message == expected


@pytest.mark.parametrize(
    "call, options",
    [
        (selfplay.simulate, {"games": -1}),
        (selfplay.simulate, {"games": "ten"}),
        (selfplay.simulate, {"seed": 1.5}),
        (selfplay.simulate, {"colour": "red"}),
        (selfplay.simulate, {"policies": 3}),
        (selfplay.train, {"iterations": "3"}),
        (selfplay.VectorEnv, {"envs": "many"}),
        (selfplay.VectorEnv, {"envs": 1, "num_actions": 2.5}),
    ],
)
def test_arguments_of_the_wrong_type_raise_type_error(call, options):
    envs = options.pop("envs", None)
    args = ("tic-tac-toe",) if envs is None else ("tic-tac-toe", envs)
    with pytest.raises(TypeError):
        call(*args, **options)


def test_a_missing_game_library_raises_the_cli_message(cli, tmp_path):
    path = tmp_path / "libmissing.so"
    expected = cli_message(cli, "simulate", "--game-lib", path, "--game", "x")
    assert str(path) in expected
    assert raised(ValueError, selfplay.load_game_library, path) == expected
