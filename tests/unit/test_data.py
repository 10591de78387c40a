"""Unit tests of course.data's verified data sets: what hidden tests train and measure on cannot be
replaced by patching the packages that generate it."""

import math

import numpy
import pytest

import course.checks  # noqa: F401 - seals the guard, as a notebook's set-up cell does
from course import data
from course.checks import TamperingError


@pytest.mark.parametrize("key", [key for key, _ in data.DIGESTS])
def test_every_recorded_data_set_matches_its_digest(key):
    name, *arguments = key
    verified = getattr(data, name)(*arguments, verified=True)
    if name == "mnist1d":
        assert sorted(verified) == sorted(data.MNIST1D_ARRAYS) and verified["x"].shape == (0.8 * arguments[0], 40)
    else:
        held_out = math.ceil(1797 * arguments[0])  # scikit-learn rounds the held-out part up
        assert [len(part) for part in verified] == [1797 - held_out, held_out] * 2


def test_a_patched_generator_is_refused(monkeypatch):
    import mnist1d.data
    import sklearn.datasets

    real = mnist1d.data.make_dataset
    monkeypatch.setattr(mnist1d.data, "make_dataset", lambda args: {**real(args), "y": real(args)["y"] % 2})
    with pytest.raises(TamperingError, match="mnist1d"):
        data.mnist1d(2000, 2024, verified=True)
    x, y = sklearn.datasets.load_digits(return_X_y=True)
    monkeypatch.setattr(sklearn.datasets, "load_digits", lambda return_X_y=False: (x[:, ::-1], y))
    with pytest.raises(TamperingError, match="scikit-learn"):
        data.digits(0.3, 5, verified=True)


def test_digests_cannot_be_changed_and_unknown_data_sets_are_not_trusted():
    assert isinstance(data.DIGESTS, tuple) and all(isinstance(pair, tuple) for pair in data.DIGESTS)
    with pytest.raises(ValueError, match="no digest"):
        data.mnist1d(1000, 0, verified=True)
    rounded = data.digest([numpy.array([0.1234564, -0.0]), numpy.array([1, 2])])
    assert rounded == data.digest([numpy.array([0.1234561, 0.0]), numpy.array([1, 2])]), "6 decimals, -0 is 0"
    assert rounded != data.digest([numpy.array([0.1234574, 0.0]), numpy.array([1, 2])])
