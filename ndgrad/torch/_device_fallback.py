"""TEMPORARY: ``ndgrad.device`` until the tensor-compat branch lands; delete then.

Example:
    >>> device("cpu").type
    'cpu'
"""

try:
    from ..devices import device
except ImportError:
    class device:
        """A stand-in for ``ndgrad.device`` (tensor-compat); CPU only.

        Example:
            >>> device("cpu")
            device(type='cpu')
        """

        def __init__(self, type="cpu", index=None):
            if isinstance(type, device):
                type, index = type.type, type.index
            kind, _, number = str(type).partition(":")
            if kind != "cpu":
                raise RuntimeError(f"device {type!r} is not available; ndgrad computes on "
                                   "the CPU")
            self.type = kind
            self.index = int(number) if number else index

        def __eq__(self, other):
            return isinstance(other, device) and other.type == self.type

        __hash__ = object.__hash__

        def __repr__(self):
            return f"device(type={self.type!r})"

        def __str__(self):
            return self.type
