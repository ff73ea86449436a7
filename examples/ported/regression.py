#!/usr/bin/env python
# Follows pytorch/examples regression/main.py
# at commit 77f55b912142e11fcfdf5b530231fb9c52f181e8
# Written independently for ndgrad's real-programs suite; no code copied.
# Framework import lines (the baseline run swaps back only these):
#   import ndgrad.torch as torch
#   import ndgrad.torch.nn.functional as F
# Data: synthetic, as in the original: random inputs of a random quartic.
"""Recover a random polynomial of degree 4 with one linear layer over the
powers of x, updating the parameters by hand (``p.data.add_``) until the
smooth L1 loss of a batch is below 1e-3."""
from itertools import count

import ndgrad.torch as torch
import ndgrad.torch.nn.functional as F

DEGREE = 4
true_weights = torch.randn(DEGREE, 1) * 5
true_bias = torch.randn(1) * 5


def powers_of(x):
    """The matrix whose columns are x, x**2, ..., x**DEGREE."""
    column = x.unsqueeze(1)
    return torch.cat([column ** k for k in range(1, DEGREE + 1)], 1)


def target_function(features):
    """The polynomial to learn, applied to a matrix of powers."""
    return features.mm(true_weights) + true_bias.item()


def describe(weights, bias):
    """The polynomial as text, highest power last."""
    text = 'y = '
    for power, weight in enumerate(weights, start=1):
        text += '{:+.2f} x^{} '.format(weight, power)
    return text + '{:+.2f}'.format(bias[0])


def sample_batch(batch_size=32):
    """Random inputs and the polynomial's values at them."""
    features = powers_of(torch.randn(batch_size))
    return features, target_function(features)


model = torch.nn.Linear(true_weights.size(0), 1)

for step in count(1):
    inputs, targets = sample_batch()
    model.zero_grad()
    objective = F.smooth_l1_loss(model(inputs), targets)
    loss_value = objective.item()
    objective.backward()
    # plain gradient descent, written out on the parameters' data
    for parameter in model.parameters():
        parameter.data.add_(-0.1 * parameter.grad)
    if loss_value < 1e-3:
        break

print('Loss: {:.6f} after {} batches'.format(loss_value, step))
print('==> Learned function:\t' + describe(model.weight.view(-1), model.bias))
print('==> Actual function:\t' + describe(true_weights.view(-1), true_bias))
