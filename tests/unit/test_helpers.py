"""Unit tests of course.data and course.gradcheck."""

import numpy as np
import pytest

from course import data, gradcheck


def test_noisy_line_is_deterministic_and_shaped():
    x1, y1 = data.noisy_line(n=30, seed=3)
    x2, y2 = data.noisy_line(n=30, seed=3)
    assert x1.shape == y1.shape == (30,) and np.array_equal(y1, y2)
    assert not np.array_equal(y1, data.noisy_line(n=30, seed=4)[1])
    assert np.all(np.abs(x1) <= 2)
    slope, intercept = np.polyfit(*data.noisy_line(n=2000, noise=0.1), deg=1)
    assert abs(slope - 2.0) < 0.02 and abs(intercept + 1.0) < 0.02


def test_noisy_sine_is_deterministic_and_follows_the_sine():
    x, y = data.noisy_sine(n=25, seed=1)
    assert x.shape == y.shape == (25,) and np.array_equal(y, data.noisy_sine(n=25, seed=1)[1])
    assert np.all(np.abs(x) <= 1)
    x, y = data.noisy_sine(n=5000, noise=0.1, seed=2)
    assert np.std(y - np.sin(3 * x)) == pytest.approx(0.1, rel=0.05)


def test_two_moons_is_deterministic_and_not_linearly_separable():
    x, y = data.two_moons(n=400, seed=2)
    assert x.shape == (400, 2) and y.shape == (400,) and set(y) == {0, 1}
    assert np.array_equal(x, data.two_moons(n=400, seed=2)[0])
    from sklearn.linear_model import LogisticRegression
    assert LogisticRegression().fit(x, y).score(x, y) < 0.95  # a line cannot separate the moons


def test_digits_split_is_stratified_and_scaled():
    x_train, x_val, y_train, y_val = data.digits(val_fraction=0.25, seed=0)
    assert x_train.shape[1] == 64 and 0 <= x_train.min() and x_train.max() <= 1
    assert len(x_val) == pytest.approx(0.25 * 1797, abs=1) and set(y_val) == set(range(10))


def test_mnist1d_is_generated_locally():
    dataset = data.mnist1d(num_samples=200, seed=1)
    assert dataset["x"].shape[1] == 40 and len(dataset["x"]) + len(dataset["x_test"]) == 200


def test_numerical_gradient_and_relative_error():
    f = lambda x: np.sum(x ** 3) + x[0] * x[1]  # noqa: E731
    x = np.array([1.0, -2.0, 0.5])
    exact = 3 * x ** 2 + np.array([x[1], x[0], 0.0])
    assert gradcheck.relative_error(gradcheck.numerical_gradient(f, x), exact) < 1e-8
    assert gradcheck.relative_error(exact, -exact) == pytest.approx(2.0)
    assert np.array_equal(x, [1.0, -2.0, 0.5]), "the input is left untouched"


def test_a_widget_demo_shows_the_hint_and_no_figure_while_an_exercise_is_not_written(capsys):
    import matplotlib.pyplot as plt

    from course import plots

    notebook = {}  # the namespace of a notebook: the exercise stub and the demo that calls it
    exec("import matplotlib.pyplot as plt\n"
         "class Block:\n    def __init__(self, width):\n        raise NotImplementedError()\n"
         "def show(width=3):\n    fig, ax = plt.subplots()\n    Block(width)\n    plt.show()\n"
         "def library_error(width=3):\n    import torch\n    torch.nn.Module()(width)\n", notebook)
    plt.close("all")
    assert plots.showing_hint(notebook["show"])(width=4) is None
    assert capsys.readouterr().out.startswith("Hint: `Block` is not written yet")
    assert plt.get_fignums() == [], "the half-drawn figure is closed"
    with pytest.raises(NotImplementedError):
        plots.showing_hint(notebook["library_error"])()
    import inspect
    assert list(inspect.signature(plots.showing_hint(notebook["show"])).parameters) == ["width"], \
        "ipywidgets still reads the demo's parameters"


@pytest.mark.parametrize("execution", [None, "validate", "autograde"])
def test_experiments_run_smaller_only_while_the_grader_runs_the_notebook(monkeypatch, capsys, execution):
    """`nbgrader autograde` sets NBGRADER_EXECUTION=autograde, `nbgrader validate` (the Validate
    button) "validate": their runs get the smaller experiment, and the output says so for the
    feedback; the student's own run (no variable) the full one."""
    from course import smaller_while_grading

    if execution is None:
        monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    else:
        monkeypatch.setenv("NBGRADER_EXECUTION", execution)
    seeds, epochs = smaller_while_grading(full=([0, 1, 2], 8), smaller=([0], 2))
    note = capsys.readouterr().out
    if execution in ("autograde", "validate"):
        assert (seeds, epochs) == ([0], 2)
        assert note.startswith("[grading run: this experiment ran smaller") and "([0, 1, 2], 8)" in note
    else:
        assert (seeds, epochs, note) == ([0, 1, 2], 8, "")
