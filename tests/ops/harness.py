"""One table of ops drives the op tests (STYLE.md: chainer, minitorch).

Each :class:`OpCase` names an ndgrad op, its NumPy reference, the input shapes
to try, how to draw valid inputs, and, where it exists, the PyTorch function.
``test_op_table.py`` runs every case forward against NumPy, backward against
float64 finite differences in a random direction, to second order for smooth
ops, and against PyTorch.
"""

from dataclasses import dataclass, field

import numpy as np

UNARY_SHAPES = [((),), ((3,),), ((2, 3),), ((2, 1, 3),), ((0,),)]
BINARY_SHAPES = [((), ()), ((3,), (3,)), ((2, 3), (2, 3)), ((2, 3), (3,)),
                 ((2, 1), (1, 3)), ((3,), ()), ((0,), (0,))]


def normal(rng, shape):
    return rng.standard_normal(shape)


def positive(rng, shape):
    return rng.uniform(0.5, 2.0, shape)


def unit(rng, shape):
    """Inside (-1, 1), away from the ends."""
    return rng.uniform(-0.9, 0.9, shape)


def above_one(rng, shape):
    return rng.uniform(1.2, 3.0, shape)


def distinct(rng, shape):
    """Values with no ties (for max, sort, ...), spaced well beyond eps."""
    size = int(np.prod(shape, dtype=np.int64))
    return (rng.permutation(size).reshape(shape) * 0.37 - size * 0.1).astype(np.float64)


def away_from_integers(rng, shape):
    return rng.integers(-3, 3, shape) + rng.uniform(0.2, 0.8, shape)


@dataclass
class OpCase:
    name: str
    op: object                      # ndgrad function of the inputs
    reference: object               # NumPy function of the arrays
    shapes: list = field(default_factory=lambda: list(UNARY_SHAPES))
    domain: object = normal         # (rng, shape) -> array, per input (or a list per input)
    torch: object = None            # torch function of torch tensors, or None
    second_order: bool = True
    grad: bool = True               # False: outputs carry no gradient
    rtol: float = 1e-3
    atol: float = 1e-5

    def inputs(self, rng, shapes):
        domains = self.domain if isinstance(self.domain, (list, tuple)) else [self.domain] * len(shapes)
        return [d(rng, s) for d, s in zip(domains, shapes)]

    def ids(self):
        return [f"{self.name}-{'x'.join(str(s) for s in shapes)}" for shapes in self.shapes]


def laid_out(array, layout):
    """The logical (N, C, H, W) ``array`` with the same values, its memory laid
    out as ``layout`` says: "nchw", "channel_major" ((C, N, H, W) in memory, as
    ndgrad's convolution writes its output) or "nhwc" (channels last)."""
    order = {"nchw": (0, 1, 2, 3), "channel_major": (1, 0, 2, 3), "nhwc": (0, 2, 3, 1)}[layout]
    return np.ascontiguousarray(array.transpose(order)).transpose(np.argsort(order))
