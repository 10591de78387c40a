"""Small ReLU networks built by hand, whose linear regions are known (notebook 08)."""

from __future__ import annotations

import torch
from torch import nn


def shallow_net(w, b):
    """One input, one hidden layer of ``len(w)`` ReLUs and one output: unit ``i`` computes
    ``relu(w[i] * x + b[i])`` and switches at ``x = -b[i] / w[i]``."""
    net = nn.Sequential(nn.Linear(1, len(w)), nn.ReLU(), nn.Linear(len(w), 1))
    with torch.no_grad():
        net[0].weight.copy_(torch.tensor(w, dtype=torch.float32).reshape(-1, 1))
        net[0].bias.copy_(torch.tensor(b, dtype=torch.float32))
    return net


def sawtooth_net(depth):
    """``depth`` compositions of the tent map t(u) = 2 relu(u) - 4 relu(u - 1/2) on (0, 1), with
    2 ** depth linear pieces. Every layer has two units: relu(u + 1), always on for u in (0, 1),
    carries u itself, and relu(u - 1/2) folds it; the next layer reads
    u' = 2 (h1 - 1) - 4 h2 = t(u) from them."""
    layers = []
    for layer in range(depth):
        linear = nn.Linear(1 if layer == 0 else 2, 2)
        with torch.no_grad():
            if layer == 0:  # h1 = relu(x + 1), h2 = relu(x - 1/2)
                linear.weight.copy_(torch.ones(2, 1))
                linear.bias.copy_(torch.tensor([1.0, -0.5]))
            else:  # u = 2 h1 - 4 h2 - 2, then h1 = relu(u + 1), h2 = relu(u - 1/2)
                linear.weight.copy_(torch.tensor([[2.0, -4.0], [2.0, -4.0]]))
                linear.bias.copy_(torch.tensor([-1.0, -2.5]))
        layers += [linear, nn.ReLU()]
    output = nn.Linear(2, 1)  # f = 2 h1 - 4 h2 - 2
    with torch.no_grad():
        output.weight.copy_(torch.tensor([[2.0, -4.0]]))
        output.bias.fill_(-2.0)
    return nn.Sequential(*layers, output)
