"""Small data sets, generated locally: nothing here touches the network."""

from __future__ import annotations

import numpy as np


def noisy_line(n=40, slope=2.0, intercept=-1.0, noise=0.5, seed=0):
    """Points ``y = slope * x + intercept + noise`` with ``x`` uniform in [-2, 2]; returns ``(x, y)``."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2.0, 2.0, size=n)
    y = slope * x + intercept + noise * rng.standard_normal(n)
    return x, y


def noisy_sine(n=20, noise=0.3, seed=0):
    """Points ``y = sin(3 x) + noise`` with ``x`` uniform in [-1, 1]; returns ``(x, y)``."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, size=n)
    y = np.sin(3.0 * x) + noise * rng.standard_normal(n)
    return x, y


def two_moons(n=600, noise=0.2, seed=0):
    """Two interleaving half circles in 2-D (scikit-learn's ``make_moons``), labels 0 and 1.

    Returns ``(x, y)``: ``x`` float array of shape ``(n, 2)``, ``y`` integer array of shape ``(n,)``.
    No straight line separates the two classes.
    """
    from sklearn.datasets import make_moons

    x, y = make_moons(n_samples=n, noise=noise, random_state=seed)
    return x, y


def digits(val_fraction=0.25, seed=0):
    """scikit-learn's 8x8 digits (bundled with the package), pixels scaled to [0, 1].

    Returns ``(x_train, x_val, y_train, y_val)`` with a stratified split fixed by ``seed``.
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    x, y = load_digits(return_X_y=True)
    return train_test_split(x / 16.0, y, test_size=val_fraction, random_state=seed, stratify=y)


def mnist1d(num_samples=4000, seed=0):
    """The MNIST-1D data set, generated locally (never downloaded).

    Returns the generator's dictionary: ``x``, ``y`` (training), ``x_test``, ``y_test``, ``t``.
    """
    from mnist1d.data import get_dataset_args, make_dataset

    args = get_dataset_args()
    args.num_samples = num_samples
    args.seed = seed
    return make_dataset(args)
