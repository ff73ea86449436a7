"""``make bench-distributed``'s arithmetic and report, without launching or timing
anything: the alpha/beta fit, the ring-allreduce model, the buckets' tail, the
projection, and the table built from (made-up) measurements."""

import importlib
import os
import sys

import pytest

BENCH_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bench")
if BENCH_DIR not in sys.path:
    sys.path.insert(0, BENCH_DIR)

bench = importlib.import_module("distributed")


def test_alpha_and_beta_are_recovered_from_exact_times():
    times = {n: 5e-6 + n * 0.25e-9 for n in (8, 512, 32768, 2 ** 21, 2 ** 26)}
    alpha, beta = bench.fit_alpha_beta(times)
    assert alpha == pytest.approx(5e-6, rel=1e-6) and beta == pytest.approx(0.25e-9, rel=1e-6)


def test_ring_allreduce_model():
    # 2 ranks: 2 messages of n/2 bytes each way
    assert bench.ring_allreduce_seconds(2, 1000, 1e-6, 1e-9) == pytest.approx(2e-6 + 1000e-9)
    # the bandwidth term tends to 2 n beta, the latency term grows with p
    assert bench.ring_allreduce_seconds(256, 1e6, 0, 1e-9) == pytest.approx(2 * 255 / 256 * 1e-3)


def test_last_bucket_follows_the_ddp_layout():
    wide = [4 * n for n in (784 * 1024, 1024, 1024 * 1024, 1024, 1024 * 10, 10)]
    assert bench.last_bucket_bytes(wide) == 4 * (784 * 1024 + 1024)      # the first layer
    assert bench.last_bucket_bytes([30 * 2 ** 20, 2 ** 20]) == 30 * 2 ** 20  # closed at the cap
    assert bench.last_bucket_bytes([2 ** 20, 30 * 2 ** 20]) == 2 ** 20       # left open


def test_overlap_never_hides_the_last_bucket_and_never_loses():
    plain = bench.efficiency(1.0, 0.9, 0.1, overlap=False)
    hidden = bench.efficiency(1.0, 0.9, 0.1, overlap=True)
    assert plain == pytest.approx(1 / 1.9) and hidden == pytest.approx(1 / (1 + 0.9 - 2 / 3))
    assert bench.efficiency(1.0, 0.2, 0.1, overlap=True) == pytest.approx(1 / 1.1)


def test_projection_rows_and_markdown():
    rows = bench.projection(6e-6, 0.3e-9, 30.0)
    assert len(rows) == 2 * (1 + len(bench.LINKS))
    for _, _, compute_ms, cells in rows:
        assert set(cells) == set(bench.RANKS) and compute_ms > 0
        for allreduce_ms, plain, hidden in cells.values():
            assert 0 < plain <= hidden <= 1 and allreduce_ms > 0
    markdown = bench.projection_markdown(rows)
    assert markdown.count("\n") == len(rows) + 1 and "| 25 M-parameter model" in markdown


def _variant(step_ms, wait_ms, world):
    return {"step_ms": step_ms, "wait_ms": wait_ms, "wait_pct": 100 * wait_ms / step_ms,
            "samples_per_s": world * 256 / step_ms * 1000}


def test_report_reads_every_configuration(capsys):
    two = {name: _variant(step, wait, 2) for name, step, wait in (
        ("ddp-overlap", 32.0, 1.0), ("ddp-no-overlap", 35.0, 3.0),
        ("ddp-no-communication", 31.0, 0.0), ("fit-overlap", 36.0, 5.0),
        ("fit-no-overlap", 38.0, 5.0))}
    measured = {
        "ndgrad-1": {"variants": {"ddp-overlap": _variant(28.0, 0, 1),
                                  "fit-overlap": _variant(30.0, 0, 1)}},
        "ndgrad-2": {"variants": two},
        "ndgrad-2-async": {"variants": two},
        "torch-1": {"step_ms": 20.0, "samples_per_s": 256 / 0.02},
        "torch-2": {"step_ms": 24.0, "samples_per_s": 512 / 0.024}}
    network = {"pingpong": {8: 5e-6}, "allreduce": {8: 9e-6},
               "pingpong_fit": (5e-6, 0.3e-9), "allreduce_fit": (9e-6, 1e-9)}
    rows = {row["row"]: row for row in bench.report(measured, network)}
    ddp = rows["ddp: 2 ranks / 1 rank, samples/s (overlap)"]
    assert ddp["value"] == pytest.approx(2 * 28 / 32) and ddp["verdict"] == "PASS"
    fit = rows["fit: waiting for gradients, % of step (overlap)"]
    assert fit["value"] == pytest.approx(500 / 36) and fit["verdict"] == "MISS"
    ratio = rows["ndgrad DDP / PyTorch DDP (gloo), time per step, 2 ranks"]
    assert ratio["value"] == pytest.approx(32 / 24) and ratio["verdict"] == "MISS"
    assert "PASS" in capsys.readouterr().out
