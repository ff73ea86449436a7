"""Every public NumPy function and ufunc (``numpy``, ``numpy.linalg``,
``numpy.fft``), classified for differentiable tensors.

Four classes:

- ``differentiable``: a smooth (or almost everywhere smooth) function of the
  values; ndgrad either implements it (registered in ``ndgrad.numpy_api``) or
  refuses it with a ``TypeError`` until it does;
- ``piecewise constant``: ``floor``, ``sign``, ``round``...; the gradient is
  zero by definition wherever it exists;
- ``integer or boolean valued``: ``argmax``, ``nonzero``, ``isnan``...; the
  result carries no gradient, so it cuts the graph (and says so under
  ``ndgrad.debug()``);
- ``not applicable``: I/O, printing, dtype utilities, creation from a shape,
  in-place writes into NumPy arrays: nothing to differentiate.

Whether a ``differentiable`` name is implemented is read off the registry, so
the table never claims what the code does not do. ``tests/test_numpy_api_table.py``
checks that every public name of the installed NumPy is classified (a new NumPy
cannot add one silently) and that every implemented one differentiates.

Example:
    >>> from ndgrad.numpy_api_table import TABLE
    >>> TABLE["argmax"][0], TABLE["floor"][0], TABLE["linalg.det"][0]
    ('integer or boolean valued', 'piecewise constant', 'differentiable')
"""

DIFFERENTIABLE = "differentiable"
PIECEWISE_CONSTANT = "piecewise constant"
INTEGER_VALUED = "integer or boolean valued"
NOT_APPLICABLE = "not applicable"
KINDS = (DIFFERENTIABLE, PIECEWISE_CONSTANT, INTEGER_VALUED, NOT_APPLICABLE)

# (class, reason, names): names are NumPy's attribute names ("linalg.det", "fft.fft").
_GROUPS = [
    (DIFFERENTIABLE, "elementwise arithmetic",
     "abs absolute add cbrt copysign divide divmod exp exp2 expm1 fabs float_power fmax fmin "
     "fmod hypot ldexp log log10 log1p log2 logaddexp logaddexp2 maximum minimum mod modf "
     "multiply negative nextafter positive pow power reciprocal remainder sqrt square "
     "subtract true_divide clip nan_to_num interp sinc i0 frexp"),
    (DIFFERENTIABLE, "trigonometric and hyperbolic",
     "acos acosh arccos arccosh arcsin arcsinh arctan arctan2 arctanh asin asinh atan atan2 "
     "atanh cos cosh deg2rad degrees rad2deg radians sin sinh tan tanh unwrap"),
    (DIFFERENTIABLE, "complex parts (of a real input: itself, 0, or a constant angle)",
     "angle conj conjugate imag real real_if_close sort_complex"),
    (DIFFERENTIABLE, "reductions and statistics",
     "amax amin average corrcoef cov cumprod cumsum cumulative_prod cumulative_sum max mean "
     "median min nancumprod nancumsum nanmax nanmean nanmedian nanmin nanpercentile nanprod "
     "nanquantile nanstd nansum nanvar percentile prod ptp quantile std sum trace var "
     "trapezoid gradient diff ediff1d"),
    (DIFFERENTIABLE, "products, convolution, polynomials",
     "convolve correlate cross dot einsum inner kron matmul matvec outer tensordot vdot "
     "vecdot vecmat poly polyadd polyder polydiv polyfit polyint polymul polysub polyval "
     "roots vander"),
    (DIFFERENTIABLE, "rearranging, selecting and joining values (the gradient routes back)",
     "append array_split atleast_1d atleast_2d atleast_3d block broadcast_arrays "
     "broadcast_to choose column_stack compress concat concatenate copy delete diag "
     "diagflat diagonal dsplit dstack expand_dims extract flip fliplr flipud hsplit hstack "
     "insert matrix_transpose meshgrid moveaxis pad partition permute_dims piecewise ravel "
     "repeat reshape resize roll rollaxis rot90 row_stack select sort split squeeze stack "
     "swapaxes take take_along_axis tile transpose tril trim_zeros triu unique "
     "unique_values unstack vsplit vstack where astype apply_along_axis "
     "apply_over_axes intersect1d setdiff1d setxor1d union1d unique_all unique_inverse "
     "unique_counts"),
    (DIFFERENTIABLE, "spaced samples (differentiable in their ends)",
     "geomspace linspace logspace"),
    (DIFFERENTIABLE, "linear algebra",
     "linalg.cholesky linalg.cond linalg.cross linalg.det linalg.diagonal linalg.eig "
     "linalg.eigh linalg.eigvals linalg.eigvalsh linalg.inv linalg.lstsq linalg.matmul "
     "linalg.matrix_norm linalg.matrix_power linalg.matrix_transpose linalg.multi_dot "
     "linalg.norm linalg.outer linalg.pinv linalg.qr linalg.slogdet linalg.solve linalg.svd "
     "linalg.svdvals linalg.tensordot linalg.tensorinv linalg.tensorsolve linalg.trace "
     "linalg.vecdot linalg.vector_norm"),
    (DIFFERENTIABLE, "discrete Fourier transforms",
     "fft.fft fft.ifft fft.rfft fft.irfft fft.hfft fft.ihfft fft.fft2 fft.ifft2 fft.rfft2 "
     "fft.irfft2 fft.fftn fft.ifftn fft.rfftn fft.irfftn fft.fftshift fft.ifftshift"),
    (PIECEWISE_CONSTANT, "rounding: flat between jumps",
     "around ceil fix floor rint round trunc floor_divide spacing"),
    (PIECEWISE_CONSTANT, "sign and step functions", "sign heaviside"),
    (INTEGER_VALUED, "indices or positions",
     "argmax argmin argpartition argsort argwhere flatnonzero lexsort nanargmax nanargmin "
     "nonzero searchsorted digitize unravel_index ravel_multi_index ix_ indices "
     "diag_indices diag_indices_from tril_indices tril_indices_from triu_indices "
     "triu_indices_from mask_indices"),
    (INTEGER_VALUED, "counts",
     "bincount count_nonzero histogram histogram2d histogramdd histogram_bin_edges "
     "linalg.matrix_rank"),
    (INTEGER_VALUED, "comparisons and tests",
     "all allclose any array_equal array_equiv equal greater greater_equal isclose isfinite "
     "isin isinf isnan isnat isneginf isposinf iscomplex isreal less less_equal logical_and "
     "logical_not logical_or logical_xor not_equal signbit"),
    (INTEGER_VALUED, "integer and bit arithmetic",
     "bitwise_and bitwise_count bitwise_invert bitwise_left_shift bitwise_not bitwise_or "
     "bitwise_right_shift bitwise_xor gcd invert lcm left_shift right_shift packbits "
     "unpackbits"),
    (NOT_APPLICABLE, "facts about an array, not functions of its values",
     "shape ndim size result_type iscomplexobj isrealobj isscalar isfortran iterable "
     "may_share_memory shares_memory"),
    (NOT_APPLICABLE, "dtype utilities",
     "can_cast common_type isdtype issubdtype min_scalar_type mintypecode promote_types "
     "typename"),
    (NOT_APPLICABLE, "new arrays from a shape or size (constants)",
     "arange empty empty_like eye full full_like identity ones ones_like tri zeros zeros_like "
     "bartlett blackman hamming hanning kaiser fft.fftfreq fft.rfftfreq broadcast_shapes "
     "fromfunction"),
    (NOT_APPLICABLE, "conversion to a plain NumPy array (cuts the gradient, with a warning; "
                     "ndgrad.array keeps it)",
     "array asarray asanyarray ascontiguousarray asfortranarray asarray_chkfinite asmatrix bmat "
     "require from_dlpack"),
    (NOT_APPLICABLE, "in-place writes into an existing array (refused while recording)",
     "copyto fill_diagonal place put put_along_axis putmask"),
    (NOT_APPLICABLE, "input and output",
     "load loadtxt save savetxt savez savez_compressed genfromtxt frombuffer fromfile "
     "fromiter fromregex fromstring"),
    (NOT_APPLICABLE, "printing and formatting",
     "array2string array_repr array_str base_repr binary_repr format_float_positional "
     "format_float_scientific printoptions set_printoptions get_printoptions"),
    (NOT_APPLICABLE, "calendar and datetime",
     "busday_count busday_offset is_busday datetime_as_string datetime_data"),
    (NOT_APPLICABLE, "configuration, errors and introspection",
     "geterr seterr geterrcall seterrcall getbufsize setbufsize get_include info "
     "show_config show_runtime test einsum_path nested_iters frompyfunc"),
]

TABLE = {}
for _kind, _reason, _names in _GROUPS:
    for _name in _names.split():
        if _name in TABLE:
            raise RuntimeError(f"numpy_api_table: {_name} is classified twice")
        TABLE[_name] = (_kind, _reason)
del _kind, _reason, _names, _name
