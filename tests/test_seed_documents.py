"""The user's documents (``../shared/seeds/``), run as written.

Every ```python block of the four seed documents is executed with only its
import lines changed (``import tensorflow as tf`` -> ``import
ndgrad.tensorflow as tf``, ``import torch`` -> ``import ndgrad.torch as
torch``, ...). Each test asserts what the text says the block prints or does,
or, where the text is wrong about TensorFlow or PyTorch (a shape that cannot
multiply, a gradient TensorFlow would not compute), the clear error ndgrad
raises instead. Two blocks are fragments ("... within a larger model ...",
"custom_convolution is a custom function"): the test supplies the names the
text leaves out, and nothing else.
"""

import contextlib
import io
import os
import re
import types
import warnings
from pathlib import Path

import numpy as np
import pytest

import ndgrad

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"

IMPORTS = {
    "import tensorflow as tf": "import ndgrad.tensorflow as tf",
    "import torch.nn.functional as F": "import ndgrad.torch.nn.functional as F",
    "import torch.nn as nn": "import ndgrad.torch.nn as nn",
    "import torch": "import ndgrad.torch as torch",
}


def _blocks(prefix):
    if not SEEDS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"the seed documents are missing: {SEEDS} (CI puts ../shared beside "
                        "the clone)")
        pytest.skip(f"the seed documents are not beside this checkout ({SEEDS})")
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), re.S)


def _ported(source):
    lines = []
    for line in source.splitlines():
        stripped = line.strip()
        lines.append(IMPORTS.get(stripped, line) if stripped.startswith("import ") else line)
    return "\n".join(lines) + "\n"


def run_block(prefix, index, **given):
    """Run block ``index`` of seed ``prefix``; returns (printed text, namespace)."""
    source = _ported(_blocks(prefix)[index])
    namespace = {"__name__": f"seed_{prefix}_{index}", **given}
    printed = io.StringIO()
    code = compile(source, f"seed_{prefix}_block{index}.py", "exec")
    with contextlib.redirect_stdout(printed):
        try:
            exec(code, namespace)
        finally:
            namespace["__printed__"] = printed.getvalue()
    return printed.getvalue(), namespace


def _losses(printed):
    return [float(x) for x in re.findall(r"Loss: ([-0-9.e]+)", printed)]


def test_every_block_is_covered():
    assert [len(_blocks(p)) for p in ("000", "001", "002", "003")] == [3, 3, 3, 3]


# --- 000: "How can I determine if an NDArray is trainable?" -------------------

def test_000_tensorflow_example_multiplies_shapes_that_do_not_fit():
    # The text says it trains; a (3, 1) input times a (10, 1) weight cannot be
    # multiplied in TensorFlow either (InvalidArgumentError).
    with pytest.raises(ndgrad.ShapeError) as error:
        run_block("000", 0)
    message = str(error.value)
    assert "matmul" in message and "(3, 1)" in message and "(10, 1)" in message
    assert "seed_000_block0.py" in message          # the line in the user's program


def test_000_pytorch_example_trains_and_warns_that_the_shapes_differ():
    # A (10, 1) Parameter in Linear(1, 1) makes a (3, 10) output that MSELoss
    # broadcasts against the (3, 1) target: it trains, as the text says, and
    # (as PyTorch does) warns about the shapes.
    with pytest.warns(UserWarning, match=r"target shape \(3, 1\)"):
        printed, namespace = run_block("000", 1)
    losses = _losses(printed)
    assert len(losses) == 100 and losses[-1] < losses[0]
    assert "Weight values after training:" in printed
    assert namespace["linear_layer"].weight.trainable


def test_000_numpy_example_fails_in_numpy_itself():
    # The text says it prints the weight; np.dot of (3, 1) and (10, 1) fails in NumPy.
    with pytest.raises(ValueError, match="not aligned"):
        run_block("000", 2)
    assert not ndgrad.is_trainable(np.random.rand(10, 1))


# --- 001: "Why does a TensorFlow Variable have no trainable parameters?" -------

def test_001_example1_constant_and_frozen_variable_get_no_gradient():
    # TensorFlow returns [None, None] (x is an unwatched constant, the variable is
    # not trainable) and apply_gradients raises; the print is never reached.
    with pytest.warns(RuntimeWarning, match="no source got a gradient"):
        with pytest.raises(ValueError, match="No gradients provided") as error:
            run_block("001", 0)
    assert "trainable=False" in str(error.value)


def test_001_example2_dense_layer_variables_print_and_train():
    printed, namespace = run_block("001", 1)
    lines = printed.strip().splitlines()
    assert len(lines) == 2
    assert "kernel" in lines[0] and "(2, 1)" in lines[0]
    assert "bias" in lines[1] and "(1,)" in lines[1]
    kernel = namespace["model"].trainable_variables[0]
    assert not np.allclose(kernel.numpy(), 1.0)      # trained away from the 'ones' init


def test_001_example3_loss_computed_before_the_tape_gets_no_gradient():
    # The text says trainable_var ends near 0. In TensorFlow the loss was computed
    # before the tape, so the tape saw nothing: the gradient is None and
    # apply_gradients raises. ndgrad's TensorFlow face does the same, and says why.
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.raises(RuntimeWarning, match="inside the tape's 'with' block"):
            run_block("001", 2)
    with pytest.warns(RuntimeWarning):
        with pytest.raises(ValueError, match="No gradients provided"):
            run_block("001", 2)


# --- 002: "Can NumPy operations be applied to differentiable tensors?" --------

def test_002_example1_channel_mean_then_a_three_channel_conv_is_a_clear_error():
    # Averaging the channels leaves 1 channel; Conv2d(3, 16, 3) needs 3 (PyTorch
    # raises too). The error names the layer, the shapes and the channels.
    with pytest.raises(ndgrad.ShapeError) as error:
        run_block("002", 0)
    message = str(error.value)
    assert "3" in message and "(1, 1, 32, 32)" in message


def test_002_example2_detach_numpy_clip_and_back_runs_inside_a_model():
    conv1, conv2 = ndgrad.torch.nn.Conv2d(3, 8, 3), ndgrad.torch.nn.Conv2d(8, 4, 3)
    model = types.SimpleNamespace(conv1=conv1, conv2=conv2)
    input_tensor = ndgrad.torch.randn(2, 3, 16, 16, requires_grad=True)
    printed, namespace = run_block("002", 1, self=model, input_tensor=input_tensor)
    processed = namespace["x_processed"]
    assert processed.dtype == ndgrad.float32 and not processed.requires_grad
    assert float(abs(processed).max()) <= 1.0
    namespace["x"].sum().backward()
    assert conv2.weight.grad is not None and conv1.weight.grad is None   # cut, as the text says


def test_002_example3_custom_function_runs_forward_and_backward():
    def custom_convolution(x):
        return x * 2

    def calculate_gradients(x, grad_output):
        return grad_output * 2

    input_tensor = ndgrad.torch.randn(1, 3, 8, 8, requires_grad=True)
    printed, namespace = run_block("002", 2, custom_convolution=custom_convolution,
                                   calculate_gradients=calculate_gradients,
                                   input_tensor=input_tensor)
    namespace["x"].sum().backward()
    np.testing.assert_allclose(input_tensor.grad.numpy(), 2.0)


# --- 003: "How do I create trainable variables in TensorFlow Keras?" ----------

def test_003_example1_dense_variables_are_listed_trainable():
    printed, namespace = run_block("003", 0)
    lines = printed.strip().splitlines()
    assert len(lines) == 4 and all(line.endswith("Trainable: True") for line in lines)
    assert "(10, 64)" in lines[0] and "(64, 1)" in lines[2]
    assert namespace["model"].optimizer is not None


def test_003_example2_explicit_variables_report_their_trainability():
    printed, namespace = run_block("003", 1)
    assert printed.splitlines() == ["W trainable: True", "b trainable: False"]
    assert namespace["y"].shape == (1, 3) and namespace["W"].dtype == np.float32


def test_003_example3_custom_layer_variables_made_in_init_are_tracked():
    printed, namespace = run_block("003", 2)
    lines = printed.strip().splitlines()
    assert len(lines) == 2                # Dense(1) is not built yet, as in Keras
    assert "(16, 1)" in lines[0] and "(1,)" in lines[1]
    assert all(line.endswith("Trainable: True") for line in lines)
