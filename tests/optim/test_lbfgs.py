"""LBFGS: iterate for iterate against torch.optim.LBFGS in float64, with and
without the strong-Wolfe line search, over several parameter tensors."""

import numpy as np
import pytest

import ndgrad
from ndgrad.optim.line_search import cubic_minimum, strong_wolfe

torch = pytest.importorskip("torch")

LINE_SEARCHES = [None, "strong_wolfe"]


def rosenbrock(head, tail):
    """The Rosenbrock function of the vector [head, *tail], split over two tensors."""
    x = ndgrad.concatenate([head, tail]) if isinstance(head, ndgrad.Tensor) else torch.cat(
        [head, tail])
    return (100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2).sum()


def least_squares_mlp(params, inputs, targets):
    w1, b1, w2, b2 = params
    hidden = (inputs @ w1 + b1).tanh()
    error = hidden @ w2 + b2 - targets
    return (error * error).mean()


def _twins(values):
    ours = [ndgrad.Variable(v.copy(), dtype="float64") for v in values]
    theirs = [torch.tensor(v.copy(), requires_grad=True) for v in values]
    return ours, theirs


def _closure(optimizer, loss_of):
    def closure():
        optimizer.zero_grad()
        loss = loss_of()
        loss.backward()
        return loss
    return closure


def _run_side_by_side(values, loss_of, steps, **options):
    ours, theirs = _twins(values)
    ours_optimizer = ndgrad.optim.LBFGS(ours, **options)
    theirs_optimizer = torch.optim.LBFGS(theirs, **options)
    ours_closure = _closure(ours_optimizer, lambda: loss_of(ours))
    theirs_closure = _closure(theirs_optimizer, lambda: loss_of(theirs))
    for _ in range(steps):
        our_loss = ours_optimizer.step(ours_closure)
        their_loss = theirs_optimizer.step(theirs_closure)
        assert float(our_loss) == pytest.approx(their_loss.item(), rel=1e-10)
        for p, tp in zip(ours, theirs):
            np.testing.assert_allclose(p.numpy(), tp.detach().numpy(), rtol=1e-10, atol=1e-12)
    our_state = ours_optimizer.state[ours[0]]
    their_state = theirs_optimizer.state[theirs[0]]
    assert (our_state["func_evals"], our_state["n_iter"]) == (their_state["func_evals"],
                                                               their_state["n_iter"])
    return ours, ours_optimizer


@pytest.mark.parametrize("line_search_fn", LINE_SEARCHES)
@pytest.mark.parametrize("options", [{}, {"history_size": 3, "max_iter": 7, "lr": 0.5}])
def test_rosenbrock_matches_torch(line_search_fn, options):
    values = [np.array([-1.2]), np.array([1.0, 0.4, -0.6])]
    ours, _ = _run_side_by_side(values, lambda ps: rosenbrock(*ps), steps=6,
                                line_search_fn=line_search_fn, **options)
    assert all(np.isfinite(p.numpy()).all() for p in ours)


@pytest.mark.parametrize("line_search_fn", LINE_SEARCHES)
def test_small_mlp_least_squares_matches_torch(line_search_fn):
    rng = np.random.default_rng(0)
    inputs, targets = rng.normal(size=(16, 3)), rng.normal(size=(16, 2))
    values = [rng.normal(size=(3, 5)) * 0.5, np.zeros(5), rng.normal(size=(5, 2)) * 0.5,
              np.zeros(2)]

    def loss_of(params):
        backend_inputs = (ndgrad.tensor(inputs, dtype="float64")
                          if isinstance(params[0], ndgrad.Tensor) else torch.tensor(inputs))
        backend_targets = (ndgrad.tensor(targets, dtype="float64")
                           if isinstance(params[0], ndgrad.Tensor) else torch.tensor(targets))
        return least_squares_mlp(params, backend_inputs, backend_targets)

    # A network amplifies the last-bit differences of the two libraries' tanh and
    # matmul from iteration to iteration; 20 iterations stay well inside 1e-10.
    _, optimizer = _run_side_by_side(values, loss_of, steps=4, line_search_fn=line_search_fn,
                                     history_size=10, max_iter=5)
    assert optimizer.iterations == 4


def test_frozen_parameters_are_left_out_like_torch_without_them():
    values = [np.array([-1.2]), np.array([1.0, 0.4, -0.6])]
    ours = [ndgrad.Variable(v.copy(), dtype="float64") for v in values]
    frozen = ndgrad.Variable([5.0], dtype="float64", trainable=False)
    theirs = [torch.tensor(v.copy(), requires_grad=True) for v in values]
    optimizer = ndgrad.optim.LBFGS([frozen, *ours], line_search_fn="strong_wolfe")
    torch_optimizer = torch.optim.LBFGS(theirs, line_search_fn="strong_wolfe")
    closure = _closure(optimizer, lambda: rosenbrock(*ours) + (frozen * frozen).sum())
    torch_closure = _closure(torch_optimizer, lambda: rosenbrock(*theirs) + 25.0)
    for _ in range(3):
        optimizer.step(closure)
        torch_optimizer.step(torch_closure)
    assert frozen.tolist() == [5.0]
    for p, tp in zip(ours, theirs):
        np.testing.assert_allclose(p.numpy(), tp.detach().numpy(), rtol=1e-10)
    # Unfreezing changes the flat vector: the history starts afresh, no shape error.
    frozen.trainable = True
    optimizer.step(closure)
    assert frozen.tolist() != [5.0]


def test_state_dict_round_trip_continues_the_same_iterates():
    values = [np.array([-1.2]), np.array([1.0, 0.4, -0.6])]

    def make():
        params = [ndgrad.Variable(v.copy(), dtype="float64") for v in values]
        optimizer = ndgrad.optim.LBFGS(params, max_iter=4, history_size=3,
                                       line_search_fn="strong_wolfe")
        return params, optimizer, _closure(optimizer, lambda: rosenbrock(*params))

    params, optimizer, closure = make()
    for _ in range(3):
        optimizer.step(closure)
    saved = optimizer.state_dict()
    entry = saved["state"][0]
    assert entry["old_dirs"].shape == (3, 4) and entry["ro"].shape == (3,)
    assert isinstance(entry["t"], float) and isinstance(entry["n_iter"], int)
    resumed_params, resumed, resumed_closure = make()
    for p, q in zip(resumed_params, params):
        p.detach().numpy()[...] = q.numpy()
    resumed.load_state_dict(saved)
    for _ in range(2):
        optimizer.step(closure)
        resumed.step(resumed_closure)
    for p, q in zip(resumed_params, params):
        np.testing.assert_array_equal(p.numpy(), q.numpy())
    with pytest.raises(ValueError, match="saved from a different model"):
        ndgrad.optim.LBFGS([ndgrad.Variable([1.0, 2.0])]).load_state_dict(saved)


def test_checkpoint_holds_lbfgs_state(tmp_path):
    model = ndgrad.nn.Linear(3, 1)
    inputs, targets = ndgrad.tensor(np.ones((4, 3), np.float32)), ndgrad.zeros((4, 1))
    optimizer = ndgrad.optim.LBFGS(model.parameters(), max_iter=3)
    closure = _closure(optimizer, lambda: ((model(inputs) - targets) ** 2).mean())
    optimizer.step(closure)
    ndgrad.io.save_checkpoint(tmp_path / "c.safetensors", model, optimizer)
    fresh = ndgrad.optim.LBFGS(model.parameters(), max_iter=3)
    ndgrad.io.load_checkpoint(tmp_path / "c.safetensors", model, fresh)
    state, original = fresh.state[model.parameters()[0]], optimizer.state[model.parameters()[0]]
    assert state["n_iter"] == original["n_iter"] and state["t"] == original["t"]
    assert len(state["old_dirs"]) == len(original["old_dirs"]) == len(state["ro"])
    np.testing.assert_array_equal(state["d"], original["d"])


def test_errors_say_what_to_do():
    w = ndgrad.Variable([1.0])
    with pytest.raises(TypeError, match="needs a closure"):
        ndgrad.optim.LBFGS([w]).step()
    with pytest.raises(ValueError, match="line_search_fn"):
        ndgrad.optim.LBFGS([w], line_search_fn="backtracking")
    with pytest.raises(ValueError, match="parameter groups"):
        ndgrad.optim.LBFGS([{"params": [w]}, {"params": [ndgrad.Variable([2.0])]}])
    with pytest.raises(ValueError, match="max_iter must be a positive int"):
        ndgrad.optim.LBFGS([w], max_iter=2.5)
    with pytest.raises(TypeError, match="no Keras face"):
        ndgrad.optim.LBFGS(0.1)
    with pytest.raises(TypeError, match="step\\(closure\\)"):
        ndgrad.optim.LBFGS([w]).apply_gradients([(ndgrad.tensor([1.0]), w)])


def test_a_parameter_without_gradient_counts_as_zero_and_is_reported():
    used, unused = ndgrad.Variable([2.0], dtype="float64"), ndgrad.Variable([3.0])
    optimizer = ndgrad.optim.LBFGS([used, unused])
    closure = _closure(optimizer, lambda: (used * used).sum())
    with pytest.warns(ndgrad.optim.MissingGradientWarning, match="got no update"):
        optimizer.step(closure)
    assert unused.tolist() == [3.0] and abs(used.item()) < 1e-6


def test_line_search_pieces_match_torch():
    from torch.optim.lbfgs import _cubic_interpolate, _strong_wolfe
    rng = np.random.default_rng(3)
    for _ in range(20):
        x1, x2 = rng.normal(size=2)
        f1, g1, f2, g2 = rng.normal(size=4)
        ours = cubic_minimum(x1, f1, g1, x2, f2, g2)
        theirs = _cubic_interpolate(*(torch.tensor(v) for v in (x1, f1, g1, x2, f2, g2)))
        assert ours == pytest.approx(float(theirs), rel=1e-12)
    point = np.array([-1.2, 1.0])
    direction = np.array([1.0, 0.5])

    def value_and_grad(x):
        value = 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2
        grad = np.array([-400 * x[0] * (x[1] - x[0] ** 2) - 2 * (1 - x[0]),
                         200 * (x[1] - x[0] ** 2)])
        return float(value), grad

    loss, grad = value_and_grad(point)
    ours = strong_wolfe(lambda t: value_and_grad(point + t * direction), 1.0, direction, loss,
                        grad, grad.dot(direction), max_evaluations=10)

    def torch_objective(x, t, d):
        value, gradient = value_and_grad(x.numpy() + float(t) * d.numpy())
        return value, torch.tensor(gradient)

    theirs = _strong_wolfe(torch_objective, torch.tensor(point), 1.0, torch.tensor(direction),
                           loss, torch.tensor(grad), torch.tensor(grad.dot(direction)), max_ls=10)
    assert ours[0] == pytest.approx(theirs[0], rel=1e-12)
    assert float(ours[2]) == pytest.approx(float(theirs[2]), rel=1e-12)
    assert ours[3] == theirs[3]
