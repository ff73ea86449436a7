"""Top-level functions that are a tensor method called on their first argument.

``torch.max(x, 1)`` means ``x.max(1)``; ``torch.sum(x, dim=1, keepdim=True)``
means ``x.sum(dim=1, keepdim=True)``. For such names the face holds no
semantics of its own: :func:`method_function` makes a function that turns the
first argument into a tensor and calls the method, so the rule of D1 (see
``ndgrad.torch``) is written in one place, the Tensor class.

Example:
    >>> f = method_function("ndgrad.torch", "clone", "a copy of ``input``",
    ...                     "torch.clone(torch.tensor([1, 2])).tolist()", "[1, 2]")
    >>> f.__name__, "input.clone(" in f.__doc__
    ('clone', True)
"""

from ..tensor import as_tensor

__all__ = ["method_function", "method_functions"]

_TEMPLATE = """``torch.{name}(input, ...)`` is ``input.{name}(...)``: {summary}.

The arguments are the method's, PyTorch's (``dim=``, ``keepdim=``, ...);
``out=`` is not supported.

Example:
    >>> import ndgrad.torch as torch
    >>> {example}
    {expected}
"""


def method_function(module_name, name, summary, example, expected):
    """A function ``name(input, *args, **kwargs)`` calling ``input.name(*args, **kwargs)``.

    Args:
        module_name: the ``__name__`` of the module that will hold the function.
        name: the method's (and the function's) name.
        summary: what it computes, for the docstring.
        example: one doctest line (after ``import ndgrad.torch as torch``).
        expected: what that line prints.

    Example:
        >>> import ndgrad
        >>> f = method_function(__name__, "exp", "e to the input", "torch.exp(torch.zeros(1))",
        ...                     "Tensor([1.], dtype=float32)")
        >>> f(ndgrad.zeros(1)).tolist()
        [1.0]
    """
    def function(input, *args, out=None, **kwargs):
        if out is not None:
            raise TypeError(f"torch.{name}: out= is not supported by ndgrad; assign the "
                            f"result instead (y = torch.{name}(x, ...))")
        return getattr(as_tensor(input), name)(*args, **kwargs)

    function.__name__ = function.__qualname__ = name
    function.__module__ = module_name
    function.__doc__ = _TEMPLATE.format(name=name, summary=summary, example=example,
                                        expected=expected)
    return function


def method_functions(module_name, table):
    """``{name: function}`` for a table of ``(name, summary, example, expected)`` rows.

    Example:
        >>> sorted(method_functions(__name__, [("abs", "|x|", "1", "1")]))
        ['abs']
    """
    return {row[0]: method_function(module_name, *row) for row in table}
