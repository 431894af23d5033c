"""Plugin games (tests/plugins) loaded from Python play as in the CLI."""

import pytest

import selfplay
from conftest import cli_json, without_timing


@pytest.mark.parametrize("game", ["nim", "take-away"])
def test_a_plugin_game_simulates_as_in_the_cli(cli, tmp_path, plugins, game):
    assert game in [g["name"] for g in selfplay.games()]
    result = selfplay.simulate(game, games=400, seed=4, threads=2)
    assert result.game == game and result.games == 400
    expected = cli_json(
        cli, tmp_path, "simulate", "--game-lib", plugins[game], "--game", game,
        "--games", 400, "--seed", 4, "--threads", 2)
    assert without_timing(result.to_json()) == expected


def test_loading_a_library_twice_raises_value_error(plugins):
    with pytest.raises(ValueError) as error:
        selfplay.load_game_library(plugins["nim"])
    assert plugins["nim"] in str(error.value)
    assert "nim" in [g["name"] for g in selfplay.games()]
