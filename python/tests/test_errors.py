"""Bad arguments raise ValueError or TypeError with the library's message,
and never crash the interpreter."""

import pytest

import selfplay


def test_an_unknown_game_raises_the_cli_message(cli):
    completed = cli("simulate", "--game", "no-such-game", "--games", 1)
    assert completed.returncode == 2
    prefix = "selfplay simulate: "
    message = completed.stderr.strip()
    assert message.startswith(prefix)
    with pytest.raises(ValueError) as error:
        selfplay.simulate("no-such-game", games=1)
    assert str(error.value) == message[len(prefix):]


@pytest.mark.parametrize(
    "options, message",
    [
        ({"games": 0}, "games must be 1..1000000000000, not 0"),
        ({"threads": -1}, "threads must be 0..4096, not -1"),
        ({"max_actions": 0}, "max_actions must be 1..1000000000, not 0"),
        ({"players": 3}, "tic-tac-toe takes 2 to 2 players, not 3"),
    ],
)
def test_out_of_range_options_raise_value_error(options, message):
    with pytest.raises(ValueError) as error:
        selfplay.simulate("tic-tac-toe", **options)
    assert str(error.value) == message


@pytest.mark.parametrize(
    "options", [{"games": -1}, {"games": "ten"}, {"seed": 1.5}, {"colour": "red"}]
)
def test_arguments_of_the_wrong_type_raise_type_error(options):
    with pytest.raises(TypeError):
        selfplay.simulate("tic-tac-toe", **options)


def test_a_missing_game_library_raises_value_error(tmp_path):
    path = tmp_path / "libmissing.so"
    with pytest.raises(ValueError) as error:
        selfplay.load_game_library(str(path))
    assert str(path) in str(error.value)
