"""``make bench``: every benchmark of issue 6, ndgrad against PyTorch, one table.

Rows, in order (each module's docstring says exactly what it times):

==============  ==========  ================================================  =========
row             module      what                                              target
==============  ==========  ================================================  =========
digits_mlp      mlp.py      digits MLP 64-256-256-10, batch 64, Adam: epoch   <= 0.85
wide_mlp        mlp.py      MLP 784-1024-1024-10, batch 256, SGD: step        <= 0.9
cnn             cnn.py      conv16-pool-conv32-pool-dense10, batch 64: step   <= 0.8
cnn_numpy       cnn.py      the same, numba kernels off (NumPy alone)         <= 1.2
overhead        overhead.py chain of 200 small elementwise ops: us per op     <= 1.0
matmul          matmul.py   2048^2 float32 fwd+bwd against NumPy's 3 matmuls  <= 1.1
fft             fourier.py  np.fft.rfft of (64, 4096) float32: fwd+bwd         <= 1.3
lstm            lstm.py     LSTM hidden 128, seq 32, batch 32: step           <= 1.0
lstm_lm         sequence.py LSTM LM emb 128, hidden 256, V 10k, seq 35, b20   <= 1.0
transformer_b.  sequence.py TransformerEncoderLayer d64 h4, seq 64, b32: step  <= 1.0
cifar_cnn       cifar_cnn.  conv32-bn-pool-conv64-bn-pool, 3x32x32, b64: step <= 1.2
inference_b1    inference.  MLP 784-1024-1024-10 no_grad forward, batch 1     <= 0.7
inference_b256  inference.  the same at batch 256                             -
fashion_cnn     cnn.py      the Fashion-MNIST example's CNN: epoch            -
memory          memory.py   peak RSS of the wide MLP's training               <= 0.5
scaling         scaling.py  MLP step time vs batch size and width (PNG)       -
onnx_inference  onnx_inf.py digits CNN b64: ONNX Runtime vs ndgrad predict     <= 1.0
onnx_export_t.  onnx_inf.py export time, wide MLP and digits CNN vs 0.5 s      <= 1.0
onnx_file_size  onnx_inf.py exported bytes vs weight bytes                     <= 1.01
==============  ==========  ================================================  =========

With ``--programs`` the ported pytorch/examples follow as rows
``program:<name>`` (``programs.py``: whole-program time, ndgrad / PyTorch, no
target); they take many minutes, so ``make bench`` leaves them out.

Every ratio is ndgrad / peer (the peer is PyTorch, NumPy for matmul): lower
is better. Every row first checks that both sides compute the same loss (or
the same gradients); a row whose check or run fails is printed as FAILED and
the others still run; the exit status is then 1.

Run from the repository root::

    .venv/bin/python bench/run.py                       # all rows, ~5-6 minutes
    .venv/bin/python bench/run.py --quick               # fewer rounds, ~1-2 minutes
    .venv/bin/python bench/run.py --only cnn,lstm       # some rows
    .venv/bin/python bench/run.py --list                # the row names
    .venv/bin/python bench/run.py --programs            # all rows, then the ported programs
    .venv/bin/python bench/run.py --only lstm --programs mnist,vae
    .venv/bin/python bench/programs.py mnist            # some programs alone
"""

import sys
import time
import traceback

import torch

import _harness
import cifar_cnn
import cnn
import fourier
import inference
import lstm
import matmul
import memory
import mlp
import onnx_inference
import overhead
import programs
import scaling
import sequence

MODULES = (mlp, cnn, overhead, matmul, fourier, lstm, sequence, cifar_cnn, inference, memory,
           scaling, onnx_inference)
ORDER = ("digits_mlp", "wide_mlp", "cnn", "cnn_numpy", "overhead", "matmul", "fft", "lstm",
         "lstm_lm", "transformer_block", "cifar_cnn", "inference_b1", "inference_b256",
         "fashion_cnn", "memory", "scaling", "onnx_inference", "onnx_export_time", "onnx_file_size")
ROWS = {name: function for module in MODULES for name, function in module.ROWS.items()}
CHECKS = {name: function for module in MODULES for name, function in module.CHECKS.items()}
assert set(ROWS) == set(ORDER) == set(CHECKS), "run.py: ORDER must list every row"


def select(only):
    """The row names to run, in table order (all when ``only`` is None); refuses
    unknown names."""
    if only is None:
        return list(ORDER)
    unknown = [name for name in only if name not in ROWS]
    if unknown:
        raise SystemExit(f"run.py: unknown row(s) {', '.join(unknown)}; "
                         f"the rows are {', '.join(ORDER)}")
    return [name for name in ORDER if name in only]


def run_rows(names, settings):
    """Run the rows; a failing row becomes a FAILED row (the traceback goes to stderr)."""
    rows = []
    for name in names:
        started = time.perf_counter()
        try:
            row = ROWS[name](settings)
        except Exception as error:   # report it and go on with the other rows
            traceback.print_exc()
            row = _harness.failed_row(name, name, error)
        seconds = time.perf_counter() - started
        ratio = "-" if row["ratio"] is None else f"{row['ratio']:.2f}"
        print(f"  {name}: {row['result']} (ratio {ratio}) in {seconds:.0f} s", flush=True)
        rows.append(row)
    return rows


def main(only=None, argv=None):
    parser = _harness.argument_parser(__doc__.splitlines()[0])
    parser.add_argument("--only", default=None,
                        help="comma-separated row names (default: all); see --list")
    parser.add_argument("--list", action="store_true", help="print the row names and exit")
    parser.add_argument("--programs", nargs="?", const="all", default=None,
                        help="also run the ported pytorch/examples as whole-program rows "
                             "(all, or comma-separated names; many minutes)")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(ORDER))
        return 0
    if args.only:
        only = [name.strip() for name in args.only.split(",") if name.strip()]
    names = select(only)
    program_names = None
    if args.programs is not None:
        chosen = [] if args.programs == "all" else \
            [name.strip() for name in args.programs.split(",") if name.strip()]
        program_names = programs.select(chosen)
    thread_setting = _harness.configure_torch(torch)
    settings = _harness.settings_from(args)
    extra = f" + {len(program_names)} program(s)" if program_names else ""
    print(f"ndgrad against PyTorch {torch.__version__}: {len(names)} row(s){extra}, "
          f"torch threads = "
          f"NumPy BLAS threads = {thread_setting['threads']} "
          f"({thread_setting['threads_source']}){', quick' if settings.quick else ''}",
          flush=True)
    started = time.perf_counter()
    rows = run_rows(names, settings)
    if program_names:
        print(f"programs (examples/ported, one thread each): {', '.join(program_names)}",
              flush=True)
        try:
            rows += programs.program_rows(program_names)
        except Exception as error:   # report it with the rows already measured
            traceback.print_exc()
            rows.append(_harness.failed_row("programs", "ported programs", error))
    print()
    _harness.print_rows(rows)
    path = _harness.save_rows(rows, torch, thread_setting)
    print(f"\n{len(rows)} row(s) in {time.perf_counter() - started:.0f} s; written to {path}")
    return 1 if any(row["result"].startswith("FAILED") for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
