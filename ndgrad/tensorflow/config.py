"""``tf.config``: what TensorFlow programs ask about devices, answered for ndgrad
(one CPU, no GPU).

Example:
    >>> import ndgrad.tensorflow as tf
    >>> tf.config.list_physical_devices("GPU")
    []
"""

import collections

PhysicalDevice = collections.namedtuple("PhysicalDevice", ["name", "device_type"])

__all__ = ["PhysicalDevice", "list_physical_devices", "run_functions_eagerly"]


def list_physical_devices(device_type=None):
    """The devices ndgrad computes on: one CPU.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> [d.device_type for d in tf.config.list_physical_devices()]
        ['CPU']
    """
    devices = [PhysicalDevice("/physical_device:CPU:0", "CPU")]
    return [d for d in devices if device_type is None or d.device_type == device_type]


def run_functions_eagerly(run_eagerly):
    """Accepted for TensorFlow code: ndgrad always runs functions eagerly.

    Example:
        >>> import ndgrad.tensorflow as tf
        >>> tf.config.run_functions_eagerly(True)
    """
