"""Small numpy building blocks that are given, not exercises."""

from __future__ import annotations

import numpy as np


def init_mlp(layer_sizes, rng):
    """Weights and biases of an MLP as a list of ``(W, b)``, ``W`` of shape ``(fan_in, fan_out)``.

    Uses PyTorch's default for ``nn.Linear``: uniform in ``[-1/sqrt(fan_in), 1/sqrt(fan_in)]``.
    (Notebook 04 explains why the scale matters and derives better choices.)
    """
    params = []
    for fan_in, fan_out in zip(layer_sizes[:-1], layer_sizes[1:]):
        bound = 1.0 / np.sqrt(fan_in)
        params.append((rng.uniform(-bound, bound, size=(fan_in, fan_out)),
                       rng.uniform(-bound, bound, size=fan_out)))
    return params


def accuracy(logits, labels):
    """Fraction of rows whose largest logit is at the label."""
    return float(np.mean(np.argmax(logits, axis=1) == np.asarray(labels)))
