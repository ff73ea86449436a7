"""Random fills shared by ``nn.init`` (PyTorch's functions) and ``nn.initializers``
(Keras's objects): NumPy arrays drawn in the requested dtype.

Every sampler takes a NumPy ``Generator`` first; ``generator_for(seed)`` gives
ndgrad's own (``ndgrad.random.generator()``, reseeded by ``ndgrad.random.seed``)
for None. Draws are made in float32 unless float64 is asked for.
"""

import math

import numpy as np

from .. import random as _random


def generator_for(seed):
    """ndgrad's generator for None, a fresh one for an int, a Generator as is."""
    if seed is None:
        return _random.generator()
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(seed)


def _draw_dtype(dtype):
    # Draw float64 only for float64 results; float16 is drawn as float32 then cast.
    return np.float64 if dtype == np.float64 else np.float32


def normal(rng, shape, mean, std, dtype):
    """Draws from normal(mean, std) as a ``dtype`` array."""
    values = rng.standard_normal(shape, dtype=_draw_dtype(dtype))
    values *= std
    values += mean
    return values.astype(dtype, copy=False)


def uniform(rng, shape, low, high, dtype):
    """Draws from uniform(low, high) as a ``dtype`` array."""
    values = rng.random(shape, dtype=_draw_dtype(dtype))
    values *= high - low
    values += low
    return values.astype(dtype, copy=False)


def _standard_truncated(rng, count, low, high):
    """``count`` standard normal draws restricted to ``[low, high]``, by rejection.

    Wide intervals propose from the normal itself. Intervals with little mass
    (narrow, or far in a tail) propose uniformly on the interval and accept with
    the density ratio; a tail interval is cut where the density has fallen by
    e^-40, which changes nothing representable.
    """
    if high <= 0 and low < 0:                 # mirror a left tail onto the right
        return -_standard_truncated(rng, count, -high, -low)
    mass = 0.5 * (math.erf(high / math.sqrt(2)) - math.erf(low / math.sqrt(2)))
    use_normal = mass >= 0.1
    peak = max(low, 0.0)                      # where the density is largest on the interval
    if use_normal:
        rate = mass
    else:
        high = min(high, peak + 40.0 / max(peak, 1.0))
        # The expected acceptance: the interval's mass over the box under the peak density.
        box = (high - low) * math.exp(-0.5 * peak * peak) / math.sqrt(2 * math.pi)
        rate = min(max(mass / box, 1e-3), 1.0) if box > 0 else 1.0
    out = np.empty(count)
    filled = 0
    while filled < count:
        draws = min(int((count - filled) / rate * 1.2) + 16, 1 << 22)
        if use_normal:
            proposal = rng.standard_normal(draws)
            kept = proposal[(proposal >= low) & (proposal <= high)]
        else:
            proposal = rng.uniform(low, high, draws)
            ratio = np.exp(0.5 * (peak * peak - proposal * proposal))
            kept = proposal[rng.random(draws) < ratio]
        rate = max(kept.size / draws, 1e-3)
        kept = kept[:count - filled]
        out[filled:filled + kept.size] = kept
        filled += kept.size
    return out


def truncated_normal(rng, shape, mean, std, low, high, dtype):
    """normal(mean, std) restricted to the absolute bounds ``[low, high]``."""
    if std == 0:
        return np.full(shape, min(max(mean, low), high), dtype=dtype)
    count = math.prod(shape)
    values = _standard_truncated(rng, count, (low - mean) / std, (high - mean) / std)
    values = values * std + mean
    # Rounding to a narrower dtype must not step outside the bounds.
    return np.clip(values.astype(dtype), low, high).reshape(shape)


def orthogonal(rng, rows, cols, gain, dtype):
    """A ``(rows, cols)`` matrix with orthonormal rows or columns (whichever are
    fewer), times ``gain``: the Q of a Gaussian matrix, signs fixed by R's diagonal
    so that the distribution is uniform (Haar)."""
    flat = rng.standard_normal((max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(flat)
    signs = np.sign(np.diag(r))
    q *= np.where(signs == 0, 1.0, signs)
    if rows < cols:
        q = q.T
    return (gain * q).astype(dtype)
