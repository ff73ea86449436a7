"""Tools that check and explain gradients: ``explain`` (which variables get a
gradient and why the others do not), ``detect_anomaly``, ``draw_graph`` and
``gradcheck``.

Example:
    >>> from ndgrad.diagnostics import gradcheck
    >>> import ndgrad
    >>> gradcheck(lambda t: (t ** 3).sum(), [ndgrad.tensor([1.0, 2.0])])
    True
"""

from ..autograd.anomaly import AnomalyError, detect_anomaly
from ..autograd.mode import debug
from .draw import draw_graph
from .explain import Explanation, explain
from .gradcheck import GradcheckError, gradcheck

__all__ = ["gradcheck", "GradcheckError", "explain", "Explanation", "detect_anomaly",
           "AnomalyError", "debug", "draw_graph"]
