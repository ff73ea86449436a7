"""Table entries for joining, splitting, rearranging and sorting ops."""

import numpy as np

import ndgrad

from .harness import UNARY_SHAPES, OpCase, distinct, normal

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    torch = F = None


def with_nans(rng, shape):
    """Distinct values with every third element NaN (no all-NaN rows in (2, 3))."""
    values = distinct(rng, shape)
    values.reshape(-1)[::3] = np.nan
    return values


def oracle(function):
    """``function`` when PyTorch is installed (it is an optional oracle)."""
    return function if torch is not None else None


NONEMPTY = [((),), ((3,),), ((2, 3),), ((2, 1, 3),)]
PAIRS = [((3,), (2,)), ((2, 3), (1, 3)), ((0,), (3,)), ((0, 2), (0, 2))]
SAME_PAIRS = [((3,), (3,)), ((2, 3), (2, 3)), ((), ()), ((0,), (0,))]
SORTABLE = [((3,),), ((2, 3),), ((2, 1, 3),), ((0,),)]


def _torch_pad(widths, mode):
    """``torch.nn.functional.pad`` on a matrix, with NumPy's ((top, bottom), (left, right))."""
    (top, bottom), (left, right) = widths
    return oracle(lambda x: F.pad(x[None], (left, right, top, bottom), mode=mode)[0])


JOIN = [
    OpCase("concatenate", lambda a, b: ndgrad.concatenate([a, b]),
           lambda a, b: np.concatenate([a, b]), shapes=PAIRS,
           torch=oracle(lambda a, b: torch.cat([a, b]))),
    OpCase("concatenate_last_axis", lambda a, b: ndgrad.concatenate([a, b], axis=-1),
           lambda a, b: np.concatenate([a, b], axis=-1),
           shapes=[((2, 3), (2, 1)), ((2, 0), (2, 2))],
           torch=oracle(lambda a, b: torch.cat([a, b], dim=-1))),
    OpCase("concatenate_flat", lambda a, b: ndgrad.concatenate([a, b], axis=None),
           lambda a, b: np.concatenate([a, b], axis=None), shapes=[((2, 2), (3,)), ((), (0,))]),
    OpCase("stack", lambda a, b: ndgrad.stack([a, b]), lambda a, b: np.stack([a, b]),
           shapes=SAME_PAIRS, torch=oracle(lambda a, b: torch.stack([a, b]))),
    OpCase("stack_last_axis", lambda a, b: ndgrad.stack([a, b], axis=-1),
           lambda a, b: np.stack([a, b], axis=-1), shapes=SAME_PAIRS,
           torch=oracle(lambda a, b: torch.stack([a, b], dim=-1))),
    OpCase("hstack", lambda a, b: ndgrad.hstack([a, b]), lambda a, b: np.hstack([a, b]),
           shapes=[((2,), (3,)), ((2, 1), (2, 3)), ((), ()), ((0,), (1,))],
           torch=oracle(lambda a, b: torch.hstack([a, b]))),
    OpCase("vstack", lambda a, b: ndgrad.vstack([a, b]), lambda a, b: np.vstack([a, b]),
           shapes=[((3,), (3,)), ((1, 3), (2, 3)), ((), ()), ((0, 2), (1, 2))],
           torch=oracle(lambda a, b: torch.vstack([a, b]))),
    OpCase("dstack", lambda a, b: ndgrad.dstack([a, b]), lambda a, b: np.dstack([a, b]),
           shapes=[((2,), (2,)), ((2, 3), (2, 3)), ((1, 2, 1), (1, 2, 2)), ((), ())],
           torch=oracle(lambda a, b: torch.dstack([a, b]))),
    OpCase("column_stack", lambda a, b: ndgrad.column_stack([a, b]),
           lambda a, b: np.column_stack([a, b]),
           shapes=[((3,), (3,)), ((3, 2), (3,)), ((0,), (0,)), ((), ())],
           torch=oracle(lambda a, b: torch.column_stack([a, b]))),
    OpCase("append", ndgrad.append, np.append, shapes=[((2, 2), (3,)), ((), ()), ((0,), (2,))]),
    OpCase("append_axis", lambda a, b: ndgrad.append(a, b, axis=0),
           lambda a, b: np.append(a, b, axis=0), shapes=[((2, 3), (1, 3)), ((0, 2), (2, 2))]),
    OpCase("split", lambda x: ndgrad.split(x, 3), lambda x: np.split(x, 3),
           shapes=[((6,),), ((3, 2),), ((0,),)]),
    OpCase("split_at_indices", lambda x: ndgrad.split(x, [1, 3], axis=1),
           lambda x: np.split(x, [1, 3], axis=1), shapes=[((2, 4),), ((2, 2),), ((3, 0),)]),
    OpCase("array_split", lambda x: ndgrad.array_split(x, 3), lambda x: np.array_split(x, 3),
           shapes=[((7,),), ((5, 2),), ((0,),), ((2,),)]),
    OpCase("hsplit", lambda x: ndgrad.hsplit(x, 2), lambda x: np.hsplit(x, 2),
           shapes=[((4,),), ((2, 4),), ((1, 2, 3),)]),
    OpCase("vsplit", lambda x: ndgrad.vsplit(x, [1]), lambda x: np.vsplit(x, [1]),
           shapes=[((4, 2),), ((3, 2, 2),), ((0, 2),)]),
    OpCase("dsplit", lambda x: ndgrad.dsplit(x, 2), lambda x: np.dsplit(x, 2),
           shapes=[((1, 2, 4),), ((2, 1, 2, 3),)]),
    OpCase("atleast_1d", ndgrad.atleast_1d, np.atleast_1d,
           torch=oracle(lambda x: torch.atleast_1d(x))),
    OpCase("atleast_2d", ndgrad.atleast_2d, np.atleast_2d,
           torch=oracle(lambda x: torch.atleast_2d(x))),
    OpCase("atleast_3d", ndgrad.atleast_3d, np.atleast_3d,
           torch=oracle(lambda x: torch.atleast_3d(x))),
]

ARRANGE = [
    OpCase("tile", lambda x: ndgrad.tile(x, (2, 3)), lambda x: np.tile(x, (2, 3)),
           torch=oracle(lambda x: torch.tile(x, (2, 3)))),
    OpCase("tile_fewer_reps", lambda x: ndgrad.tile(x, 2), lambda x: np.tile(x, 2),
           shapes=[((2, 3),), ((0, 2),)], torch=oracle(lambda x: torch.tile(x, (2,)))),
    OpCase("repeat", lambda x: ndgrad.repeat(x, 2), lambda x: np.repeat(x, 2),
           torch=oracle(lambda x: torch.repeat_interleave(x, 2))),
    OpCase("repeat_axis", lambda x: ndgrad.repeat(x, 3, axis=1), lambda x: np.repeat(x, 3, axis=1),
           shapes=[((2, 3),), ((2, 1, 3),), ((2, 0),)],
           torch=oracle(lambda x: torch.repeat_interleave(x, 3, dim=1))),
    OpCase("repeat_per_element", lambda x: ndgrad.repeat(x, [1, 0, 3], axis=0),
           lambda x: np.repeat(x, [1, 0, 3], axis=0), shapes=[((3,),), ((3, 2),)],
           torch=oracle(lambda x: torch.repeat_interleave(x, torch.tensor([1, 0, 3]), dim=0))),
    OpCase("roll", lambda x: ndgrad.roll(x, 2), lambda x: np.roll(x, 2),
           torch=oracle(lambda x: torch.roll(x, 2))),
    OpCase("roll_axes", lambda x: ndgrad.roll(x, (1, -2), axis=(0, 1)),
           lambda x: np.roll(x, (1, -2), axis=(0, 1)), shapes=[((2, 3),), ((3, 4, 2),)],
           torch=oracle(lambda x: torch.roll(x, (1, -2), (0, 1)))),
    OpCase("pad_constant", lambda x: ndgrad.pad(x, ((1, 2), (0, 1)), constant_values=0.5),
           lambda x: np.pad(x, ((1, 2), (0, 1)), constant_values=0.5),
           shapes=[((2, 3),), ((0, 2),)],
           torch=oracle(lambda x: F.pad(x, (0, 1, 1, 2), value=0.5))),
    OpCase("pad_constant_all_axes", lambda x: ndgrad.pad(x, 2), lambda x: np.pad(x, 2),
           shapes=[((3,),), ((0,),), ((2, 1, 3),)]),
]
for _mode, _torch_mode in (("reflect", "reflect"), ("edge", "replicate"),
                           ("wrap", "circular"), ("symmetric", None)):
    ARRANGE += [
        OpCase(f"pad_{_mode}", lambda x, m=_mode: ndgrad.pad(x, ((1, 2), (2, 1)), mode=m),
               lambda x, m=_mode: np.pad(x, ((1, 2), (2, 1)), mode=m),
               shapes=[((3, 4),), ((4, 3),)],
               torch=_torch_pad(((1, 2), (2, 1)), _torch_mode) if _torch_mode else None),
        OpCase(f"pad_{_mode}_wide", lambda x, m=_mode: ndgrad.pad(x, 4, mode=m),
               lambda x, m=_mode: np.pad(x, 4, mode=m), shapes=[((3,),), ((1, 2),), ((),)]),
    ]
ARRANGE += [
    OpCase("triu", lambda x: ndgrad.triu(x), np.triu, shapes=[((3, 3),), ((2, 3),), ((2, 3, 4),),
                                                              ((0, 3),)],
           torch=oracle(lambda x: torch.triu(x))),
    OpCase("triu_offset", lambda x: ndgrad.triu(x, k=-1), lambda x: np.triu(x, k=-1),
           shapes=[((3, 3),), ((3,),)]),
    OpCase("tril", lambda x: ndgrad.tril(x, 1), lambda x: np.tril(x, 1),
           shapes=[((3, 3),), ((2, 4),), ((2, 3, 4),)], torch=oracle(lambda x: torch.tril(x, 1))),
    OpCase("rot90", ndgrad.rot90, np.rot90, shapes=[((2, 3),), ((2, 3, 4),), ((0, 2),)],
           torch=oracle(lambda x: torch.rot90(x, 1, (0, 1)))),
    OpCase("rot90_twice", lambda x: ndgrad.rot90(x, 2), lambda x: np.rot90(x, 2),
           shapes=[((2, 3),)], torch=oracle(lambda x: torch.rot90(x, 2, (0, 1)))),
    OpCase("rot90_back", lambda x: ndgrad.rot90(x, -1, axes=(1, 2)),
           lambda x: np.rot90(x, -1, axes=(1, 2)), shapes=[((2, 3, 4),)],
           torch=oracle(lambda x: torch.rot90(x, -1, (1, 2)))),
    OpCase("fliplr", ndgrad.fliplr, np.fliplr, shapes=[((2, 3),), ((2, 1, 3),)],
           torch=oracle(lambda x: torch.fliplr(x))),
    OpCase("flipud", ndgrad.flipud, np.flipud, shapes=[((3,),), ((2, 3),), ((0,),)],
           torch=oracle(lambda x: torch.flipud(x))),
    OpCase("diff", ndgrad.diff, np.diff, shapes=[((3,),), ((2, 3),), ((2, 1, 3),), ((0,),)],
           torch=oracle(lambda x: torch.diff(x))),
    OpCase("diff_second_order", lambda x: ndgrad.diff(x, n=2, axis=0),
           lambda x: np.diff(x, n=2, axis=0), shapes=[((4,),), ((4, 3),)],
           torch=oracle(lambda x: torch.diff(x, n=2, dim=0))),
    OpCase("diff_prepend_append", lambda x, p: ndgrad.diff(x, axis=0, prepend=p, append=p),
           lambda x, p: np.diff(x, axis=0, prepend=p, append=p), shapes=[((3, 2), (1, 2)),
                                                                        ((3,), (2,))],
           torch=oracle(lambda x, p: torch.diff(x, dim=0, prepend=p, append=p))),
    OpCase("diff_number_edges", lambda x: ndgrad.diff(x, prepend=0.5, append=2.0),
           lambda x: np.diff(x, prepend=0.5, append=2.0), shapes=[((3,),), ((2, 3),)]),
    OpCase("ediff1d", ndgrad.ediff1d, np.ediff1d, shapes=[((3,),), ((2, 3),), ((0,),)]),
    OpCase("ediff1d_ends", lambda x: ndgrad.ediff1d(x, to_end=[1.0, 2.0], to_begin=-1.0),
           lambda x: np.ediff1d(x, to_end=[1.0, 2.0], to_begin=-1.0), shapes=[((3,),), ((2, 2),)]),
    OpCase("meshgrid", ndgrad.meshgrid, np.meshgrid,
           shapes=[((3,), (2,)), ((0,), (2,)), ((3,), (1,)), ((2,), (3,), (2,))]),
    OpCase("meshgrid_ij_sparse", lambda a, b: ndgrad.meshgrid(a, b, indexing="ij", sparse=True),
           lambda a, b: np.meshgrid(a, b, indexing="ij", sparse=True), shapes=[((3,), (2,))]),
    OpCase("meshgrid_views", lambda a, b: ndgrad.meshgrid(a, b, copy=False),
           lambda a, b: np.meshgrid(a, b, copy=False), shapes=[((3,), (2,))]),
    OpCase("broadcast_arrays", ndgrad.broadcast_arrays, np.broadcast_arrays,
           shapes=[((3,), (2, 1)), ((), (2,)), ((0,), (1,)), ((2, 3), (2, 3))]),
]

SORTING = [
    OpCase("sort", ndgrad.sort, np.sort, shapes=SORTABLE, domain=distinct, second_order=False,
           torch=oracle(lambda x: torch.sort(x)[0])),
    OpCase("sort_first_axis", lambda x: ndgrad.sort(x, axis=0), lambda x: np.sort(x, axis=0),
           shapes=[((3, 2),), ((2, 3, 2),), ((0, 2),)], domain=distinct, second_order=False,
           torch=oracle(lambda x: torch.sort(x, dim=0)[0])),
    OpCase("sort_flat", lambda x: ndgrad.sort(x, axis=None), lambda x: np.sort(x, axis=None),
           shapes=[((2, 3),), ((),)], domain=distinct, second_order=False),
    OpCase("partition", lambda x: ndgrad.partition(x, 1), lambda x: np.partition(x, 1),
           shapes=[((3,),), ((2, 4),), ((5, 1, 6),)], domain=distinct, second_order=False),
    OpCase("partition_many", lambda x: ndgrad.partition(x, [0, 2], axis=0),
           lambda x: np.partition(x, [0, 2], axis=0), shapes=[((4,),), ((5, 3),)],
           domain=distinct, second_order=False),
    OpCase("unique", ndgrad.unique, np.unique, shapes=list(UNARY_SHAPES), domain=distinct,
           second_order=False),
    OpCase("unique_rows", lambda x: ndgrad.unique(x, axis=0), lambda x: np.unique(x, axis=0),
           shapes=[((3, 2),), ((4, 1),)], domain=distinct, second_order=False),
    OpCase("median", ndgrad.median, np.median, shapes=NONEMPTY + [((4,),)], domain=distinct,
           second_order=False),
    OpCase("median_axis", lambda x: ndgrad.median(x, axis=1, keepdims=True),
           lambda x: np.median(x, axis=1, keepdims=True), shapes=[((2, 3),), ((2, 4),), ((0, 3),)],
           domain=distinct, second_order=False),
    OpCase("median_axes", lambda x: ndgrad.median(x, axis=(0, 2)),
           lambda x: np.median(x, axis=(0, 2)), shapes=[((2, 3, 4),), ((3, 1, 2),)],
           domain=distinct, second_order=False),
    OpCase("quantile", lambda x: ndgrad.quantile(x, 0.3), lambda x: np.quantile(x, 0.3),
           shapes=NONEMPTY + [((5,),)], domain=distinct, second_order=False,
           torch=oracle(lambda x: torch.quantile(x, 0.3))),
    OpCase("quantile_many", lambda x: ndgrad.quantile(x, [0.1, 0.5, 1.0], axis=0, keepdims=True),
           lambda x: np.quantile(x, [0.1, 0.5, 1.0], axis=0, keepdims=True),
           shapes=[((5,),), ((4, 3),)], domain=distinct, second_order=False,
           torch=oracle(lambda x: torch.quantile(x, torch.tensor([0.1, 0.5, 1.0]), dim=0,
                                                 keepdim=True))),
    OpCase("percentile", lambda x: ndgrad.percentile(x, [25, 80], axis=-1),
           lambda x: np.percentile(x, [25, 80], axis=-1),
           shapes=[((5,),), ((2, 3),), ((2, 1, 4),), ((0, 3),)],
           domain=distinct, second_order=False),
    OpCase("ptp", ndgrad.ptp, np.ptp, shapes=NONEMPTY, domain=distinct, second_order=False),
    OpCase("ptp_axis", lambda x: ndgrad.ptp(x, axis=1, keepdims=True),
           lambda x: np.ptp(x, axis=1, keepdims=True), shapes=[((2, 3),), ((0, 3),)],
           domain=distinct, second_order=False),
    OpCase("nanmax", ndgrad.nanmax, np.nanmax, shapes=NONEMPTY, domain=distinct,
           second_order=False),
    OpCase("nanmax_with_nans", lambda x: ndgrad.nanmax(x, axis=1), lambda x: np.nanmax(x, axis=1),
           shapes=[((2, 3),), ((2, 4),)], domain=with_nans, second_order=False),
    OpCase("nanmin_with_nans", lambda x: ndgrad.nanmin(x, axis=-1, keepdims=True),
           lambda x: np.nanmin(x, axis=-1, keepdims=True), shapes=[((2, 3),), ((3, 2, 4),)],
           domain=with_nans, second_order=False),
    OpCase("nansum", ndgrad.nansum, np.nansum, shapes=list(UNARY_SHAPES),
           torch=oracle(lambda x: torch.nansum(x))),
    OpCase("nansum_with_nans", lambda x: ndgrad.nansum(x, axis=0), lambda x: np.nansum(x, axis=0),
           shapes=[((2, 3),), ((4,),)], domain=with_nans,
           torch=oracle(lambda x: torch.nansum(x, dim=0))),
    OpCase("nanmean", ndgrad.nanmean, np.nanmean, shapes=NONEMPTY,
           torch=oracle(lambda x: torch.nanmean(x))),
    OpCase("nanmean_with_nans", lambda x: ndgrad.nanmean(x, axis=1),
           lambda x: np.nanmean(x, axis=1),
           shapes=[((2, 3),), ((2, 4),)], domain=with_nans,
           torch=oracle(lambda x: torch.nanmean(x, dim=1))),
    OpCase("argsort", ndgrad.argsort, np.argsort, shapes=SORTABLE, domain=distinct, grad=False),
    OpCase("argpartition", lambda x: ndgrad.argpartition(x, 1), lambda x: np.argpartition(x, 1),
           shapes=[((3,),), ((2, 4),)], domain=distinct, grad=False),
    OpCase("searchsorted", lambda a, v: ndgrad.searchsorted(ndgrad.sort(a), v),
           lambda a, v: np.searchsorted(np.sort(a), v), shapes=[((5,), (3,)), ((4,), ())],
           domain=[distinct, normal], grad=False),
]

CASES = JOIN + ARRANGE + SORTING
