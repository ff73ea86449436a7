"""``keras.layers``: ndgrad's Keras-vocabulary layers (``ndgrad.layers``), read at
access time, so a layer family added to the core later (``Conv2DTranspose``,
``UpSampling2D``, ``ZeroPadding2D``, merge layers, ``Lambda``) appears here
without an edit.

``keras.layers.Layer`` is ``ndgrad.nn.Module``: subclass it with ``build`` /
``call`` (and ``add_weight``, ``add_loss``) as in Keras 3. A Keras layer that
ndgrad lacks raises an AttributeError saying so and what to use instead.

Example:
    >>> from ndgrad.keras import layers
    >>> import ndgrad
    >>> layers.Layer is ndgrad.nn.Module, layers.Dense is ndgrad.layers.Dense
    (True, True)
    >>> layers.Dense(3, activation="relu")(ndgrad.ones((2, 4))).shape
    (2, 3)
"""

from .. import layers as _core
from ._unsupported import module_getattr

_PREPROCESSING = ("prepare the data with NumPy before fit (or in a Dataset), or write a small "
                  "Layer whose call does it")
_HINTS = {
    "Conv3D": "ndgrad has 1-D and 2-D convolution only", "Conv3DTranspose": None,
    "ConvLSTM3D": "use layers.ConvLSTM2D, or Conv3D layers and an LSTM by hand",
    "EinsumDense": "use ops.einsum with weights from add_weight in a Layer",
    "SpatialDropout1D": "use layers.Dropout with noise_shape, or nn.Dropout2d",
    "SpatialDropout2D": None, "SpatialDropout3D": None, "AlphaDropout": None,
    "RMSNormalization": "use ops.rms_normalization in a Layer",
    "SpectralNormalization": None, "GroupQueryAttention": "use layers.MultiHeadAttention",
    "ReversibleEmbedding": "use layers.Embedding and ops.matmul with its embeddings",
    "ThresholdedReLU": "it was removed in Keras 3; use layers.ReLU(threshold=theta)",
}
for _name in ("RandomHue", "RandomSaturation", "RandomGrayscale",
              "RandomSharpness", "RandomShear", "RandomInvert", "RandomPerspective",
              "RandomErasing", "RandomGaussianBlur", "RandomElasticTransform",
              "RandomColorJitter", "RandomColorDegeneration", "RandomPosterization", "AugMix",
              "AutoContrast", "CutMix", "MixUp", "RandAugment", "Solarization", "Equalization",
              "Discretization", "CategoryEncoding", "Hashing", "HashedCrossing", "IntegerLookup",
              "StringLookup", "TextVectorization", "MelSpectrogram", "STFTSpectrogram",
              "Pipeline", "MaxNumBoundingBoxes",
              "ContrastLimitedAdaptiveHistogramEqualization"):
    _HINTS[_name] = _PREPROCESSING
for _name in ("AveragePooling3D", "MaxPooling3D", "AvgPool3D", "MaxPool3D",
              "GlobalAveragePooling3D", "GlobalMaxPooling3D", "GlobalAvgPool3D",
              "GlobalMaxPool3D", "ZeroPadding3D", "Cropping3D",
              "AdaptiveAveragePooling3D", "AdaptiveMaxPooling3D"):
    _HINTS[_name] = "ndgrad has no 3-D layers yet"
for _name in ("AdaptiveAveragePooling1D", "AdaptiveAveragePooling2D", "AdaptiveMaxPooling1D",
              "AdaptiveMaxPooling2D"):
    _HINTS[_name] = "use ops.adaptive_average_pool in a Layer, or nn.AdaptiveAvgPool2d"
for _name in ("Conv1DTranspose", "Conv2DTranspose", "UpSampling1D", "UpSampling2D",
              "ZeroPadding1D", "ZeroPadding2D", "Cropping1D", "Cropping2D", "Add", "Concatenate",
              "Multiply", "Average", "Subtract", "Maximum", "Minimum", "Dot", "add",
              "concatenate", "multiply", "average", "subtract", "maximum", "minimum", "dot",
              "Lambda", "Input", "InputLayer", "InputSpec", "Convolution1DTranspose",
              "Convolution2DTranspose", "Wrapper", "TernaryDense"):
    _HINTS.setdefault(_name, "not in this ndgrad build yet")
_ALIASES = {"Convolution1D": "Conv1D", "Convolution2D": "Conv2D",
            "Convolution1DTranspose": "Conv1DTranspose",
            "Convolution2DTranspose": "Conv2DTranspose"}


def _from_core(name):
    """The layer ``name`` as ``ndgrad.layers`` has it now (Keras's aliases too)."""
    return getattr(_core, _ALIASES.get(name, name))


__getattr__ = module_getattr("keras.layers", _HINTS, fallback=_from_core)


def __dir__():
    return sorted(set(_core.__all__)
                  | {alias for alias, target in _ALIASES.items() if hasattr(_core, target)})
