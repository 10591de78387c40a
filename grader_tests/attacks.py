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
