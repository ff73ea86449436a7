"""Failed calls change nothing (issue 12, item 9).

Each case sets up modules and optimizers, makes one call that must fail, and checks
the exception and its message AND that nothing changed: every module's ``built``
flag, parameters, buffers and weight list, every optimizer's ``param_groups`` and
slots, and ndgrad's random state. Where the point is "not broken for good", the
same object then succeeds on a correct call.
"""

import copy

import numpy as np
import pytest

import ndgrad
from ndgrad import keras, nn, optim

layers = keras.layers


def _arrays(value):
    if isinstance(value, ndgrad.Tensor):
        return value.numpy().copy()
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, dict):
        return {key: _arrays(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_arrays(item) for item in value]
    return value


def _module_state(module):
    return [(type(m).__name__, m.built, sorted(m.__dict__),
             [(name, p.numpy().copy()) for name, p in m.named_parameters()],
             [(name, b.numpy().copy()) for name, b in m.named_buffers()],
             len(m.weights))
            for m in module.modules()]


def _optimizer_state(optimizer):
    groups = [{key: value for key, value in group.items() if key != "params"}
              for group in optimizer.param_groups]
    slots = {id(p): _arrays(dict(entry)) for p, entry in optimizer.state.items()}
    return groups, slots, [len(g["params"]) for g in optimizer.param_groups]


def snapshot(things):
    state = {"random": ndgrad.random.get_state()}
    for index, thing in enumerate(things):
        if isinstance(thing, nn.Module):
            state[index] = _module_state(thing)
        elif isinstance(thing, optim.Optimizer):
            state[index] = _optimizer_state(thing)
        elif isinstance(thing, optim.lr_scheduler.LRScheduler):
            state[index] = _arrays(thing.state_dict())
    return state


def same(a, b):
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return isinstance(b, (list, tuple)) and len(a) == len(b) and all(
            same(x, y) for x, y in zip(a, b))
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.shape == b.shape and np.array_equal(a, b)
    return a == b


def image(n=1, size=3, channels=1):
    return np.random.default_rng(1).normal(size=(n, size, size, channels)).astype(np.float32)


# ---------------------------------------------------------------- the cases
# each: setup() -> (things to watch, the failing call, a later call that must work or None)

def dense_on_string():
    dense = layers.Dense(2)
    return [dense], lambda: dense("abc"), lambda: dense(np.ones((1, 3), np.float32))


def dense_on_list():
    dense = layers.Dense(2)
    return [dense], lambda: dense([[1.0, 2.0]]), lambda: dense(np.ones((1, 2), np.float32))


def conv_on_small_image():
    conv = layers.Conv2D(2, 5)
    return [conv], lambda: conv(image(size=3)), lambda: conv(image(size=6))


def sequential_second_layer_fails():
    model = keras.Sequential([layers.Dense(3), layers.Conv2D(2, 3)])
    return [model], lambda: model(np.ones((2, 4), np.float32)), None


def sequential_build_second_layer_fails():
    model = keras.Sequential([layers.Dense(3), layers.Conv2D(2, 3)])
    return [model], lambda: model.build((None, 4)), None


def torch_sequential_moves_no_statistics():
    model = nn.Sequential(nn.BatchNorm1d(3), nn.Linear(5, 2))
    x = ndgrad.tensor(np.random.default_rng(2).normal(size=(4, 3)).astype(np.float32) * 5)
    return [model], lambda: model(x), None


def dropout_then_failure_keeps_random_state():
    model = keras.Sequential([layers.Dense(4), layers.Dropout(0.5), layers.Conv2D(2, 3)])
    return [model], lambda: model(np.ones((2, 4), np.float32), training=True), None


class _HalfBuilt(layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight("w", (input_shape[-1], 2))
        raise ValueError("HalfBuilt: refuses to finish building")

    def call(self, inputs, training=None):
        return inputs @ self.w


def build_raises_halfway():
    layer = _HalfBuilt()
    return [layer], lambda: layer.build((None, 3)), None


def first_call_build_raises_halfway():
    layer = _HalfBuilt()
    return [layer], lambda: layer(np.ones((1, 3), np.float32)), None


def set_weights_bad_dtype_later():
    dense = layers.Dense(2)
    dense.build((None, 3))
    return [dense], lambda: dense.set_weights([np.ones((3, 2)), np.array([1j, 2j])]), None


def set_weights_bad_shape_later():
    dense = layers.Dense(2)
    dense.build((None, 3))
    return [dense], lambda: dense.set_weights([np.ones((3, 2)), np.ones(5)]), None


def set_weights_wrong_count():
    dense = layers.Dense(2)
    dense.build((None, 3))
    return [dense], lambda: dense.set_weights([np.ones((3, 2))]), None


def _compiled(dropout=False):
    stack = [layers.Dense(2)] + ([layers.Dropout(0.5)] if dropout else [])
    model = keras.Sequential(stack)
    model.compile(optimizer=optim.Adam(learning_rate=0.1), loss="mse")
    return model


def fit_fails_on_first_batch():
    model = _compiled()
    x, y = np.ones((8, 3), np.float32), np.ones((8, 5), np.float32)
    return [model], lambda: model.fit(x, y, batch_size=4, verbose=0), \
        lambda: model.fit(x, y[:, :2], batch_size=4, verbose=0)


def fit_with_dropout_and_shuffle_fails():
    model = _compiled(dropout=True)
    x, y = np.ones((8, 3), np.float32), np.ones((8, 5), np.float32)
    return [model], lambda: model.fit(x, y, batch_size=4, shuffle=True, verbose=0), None


def _sgd(momentum=0.9):
    return optim.SGD([nn.Parameter([1.0, 2.0])], lr=0.1, momentum=momentum)


def one_cycle_final_div_zero():
    opt = _sgd()
    return [opt], lambda: optim.lr_scheduler.OneCycleLR(
        opt, max_lr=1.0, total_steps=10, final_div_factor=0), None


def one_cycle_div_zero():
    opt = _sgd()
    return [opt], lambda: optim.lr_scheduler.OneCycleLR(
        opt, max_lr=1.0, total_steps=10, div_factor=0), None


def cyclic_without_momentum():
    opt = optim.Adagrad([nn.Parameter([1.0])], lr=0.5)
    return [opt], lambda: optim.lr_scheduler.CyclicLR(opt, 0.01, 0.1), None


def lambda_raises_at_epoch_zero():
    opt = _sgd()
    return [opt], lambda: optim.lr_scheduler.LambdaLR(opt, lambda epoch: 1 / 0), None


def scheduler_load_bad_type():
    opt = _sgd()
    scheduler = optim.lr_scheduler.StepLR(opt, step_size=2)
    return [opt, scheduler], lambda: scheduler.load_state_dict(
        {"last_epoch": 4, "step_size": "two"}), None


def chained_load_bad_second_state():
    opt = _sgd()
    chain = optim.lr_scheduler.ChainedScheduler([
        optim.lr_scheduler.StepLR(opt, step_size=2),
        optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)])
    saved = chain.state_dict()
    saved["_schedulers"][0]["last_epoch"] = 9
    saved["_schedulers"][1]["gamma"] = "fast"
    return [opt, chain] + chain._schedulers, lambda: chain.load_state_dict(saved), None


def _stepped_adam():
    w = nn.Parameter([1.0, 2.0])
    opt = optim.Adam([w], lr=0.1)
    (w * w).sum().backward()
    opt.step()
    return opt


def _optimizer_load(change):
    opt = _stepped_adam()
    saved = copy.deepcopy(opt.state_dict())
    change(saved)
    return [opt], lambda: opt.load_state_dict(saved), None


def optimizer_step_word():
    return _optimizer_load(lambda s: s["state"][0].__setitem__("step", "three"))


def optimizer_step_fraction():
    return _optimizer_load(lambda s: s["state"][0].__setitem__("step", 2.7))


def optimizer_step_negative():
    return _optimizer_load(lambda s: s["state"][0].__setitem__("step", -5))


def optimizer_groups_not_a_list():
    return _optimizer_load(lambda s: s.__setitem__("param_groups", 5))


def optimizer_bad_lr():
    return _optimizer_load(lambda s: s["param_groups"][0].__setitem__("lr", "fast"))


def add_param_group_bad_lr():
    opt = _sgd()
    return [opt], lambda: opt.add_param_group({"params": [nn.Parameter([3.0])], "lr": "x"}), None


CASES = [
    (dense_on_string, TypeError, r"Dense: cannot build from a first input of type str"),
    (dense_on_list, TypeError, r"Dense: cannot build from a first input of type list"),
    (conv_on_small_image, ValueError, r"window \(5, 5\) is larger than the padded input"),
    (sequential_second_layer_fails, ValueError, r"Conv2D: expected a 4-D input"),
    (sequential_build_second_layer_fails, ValueError, r"Conv2D: expected a 4-D input"),
    (torch_sequential_moves_no_statistics, ValueError, r"Linear|linear|in_features|shape"),
    (dropout_then_failure_keeps_random_state, ValueError, r"Conv2D: expected a 4-D input"),
    (build_raises_halfway, ValueError, r"HalfBuilt: refuses"),
    (first_call_build_raises_halfway, ValueError, r"HalfBuilt: refuses"),
    (set_weights_bad_dtype_later, TypeError, r"dtype complex128 cannot be stored.*nothing"),
    (set_weights_bad_shape_later, ValueError, r"shape \(5,\) given.*nothing was set"),
    (set_weights_wrong_count, ValueError, r"has 2 variables, got 1 arrays; nothing"),
    (fit_fails_on_first_batch, ValueError, r"mean_squared_error: input shape \(4, 2\)"),
    (fit_with_dropout_and_shuffle_fails, ValueError, r"mean_squared_error"),
    (one_cycle_final_div_zero, ValueError, r"OneCycleLR: final_div_factor must be > 0, got 0"),
    (one_cycle_div_zero, ValueError, r"OneCycleLR: div_factor must be > 0, got 0"),
    (cyclic_without_momentum, ValueError, r"CyclicLR: Adagrad has neither momentum"),
    (lambda_raises_at_epoch_zero, ZeroDivisionError, r"division by zero"),
    (scheduler_load_bad_type, TypeError, r"StepLR.load_state_dict: 'step_size' must be an int"),
    (chained_load_bad_second_state, TypeError, r"ExponentialLR.load_state_dict: 'gamma'"),
    (optimizer_step_word, TypeError, r"Adam.load_state_dict: state 'step' of parameter 0 must be"),
    (optimizer_step_fraction, ValueError, r"'step' of parameter 0 must be a whole number.*2.7"),
    (optimizer_step_negative, ValueError, r"'step' of parameter 0 must be a whole number.*-5"),
    (optimizer_groups_not_a_list, TypeError, r"'param_groups' must be a list of dicts"),
    (optimizer_bad_lr, TypeError, r"Adam: lr must be a number"),
    (add_param_group_bad_lr, TypeError, r"SGD: lr must be a number"),
]


@pytest.mark.parametrize("setup, error, message", CASES, ids=[c[0].__name__ for c in CASES])
def test_failed_call_changes_nothing(setup, error, message):
    things, failing, later = setup()
    before = snapshot(things)
    with pytest.raises(error, match=message):
        failing()
    after = snapshot(things)
    assert same(before, after), "the failed call changed state"
    if later is not None:           # not broken for good: the same object works now
        later()
        assert all(m.built for m in things if isinstance(m, nn.Module))


def test_the_snapshot_sees_a_change():
    """The check above can fail: a successful first call does change the snapshot."""
    dense = layers.Dense(2)
    before = snapshot([dense])
    dense(np.ones((1, 3), np.float32))
    assert not same(before, snapshot([dense]))


def test_dense_first_called_on_a_list_builds_later_with_its_kernel():
    dense = layers.Dense(2)
    with pytest.raises(TypeError):
        dense([[1.0, 2.0, 3.0]])
    assert not dense.built and dense.kernel is None and dense.weights == []
    out = dense(np.ones((4, 3), np.float32))
    assert out.shape == (4, 2) and dense.kernel.shape == (3, 2)


def test_a_failed_fit_then_a_good_fit_equals_a_good_fit_alone():
    """The random state a failed fit restored gives the same training as no failure."""
    x = np.random.default_rng(3).normal(size=(16, 3)).astype(np.float32)
    y = x @ np.ones((3, 2), np.float32)

    def train(fail_first):
        ndgrad.random.seed(7)
        model = keras.Sequential([layers.Dense(4), layers.Dropout(0.3), layers.Dense(2)])
        model.compile(optimizer=optim.SGD(learning_rate=0.05), loss="mse")
        if fail_first:
            with pytest.raises(ValueError):
                model.fit(x, np.ones((16, 7), np.float32), batch_size=4, verbose=0)
        model.fit(x, y, batch_size=4, epochs=2, verbose=0)
        return [w.copy() for w in model.get_weights()]

    for a, b in zip(train(True), train(False)):
        np.testing.assert_array_equal(a, b)


def test_scheduler_construction_that_fails_leaves_groups_identical():
    opt = _sgd()
    group = opt.param_groups[0]
    keys = dict(group)
    with pytest.raises(ValueError):
        optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=10, final_div_factor=0)
    assert opt.param_groups[0] is group and dict(group) == keys
    # and a correct OneCycleLR afterwards works as PyTorch's
    scheduler = optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=10)
    assert scheduler.get_last_lr() == pytest.approx([0.04])
