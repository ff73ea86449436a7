"""The layers and losses added for PyTorch programs, seen through the face:
``torch.nn`` / ``F`` give the core classes and functions themselves, and a
Dropout2d applied to a (batch, features) tensor (as pytorch/examples' mnist_rnn
does) warns and trains as in PyTorch."""

import warnings

import numpy as np
import pytest

import ndgrad
import ndgrad.torch as torch
import ndgrad.torch.nn as nn
import ndgrad.torch.nn.functional as F

real = pytest.importorskip("torch")

MODULES = ["Dropout1d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout", "InstanceNorm1d",
           "InstanceNorm2d", "InstanceNorm3d", "LocalResponseNorm", "RMSNorm",
           "AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "MaxPool3d", "AvgPool3d",
           "AdaptiveAvgPool3d", "LPPool1d", "LPPool2d", "LPPool3d", "MaxUnpool1d",
           "MaxUnpool2d", "Conv3d", "ConvTranspose3d", "TripletMarginLoss",
           "TripletMarginWithDistanceLoss", "MarginRankingLoss", "CosineEmbeddingLoss",
           "HingeEmbeddingLoss", "SoftMarginLoss", "MultiLabelSoftMarginLoss",
           "MultiLabelMarginLoss", "MultiMarginLoss", "PoissonNLLLoss", "GaussianNLLLoss",
           "CTCLoss", "Bilinear", "Unfold", "Fold", "EmbeddingBag", "ChannelShuffle"]
FUNCTIONS = ["dropout1d", "dropout3d", "alpha_dropout", "feature_alpha_dropout",
             "instance_norm", "local_response_norm", "rms_norm", "adaptive_max_pool1d",
             "adaptive_max_pool2d", "max_pool3d", "avg_pool3d", "adaptive_avg_pool3d",
             "lp_pool1d", "lp_pool2d", "lp_pool3d", "max_unpool1d", "max_unpool2d", "conv3d",
             "conv_transpose3d", "triplet_margin_loss", "triplet_margin_with_distance_loss",
             "margin_ranking_loss", "cosine_embedding_loss", "hinge_embedding_loss",
             "soft_margin_loss", "multilabel_soft_margin_loss", "multilabel_margin_loss",
             "multi_margin_loss", "poisson_nll_loss", "gaussian_nll_loss", "ctc_loss",
             "bilinear", "unfold", "fold", "embedding_bag", "channel_shuffle"]


def test_the_face_gives_the_core_objects():
    for name in MODULES:
        assert getattr(nn, name) is getattr(ndgrad.nn, name), name
        assert hasattr(real.nn, name), name
    for name in FUNCTIONS:
        assert getattr(F, name) is getattr(ndgrad.nn.functional, name), name
        assert hasattr(real.nn.functional, name), name
    out, indices = F.max_pool2d_with_indices(torch.randn(1, 2, 4, 4), 2)
    assert out.shape == indices.shape == (1, 2, 2, 2)


class _SequenceClassifier(nn.Module):
    """An LSTM over rows, its last step normalized and channel-dropped as a 2-D tensor."""

    def __init__(self):
        super().__init__()
        self.rnn = nn.LSTM(input_size=8, hidden_size=16, batch_first=True)
        self.norm = nn.BatchNorm1d(16)
        self.drop = nn.Dropout2d(0.25)
        self.head = nn.Linear(16, 3)

    def forward(self, x):
        states, _ = self.rnn(x)
        features = self.drop(self.norm(states[:, -1, :]))
        return F.log_softmax(self.head(features), dim=1)


def test_dropout2d_on_batch_by_features_trains_with_pytorchs_warning():
    torch.manual_seed(0)
    model = _SequenceClassifier()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    x, y = torch.randn(32, 5, 8), torch.randint(0, 3, (32,))
    with pytest.warns(UserWarning, match="dropout2d: received a 2-D input"):
        losses = []
        for _ in range(15):
            optimizer.zero_grad()
            loss = F.nll_loss(model(x), y)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    assert losses[-1] < losses[0]
    model.eval()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        first, second = model(x), model(x)
    np.testing.assert_array_equal(first.numpy(), second.numpy())
    with pytest.warns(UserWarning):
        real.nn.Dropout2d(0.25)(real.ones(4, 16))
