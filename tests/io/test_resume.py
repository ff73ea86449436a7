"""Resume is exact: 4 epochs straight == 2 epochs, checkpoint, 2 more in a new process."""

import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

import ndgrad
from ndgrad.io import load_checkpoint, load_weights, save_checkpoint
from tests.io.training_run import make_run, train

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = pathlib.Path(__file__).with_name("training_run.py")


def _weights(model):
    return {name: np.array(tensor.numpy(), copy=True) for name, tensor in model.state_dict().items()}


def test_resume_in_a_new_process_equals_training_straight_to_the_last_bit(tmp_path):
    model, optimizer, loader = make_run()
    train(model, optimizer, loader, 4)
    straight = _weights(model)

    model, optimizer, loader = make_run()
    train(model, optimizer, loader, 2)
    halfway = _weights(model)
    checkpoint = tmp_path / "epoch2.safetensors"
    save_checkpoint(checkpoint, model, optimizer, epoch=2, extra={"loader": loader.state_dict()})

    resumed_path = tmp_path / "resumed.safetensors"
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT) + os.pathsep
               + os.environ.get("PYTHONPATH", ""))
    subprocess.run([sys.executable, str(SCRIPT), str(checkpoint), "4", str(resumed_path)],
                   check=True, cwd=REPO_ROOT, env=env, timeout=120)

    resumed, _, _ = make_run(seed=99)
    load_weights(resumed, resumed_path)
    for name, array in _weights(resumed).items():
        assert array.dtype == straight[name].dtype
        assert array.tobytes() == straight[name].tobytes(), name
    assert not np.array_equal(straight["0.weight"], halfway["0.weight"])


def test_resume_in_process_restores_optimizer_loader_and_random_state(tmp_path):
    model, optimizer, loader = make_run()
    train(model, optimizer, loader, 1)
    path = tmp_path / "ckpt.safetensors"
    save_checkpoint(path, model, optimizer, epoch=1, extra={"loader": loader.state_dict()})
    expected_draw = ndgrad.random.uniform((3,)).tolist()

    other_model, other_optimizer, other_loader = make_run(seed=7, lr=0.3)
    saved = load_checkpoint(path, other_model, other_optimizer)
    assert ndgrad.random.uniform((3,)).tolist() == expected_draw
    other_loader.load_state_dict(saved["extra"]["loader"])
    assert saved == {"epoch": 1, "extra": {"loader": loader.state_dict()}}
    assert other_optimizer.lr == 0.01 and other_optimizer.iterations == optimizer.iterations
    assert other_optimizer.state[other_optimizer.params[0]]["step"] == 6
    np.testing.assert_array_equal(other_optimizer.state[other_optimizer.params[0]]["exp_avg"],
                                  optimizer.state[optimizer.params[0]]["exp_avg"])
    assert other_loader.state_dict() == loader.state_dict()
    assert [b.tolist() for b, _ in other_loader] == [b.tolist() for b, _ in loader]


@pytest.mark.parametrize("face", ["keras", "pytorch"])
def test_keras_optimizer_without_variables_is_built_from_the_checkpoint(tmp_path, face):
    model = ndgrad.nn.Sequential(ndgrad.nn.Linear(3, 4), ndgrad.nn.Linear(4, 1))
    optimizer = ndgrad.optim.Adam(learning_rate=0.05)
    x = ndgrad.ones((2, 3))
    with ndgrad.GradientTape() as tape:
        loss = model(x).sum()
    # Reversed: the saved order is the optimizer's, not the model's.
    variables = model.trainable_variables[::-1]
    optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    path = tmp_path / "keras.safetensors"
    save_checkpoint(path, model, optimizer)

    fresh_model = ndgrad.nn.Sequential(ndgrad.nn.Linear(3, 4), ndgrad.nn.Linear(4, 1))
    fresh = ndgrad.optim.Adam(learning_rate=0.05)
    if face == "pytorch":
        fresh = ndgrad.optim.Adam(fresh_model.parameters()[::-1], lr=0.05)
    load_checkpoint(path, fresh_model, fresh)
    names = dict((id(t), n) for n, t in fresh_model.named_parameters())
    assert [names[id(p)] for p in fresh.params] == ["1.bias", "1.weight", "0.bias", "0.weight"]
    for saved_param, param in zip(optimizer.params, fresh.params):
        np.testing.assert_array_equal(fresh.state[param]["exp_avg_sq"],
                                      optimizer.state[saved_param]["exp_avg_sq"])
