"""Metrics from confusion counts: Precision, Recall and AUC (ROC).

All three flatten their inputs (every element is one binary decision, as
Keras's defaults) and count true and false positives and negatives of
``y_pred > threshold``. Precision and Recall use a few thresholds (0.5 by
default); AUC uses Keras's 200 evenly spaced thresholds in ``[0, 1]`` (plus
one just below 0 and one just above 1) and sums the ROC curve with the
trapezoidal rule. AUC counts each batch in O(N log T) with one
``searchsorted`` and one ``bincount`` per class, never an ``N x T`` table.

Example:
    >>> from ndgrad.training.metrics import AUC, Precision, Recall
    >>> y_true, y_pred = [0, 0, 1, 1], [0.1, 0.6, 0.35, 0.8]
    >>> Precision()(y_true, y_pred), Recall()(y_true, y_pred), AUC()(y_true, y_pred)
    (0.5, 0.5, 0.75)
"""

import numbers

import numpy as np

from .base import Metric, as_array, broadcast_weights

__all__ = ["Precision", "Recall", "AUC", "TruePositives", "FalsePositives", "TrueNegatives",
           "FalseNegatives"]

_EPSILON = 1e-7


def _decisions(y_true, y_pred, sample_weight, class_id, owner):
    """Flattened boolean labels, float predictions and float weights."""
    y_true, y_pred = as_array(y_true), as_array(y_pred).astype(np.float64, copy=False)
    if class_id is not None:
        if y_pred.ndim == 0 or not 0 <= class_id < y_pred.shape[-1]:
            raise ValueError(f"{owner}: class_id {class_id} is not a class of y_pred of shape "
                             f"{y_pred.shape}")
        y_true, y_pred = y_true[..., class_id], y_pred[..., class_id]
    if y_true.shape != y_pred.shape:
        if y_true.size != y_pred.size:
            raise ValueError(f"{owner}: y_true of shape {y_true.shape} does not match y_pred "
                             f"of shape {y_pred.shape}; give one 0/1 label per prediction")
        y_true = y_true.reshape(y_pred.shape)
    weights = broadcast_weights(sample_weight, y_pred, f"{owner}.update_state")
    weights = np.ones(y_pred.size) if weights is None else weights.reshape(-1)
    return y_true.reshape(-1).astype(bool), y_pred.reshape(-1), weights


def _check_thresholds(thresholds, owner):
    values = np.atleast_1d(np.asarray(thresholds, dtype=np.float64))
    if values.ndim != 1 or values.size == 0 or np.any((values < 0) | (values > 1)):
        raise ValueError(f"{owner}: thresholds must be numbers in [0, 1]; got {thresholds!r}")
    return values


def _ratio(numerator, denominator):
    """numerator / denominator, 0 where the denominator is 0 (Keras's divide_no_nan)."""
    return np.divide(numerator, denominator, out=np.zeros_like(numerator),
                     where=denominator != 0)


class _ThresholdMetric(Metric):
    """Shared by Precision and Recall: true positives, false positives and
    false negatives at each threshold."""

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        owner = type(self).__name__
        if top_k is not None:
            raise NotImplementedError(f"{owner}: top_k is not supported yet; threshold the "
                                      "scores (thresholds=...) instead")
        self._single = thresholds is None or isinstance(thresholds, numbers.Real)
        self.thresholds = _check_thresholds(0.5 if thresholds is None else thresholds, owner)
        if class_id is not None and (isinstance(class_id, bool) or
                                     not isinstance(class_id, numbers.Integral)):
            raise TypeError(f"{owner}: class_id must be an int or None; got {class_id!r}")
        self.class_id = class_id
        super().__init__(name=name)

    def reset_state(self):
        """Set every count to zero."""
        size = len(self.thresholds)
        self.true_positives = np.zeros(size)
        self.false_positives = np.zeros(size)
        self.false_negatives = np.zeros(size)
        self.true_negatives = np.zeros(size)

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Count the batch's decisions at each threshold."""
        labels, scores, weights = _decisions(y_true, y_pred, sample_weight, self.class_id,
                                             type(self).__name__)
        predicted = scores[:, None] > self.thresholds[None, :]
        positive = (weights * labels)[:, None]
        negative = (weights * ~labels)[:, None]
        self.true_positives += (predicted * positive).sum(axis=0)
        self.false_positives += (predicted * negative).sum(axis=0)
        self.false_negatives += (~predicted * positive).sum(axis=0)
        self.true_negatives += (~predicted * negative).sum(axis=0)

    def _value(self, values):
        return float(values[0]) if self._single else [float(v) for v in values]


class Precision(_ThresholdMetric):
    """Of the predictions above the threshold, the fraction that are positive.

    Args:
        thresholds: a number or a list of numbers in [0, 1] (default 0.5);
            with a list, ``result()`` is a list.
        class_id: only look at this class (the last axis) of one-hot labels.
        name: default ``"precision"``.

    Example:
        >>> from ndgrad.training.metrics import Precision
        >>> Precision()([1, 0, 1, 0], [0.9, 0.8, 0.2, 0.1])
        0.5
    """

    def result(self):
        """true positives / (true positives + false positives); 0 when nothing is predicted."""
        return self._value(_ratio(self.true_positives,
                                  self.true_positives + self.false_positives))


class Recall(_ThresholdMetric):
    """Of the positive labels, the fraction predicted above the threshold.

    Args:
        thresholds: a number or a list of numbers in [0, 1] (default 0.5).
        class_id: only look at this class (the last axis) of one-hot labels.
        name: default ``"recall"``.

    Example:
        >>> from ndgrad.training.metrics import Recall
        >>> Recall(thresholds=[0.15, 0.5])([1, 0, 1, 0], [0.9, 0.8, 0.2, 0.1])
        [1.0, 0.5]
    """

    def result(self):
        """true positives / (true positives + false negatives); 0 without positives."""
        return self._value(_ratio(self.true_positives,
                                  self.true_positives + self.false_negatives))


class _Count(_ThresholdMetric):
    """One confusion count (weighted) at each threshold."""

    _count = "true_positives"

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(thresholds=thresholds, name=name, dtype=dtype)

    def result(self):
        """The count so far (a list with several thresholds)."""
        return self._value(getattr(self, self._count))


class TruePositives(_Count):
    """The (weighted) number of positive labels predicted above the threshold.

    Example:
        >>> from ndgrad.training.metrics import TruePositives
        >>> TruePositives()([0, 1, 1, 1], [1, 0, 1, 1])          # Keras's doc
        2.0
    """


class FalsePositives(_Count):
    """The (weighted) number of negative labels predicted above the threshold.

    Example:
        >>> from ndgrad.training.metrics import FalsePositives
        >>> FalsePositives()([0, 1, 0, 0], [0, 0, 1, 1])          # Keras's doc
        2.0
    """

    _count = "false_positives"


class TrueNegatives(_Count):
    """The (weighted) number of negative labels predicted at or below the threshold.

    Example:
        >>> from ndgrad.training.metrics import TrueNegatives
        >>> TrueNegatives()([0, 1, 0, 0], [1, 1, 0, 0])          # Keras's doc
        2.0
    """

    _count = "true_negatives"


class FalseNegatives(_Count):
    """The (weighted) number of positive labels predicted at or below the threshold.

    Example:
        >>> from ndgrad.training.metrics import FalseNegatives
        >>> FalseNegatives()([0, 1, 1, 1], [0, 1, 0, 0])          # Keras's doc
        2.0
    """

    _count = "false_negatives"


class AUC(Metric):
    """Area under the ROC curve, from counts at fixed thresholds (Keras's AUC).

    Args:
        num_thresholds: how many thresholds (default 200, as Keras).
        curve: ``"ROC"`` (the only curve implemented).
        summation_method: ``"interpolation"`` (trapezoids, the default),
            ``"minoring"`` or ``"majoring"`` (left or right Riemann sums).
        thresholds: explicit thresholds in [0, 1] instead of ``num_thresholds``.
        from_logits: apply a sigmoid to the predictions first.
        name: default ``"auc"``.

    Example:
        >>> from ndgrad.training.metrics import AUC
        >>> metric = AUC()
        >>> metric.update_state([0, 1], [0.2, 0.7]); metric.update_state([0, 1], [0.1, 0.8])
        >>> metric.result()        # every positive scores above every negative
        1.0
    """

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation",
                 name=None, dtype=None, thresholds=None, multi_label=False, num_labels=None,
                 label_weights=None, from_logits=False):
        if multi_label or label_weights is not None:
            raise NotImplementedError("AUC: multi_label and label_weights are not supported "
                                      "yet; compute one AUC per label (class_id) instead")
        if str(curve).upper() != "ROC":
            raise ValueError(f"AUC: curve {curve!r} is not implemented; use curve='ROC'")
        if summation_method not in ("interpolation", "minoring", "majoring"):
            raise ValueError(f"AUC: summation_method must be 'interpolation', 'minoring' or "
                             f"'majoring'; got {summation_method!r}")
        if thresholds is not None:
            inner = np.sort(_check_thresholds(thresholds, "AUC"))
        else:
            if isinstance(num_thresholds, bool) or not isinstance(num_thresholds,
                                                                  numbers.Integral) \
                    or num_thresholds < 2:
                raise ValueError(f"AUC: num_thresholds must be an int > 1; "
                                 f"got {num_thresholds!r}")
            inner = np.arange(1, num_thresholds - 1) / (num_thresholds - 1)
        self.thresholds = np.concatenate([[0.0 - _EPSILON], inner, [1.0 + _EPSILON]])
        self.curve = "ROC"
        self.summation_method = summation_method
        self.from_logits = bool(from_logits)
        super().__init__(name=name)

    def reset_state(self):
        """Set the per-threshold histograms to zero."""
        # positives[c] / negatives[c]: weight of samples above exactly c thresholds.
        self.positives = np.zeros(len(self.thresholds) + 1)
        self.negatives = np.zeros(len(self.thresholds) + 1)

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Add the batch to the histograms of how many thresholds each score exceeds."""
        labels, scores, weights = _decisions(y_true, y_pred, sample_weight, None, "AUC")
        if self.from_logits:
            scores = 1.0 / (1.0 + np.exp(-scores))
        # searchsorted(..., "left") counts the thresholds strictly below each score,
        # i.e. the thresholds t for which the decision ``score > t`` is positive.
        above = np.searchsorted(self.thresholds, scores, side="left")
        size = len(self.positives)
        self.positives += np.bincount(above[labels], weights[labels], minlength=size)
        self.negatives += np.bincount(above[~labels], weights[~labels], minlength=size)

    def confusion_counts(self):
        """``(tp, fp, tn, fn)`` arrays, one entry per threshold.

        Example:
            >>> from ndgrad.training.metrics import AUC
            >>> metric = AUC(num_thresholds=3); metric.update_state([0, 1], [0.2, 0.7])
            >>> [c.tolist() for c in metric.confusion_counts()]
            [[1.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 1.0], [0.0, 0.0, 1.0]]
        """
        # tp[j]: positives above more than j thresholds = suffix sums from j + 1.
        tp = np.cumsum(self.positives[::-1])[::-1][1:]
        fp = np.cumsum(self.negatives[::-1])[::-1][1:]
        return tp, fp, self.negatives.sum() - fp, self.positives.sum() - tp

    def result(self):
        """The area under the ROC curve over every batch seen (0.0 before any)."""
        tp, fp, tn, fn = self.confusion_counts()
        recall = _ratio(tp, tp + fn)
        false_positive_rate = _ratio(fp, fp + tn)
        if self.summation_method == "interpolation":
            heights = (recall[:-1] + recall[1:]) / 2
        elif self.summation_method == "minoring":
            heights = np.minimum(recall[:-1], recall[1:])
        else:
            heights = np.maximum(recall[:-1], recall[1:])
        return float(np.sum((false_positive_rate[:-1] - false_positive_rate[1:]) * heights))
