"""Nested structures of tensors: lists, tuples and dicts of leaves, flattened and rebuilt.

Functional models take and return such structures (``[title, body, tags]``,
``{"priority": p, "department": d}``); the graph works on their leaves, in the
order :func:`flatten` gives: lists and tuples in order, dicts by insertion
order (not sorted, so a model's outputs come back in the order they were
given). Anything that is not a list, tuple or dict is a leaf.

Example:
    >>> from ndgrad.nn import nest
    >>> structure = {"a": [1, 2], "b": (3,)}
    >>> nest.flatten(structure)
    [1, 2, 3]
    >>> nest.pack_like(structure, [10, 20, 30])
    {'a': [10, 20], 'b': (30,)}
"""

__all__ = ["flatten", "pack_like", "map_structure", "is_nested"]


def is_nested(value):
    """Whether ``value`` is a list, tuple or dict (a structure, not a leaf).

    Example:
        >>> from ndgrad.nn.nest import is_nested
        >>> is_nested([1]), is_nested({"a": 1}), is_nested(3)
        (True, True, False)
    """
    return isinstance(value, (list, tuple, dict))


def flatten(structure):
    """The leaves of ``structure``, depth first, in order.

    Example:
        >>> from ndgrad.nn.nest import flatten
        >>> flatten([1, (2, {"x": 3}), None])
        [1, 2, 3, None]
    """
    leaves = []
    stack = [structure]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, (list, tuple)):
            stack.extend(reversed(item))
        else:
            leaves.append(item)
    return leaves


def _rebuild(template, values):
    if isinstance(template, dict):
        return type(template)((key, _rebuild(item, values)) for key, item in template.items())
    if isinstance(template, (list, tuple)):
        items = [_rebuild(item, values) for item in template]
        if isinstance(template, tuple) and hasattr(template, "_fields"):   # a namedtuple
            return type(template)(*items)
        return type(template)(items)
    return next(values)


def pack_like(template, leaves):
    """``template``'s structure with its leaves replaced by ``leaves``, in order.

    Example:
        >>> from ndgrad.nn.nest import pack_like
        >>> pack_like([0, (0, 0)], "abc")
        ['a', ('b', 'c')]
    """
    leaves = list(leaves)
    count = len(flatten(template))
    if count != len(leaves):
        raise ValueError(f"pack_like: the structure has {count} leaves but {len(leaves)} values "
                         "were given")
    return _rebuild(template, iter(leaves))


def map_structure(function, structure):
    """``structure`` with ``function(leaf)`` in place of each leaf.

    Example:
        >>> from ndgrad.nn.nest import map_structure
        >>> map_structure(lambda x: x * 2, {"a": [1, 2]})
        {'a': [2, 4]}
    """
    return pack_like(structure, [function(leaf) for leaf in flatten(structure)])
