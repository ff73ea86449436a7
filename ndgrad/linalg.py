"""``ndgrad.linalg``: NumPy's ``numpy.linalg`` functions, differentiable.

Example:
    >>> import ndgrad
    >>> hasattr(ndgrad, "linalg")
    True
"""
