"""The PyTorch face: ``Module``, ``Parameter``, layers, containers, losses, init.

Names and signatures follow ``torch.nn`` (``Linear(in_features, out_features)``,
NCHW layouts, ``weight`` of shape (out, in)); the Keras face (``ndgrad.layers``)
is built on the same classes and functions.

Example:
    >>> import ndgrad
    >>> from ndgrad import nn
    >>> model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    >>> model(ndgrad.ones((4, 2))).shape
    (4, 1)
"""

from . import activation_names, init, initializers, losses, utils
from .containers import ModuleDict, ModuleList, Sequential
from .linear import Bilinear, Linear
from .module import Module, reset_names
from .parameter import Parameter
from .parameter_containers import ParameterDict, ParameterList
from .activation_layers import *    # noqa: F401,F403
from .activation_extras import *    # noqa: F401,F403
from .attention import *            # noqa: F401,F403
from .conv import *                 # noqa: F401,F403
from .distances import *            # noqa: F401,F403
from .embedding import *            # noqa: F401,F403
from .normalization import *        # noqa: F401,F403
from .pooling import *              # noqa: F401,F403
from .recurrent import *            # noqa: F401,F403
from .regularization import *       # noqa: F401,F403
from .reshaping import *            # noqa: F401,F403
from .transformer import *          # noqa: F401,F403
from .loss_modules import *       # noqa: F401,F403
from .conv_transpose import *       # noqa: F401,F403
from .padding import *              # noqa: F401,F403
from .pixel_shuffle import *        # noqa: F401,F403
from .upsampling import *           # noqa: F401,F403
from .dropout_channels import *     # noqa: F401,F403
from .normalization_variants import *  # noqa: F401,F403
from .pooling_extras import *       # noqa: F401,F403
from .conv_volumes import *         # noqa: F401,F403
from .sliding_windows import *      # noqa: F401,F403
from .embedding_bag import *        # noqa: F401,F403
from .loss_modules_extras import *  # noqa: F401,F403
from . import functional
