"""``einsum``: Einstein summation, with the gradient of each operand another ``einsum``.

The subscripts are first made explicit: ``...`` becomes unused letters (right
aligned, as NumPy broadcasts it) and an implicit output is spelled out. The
gradient for operand ``i`` with subscripts ``s_i`` contracts the incoming
gradient with every other operand into ``s_i``. Two cases need care:

- a letter that only ``s_i`` has (summed away, as ``j`` in ``ij->i``) comes
  back as a vector of ones, so the gradient is broadcast along it;
- a letter repeated in ``s_i`` (a diagonal, as in ``ii->i`` or ``ii``) cannot
  be an output letter twice, so each repeat gets a fresh letter tied to the
  first by an identity matrix: the gradient lands on the diagonal only.

Example:
    >>> import ndgrad
    >>> x = ndgrad.Variable([[1.0, 2.0], [3.0, 4.0]])
    >>> ndgrad.einsum("ii->", x).backward()
    >>> x.grad.tolist()
    [[1.0, 0.0], [0.0, 1.0]]
"""

import string

import numpy as np

from ..autograd.primitive import Op, as_input, data_of, record
from ..errors import shape_error
from ..numpy_api import implements
from .complex_numbers import conj_of, differentiates_complex

__all__ = ["einsum"]

_LETTERS = string.ascii_uppercase + string.ascii_lowercase   # NumPy's order for int labels


def _from_sublists(arguments):
    """The interleaved form ``einsum(x, [0, 1], y, [1, 2], [0, 2])`` as a string."""
    def letters(sublist):
        return "".join("..." if label is Ellipsis else _LETTERS[int(label)] for label in sublist)

    operands, inputs = list(arguments[0::2]), [letters(s) for s in arguments[1::2]]
    subscripts = ",".join(inputs)
    if len(arguments) % 2:
        subscripts += "->" + letters(operands.pop())
    return subscripts, operands


def _explicit(subscripts, shapes, operands):
    """``subscripts`` with ``...`` replaced by letters and the output spelled out."""
    def fail(detail):
        return shape_error("einsum", operands, f"subscripts '{subscripts}': {detail}")

    text = subscripts.replace(" ", "")
    inputs_text, arrow, output = text.partition("->")
    inputs = inputs_text.split(",")
    if len(inputs) != len(shapes):
        raise fail(f"{len(inputs)} operand subscripts for {len(shapes)} operands")
    for part in inputs + ([output] if arrow else []):
        if any(c not in _LETTERS for c in part.replace("...", "", 1)):
            raise fail(f"'{part}' may hold only letters and one '...'")
    used = set(text) - {".", ",", "-", ">"}
    spare = [c for c in _LETTERS if c not in used]
    broadcast = 0
    for i, (part, shape) in enumerate(zip(inputs, shapes)):
        named = len(part.replace("...", ""))
        if named != len(shape) and ("..." not in part or named > len(shape)):
            raise fail(f"operand {i} has {len(shape)} dimensions (shape {tuple(shape)}) but "
                       f"subscripts '{part}'")
        broadcast = max(broadcast, len(shape) - named)
    ellipsis = "".join(spare[:broadcast])
    inputs = [part.replace("...", ellipsis[broadcast - (len(shape) - len(part) + 3):])
              if "..." in part else part for part, shape in zip(inputs, shapes)]
    if not arrow:
        counts = {c: "".join(inputs).count(c) for c in "".join(inputs) if c not in ellipsis}
        output = ellipsis + "".join(sorted(c for c, n in counts.items() if n == 1))
    elif "..." in output:
        output = output.replace("...", ellipsis)
    elif broadcast:
        raise fail("the operands have broadcast ('...') dimensions that the output drops; "
                   "write '...' in the output")
    return ",".join(inputs) + "->" + output


def _letter_sizes(subscripts, shapes, operands):
    """Each letter's size, refusing sizes that neither match nor broadcast."""
    sizes, seen = {}, {}
    for i, (part, shape) in enumerate(zip(subscripts.split("->")[0].split(","), shapes)):
        for position, (letter, size) in enumerate(zip(part, shape)):
            known = sizes.get(letter)
            if known is not None and size != known and 1 not in (size, known):
                where, first = seen[letter]
                raise shape_error(
                    "einsum", operands,
                    f"index '{letter}' has size {known} in operand {where} (shape "
                    f"{tuple(shapes[where])}, axis {first}) but size {size} in operand {i} "
                    f"(shape {tuple(shape)}, axis {position})")
            if known is None or known == 1:
                sizes[letter] = size
                seen[letter] = (i, position)
    return sizes


_einsum_linear = Op("einsum", reads=())   # one operand: the rule reads no values
_einsum_product = Op("einsum")


def _einsum_vjp(g, out, *operands, subscripts, optimize, needs):
    inputs, output = subscripts.split("->")
    inputs = inputs.split(",")
    shapes = [np.shape(data_of(x)) for x in operands]
    sizes = _letter_sizes(subscripts, shapes, operands)
    spare = iter(c for c in _LETTERS if c not in subscripts)
    complex_g = g.dtype.kind == "c"             # g times the conjugate operands
    grads = []
    for i, target in enumerate(inputs):
        if not needs[i]:
            grads.append(None)
            continue
        parts = [output] + [s for j, s in enumerate(inputs) if j != i]
        factors = [g] + [conj_of(x) if complex_g else x for j, x in enumerate(operands) if j != i]
        # Letters the other factors span at full size; a letter they lack, or
        # have only with size 1 (broadcast), comes from a vector of ones.
        available = {letter for part, factor in zip(parts, factors)
                     for letter, size in zip(part, np.shape(data_of(factor)))
                     if size == sizes[letter]}
        written = []
        for letter in target:
            if letter in written:
                # A repeat of a letter: the gradient lives on the diagonal.
                fresh = next(spare)
                parts.append(letter + fresh)
                factors.append(np.eye(sizes[letter], dtype=g.dtype))
                available.add(letter)
                written.append(fresh)
            else:
                written.append(letter)
        for letter in set(target) - available:
            parts.append(letter)
            factors.append(np.ones(sizes[letter], dtype=g.dtype))
        grads.append(einsum(",".join(parts) + "->" + "".join(written), *factors,
                            optimize=optimize))
    return tuple(grads)


_einsum_linear.defvjp(_einsum_vjp)
_einsum_product.defvjp(_einsum_vjp)
differentiates_complex(_einsum_linear, _einsum_product)


@implements(np.einsum)
def einsum(subscripts, *operands, optimize=False):
    """Einstein summation over the operands, as ``numpy.einsum``: explicit
    (``'ij,jk->ik'``) or implicit (``'ij,jk'``) subscripts, ``...`` for
    broadcast dimensions, repeated letters for diagonals, and the interleaved
    form ``einsum(x, [0, 1], y, [1, 2])``.

    Example:
        >>> import ndgrad
        >>> a, b = ndgrad.ones((2, 3)), ndgrad.ones((3, 4))
        >>> ndgrad.einsum("ij,jk->ik", a, b).shape
        (2, 4)
        >>> ndgrad.einsum("ii", ndgrad.tensor([[1.0, 2.0], [3.0, 4.0]])).item()
        5.0
        >>> ndgrad.einsum("...ij->...ji", ndgrad.ones((5, 2, 3))).shape
        (5, 3, 2)
    """
    if not isinstance(subscripts, str):
        subscripts, operands = _from_sublists((subscripts,) + operands)
    operands = tuple(as_input(x) for x in operands)
    datas = [data_of(x) for x in operands]
    shapes = [np.shape(d) for d in datas]
    explicit = _explicit(subscripts, shapes, datas)
    _letter_sizes(explicit, shapes, datas)
    try:
        out = np.einsum(explicit, *datas, optimize=optimize)
    except ValueError as exc:
        raise shape_error("einsum", datas, f"subscripts '{subscripts}': {exc}") from None
    op = _einsum_linear if len(operands) == 1 else _einsum_product
    return record(op, out, operands, {"subscripts": explicit, "optimize": optimize})
