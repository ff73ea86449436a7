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
    "ConvLSTM1D": "combine Conv layers and LSTM by hand", "ConvLSTM2D": None, "ConvLSTM3D": None,
    "Bidirectional": "run two recurrent layers (one on the reversed sequence) and concatenate",
    "TimeDistributed": "reshape (N, T, ...) to (N * T, ...), apply the layer, reshape back",
    "RNN": "use layers.SimpleRNN, LSTM or GRU", "LSTMCell": "use layers.LSTM",
    "GRUCell": "use layers.GRU", "SimpleRNNCell": "use layers.SimpleRNN",
    "StackedRNNCells": "stack recurrent layers in a Sequential",
    "PReLU": "use layers.LeakyReLU, or a Layer with a trainable slope (add_weight)",
    "SeparableConv1D": "use ops.separable_conv in a Layer", "SeparableConv2D": None,
    "DepthwiseConv1D": "use ops.depthwise_conv in a Layer", "DepthwiseConv2D": None,
    "EinsumDense": "use ops.einsum with weights from add_weight in a Layer",
    "GaussianNoise": "add keras.random.normal noise in a Layer's call when training",
    "GaussianDropout": None, "AlphaDropout": None,
    "SpatialDropout1D": "use layers.Dropout with noise_shape, or nn.Dropout2d",
    "SpatialDropout2D": None, "SpatialDropout3D": None,
    "Masking": "ndgrad layers take no masks yet; pad and weight the loss instead",
    "UnitNormalization": "use ops.normalize in a Lambda or a Layer",
    "GroupNormalization": "use ndgrad.nn.GroupNorm (channels first) or ops in a Layer",
    "RMSNormalization": "use ops.rms_normalization in a Layer",
    "SpectralNormalization": None, "GroupQueryAttention": "use layers.MultiHeadAttention",
    "AdditiveAttention": "use layers.MultiHeadAttention or ops.dot_product_attention",
    "Attention": "use ops.dot_product_attention in a Layer",
    "Permute": "use ops.transpose in a Layer", "RepeatVector": "use ops.repeat in a Layer",
    "ReversibleEmbedding": "use layers.Embedding and ops.matmul with its embeddings",
    "Identity": "use a Layer whose call returns its input",
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
              "GlobalMaxPool3D", "UpSampling3D", "ZeroPadding3D", "Cropping3D",
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
