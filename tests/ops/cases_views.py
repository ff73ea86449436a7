"""Table entries for the view-like shape ops and indexing."""

import numpy as np

import ndgrad

from .harness import OpCase

try:
    import torch
except ImportError:
    torch = None


def _torch(function):
    return function if torch is not None else None


REPEATED = np.array([0, 2, 0, 1])
MASK = np.array([True, False, True])

CASES = [
    OpCase("reshape", lambda x: ndgrad.reshape(x, (3, -1)), lambda x: np.reshape(x, (3, -1)),
           shapes=[((2, 3),), ((6,),), ((3, 0),)], torch=_torch(lambda x: x.reshape(3, -1))),
    OpCase("transpose", ndgrad.transpose, np.transpose, shapes=[((2, 3),), ((2, 3, 4),), ((3,),)],
           torch=_torch(lambda x: x.permute(*reversed(range(x.ndim))))),
    OpCase("transpose_axes", lambda x: ndgrad.transpose(x, (1, 2, 0)),
           lambda x: np.transpose(x, (1, 2, 0)), shapes=[((2, 3, 4),)],
           torch=_torch(lambda x: x.permute(1, 2, 0))),
    OpCase("swapaxes", lambda x: ndgrad.swapaxes(x, 0, -1), lambda x: np.swapaxes(x, 0, -1),
           shapes=[((2, 3, 4),)], torch=_torch(lambda x: x.transpose(0, -1))),
    OpCase("moveaxis", lambda x: ndgrad.moveaxis(x, 0, -1), lambda x: np.moveaxis(x, 0, -1),
           shapes=[((2, 3, 4),)], torch=_torch(lambda x: torch.movedim(x, 0, -1))),
    OpCase("expand_dims", lambda x: ndgrad.expand_dims(x, 1), lambda x: np.expand_dims(x, 1),
           shapes=[((3,),), ((2, 3),)], torch=_torch(lambda x: x.unsqueeze(1))),
    OpCase("squeeze", ndgrad.squeeze, np.squeeze, shapes=[((1, 3, 1),), ((2, 1),)],
           torch=_torch(lambda x: x.squeeze())),
    OpCase("broadcast_to", lambda x: ndgrad.broadcast_to(x, (4, 2, 3)),
           lambda x: np.broadcast_to(x, (4, 2, 3)), shapes=[((3,),), ((2, 1),), ((),)],
           torch=_torch(lambda x: x.expand(4, 2, 3))),
    OpCase("ravel", ndgrad.ravel, np.ravel, shapes=[((2, 3),), ((),)]),
    OpCase("flip", ndgrad.flip, np.flip, shapes=[((3,),), ((2, 3),)]),
    OpCase("flip_axis", lambda x: ndgrad.flip(x, axis=1), lambda x: np.flip(x, axis=1),
           shapes=[((2, 3),)], torch=_torch(lambda x: torch.flip(x, (1,)))),
    OpCase("getitem_slices", lambda x: x[1:, ::2], lambda x: x[1:, ::2],
           shapes=[((3, 4),)], torch=_torch(lambda x: x[1:, ::2])),
    OpCase("getitem_int_none_ellipsis", lambda x: x[..., 1, None], lambda x: x[..., 1, None],
           shapes=[((2, 3),), ((2, 3, 4),)], torch=_torch(lambda x: x[..., 1, None])),
    OpCase("getitem_repeated_indices", lambda x: x[REPEATED], lambda x: x[REPEATED],
           shapes=[((3,),), ((3, 2),)], torch=_torch(lambda x: x[torch.tensor(REPEATED)])),
    OpCase("getitem_mask", lambda x: x[MASK], lambda x: x[MASK], shapes=[((3,),), ((3, 2),)],
           torch=_torch(lambda x: x[torch.tensor(MASK)])),
    OpCase("getitem_mixed", lambda x: x[REPEATED, 1:], lambda x: x[REPEATED, 1:],
           shapes=[((3, 4),)], torch=_torch(lambda x: x[torch.tensor(REPEATED), 1:])),
    OpCase("take", lambda x: ndgrad.take(x, REPEATED), lambda x: np.take(x, REPEATED),
           shapes=[((3,),), ((2, 2),)]),
    OpCase("take_axis", lambda x: ndgrad.take(x, REPEATED, axis=1),
           lambda x: np.take(x, REPEATED, axis=1), shapes=[((2, 3),)]),
    OpCase("take_along_axis",
           lambda x: ndgrad.take_along_axis(x, np.array([[0, 0], [2, 1]]), axis=1),
           lambda x: np.take_along_axis(x, np.array([[0, 0], [2, 1]]), axis=1),
           shapes=[((2, 3),)],
           torch=_torch(lambda x: torch.take_along_dim(x, torch.tensor([[0, 0], [2, 1]]), 1))),
]
