"""``torch.cuda``: CUDA is never available in ndgrad (NumPy computes on the CPU).

``is_available()`` is False and ``device_count()`` 0, so the usual
``device = torch.device("cuda" if torch.cuda.is_available() else "cpu")``
picks the CPU; the seeding calls are accepted and do nothing (there is no
CUDA generator to seed), as in PyTorch without a GPU. Anything that needs a
GPU (``current_device``, ``synchronize``, memory statistics) raises a
RuntimeError saying so.

Example:
    >>> import ndgrad.torch as torch
    >>> torch.cuda.is_available(), torch.cuda.device_count()
    (False, 0)
"""

from ._unsupported import unsupported

__all__ = ["is_available", "device_count", "manual_seed", "manual_seed_all", "seed",
           "seed_all", "is_initialized", "empty_cache", "current_device", "synchronize",
           "get_device_name"]

_NO_CUDA = "CUDA is not available in ndgrad (torch.cuda.is_available() is False); use the CPU"


def is_available():
    """False: ndgrad has no CUDA backend.

    Example:
        >>> from ndgrad.torch.cuda import is_available
        >>> is_available()
        False
    """
    return False


def device_count():
    """0: no CUDA devices.

    Example:
        >>> from ndgrad.torch.cuda import device_count
        >>> device_count()
        0
    """
    return 0


def is_initialized():
    """False: CUDA is never initialised.

    Example:
        >>> from ndgrad.torch.cuda import is_initialized
        >>> is_initialized()
        False
    """
    return False


def manual_seed(seed):
    """Accepted and ignored: there is no CUDA generator (``torch.manual_seed`` seeds
    ndgrad's).

    Example:
        >>> from ndgrad.torch.cuda import manual_seed
        >>> manual_seed(0)
    """


def manual_seed_all(seed):
    """Accepted and ignored, as :func:`manual_seed`.

    Example:
        >>> from ndgrad.torch.cuda import manual_seed_all
        >>> manual_seed_all(0)
    """


def seed():
    """Accepted and ignored: there is no CUDA generator.

    Example:
        >>> from ndgrad.torch.cuda import seed
        >>> seed()
    """


def seed_all():
    """Accepted and ignored: there is no CUDA generator.

    Example:
        >>> from ndgrad.torch.cuda import seed_all
        >>> seed_all()
    """


def empty_cache():
    """Does nothing: there is no CUDA memory to release (PyTorch without a GPU
    does nothing either).

    Example:
        >>> from ndgrad.torch.cuda import empty_cache
        >>> empty_cache()
    """


def _refuse(function):
    raise RuntimeError(f"torch.cuda.{function}: {_NO_CUDA}")


def current_device():
    """Raises: there is no current CUDA device.

    Example:
        >>> from ndgrad.torch.cuda import current_device
        >>> try:
        ...     current_device()
        ... except RuntimeError as error:
        ...     print(str(error)[:41])
        torch.cuda.current_device: CUDA is not av
    """
    _refuse("current_device")


def synchronize(device=None):
    """Raises: there is no CUDA device to wait for.

    Example:
        >>> from ndgrad.torch.cuda import synchronize
        >>> try:
        ...     synchronize()
        ... except RuntimeError as error:
        ...     print(str(error)[:22])
        torch.cuda.synchronize
    """
    _refuse("synchronize")


def get_device_name(device=None):
    """Raises: there is no CUDA device to name.

    Example:
        >>> from ndgrad.torch.cuda import get_device_name
        >>> try:
        ...     get_device_name(0)
        ... except RuntimeError as error:
        ...     print(str(error)[:26])
        torch.cuda.get_device_name
    """
    _refuse("get_device_name")


_CPU_CLASS = "CUDA is unavailable (ndgrad computes on the CPU); use torch.{0}"

__getattr__ = unsupported(__name__, {
    **{name: _CPU_CLASS.format(name) for name in (
        "FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor",
        "CharTensor", "ByteTensor", "BoolTensor")},
    "amp": "mixed precision is not supported; train in float32 (drop the autocast block "
           "and the GradScaler)",
})
