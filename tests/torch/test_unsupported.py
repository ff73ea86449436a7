"""Every PyTorch name a face module lacks raises an AttributeError that says so.

Real PyTorch is the list of names: for each public name of each PyTorch
module, the face module either has it or refuses it by name, saying it is not
supported and what to use.
"""

import importlib

import pytest
import torch as real

MODULES = ["", ".nn", ".nn.functional", ".nn.init", ".nn.utils", ".nn.utils.rnn", ".optim",
           ".optim.lr_scheduler", ".utils", ".utils.data", ".autograd", ".autograd.functional",
           ".cuda", ".linalg", ".backends", ".accelerator", ".random", ".nn.parameter",
           ".autograd.function", ".backends.cudnn", ".backends.mps", ".backends.cuda",
           ".nn.parallel", ".nn.modules", ".serialization", ".onnx", ".distributions",
           ".distributed", ".utils.data.distributed", ".fft"]


def _public(module):
    return sorted(name for name in dir(module) if not name.startswith("_"))


@pytest.mark.parametrize("suffix", MODULES)
def test_every_pytorch_name_exists_or_is_refused_by_name(suffix):
    theirs = importlib.import_module("torch" + suffix)
    ours = importlib.import_module("ndgrad.torch" + suffix)
    for name in _public(theirs):
        try:
            getattr(ours, name)
        except AttributeError as error:
            message = str(error)
            assert f"torch{suffix}.{name} is not supported by ndgrad (yet); " in message, message
            assert len(message.split("; ", 1)[1]) > 5, message
            assert not message.split("; ", 1)[1].startswith("not supported"), message


def test_dunder_probes_stay_plain():
    import ndgrad.torch as torch
    assert not hasattr(torch, "__wrapped__")
    with pytest.raises(AttributeError, match="has no attribute '__wrapped__'"):
        torch.nn.__wrapped__


def test_advice_names_what_to_use():
    import ndgrad.torch as torch
    with pytest.raises(AttributeError, match="no complex32; use torch.complex64"):
        torch.complex32
    with pytest.raises(AttributeError, match=r"CUDA is unavailable.*use torch.FloatTensor"):
        torch.cuda.FloatTensor
    with pytest.raises(AttributeError, match="pad_sequence"):
        torch.nn.utils.rnn.pack_padded_sequence
    with pytest.raises(AttributeError, match="LocalResponseNorm"):
        torch.nn.CrossMapLRN2d


@pytest.mark.parametrize("suffix, names", [
    ("", ["tensor", "zeros", "ones", "randn", "rand", "randint", "randperm", "arange",
          "linspace", "eye", "full", "zeros_like", "ones_like", "randn_like", "from_numpy",
          "cat", "stack", "flatten", "reshape", "max", "min", "argmax", "sort", "topk", "sum",
          "mean", "std", "where", "clamp", "exp", "log", "sigmoid", "tanh", "relu", "einsum",
          "matmul", "mm", "bmm", "manual_seed", "no_grad", "enable_grad", "set_grad_enabled",
          "inference_mode", "save", "load", "device", "Generator", "float32", "float", "long",
          "int64", "bool", "is_tensor", "numel", "allclose", "equal", "Tensor", "chunk",
          "split", "squeeze", "unsqueeze", "transpose", "permute", "gather", "tril", "triu",
          "softmax", "log_softmax", "cuda", "backends", "utils", "nn", "optim", "autograd",
          "linalg", "normal", "multinomial", "bernoulli", "abs", "sqrt", "pow", "norm",
          "cumsum", "logsumexp", "masked_fill", "index_select", "nonzero", "unique"]),
    (".utils.data", ["DataLoader", "Dataset", "TensorDataset", "random_split", "Subset",
                     "ConcatDataset", "IterableDataset", "RandomSampler", "SequentialSampler",
                     "BatchSampler", "SubsetRandomSampler", "WeightedRandomSampler",
                     "default_collate", "get_worker_info"]),
    (".autograd", ["Function", "grad", "backward", "Variable", "gradcheck"]),
])
def test_the_names_programs_use_exist(suffix, names):
    ours = importlib.import_module("ndgrad.torch" + suffix)
    missing = [name for name in names if not hasattr(ours, name)]
    assert not missing


# Every torch.nn layer whose constructor takes device= (checked against real PyTorch's
# signatures) accepts the CPU as a string or a device, and refuses CUDA with DeviceError.
_DEVICE_LAYERS = {
    "Linear": (2, 2), "Bilinear": (2, 2, 2), "Conv1d": (1, 1, 3), "Conv2d": (1, 1, 3),
    "Conv3d": (1, 1, 3), "ConvTranspose1d": (1, 1, 3), "ConvTranspose2d": (1, 1, 3),
    "ConvTranspose3d": (1, 1, 3), "Embedding": (4, 2), "EmbeddingBag": (4, 2),
    "BatchNorm1d": (2,), "BatchNorm2d": (2,), "BatchNorm3d": (2,), "LayerNorm": (2,),
    "GroupNorm": (1, 2), "InstanceNorm1d": (2,), "InstanceNorm2d": (2,),
    "InstanceNorm3d": (2,), "RMSNorm": (2,), "PReLU": (), "RNN": (2, 2), "LSTM": (2, 2),
    "GRU": (2, 2), "RNNCell": (2, 2), "LSTMCell": (2, 2), "GRUCell": (2, 2),
    "MultiheadAttention": (4, 2), "Transformer": (4, 2), "TransformerEncoderLayer": (4, 2),
    "TransformerDecoderLayer": (4, 2)}


def test_every_layer_with_a_device_argument_is_listed():
    import inspect
    import ndgrad.torch.nn as ours
    with_device = set()
    for name in _public(real.nn):
        cls = getattr(real.nn, name)
        if inspect.isclass(cls) and issubclass(cls, real.nn.Module) and hasattr(ours, name):
            if "device" in inspect.signature(cls.__init__).parameters:
                with_device.add(name)
    assert with_device - {"RNNBase"} <= set(_DEVICE_LAYERS)


@pytest.mark.parametrize("name", sorted(_DEVICE_LAYERS))
def test_layers_take_device_cpu_and_refuse_cuda(name):
    import ndgrad
    import ndgrad.torch as torch
    layer_class = getattr(torch.nn, name)
    arguments = _DEVICE_LAYERS[name]
    layer_class(*arguments, device="cpu")
    layer_class(*arguments, device=torch.device("cpu"))
    with pytest.raises(ndgrad.DeviceError, match=f"{name}: ndgrad runs on the CPU"):
        layer_class(*arguments, device="cuda")
