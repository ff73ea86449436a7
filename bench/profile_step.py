"""Where a training step's time goes in ndgrad: BLAS, copies, other NumPy work,
and the framework's own Python per op (issue 17).

For each chosen step (the ``lstm`` row's LSTM, the ``lstm_lm`` language model,
the ``transformer_block`` encoder layer, the ``cnn`` and ``cifar_cnn`` CNNs
with the compiled kernels off, NumPy alone, as ``cnn_numpy`` and
``cifar_cnn_numpy``; ``cnn`` and ``cifar_cnn`` by name: with the kernels when
numba is installed; by name too, the ``wide_mlp`` SGD step and one Adam step of
``digits_mlp`` on its first batch) it

1. times ``--steps`` plain steps (median, no instrumentation): the step time;
2. runs the same steps with every op's forward and gradient rule wrapped in a
   wall-clock timer, and NumPy's BLAS entry points (``matmul``, ``dot``,
   ``einsum``, ``tensordot``) and copying functions (``ascontiguousarray``,
   ``concatenate``, ``stack``, ``pad``, ``copyto``, ``copy``) too, each
   timer counting its own time without the timers nested inside it;
3. runs them under cProfile and keeps the functions with the most own time.

It prints, per step, a breakdown:

- **BLAS**: time inside NumPy's matrix products, plus the remaining time of
  the ops that are one matrix product (``linear``, ``matmul``, ``bmm``...:
  their ``@`` cannot be wrapped);
- **copies**: time inside NumPy's copying functions, plus the ops that only
  move data (transpose, concatenation, padding, reshape copies);
- **conv/pool windows**: the rest of the convolution and pooling ops' own
  time (their products are BLAS above): im2col/col2im window copies, the
  input gradient's shifted sums, pooling's maxima, masks and scatters;
- **other op kernels**: the rest of the ops' own time (elementwise math,
  reductions, softmax, the LSTM's gate arithmetic...);
- **framework Python**: the instrumented step minus all of the above, minus
  the timers' own cost (calibrated): dispatch, graph recording, the backward
  walk, module calls, the optimizer's loop; also per op call;

then the ops with the most time and cProfile's top functions. The timers
slow the step down (the instrumented step is printed beside the plain one):
read the fractions, not the absolute numbers.

Run from the repository root::

    .venv/bin/python bench/profile_step.py                     # every step
    .venv/bin/python bench/profile_step.py lstm transformer_block --steps 10
"""

import argparse
import contextlib
import cProfile
import gc
import pstats
import statistics
import sys
import time

import numpy as np

import _harness  # noqa: F401  (first: puts the checkout's ndgrad on the path)
import cifar_cnn
import cnn
import lstm
import mlp
import sequence
from ndgrad.autograd import primitive as _primitive

BLAS_FUNCTIONS = ("matmul", "dot", "einsum", "tensordot", "vdot", "inner")
COPY_FUNCTIONS = ("ascontiguousarray", "concatenate", "stack", "pad", "copyto", "copy")
# ops that are one matrix product at heart (their ``@`` cannot be wrapped)
BLAS_OPS = ("linear", "matmul", "mm", "bmm", "addmm", "baddbmm", "dot", "einsum", "tensordot",
            "inner", "outer")
# convolution's products go through np.matmul (counted as BLAS); what is left of
# these ops is window work: im2col/col2im, shifted sums, pooling's maxima and masks
WINDOW_OPS = ("conv", "max_pool", "avg_pool", "pool")
COPY_OPS = ("transpose", "permute", "swapaxes", "moveaxis", "contiguous", "concatenate", "cat",
            "stack", "pad", "reshape", "view", "flatten", "copy", "clone", "split", "chunk",
            "getitem", "take", "expand", "broadcast", "repeat", "tile", "squeeze", "unsqueeze")

STEPS = {
    "lstm": lambda: lstm.lstm_pair(),
    "lstm_lm": lambda: sequence.lm_pair(),
    "transformer_block": lambda: sequence.block_pair(),
    "cnn_numpy": lambda: cnn.cnn_pair(),
    "cifar_cnn_numpy": lambda: cifar_cnn.cifar_pair(),
    "cnn": lambda: cnn.cnn_pair(),                  # with the compiled kernels when installed
    "cifar_cnn": lambda: cifar_cnn.cifar_pair(),
    "wide_mlp": lambda: mlp.wide_pair(),
    "digits_mlp": lambda: (mlp.digits_pair(), mlp.digits_batches()[0]),
}
DEFAULT_STEPS = ("lstm", "lstm_lm", "transformer_block", "cnn_numpy", "cifar_cnn_numpy")


class Timers:
    """Wall-clock timers with exclusive time: a timer's total leaves out the
    timers that ran inside it."""

    def __init__(self):
        self.own, self.calls, self._stack = {}, {}, []

    def wrap(self, function, key):
        perf_counter, stack, own, calls = time.perf_counter, self._stack, self.own, self.calls

        def timed(*args, **kwargs):
            stack.append(0.0)
            start = perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = perf_counter() - start
                inner = stack.pop()
                own[key] = own.get(key, 0.0) + elapsed - inner
                calls[key] = calls.get(key, 0) + 1
                if stack:
                    stack[-1] += elapsed

        timed.__wrapped__ = function
        return timed

    def reset(self):
        self.own.clear()
        self.calls.clear()


def _op_functions():
    """Every op function ndgrad made with ``@primitive`` (they carry ``.op``)."""
    return [obj for obj in gc.get_objects()
            if callable(obj) and isinstance(getattr(obj, "op", None), _primitive.Op)
            and getattr(obj, "__closure__", None)]


@contextlib.contextmanager
def instrumented(timers):
    """Every op's forward and rule, and NumPy's BLAS and copy functions, timed."""
    undo = []
    seen_cells, seen_ops = set(), set()
    for function in _op_functions():
        op = function.op
        names = function.__code__.co_freevars
        if "forward" in names:
            cell = function.__closure__[names.index("forward")]
            if id(cell) not in seen_cells:
                seen_cells.add(id(cell))
                original = cell.cell_contents
                cell.cell_contents = timers.wrap(original, ("forward", op.name))
                undo.append(lambda cell=cell, original=original:
                            setattr(cell, "cell_contents", original))
        if id(op) not in seen_ops:
            seen_ops.add(id(op))
            rule = op.vjp
            op.vjp = timers.wrap(rule, ("backward", op.name))
            undo.append(lambda op=op, rule=rule: setattr(op, "vjp", rule))
    for name in BLAS_FUNCTIONS + COPY_FUNCTIONS:
        original = getattr(np, name)
        setattr(np, name, timers.wrap(original, ("numpy", name)))
        undo.append(lambda name=name, original=original: setattr(np, name, original))
    try:
        yield
    finally:
        for action in reversed(undo):
            action()


def timer_cost(timers, count=20000):
    """Seconds one wrapped call adds (measured on a function doing nothing)."""
    def nothing():
        return None
    wrapped = timers.wrap(nothing, ("calibration", "nothing"))
    start = time.perf_counter()
    for _ in range(count):
        nothing()
    plain = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(count):
        wrapped()
    cost = (time.perf_counter() - start - plain) / count
    timers.reset()
    return max(cost, 0.0)


def _category(key):
    kind, name = key
    if kind == "numpy":
        return "BLAS" if name in BLAS_FUNCTIONS else "copies"
    lowered = name.lower()
    if any(lowered == op or lowered.startswith(op) for op in BLAS_OPS):
        return "BLAS"
    if any(lowered.startswith(op) for op in WINDOW_OPS):
        return "conv/pool windows"
    if any(lowered == op or lowered.startswith(op) for op in COPY_OPS):
        return "copies"
    return "other op kernels"


def profile(name, steps_count, cprofile_top):
    steps, data = STEPS[name]()
    step = steps["ndgrad"]
    x, y = data["ndgrad"]
    with (cnn.numpy_only() if name.endswith("_numpy") else contextlib.nullcontext()):
        for _ in range(3):
            step(x, y)
        plain, phases = [], {}
        for _ in range(steps_count):
            start = time.perf_counter()
            for phase, seconds in step(x, y)[1].items():
                phases.setdefault(phase, []).append(seconds)
            plain.append(time.perf_counter() - start)
        timers = Timers()
        cost = timer_cost(timers)
        with instrumented(timers):
            step(x, y)            # warm the wrappers
            timers.reset()
            start = time.perf_counter()
            for _ in range(steps_count):
                step(x, y)
            instrumented_total = (time.perf_counter() - start) / steps_count
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(steps_count):
            step(x, y)
        profiler.disable()
    per_step = {key: value / steps_count for key, value in timers.own.items()}
    calls = {key: count / steps_count for key, count in timers.calls.items()}
    buckets = {"BLAS": 0.0, "copies": 0.0, "conv/pool windows": 0.0, "other op kernels": 0.0}
    for key, seconds in per_step.items():
        buckets[_category(key)] += seconds
    wrapped_calls = sum(calls.values())
    op_calls = sum(count for key, count in calls.items() if key[0] != "numpy")
    python = instrumented_total - sum(buckets.values()) - wrapped_calls * cost
    buckets["framework Python"] = max(python, 0.0)
    report(name, statistics.median(plain), instrumented_total, buckets, op_calls, per_step, calls,
           cost)
    print("  plain step's phases (ms): " + ", ".join(
        f"{phase} {statistics.median(values) * 1e3:.2f}" for phase, values in phases.items()
        if phase != "total"))
    stats = pstats.Stats(profiler)
    rows = sorted(stats.stats.items(), key=lambda item: -item[1][2])[:cprofile_top]
    print(f"  cProfile, top {cprofile_top} by own time (ms per step, calls per step):")
    for (filename, line, function), (_, ncalls, tottime, cumtime, _) in rows:
        where = filename.replace(_harness.REPO_ROOT + "/", "")
        print(f"    {tottime / steps_count * 1e3:8.3f} {ncalls / steps_count:7.0f}  "
              f"{function} ({where}:{line})")
    print()


def report(name, plain, instrumented_total, buckets, op_calls, per_step, calls, cost):
    total = sum(buckets.values())
    print(f"{name}: step {plain * 1e3:.2f} ms plain, {instrumented_total * 1e3:.2f} ms "
          f"instrumented ({op_calls:.0f} op calls per step; timer cost {cost * 1e6:.2f} us "
          "per wrapped call, subtracted)")
    for bucket, seconds in buckets.items():
        print(f"  {bucket:18s} {seconds * 1e3:8.2f} ms  {seconds / total:6.1%}")
    python = buckets["framework Python"]
    print(f"  framework Python per op call: {python / max(op_calls, 1) * 1e6:.1f} us")
    print("  the ops and NumPy calls with the most own time (ms per step, calls per step):")
    top = sorted(per_step.items(), key=lambda item: -item[1])[:12]
    for key, seconds in top:
        print(f"    {seconds * 1e3:8.3f} {calls[key]:7.0f}  {key[0]:8s} {key[1]:28s} "
              f"{_category(key)}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"any of: {', '.join(STEPS)} (default: all)")
    parser.add_argument("--steps", type=int, default=10, help="steps per measurement")
    parser.add_argument("--top", type=int, default=10, help="cProfile functions shown")
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if name not in STEPS]
    if unknown:
        parser.error(f"unknown step(s) {', '.join(unknown)}; known: {', '.join(STEPS)}")
    for name in args.names or DEFAULT_STEPS:
        profile(name, args.steps, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
