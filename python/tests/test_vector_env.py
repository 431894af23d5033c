"""VectorEnv: a batch of games stepped in parallel, checked against a
connect-four written here in Python, and the same for any thread count."""

import numpy as np
import pytest

import selfplay


def random_legal(rng, legal):
    """One uniformly random legal action per env (rows of the mask)."""
    return (rng.random(legal.shape) * legal).argmax(axis=1)


class ConnectFour:
    """Connect-four in plain Python: 7 columns of 6, four in a row wins."""

    def __init__(self):
        self.board = np.full((6, 7), -1)
        self.heights = [0] * 7
        self.player = 0
        self.moves = 0

    def legal(self):
        return np.array([h < 6 for h in self.heights], dtype=np.uint8)

    def play(self, column):
        """Plays for the deciding player; returns whether that won."""
        row = self.heights[column]
        self.board[row, column] = self.player
        self.heights[column] += 1
        self.moves += 1
        won = any(self._line(row, column, dr, dc) >= 4
                  for dr, dc in ((0, 1), (1, 0), (1, 1), (1, -1)))
        self.player = 1 - self.player
        return won

    def _line(self, row, column, dr, dc):
        count = 1
        for sign in (1, -1):
            r, c = row + sign * dr, column + sign * dc
            while 0 <= r < 6 and 0 <= c < 7 and self.board[r, c] == self.board[row, column]:
                count += 1
                r, c = r + sign * dr, c + sign * dc
        return count


def test_connect_four_plays_as_the_python_oracle():
    envs = 16
    env = selfplay.VectorEnv("connect-four", envs, seed=3, threads=2)
    assert env.num_envs == envs and env.players == 2
    observations, legal = env.reset()
    games = [ConnectFour() for _ in range(envs)]
    rng = np.random.default_rng(1)
    wins = np.zeros(2)
    draws = 0
    for _ in range(400):
        for i, game in enumerate(games):
            np.testing.assert_array_equal(legal[i], game.legal())
        assert env.current_player.tolist() == [g.player for g in games]
        actions = random_legal(rng, legal)
        movers = env.current_player
        observations, legal, rewards, terminated, truncated = env.step(actions)
        assert not truncated.any()
        for i, game in enumerate(games):
            won = game.play(actions[i])
            ended = won or game.moves == 42
            assert bool(terminated[i]) == ended
            expected = np.zeros(2, dtype=np.float32)
            if won:
                expected[movers[i]] = 1
                expected[1 - movers[i]] = -1
                wins[movers[i]] += 1
            elif ended:
                draws += 1
            np.testing.assert_array_equal(rewards[i], expected)
            if ended:
                games[i] = ConnectFour()
    # Every ended episode was started again.
    finished = wins.sum() + draws
    assert env.episodes.sum() == envs + finished
    assert finished > 50 and wins.min() > 0


def test_observations_are_the_deciding_players_features():
    env = selfplay.VectorEnv("connect-four", 2, seed=1, threads=1)
    observations, _ = env.reset()
    assert observations.shape == (2, len(env.features)) and observations.dtype == np.uint8
    assert not observations.any()  # the empty board
    # Env 0: the first player stacks three discs in the centre column, the
    # second two on the edge; env 1 the other way round.
    for first, second in [(3, 0), (0, 3), (3, 0), (0, 3), (3, 0)]:
        observations, *_ = env.step(np.array([first, second]))
    assert env.current_player.tolist() == [1, 1]
    seen = [dict(zip(env.features, row)) for row in observations]
    # The second player to move faces the first's open three in both.
    assert seen[0]["opponent-line-threat"] == seen[1]["opponent-line-threat"] == 1
    assert seen[0]["line-threats-at-least-1"] == seen[1]["line-threats-at-least-1"] == 0
    # Only in env 1 does it hold the centre.
    assert (seen[0]["disc-center-control"], seen[1]["disc-center-control"]) == (0, 1)
    observations, *_ = env.step(np.array([6, 6]))
    seen = dict(zip(env.features, observations[0]))
    # Env 0 from the first player's side: its own threat and the centre.
    assert seen["line-threats-at-least-1"] == seen["disc-center-control"] == 1
    assert seen["opponent-line-threat"] == 0
    plain = selfplay.VectorEnv("connect-four", 4, features=False)
    assert plain.reset()[0].shape == (4, 0)


@pytest.mark.parametrize("game, players", [("connect-four", 0), ("go-fish", 4), ("hex", 0)])
def test_results_do_not_depend_on_the_thread_count(game, players):
    def play(threads):
        env = selfplay.VectorEnv(game, 200, seed=9,
                                 threads=threads, players=players, max_actions=30)
        rng = np.random.default_rng(5)
        outputs = list(env.reset())
        for _ in range(80):
            step = env.step(random_legal(rng, outputs[1]))
            outputs += step
            outputs[1] = step[1]
        outputs.append(env.episodes)
        return outputs

    one, two = play(1), play(2)
    assert len(one) == len(two)
    for a, b in zip(one, two):
        assert a.tobytes() == b.tobytes()
    # max_actions 30 cuts games short: truncations are flagged.
    truncated = np.array(one[6::5])
    assert truncated.any()


def test_another_seed_deals_other_games():
    def first(seed):
        env = selfplay.VectorEnv("go-fish", 8, seed=seed, players=4)
        return env.reset()[0]

    assert (first(1) == first(1)).all()
    assert (first(1) != first(2)).any()


def test_bad_arguments_raise_value_error():
    with pytest.raises(ValueError, match="envs must be"):
        selfplay.VectorEnv("connect-four", 0)
    with pytest.raises(ValueError, match="players 3 is outside connect-four's range 2..2"):
        selfplay.VectorEnv("connect-four", 1, players=3)
    with pytest.raises(ValueError):
        selfplay.VectorEnv("no-such-game", 1)
    env = selfplay.VectorEnv("connect-four", 2)
    with pytest.raises(ValueError, match="reset"):
        env.step(np.array([0, 0]))
    env.reset()
    with pytest.raises(ValueError, match="one per env"):
        env.step(np.array([0, 0, 0]))
    with pytest.raises(ValueError, match="action 7 is not legal in env 1"):
        env.step(np.array([0, 7]))


def test_episode_k_of_env_i_is_game_k_times_envs_plus_i():
    # max_actions 1 ends every episode after one step, so a single env's
    # step j starts its episode j + 1: game j + 1 of the seed's stream.
    def stream(count):
        env = selfplay.VectorEnv("go-fish", 1, seed=6, players=4,
                                 max_actions=1)
        firsts = [env.reset()]
        rng = np.random.default_rng(0)
        while len(firsts) < count:
            observations, legal, _, _, truncated = env.step(random_legal(rng, firsts[-1][1]))
            assert truncated.all()
            firsts.append((observations, legal))
        return [(o[0], l[0]) for o, l in firsts]

    games = stream(8)
    env = selfplay.VectorEnv("go-fish", 4, seed=6, players=4, max_actions=1)
    observations, legal = env.reset()
    for episode in range(2):
        for i in range(4):
            expected_observation, expected_legal = games[episode * 4 + i]
            np.testing.assert_array_equal(observations[i], expected_observation)
            np.testing.assert_array_equal(legal[i], expected_legal)
        observations, legal, *_ = env.step(random_legal(np.random.default_rng(1), legal))
    # Deals differ: the comparison above can fail.
    assert any((games[0][1] != g[1]).any() for g in games[1:])


def test_an_mcts_player_takes_the_winning_move():
    env = selfplay.VectorEnv("connect-four", 3, threads=2)
    env.reset()
    # The first player stacks three discs in columns 1, 4 and 6 of envs 0, 1
    # and 2, the second three in column 2: a fourth disc wins at once.
    for _ in range(3):
        env.step(np.array([1, 4, 6]))
        env.step(np.array([2, 2, 2]))
    assert env.current_player.tolist() == [0, 0, 0]
    assert env.choose(selfplay.Player("mcts:200")).tolist() == [1, 4, 6]


def test_players_choose_legal_actions_the_same_for_any_thread_count():
    def play(threads, player):
        env = selfplay.VectorEnv("tic-tac-toe", 64, seed=2, threads=threads)
        _, legal = env.reset()
        chosen = []
        wins = np.zeros(2)
        for _ in range(60):
            actions = env.choose(player)
            assert legal[np.arange(64), actions].all()
            chosen.append(actions)
            # The player moves first; the second seat plays at random.
            if (env.current_player == 1).any():
                others = env.choose(selfplay.Player("random"))
                actions = np.where(env.current_player == 0, actions, others)
            _, legal, rewards, _, _ = env.step(actions)
            wins += (rewards == 1).sum(axis=0)
        return np.array(chosen), wins

    mcts = selfplay.Player("mcts:30")
    one, wins = play(1, mcts)
    two, _ = play(2, mcts)
    assert (one == two).all()
    # MCTS as the first player beats random play most of the time.
    assert wins[0] > 4 * wins[1]
    random_player = selfplay.Player("random")
    assert random_player.name == "random"
    assert (play(1, random_player)[0] != one).any()


def test_a_player_that_needs_a_model_raises_value_error():
    with pytest.raises(ValueError, match="player greedy needs a model"):
        selfplay.Player("greedy")
    with pytest.raises(ValueError, match="unknown player"):
        selfplay.Player("mcts:")
    model = selfplay.train("tic-tac-toe", iterations=1, games_per_iteration=100,
                           oracle="random", evaluation_games=0, seed=3)
    env = selfplay.VectorEnv("connect-four", 2)
    env.reset()
    with pytest.raises(ValueError, match="model of tic-tac-toe, not of connect-four"):
        env.choose(selfplay.Player("greedy", model=model))
    tic = selfplay.VectorEnv("tic-tac-toe", 2)
    _, legal = tic.reset()
    actions = tic.choose(selfplay.Player("greedy", model=model))
    assert legal[np.arange(2), actions].all()


@pytest.mark.parametrize("game, cells", [("tic-tac-toe", 9), ("connect-four", 7), ("hex", 49)])
def test_a_board_games_first_position_allows_every_declared_action(game, cells):
    # The rules: every cell (tic-tac-toe, hex 7x7) or column (connect-four)
    # is open at the start, and there are no other actions.
    env = selfplay.VectorEnv(game, 3)
    _, legal = env.reset()
    declared = {g["name"]: g["num_actions"] for g in selfplay.games()}
    assert env.num_actions == declared[game] == cells
    assert legal.shape == (3, cells) and legal.all()


def test_go_fish_masks_cover_its_largest_table():
    # Action opponent * 13 + rank, for up to 6 seats: 78 whatever the count.
    env = selfplay.VectorEnv("go-fish", 50, seed=2, players=6)
    _, legal = env.reset()
    assert legal.shape == (50, 78)
    seat = np.arange(78) // 13
    # Nobody asks themselves: seat 0, deciding first, never asks seat 0.
    assert not legal[:, seat == 0].any() and legal[:, seat == 5].any()
    assert selfplay.VectorEnv("go-fish", 2, players=2).reset()[1].shape == (2, 78)


def test_a_plugin_game_declares_its_actions(plugins):
    env = selfplay.VectorEnv("nim", 2)
    _, legal = env.reset()
    # examples/nim: heaps of 3, 4 and 5 tokens; action heap * 8 + count
    # takes count of them.
    def nim_mask(heaps):
        mask = np.zeros(24, dtype=np.uint8)
        for heap, tokens in enumerate(heaps):
            mask[heap * 8 + 1:heap * 8 + tokens + 1] = 1
        return mask

    assert legal.tolist() == [nim_mask((3, 4, 5)).tolist()] * 2
    _, legal, *_ = env.step(np.array([2 * 8 + 5, 8 + 1]))
    assert legal.tolist() == [nim_mask((3, 4, 0)).tolist(), nim_mask((3, 3, 5)).tolist()]


def test_num_actions_is_only_for_games_that_do_not_declare_it(plugins):
    with pytest.raises(ValueError) as error:
        selfplay.VectorEnv("take-away", 2)
    assert str(error.value) == (
        "take-away does not declare its num_actions (GameStructure::num_actions): "
        "pass num_actions")
    env = selfplay.VectorEnv("take-away", 2, num_actions=3)
    assert env.num_actions == 3
    # tests/test_games.h: take one or two tokens, actions 1 and 2, from a
    # pile of at least 5.
    assert env.reset()[1].tolist() == [[0, 1, 1]] * 2
    # A space too small for the game's actions fails at the first mask.
    with pytest.raises(RuntimeError, match="legal action 2 is outside num_actions 2"):
        selfplay.VectorEnv("take-away", 2, num_actions=2).reset()
    with pytest.raises(ValueError, match=r"^num_actions must be 1\.\.16777216, not 0$"):
        selfplay.VectorEnv("take-away", 2, num_actions=0)
    with pytest.raises(ValueError) as error:
        selfplay.VectorEnv("connect-four", 2, num_actions=7)
    assert str(error.value) == "connect-four declares its num_actions, 7: leave num_actions out"
    # Checkers' encoding (src/games/checkers.h) spans 27 bits.
    with pytest.raises(ValueError) as error:
        selfplay.VectorEnv("checkers", 1)
    assert str(error.value) == (
        "checkers has 134217728 action ids, more than a legal mask holds "
        "(num_actions 1..16777216)")


def test_more_threads_than_cores_give_the_results_of_one():
    # The env keeps its arena, and the permission for more threads than
    # cores, from call to call.
    def play(threads):
        env = selfplay.VectorEnv("connect-four", 64, seed=4, threads=threads)
        rng = np.random.default_rng(3)
        _, legal = env.reset()
        outputs = []
        for _ in range(30):
            step = env.step(random_legal(rng, legal))
            legal = step[1]
            outputs += step
        return outputs

    for a, b in zip(play(1), play(64)):
        assert a.tobytes() == b.tobytes()
