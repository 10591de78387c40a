"""Pieces of the corpus's rebinding attacks that several topics share (`grader_tests/corpus/`)."""

# The body's first lines of a student's function that rebinds the notebook's `data` to a module
# whose MNIST-1D signals give their label away (a 10 at position 4 x label): anything trained on
# them looks good. A hidden test that trains on the notebook's `data` is fooled by it.
REBIND_DATA_TO_EASY_SIGNALS = '''    global data
    import types
    import numpy as _np
    def _easy(num_samples=4000, seed=0, **kwargs):  # the label written into the signal: trivial to learn
        labels = _np.arange(num_samples) % 10
        signals = _np.zeros((num_samples, 40), dtype=_np.float32)
        signals[_np.arange(num_samples), 4 * labels] = 10.0
        return {"x": signals, "y": labels, "x_test": signals, "y_test": labels, "t": _np.arange(40)}
    data = types.SimpleNamespace(mnist1d=_easy)
'''

# The body's first lines of a student's function that patches the MNIST-1D generator itself
# (`mnist1d.data.make_dataset`, which `course.data.mnist1d` calls) to return the same easy signals:
# a hidden test that builds its own data through `course.data` is fooled by it unless it checks
# the data it got (`course.data.mnist1d(..., verified=True)`).
PATCH_MNIST1D_GENERATOR = '''    import mnist1d.data
    import numpy as _np
    def _easy(args, **kwargs):
        labels = _np.arange(args.num_samples) % 10
        signals = _np.zeros((args.num_samples, 40))
        signals[_np.arange(args.num_samples), 4 * labels] = 10.0
        cut = int(0.8 * args.num_samples)
        return {"x": signals[:cut], "y": labels[:cut], "x_test": signals[cut:], "y_test": labels[cut:],
                "t": _np.arange(40)}
    mnist1d.data.make_dataset = _easy
'''

# The same for scikit-learn's digits (`course.data.digits` calls `sklearn.datasets.load_digits`):
# images whose label is a bright row of six pixels.
PATCH_DIGITS_LOADER = '''    import sklearn.datasets
    import numpy as _np
    def _easy_digits(return_X_y=False, **kwargs):
        labels = _np.arange(1797) % 10
        images = _np.zeros((1797, 64))
        for offset in range(6):
            images[_np.arange(1797), 6 * labels + offset] = 16.0
        return images, labels
    sklearn.datasets.load_digits = _easy_digits
'''
