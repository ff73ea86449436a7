"""``tf.GradientTape`` with TensorFlow's rule for which sources get a gradient.

ndgrad's own :class:`ndgrad.GradientTape` differentiates through any recorded
graph, so a loss computed *before* the tape still gets its gradient. TensorFlow
only differentiates with respect to what the tape saw: tensors passed to
``watch`` and, with ``watch_accessed_variables=True``, trainable variables
*used while the tape was recording*. Everything else gets ``None``. This tape
keeps TensorFlow's rule so that TensorFlow programs behave as they do there,
and (unlike TensorFlow) warns when no source gets a gradient, saying why.

Example:
    >>> import warnings
    >>> import ndgrad.tensorflow as tf
    >>> w = tf.Variable([1.0])
    >>> loss = w * 2                     # computed before the tape
    >>> with tf.GradientTape() as tape:
    ...     same = loss
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     print(tape.gradient(same, [w]))
    [None]
"""

from ..autograd.tape import GradientTape as _CoreTape
from ..tensor import Tensor


class GradientTape(_CoreTape):
    """Record operations for automatic differentiation, TensorFlow's way.

    Args:
        persistent: allow several ``gradient`` calls.
        watch_accessed_variables: treat trainable variables used while
            recording as watched (TensorFlow's default).

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> x = tf.constant(3.0)
        >>> with tf.GradientTape() as tape:
        ...     tape.watch(x)
        ...     y = x * x
        >>> tape.gradient(y, x).numpy().item()
        6.0
    """

    def _differentiates(self, source):
        if any(w is source for w in self._watched):
            return True
        if self.watch_accessed_variables and id(source) in self._accessed:
            return True
        # An intermediate result as a source: differentiated as the core tape does.
        return isinstance(source, Tensor) and source._node is not None

    def _warn_no_gradient(self, sources, targets):
        unseen = [s for s in sources if not self._differentiates(s)]
        if len(unseen) == len(sources):
            import warnings
            names = ", ".join(f"'{s.name}'" if s.name else f"tensor of shape {tuple(s.shape)}"
                              for s in sources)
            warnings.warn(
                f"tf.GradientTape.gradient: no source got a gradient: {names} "
                "was neither watched nor a trainable variable used inside the tape's "
                "'with' block (TensorFlow returns None here too). Compute the loss inside "
                "the block, or call tape.watch(...) on constants.",
                RuntimeWarning, stacklevel=3)
            return
        super()._warn_no_gradient(sources, targets)
