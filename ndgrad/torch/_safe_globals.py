"""``torch.serialization.safe_globals`` / ``add_safe_globals``: the classes a load allows.

PyTorch's ``torch.load`` unpickles, and ``weights_only=True`` (its default)
limits what the pickle may name to an allowlist that programs extend with
``add_safe_globals([...])`` or, for one load, ``with safe_globals([...]):``.
ndgrad never unpickles, so loading a file runs no code whatever it names; the
allowlist keeps PyTorch's meaning for the classes of the program itself:

- ``torch.load(f)`` (``weights_only`` left out, nothing listed) loads any
  module whose class the process has defined.
- Inside ``safe_globals([...])`` or after ``add_safe_globals([...])``, every
  class and function of the program (not ndgrad's own: their internals differ
  from PyTorch's, so a PyTorch list cannot name them) must be listed.
- ``weights_only=True`` with nothing listed refuses a file that holds a whole
  module, as PyTorch does; ``weights_only=False`` ignores the list.

Example:
    >>> import ndgrad.torch as torch
    >>> class Net(torch.nn.Module):
    ...     pass
    >>> with torch.serialization.safe_globals([Net]):
    ...     Net in torch.serialization.get_safe_globals()
    True
    >>> Net in torch.serialization.get_safe_globals()
    False
"""

from ._saved_references import describe, is_ndgrad

__all__ = ["add_safe_globals", "get_safe_globals", "clear_safe_globals", "safe_globals",
           "LoadPolicy"]

_added = []          # add_safe_globals
_scoped = []         # one list per open `with safe_globals(...)`


def _checked(entries, caller):
    if isinstance(entries, (str, bytes)) or not hasattr(entries, "__iter__"):
        raise TypeError(f"torch.serialization.{caller}: expected a list of classes or "
                        f"functions; got {type(entries).__name__}")
    entries = list(entries)
    for entry in entries:
        pair = (isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[1], str))
        if not (pair or isinstance(entry, type) or callable(entry)):
            raise TypeError(f"torch.serialization.{caller}: {entry!r:.60} is not a class or "
                            "a function; list the classes (and functions) the file holds, or "
                            "(object, 'module.name') pairs")
    return entries


def add_safe_globals(safe_globals):
    """Allow these classes and functions in every later ``torch.load`` (see the module).

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.serialization.add_safe_globals([torch.nn.Linear])
        >>> torch.nn.Linear in torch.serialization.get_safe_globals()
        True
        >>> torch.serialization.clear_safe_globals()
    """
    _added.extend(_checked(safe_globals, "add_safe_globals"))


def get_safe_globals():
    """The classes and functions allowed now: added ones, then those of open ``with`` blocks.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.serialization.get_safe_globals()
        []
    """
    return [*_added, *(entry for scope in _scoped for entry in scope)]


def clear_safe_globals():
    """Forget what ``add_safe_globals`` allowed.

    Example:
        >>> import ndgrad.torch as torch
        >>> torch.serialization.add_safe_globals([torch.nn.ReLU])
        >>> torch.serialization.clear_safe_globals(); torch.serialization.get_safe_globals()
        []
    """
    _added.clear()


class safe_globals:  # noqa: N801  (PyTorch's name)
    """``with torch.serialization.safe_globals([Net, ...]):`` allows these classes and
    functions in the loads of the block.

    Example:
        >>> import io, ndgrad.torch as torch
        >>> buffer = io.BytesIO(); torch.save(torch.nn.ReLU(), buffer); _ = buffer.seek(0)
        >>> with torch.serialization.safe_globals([torch.nn.modules.activation.ReLU]):
        ...     type(torch.load(buffer, weights_only=True)).__name__
        'ReLU'
    """

    def __init__(self, safe_globals):
        self.safe_globals = _checked(safe_globals, "safe_globals")

    def __enter__(self):
        _scoped.append(self.safe_globals)
        return self

    def __exit__(self, *exc):
        _scoped.remove(self.safe_globals)


class LoadPolicy:
    """What one ``torch.load`` accepts, from its ``weights_only`` and the allowlist.

    Example:
        >>> import ndgrad
        >>> LoadPolicy(None).refused([ndgrad.nn.Linear]) is None
        True
        >>> "weights_only=True" in LoadPolicy(True).refused([ndgrad.nn.Linear])
        True
    """

    def __init__(self, weights_only):
        self.weights_only = weights_only
        self.allowed = get_safe_globals()

    def _listed(self, obj):
        return any(entry is obj or (isinstance(entry, tuple) and entry[0] is obj)
                   for entry in self.allowed)

    def refused(self, objects):
        """Why some of ``objects`` (the classes and functions a file names) may not
        load here, naming them; None when all may."""
        if self.weights_only is False:
            return None
        if self.weights_only and not self.allowed:
            names = ", ".join(describe(obj) for obj in objects)
            return (f"with weights_only=True, torch.load reads tensors, numbers, strings and "
                    f"containers of them, but the file holds modules or functions ({names}). Load it "
                    "with torch.load(f) or weights_only=False (ndgrad runs no code from the "
                    "file either way), or list the classes with torch.serialization."
                    "safe_globals([...]) as in PyTorch; or save and load the state_dict()")
        if not self.allowed:
            return None
        unlisted = [obj for obj in objects if not is_ndgrad(getattr(obj, "__module__", None))
                    and not self._listed(obj)]
        if not unlisted:
            return None
        names = ", ".join(describe(obj) for obj in unlisted)
        return (f"{names} not in torch.serialization.safe_globals([...]) / add_safe_globals("
                "[...]); add them to the list, as PyTorch requires, or load with "
                "weights_only=False")
