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


def test_mnist1d_is_generated_once_per_arguments_and_each_call_gets_what_a_generation_gives(monkeypatch):
    """The package's generator runs once per arguments (it takes about a second); every call returns
    its own copy of the same arrays and leaves the global random generators as a generation does."""
    import functools
    import random

    import mnist1d.data

    generations = []
    real = mnist1d.data.make_dataset

    @functools.wraps(real)  # the package's own generator, watched
    def counted(args):
        generations.append((args.num_samples, args.seed))
        return real(args)

    monkeypatch.setattr(mnist1d.data, "make_dataset", counted)
    args = mnist1d.data.get_dataset_args()
    args.num_samples, args.seed = 2000, 2024
    expected = real(args)
    after_generation = random.random(), numpy.random.rand()
    calls = []
    for other_seed in (5, 6):
        random.seed(other_seed)
        numpy.random.seed(other_seed)
        calls.append(data.mnist1d(2000, 2024))
        assert (random.random(), numpy.random.rand()) == after_generation
    assert generations == [(2000, 2024)]
    for generated in calls:
        assert generated.keys() == expected.keys()
        for key in ("x", "y", "x_test", "y_test", "t"):
            numpy.testing.assert_array_equal(generated[key], expected[key])
    calls[0]["x"][:] = 0.0  # a notebook changes its copy in place: the next call is not affected
    numpy.testing.assert_array_equal(data.mnist1d(2000, 2024)["x"], expected["x"])
    assert generations == [(2000, 2024)]


def test_a_changed_remembered_data_set_is_refused_when_verified():
    """The remembered arrays sit in a module a notebook can reach: verified calls still compare each
    copy with the recorded digest."""
    import mnist1d.data

    data.mnist1d(2000, 2024)
    generated, *_ = data._MNIST1D_GENERATED[(2000, 2024, mnist1d.data.get_dataset_args, mnist1d.data.make_dataset)]
    original = generated["y"].copy()
    try:
        generated["y"][:] = generated["y"] % 2
        with pytest.raises(TamperingError, match="mnist1d"):
            data.mnist1d(2000, 2024, verified=True)
    finally:
        generated["y"][:] = original
    assert sorted(data.mnist1d(2000, 2024, verified=True)) == sorted(data.MNIST1D_ARRAYS)
