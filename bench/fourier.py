"""FFT: ``np.fft.rfft`` of a (64, 4096) float32 tensor, forward and backward, in
ndgrad against ``torch.fft.rfft`` (CPU), interleaved in one process (issue 13).

Each round, per side: ``.grad`` of the input set to None, then
``rfft(x).backward(g)`` from a given complex64 upstream gradient ``g`` (the
one-sided spectrum's shape, (64, 2049)). ndgrad's backward is one ``irfft`` of
``g`` with the twice-counted bins halved (``ndgrad.ops.fourier``); PyTorch's
zero-pads ``g`` to the full length and runs a complex transform. Both sides
first check that they compute the same gradient. Each side runs at its default:
PyTorch's intra-op threads (as many as NumPy's BLAS has, see
``_harness.configure_torch``; ``OMP_NUM_THREADS=1`` for one) and ndgrad's FFT
workers (``ndgrad.fft.get_workers()``: 1 unless ``OMP_NUM_THREADS`` says more;
``--fft-workers 2`` splits the batch over two threads, which measured slower on 2
cores). The target (issue 13): ndgrad / PyTorch <= 1.3.

Run from the repository root::

    .venv/bin/python bench/fourier.py [--quick] [--rounds 40]
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/fourier.py --rounds 40
    .venv/bin/python bench/fourier.py --rounds 40 --fft-workers 2   # ndgrad split in 2
"""

import time

import numpy as np
import torch

import _harness
import ndgrad  # noqa: E402  (after _harness: the checkout's ndgrad)

DESCRIPTION = "np.fft.rfft of a (64, 4096) float32 tensor, forward and backward, against torch."

SHAPE = (64, 4096)
TARGET_RATIO = 1.3
PHASE = "forward+backward"


def inputs(shape=SHAPE):
    generator = np.random.default_rng(0)
    x = generator.standard_normal(shape, dtype=np.float32)
    bins = (shape[0], shape[1] // 2 + 1)
    g = (generator.standard_normal(bins, dtype=np.float32)
         + 1j * generator.standard_normal(bins, dtype=np.float32)).astype(np.complex64)
    return x, g


def make_side(lib, x, g):
    """One round for ``lib``: ``rfft(x)`` (NumPy's on an ndgrad tensor) and its backward."""
    x = lib.tensor(x, requires_grad=True)
    g = lib.tensor(g)
    transform = np.fft.rfft if lib is ndgrad else torch.fft.rfft
    perf_counter = time.perf_counter

    def one_round():
        x.grad = None
        t0 = perf_counter()
        transform(x).backward(g)
        return {PHASE: perf_counter() - t0}

    one_round.leaf = x
    return one_round


def make_sides(shape):
    """Both sides, each run once and checked to give the same gradient."""
    x, g = inputs(shape)
    sides = {"ndgrad": make_side(ndgrad, x, g), "torch": make_side(torch, x, g)}
    for side in sides.values():
        side()
    ours, theirs = (sides[name].leaf.grad.numpy() for name in ("ndgrad", "torch"))
    _harness.check_close("fft: ndgrad's gradient of rfft against PyTorch's", ours, theirs,
                         rtol=1e-3, atol=1e-2)
    return sides


def check(shape=SHAPE):
    """ndgrad's rfft gradient equals PyTorch's."""
    make_sides(shape)
    return shape


def measure(settings, shape=SHAPE, fft_workers=None):
    """The fft row: rfft forward+backward, ndgrad against PyTorch (``fft_workers``:
    ndgrad's FFT threads, default ndgrad's own default)."""
    threads = torch.get_num_threads()
    workers = ndgrad.fft.get_workers() if fft_workers is None else fft_workers
    ndgrad.fft.set_workers(workers)
    sides = make_sides(shape)
    rounds, warmup = settings.rounds(30), settings.warmup(3)
    samples = _harness.run_interleaved(sides, rounds=rounds, warmup=warmup,
                                       pause=_harness.PAUSE)
    medians = {name: phases[PHASE] for name, phases in _harness.medians(samples).items()}
    spreads = {name: _harness.spread(samples[name][PHASE]) for name in sides}
    notes = [f"ms: ndgrad {medians['ndgrad'] * 1e3:.2f}, PyTorch {medians['torch'] * 1e3:.2f}; "
             f"IQR/median {spreads['ndgrad']:.0%} / {spreads['torch']:.0%} over {rounds} rounds; "
             f"threads: PyTorch {threads} intra-op, ndgrad {workers} fft workers"]
    details = {"what": f"np.fft.rfft of a {shape} float32 tensor and its backward from a "
                       "given complex64 upstream gradient, against torch.fft.rfft",
               "shape": list(shape), "dtype": "float32", "rounds": rounds, "warmup": warmup,
               "threads": threads, "ndgrad_fft_workers": workers,
               "ms": {name: value * 1e3 for name, value in medians.items()},
               "relative_iqr": spreads}
    return _harness.make_row("fft", f"rfft {shape[0]}x{shape[1]} float32: fwd+bwd", "ms",
                             medians["ndgrad"] * 1e3, medians["torch"] * 1e3, TARGET_RATIO,
                             notes=notes, details=details)


ROWS = {"fft": measure}
CHECKS = {"fft": check}


def main():
    parser = _harness.argument_parser(DESCRIPTION)
    parser.add_argument("--fft-workers", type=int, default=None,
                        help="ndgrad's FFT threads (default: ndgrad's default, 1 unless "
                             "OMP_NUM_THREADS says more); 2 splits the batch over two threads")
    args = parser.parse_args()
    thread_setting = _harness.configure_torch(torch)
    row = measure(_harness.settings_from(args), fft_workers=args.fft_workers)
    _harness.print_rows([row])
    print(f"ratio ndgrad / PyTorch = {row['ratio']:.2f}, target <= {TARGET_RATIO}: "
          f"{row['result']}")
    path = _harness.save_rows([row], torch, thread_setting)
    print(f"written to {path} (key 'fft')")


if __name__ == "__main__":
    main()
