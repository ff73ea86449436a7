"""PyTorch Tensor methods that ndgrad does not have: a clear AttributeError each.

``t.pin_memory()`` on an ndgrad tensor raises an AttributeError that says
the PyTorch method is not supported (yet) and what to use instead, rather than
Python's bare "no attribute". Each name is a class attribute whose ``__get__``
raises, so ``hasattr(t, "pin_memory")`` is False and ordinary attribute
look-ups cost nothing extra (a class ``__getattr__`` would slow every access).

Example:
    >>> import ndgrad
    >>> ndgrad.ones(2).asin()  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    AttributeError: Tensor.asin (PyTorch's) is not supported by ndgrad (yet); use ...
    >>> hasattr(ndgrad.ones(2), "pin_memory")
    False
"""

# PyTorch's name -> the ndgrad function of the same meaning (when the names differ).
_RENAMED = {"asin": "arcsin", "acos": "arccos", "atan": "arctan", "atan2": "arctan2",
            "asinh": "arcsinh", "acosh": "arccosh", "atanh": "arctanh", "arctan2": "arctan2",
            "ger": "outer", "msort": "sort", "inverse": "inv", "pinverse": "pinv",
            "matrix_power": "matrix_power", "det": "det", "slogdet": "slogdet", "svd": "svd",
            "qr": "qr", "cholesky": "cholesky", "solve": "solve", "lstsq": "lstsq"}

_GROUPS = {
    "ndgrad tensors are NumPy arrays on the CPU, with no pinned or shared memory and no "
    "storage object; t.numpy() is the array":
        "pin_memory share_memory_ record_stream storage untyped_storage storage_offset set_",
    "NumPy has no bfloat16 and no complex32; use t.float(), t.half() or t.cfloat()":
        "bfloat16 chalf",
    "ndgrad has the dense (strided) and the sparse COO layouts only (no CSR/CSC/BSR, "
    "quantized or MKL-DNN tensors); t.to_sparse() gives a sparse COO tensor":
        "to_sparse_csr to_sparse_csc to_sparse_bsr to_sparse_bsc dequantize q_scale "
        "q_zero_point int_repr to_mkldnn",
    "this tensor is dense; coalesce is for sparse COO tensors (t.to_sparse())": "coalesce",
    "it changes a tensor's shape in place; use the out-of-place form (x = x.squeeze(0))":
        "squeeze_ unsqueeze_ t_ transpose_ swapaxes_ swapdims_ resize_ resize_as_ as_strided "
        "as_strided_",
    "per-element Python callbacks are not supported; write the function with tensor ops":
        "apply_ map_ map2_",
    "fill with normal_, uniform_ or bernoulli_, or draw with ndgrad.random (a NumPy Generator: "
    "ndgrad.random.generator())":
        "exponential_ geometric_ cauchy_ log_normal_ random_ multinomial bernoulli",
    "write with t[index] = value, masked_fill, scatter or scatter_add (or their _ forms)":
        "index_fill index_fill_ index_copy index_copy_ index_put index_put_ put put_ "
        "masked_scatter masked_scatter_ scatter_reduce scatter_reduce_ index_reduce "
        "index_reduce_ fill_diagonal_",
    "write it with matmul: beta * t + alpha * (a @ b)":
        "addmm addmm_ addbmm addbmm_ baddbmm baddbmm_ addmv addmv_ addr addr_",
    "use nonzero() (an (n, ndim) tensor of indices)": "argwhere",
    "use the Python operators & | ^ ~ on integer or boolean tensors":
        "bitwise_and bitwise_or bitwise_xor bitwise_not bitwise_left_shift bitwise_right_shift",
}

# Names ndgrad has as functions (ndgrad.<name>(t, ...)), and the rest.
_FUNCTIONS = ("sinh cosh tan_ exp2 hypot copysign heaviside float_power logaddexp logaddexp2 "
              "signbit sinc deg2rad rad2deg fmax fmin rot90 fliplr flipud quantile nanmean "
              "nansum nan_to_num tile hsplit vsplit dsplit logit erfc fix positive trace diff "
              "kron cov corrcoef inner vdot cross nanmedian nanquantile isneginf isposinf isreal "
              "xlogy lgamma digamma polygamma erfinv i0 mvlgamma frexp ldexp gcd lcm sgn dist "
              "cummax cummin logcumsumexp aminmax mode unique_consecutive histc histogram "
              "bincount unfold renorm diag_embed diagflat tensor_split sum_to_size "
              "cumsum_ cumprod_ log2_ log10_ erf_ frac_ fmod_ remainder_ true_divide_ "
              "floor_divide_ negative_ subtract_ multiply_ divide_ matrix_exp logdet eig "
              "triangular_solve lu lu_solve cholesky_solve cholesky_inverse narrow_copy "
              "unsafe_chunk unsafe_split split_with_sizes new index stft istft prelu hardshrink")


def _hint(name):
    """What to use instead of PyTorch's ``Tensor.name``."""
    for hint, names in _GROUPS.items():
        if name in names.split():
            return hint
    from . import linalg, ops
    target = _RENAMED.get(name, name.rstrip("_"))
    where = ("ndgrad" if target in ops.__all__ else
             "ndgrad.linalg" if target in linalg.__all__ else None)
    if where is None:
        return "write it with the ops ndgrad has"
    if name.endswith("_"):
        return f"use the out-of-place t = {where}.{target}(t, ...)"
    return f"use {where}.{target}(t, ...)"


class _Unsupported:
    """A class attribute that raises AttributeError, naming the PyTorch method and
    what to use instead; looked up on the class itself it is this descriptor."""

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        raise AttributeError(f"Tensor.{self.name} (PyTorch's) is not supported by ndgrad "
                             f"(yet); {_hint(self.name)}")

    def __repr__(self):
        return f"<unsupported PyTorch method Tensor.{self.name}>"


NAMES = sorted({name for names in _GROUPS.values() for name in names.split()}
               | set(_RENAMED) | set(_FUNCTIONS.split()))


class TensorUnsupported:
    """PyTorch's Tensor methods that ndgrad lacks, each an informative AttributeError."""

    __slots__ = ()


for _name in NAMES:
    setattr(TensorUnsupported, _name, _Unsupported(_name))
