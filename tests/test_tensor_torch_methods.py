"""PyTorch's Tensor methods on ndgrad tensors: each expression, written once, gives
the values and the gradients that PyTorch gives on the same inputs."""

import numpy as np
import pytest

from .tensor_oracle import Case, distinct, gradcheck, indices, normal, positive, run, torch

pytestmark = pytest.mark.skipif(torch is None, reason="PyTorch is the oracle")

X23 = lambda rng: [normal(rng, 2, 3)]                   # noqa: E731
X234 = lambda rng: [normal(rng, 2, 3, 4)]               # noqa: E731
D34 = lambda rng: [distinct(rng, 3, 4)]                 # noqa: E731

SHAPE_CASES = [
    Case("size", lambda x: (x.size(), x.size(1), x.size(-1), x.numel(), x.dim()), X234, grad=False),
    Case("ndimension_nelement", lambda x: (x.ndimension(), x.nelement()), X23, grad=False),
    Case("view", lambda x: x.view(4, -1), X234),
    Case("view_tuple", lambda x: x.view((3, 8)), X234),
    Case("view_as", lambda x, y: x.view_as(y), lambda rng: [normal(rng, 6), normal(rng, 2, 3)]),
    Case("reshape_as", lambda x, y: x.reshape_as(y),
         lambda rng: [normal(rng, 6), normal(rng, 3, 2)]),
    Case("transpose_2d", lambda x: x.transpose(0, 1), X23),
    Case("transpose_3d", lambda x: x.transpose(-1, 0), X234),
    Case("permute", lambda x: x.permute(2, 0, 1), X234),
    Case("permute_tuple", lambda x: x.permute((1, 2, 0)), X234),
    Case("t", lambda x: x.t(), X23),
    Case("t_vector", lambda x: x.t(), lambda rng: [normal(rng, 3)]),
    Case("flatten", lambda x: x.flatten(), X234),
    Case("flatten_start", lambda x: x.flatten(1), X234),
    Case("flatten_range", lambda x: x.flatten(0, 1), X234),
    Case("flatten_scalar", lambda x: x.flatten(), lambda rng: [np.float64(1.5)]),
    Case("unflatten", lambda x: x.unflatten(1, (2, 2)), lambda rng: [normal(rng, 3, 4)]),
    Case("squeeze_all", lambda x: x.squeeze(), lambda rng: [normal(rng, 1, 3, 1)]),
    Case("squeeze_dim", lambda x: x.squeeze(0), lambda rng: [normal(rng, 1, 3, 1)]),
    Case("squeeze_not_one", lambda x: x.squeeze(1), lambda rng: [normal(rng, 1, 3, 1)]),
    Case("squeeze_tuple", lambda x: x.squeeze((0, 2)), lambda rng: [normal(rng, 1, 3, 1)]),
    Case("unsqueeze", lambda x: x.unsqueeze(1), X23),
    Case("unsqueeze_negative", lambda x: x.unsqueeze(-1), X23),
    Case("expand", lambda x: x.expand(2, -1, 4), lambda rng: [normal(rng, 3, 1)]),
    Case("expand_as", lambda x, y: x.expand_as(y), lambda rng: [normal(rng, 3), normal(rng, 2, 3)]),
    Case("repeat", lambda x: x.repeat(2, 3), X23),
    Case("repeat_more_dims", lambda x: x.repeat(2, 1, 2), lambda rng: [normal(rng, 3)]),
    Case("repeat_interleave", lambda x: x.repeat_interleave(2), X23),
    Case("repeat_interleave_dim", lambda x: x.repeat_interleave(3, dim=1), X23),
    Case("narrow", lambda x: x.narrow(1, 1, 2), X234),
    Case("narrow_negative", lambda x: x.narrow(0, -2, 2), lambda rng: [normal(rng, 5)]),
    Case("chunk", lambda x: x.chunk(3, 1), lambda rng: [normal(rng, 2, 7)]),
    Case("chunk_fewer", lambda x: x.chunk(4), lambda rng: [normal(rng, 5)]),
    Case("split_size", lambda x: x.split(2, dim=1), lambda rng: [normal(rng, 2, 5)]),
    Case("split_sections", lambda x: x.split([1, 3, 1], 1), lambda rng: [normal(rng, 2, 5)]),
    Case("unbind", lambda x: x.unbind(1), X23),
    Case("flip", lambda x: x.flip(0), X23),
    Case("flip_dims", lambda x: x.flip([0, 2]), X234),
    Case("roll", lambda x: x.roll(1, 1), X23),
    Case("roll_flat", lambda x: x.roll(-2), X23),
    Case("diag_matrix", lambda x: x.diag(), lambda rng: [normal(rng, 3, 3)]),
    Case("diag_vector", lambda x: x.diag(1), lambda rng: [normal(rng, 3)]),
    Case("tril", lambda x: x.tril(), lambda rng: [normal(rng, 3, 3)]),
    Case("triu_offset", lambda x: x.triu(1), lambda rng: [normal(rng, 3, 4)]),
    Case("contiguous", lambda x: (x.t().is_contiguous(), x.t().contiguous().is_contiguous(),
                                  x.t().contiguous()), X23),
    Case("movedim", lambda x: x.movedim(0, -1), X234),
    Case("mT", lambda x: x.mT, X234),
]

REDUCTION_CASES = [
    Case("sum_dim", lambda x: x.sum(1), X234),
    Case("sum_dim_keepdim", lambda x: x.sum(dim=-1, keepdim=True), X234),
    Case("sum_dims_list", lambda x: x.sum([0, 2]), X234),
    Case("mean_dim", lambda x: x.mean(dim=(0, 1)), X234),
    Case("mean_keepdim", lambda x: x.mean(1, True), X23),
    Case("prod_dim", lambda x: x.prod(1), lambda rng: [positive(rng, 2, 3)]),
    Case("max_all", lambda x: x.max(), D34),
    Case("max_dim", lambda x: x.max(1), D34),
    Case("max_dim_keepdim", lambda x: x.max(dim=0, keepdim=True), D34),
    Case("max_positional_keepdim", lambda x: x.max(1, True), D34),
    Case("max_unpack", lambda x: x.max(1)[1], D34, grad=False),
    Case("max_fields", lambda x: (x.max(1).values, x.max(1).indices), D34),
    Case("max_other", lambda x, y: x.max(y), lambda rng: [distinct(rng, 3, 4), normal(rng, 4)]),
    Case("min_dim", lambda x: x.min(-1), D34),
    Case("min_all", lambda x: x.min(), D34),
    Case("max_scalar_dim", lambda x: x.max(0), lambda rng: [np.float64(2.5)]),
    Case("amax", lambda x: x.amax(1), D34),
    Case("amin_dims", lambda x: x.amin((0, 1)), D34),
    Case("std", lambda x: x.std(), X234),
    Case("std_dim", lambda x: x.std(1), X234),
    Case("std_unbiased_false", lambda x: x.std(1, False), X234),
    Case("std_unbiased_kw", lambda x: x.std(dim=0, unbiased=False, keepdim=True), X234),
    Case("std_bool", lambda x: x.std(False), X234),
    Case("var", lambda x: x.var(), X234),
    Case("var_correction", lambda x: x.var(dim=2, correction=0), X234),
    Case("var_keepdim", lambda x: x.var(1, keepdim=True), X234),
    Case("cumsum", lambda x: x.cumsum(1), X23),
    Case("cumsum_dim", lambda x: x.cumsum(dim=0), X23),
    Case("cumprod", lambda x: x.cumprod(1), lambda rng: [positive(rng, 2, 3)]),
    Case("logsumexp", lambda x: x.logsumexp(1), X234),
    Case("norm", lambda x: x.norm(), X234),
    Case("norm_p1", lambda x: x.norm(1), X234),
    Case("norm_dim", lambda x: x.norm(dim=1), X234),
    Case("norm_p_dim_keepdim", lambda x: x.norm(2, 1, True), X234),
    Case("norm_dims", lambda x: x.norm(p=2, dim=(1, 2)), X234),
    Case("norm_inf", lambda x: x.norm(float("inf"), dim=0), D34),
    Case("norm_matrix_p2", lambda x: x.norm(2), lambda rng: [normal(rng, 3, 3)]),
    Case("norm_nuc", lambda x: x.norm("nuc"), lambda rng: [normal(rng, 3, 2)], rtol=1e-6),
    Case("argmax", lambda x: x.argmax(), D34, grad=False),
    Case("argmax_dim", lambda x: x.argmax(dim=1), D34, grad=False),
    Case("argmax_keepdim", lambda x: x.argmax(1, keepdim=True), D34, grad=False),
    Case("argmin_dim", lambda x: x.argmin(0), D34, grad=False),
    Case("all_any", lambda x: (x.gt(0).all(), x.gt(0).any(1), x.gt(0).all(dim=0)), X23, grad=False),
    Case("count_nonzero", lambda x: x.gt(0).count_nonzero(dim=1), X23, grad=False),
    Case("sort", lambda x: x.sort(), D34),
    Case("sort_dim_descending", lambda x: x.sort(0, descending=True), D34),
    Case("sort_keywords", lambda x: x.sort(dim=1, descending=True).values, D34),
    Case("argsort", lambda x: x.argsort(dim=0, descending=True), D34, grad=False),
    Case("topk", lambda x: x.topk(2), D34),
    Case("topk_smallest_dim", lambda x: x.topk(2, dim=0, largest=False), D34),
    Case("kthvalue", lambda x: x.kthvalue(2, 1), D34),
    Case("kthvalue_keepdim", lambda x: x.kthvalue(3, 0, True), D34),
    Case("median", lambda x: x.median(), D34),
    Case("median_dim", lambda x: x.median(1), D34),
]

ALL_CASES = SHAPE_CASES + REDUCTION_CASES


@pytest.mark.parametrize("case", ALL_CASES, ids=str)
def test_matches_pytorch(case, rng):
    torch.set_default_dtype(torch.float64)
    run(case, rng)


@pytest.mark.parametrize("case", [c for c in ALL_CASES if c.grad and "nuc" not in c.name],
                         ids=str)
def test_gradients_match_finite_differences(case, rng):
    assert gradcheck(case, rng)


def test_max_with_dim_sends_the_gradient_to_the_chosen_element_only():
    import ndgrad
    x = ndgrad.tensor([[1.0, 3.0, 3.0]], requires_grad=True)
    x.max(1).values.sum().backward()
    assert x.grad.tolist() == [[0.0, 1.0, 0.0]]          # PyTorch: the first maximum
    x.grad = None
    x.max().backward()
    assert x.grad.tolist() == [[0.0, 0.5, 0.5]]          # all-reduce: ties share


def test_indices_are_int64_and_results_unpack():
    import ndgrad
    values, indices = ndgrad.tensor([[2.0, 1.0]]).sort(dim=1)
    assert indices.dtype == np.int64 and values.tolist() == [[1.0, 2.0]]
    result = ndgrad.tensor([[2.0, 1.0]]).topk(1)
    assert type(result) is ndgrad.return_types.topk and result._fields == ("values", "indices")
