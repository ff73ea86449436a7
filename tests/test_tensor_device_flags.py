"""The device predicates of a tensor answer as a CPU tensor in PyTorch does."""

import pytest
import torch as real

import ndgrad

FLAGS = ["is_cpu", "is_cuda", "is_xpu", "is_mps", "is_meta", "is_quantized", "is_sparse",
         "is_nested", "is_mkldnn"]


@pytest.mark.parametrize("flag", FLAGS)
def test_each_flag_matches_a_pytorch_cpu_tensor(flag):
    for ours, theirs in ((ndgrad.ones(2), real.ones(2)),
                         (ndgrad.nn.Parameter(ndgrad.ones(1)), real.nn.Parameter(real.ones(1))),
                         (ndgrad.tensor(3), real.tensor(3))):
        assert getattr(ours, flag) is getattr(theirs, flag), flag
