"""Peak memory of the wide MLP's training, one fresh process per framework.

Each child process imports only its own framework (the ndgrad child never
imports PyTorch), builds the MLP 784-1024-1024-10 with the same seeded weights
(NumPy, uniform in +-1/sqrt(fan_in), PyTorch's layout), and trains it for
``STEPS`` SGD steps (lr 0.01) on one random batch of 256. It reports, in MB:

- ``baseline``: the maximum resident set size (Linux's ``VmHWM``; see
  ``max_rss_mb`` for why not ``getrusage`` alone) right after the imports,
  before the model exists;
- ``peak``: the maximum resident set size after the steps;
- ``increment``: peak minus baseline, the memory the training itself took;

and the losses of every step, which the parent checks to agree between the
two children before it reports anything. The target (issue 6) is on the
maximum RSS as the operating system reports it: ndgrad's peak <= 0.5 of
PyTorch's. The increment ratio is printed beside it, because PyTorch's import
alone is a large part of its peak.

Run from the repository root::

    .venv/bin/python bench/memory.py [--quick]
    .venv/bin/python bench/memory.py --child ndgrad    # one child, prints JSON
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys

import _harness

SIZES = (784, 1024, 1024, 10)
BATCH = 256
STEPS = 10
TARGET = 0.5
FRAMEWORKS = ("ndgrad", "torch")


def max_rss_mb():
    """This process's maximum resident set size so far, in MB.

    On Linux, ``VmHWM`` of ``/proc/self/status``: ``getrusage``'s ``ru_maxrss``
    is carried over from the parent through fork (or vfork) and exec, so a
    child of a large parent (``run.py`` holds PyTorch and Fashion-MNIST)
    would report the parent's peak. Elsewhere ``ru_maxrss``.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return getrusage_max_rss_mb()


def getrusage_max_rss_mb():
    """``getrusage``'s ``ru_maxrss`` in MB (Linux reports KiB, macOS bytes)."""
    kilobytes = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kilobytes / 1024 if sys.platform != "darwin" else kilobytes / 2 ** 20


def seeded_weights(sizes):
    """``{"0.weight": ..., "0.bias": ..., "2.weight": ...}`` in PyTorch's layout,
    float32, uniform in +-1/sqrt(fan_in): the same numbers in every process."""
    import numpy as np
    generator = np.random.default_rng(0)
    state = {}
    for index, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        bound = 1.0 / np.sqrt(fan_in)
        state[f"{2 * index}.weight"] = generator.uniform(
            -bound, bound, (fan_out, fan_in)).astype(np.float32)
        state[f"{2 * index}.bias"] = generator.uniform(-bound, bound, fan_out).astype(np.float32)
    return state


def train(framework, sizes=SIZES, batch=BATCH, steps=STEPS):
    """Train the MLP in ``framework`` ("ndgrad" or "torch"); returns the losses."""
    import numpy as np
    lib = __import__(framework)
    if framework == "torch":
        _harness.configure_torch(lib)
    layers = []
    for index, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(lib.nn.Linear(fan_in, fan_out))
        if index < len(sizes) - 2:
            layers.append(lib.nn.ReLU())
    model = lib.nn.Sequential(*layers)
    state = seeded_weights(sizes)
    if framework == "torch":
        state = {key: lib.from_numpy(value) for key, value in state.items()}
    model.load_state_dict(state)
    generator = np.random.default_rng(1)
    x = lib.tensor(generator.standard_normal((batch, sizes[0]), dtype=np.float32))
    y = lib.tensor(generator.integers(0, sizes[-1], batch).astype(np.int64))
    optimizer = lib.optim.SGD(model.parameters(), lr=0.01)
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = lib.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def child(framework, steps):
    """The child's work: imports, baseline, training, peak; returns the report."""
    __import__("numpy")
    __import__(framework)
    baseline = max_rss_mb()
    losses = train(framework, steps=steps)
    peak = max_rss_mb()
    return {"framework": framework, "baseline_mb": baseline, "peak_mb": peak,
            "increment_mb": peak - baseline, "getrusage_max_rss_mb": getrusage_max_rss_mb(),
            "losses": losses, "torch_imported": "torch" in sys.modules}


def run_child(framework, steps):
    """Run ``child`` in a fresh interpreter; returns its report."""
    command = [sys.executable, os.path.abspath(__file__), "--child", framework,
               "--steps", str(steps)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"memory: the {framework} child failed ({done.returncode}):\n"
                           f"{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def check(sizes=(20, 16, 16, 10), batch=8, steps=3):
    """ndgrad and PyTorch give the same losses on the seeded MLP (in this process)."""
    ours, theirs = train("ndgrad", sizes, batch, steps), train("torch", sizes, batch, steps)
    _harness.check_close("memory: losses", _float32(ours), _float32(theirs), rtol=1e-4)
    return ours


def _float32(values):
    import numpy as np
    return np.asarray(values, dtype=np.float32)


def measure(settings):
    rounds = 1 if settings.quick else 2
    reports = {framework: [] for framework in FRAMEWORKS}
    for _ in range(rounds):
        for framework in FRAMEWORKS:
            reports[framework].append(run_child(framework, STEPS))
    first = {framework: values[0] for framework, values in reports.items()}
    _harness.check_close("memory: losses of the two children", _float32(first["ndgrad"]["losses"]),
                         _float32(first["torch"]["losses"]), rtol=1e-4)
    if first["ndgrad"]["torch_imported"]:
        raise _harness.Mismatch("memory: the ndgrad child imported torch; its RSS would "
                                "include PyTorch's")
    summary = {framework: {key: statistics.median(report[key] for report in values)
                           for key in ("baseline_mb", "peak_mb", "increment_mb")}
               for framework, values in reports.items()}
    ours, theirs = summary["ndgrad"], summary["torch"]
    notes = [f"max RSS after imports: ndgrad {ours['baseline_mb']:.0f} MB, PyTorch "
             f"{theirs['baseline_mb']:.0f} MB; increment over it (training): ndgrad "
             f"{ours['increment_mb']:.0f} MB, PyTorch {theirs['increment_mb']:.0f} MB, ratio "
             f"{ours['increment_mb'] / theirs['increment_mb']:.2f}; {STEPS} SGD steps, batch "
             f"{BATCH}, median of {rounds} child process(es) each"]
    return _harness.make_row("memory", "peak RSS, MLP 784-1024-1024-10 training", "MB",
                             ours["peak_mb"], theirs["peak_mb"], TARGET, notes=notes,
                             details={"mb": summary, "steps": STEPS, "batch": BATCH,
                                      "children_per_framework": rounds,
                                      "increment_ratio": ours["increment_mb"]
                                      / theirs["increment_mb"]})


ROWS = {"memory": measure}
CHECKS = {"memory": check}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", choices=FRAMEWORKS, help="be one child; print its JSON")
    parser.add_argument("--steps", type=int, default=STEPS)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.steps)))
        return
    import run
    sys.exit(run.main(only=list(ROWS), argv=["--quick"] if args.quick else []))


if __name__ == "__main__":
    main()
