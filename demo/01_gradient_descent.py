"""Fictional students for `make demo`: {student: {grade_id: the source of their cell}}.

None stands for a notebook submitted untouched. Solution cells not listed keep the stub.
"""

_ADA = {
    "gradient_descent-mse-impl": '''
def mse(y, y_hat):
    """Mean squared error between targets `y` and predictions `y_hat` (arrays of the same shape)."""
    errors = np.asarray(y_hat, dtype=float) - np.asarray(y, dtype=float)
    return (errors ** 2).mean()
''',
    "gradient_descent-mse_grad-impl": '''
def mse_grad(y, y_hat):
    """Gradient of mse(y, y_hat) with respect to y_hat; same shape as y_hat."""
    errors = np.asarray(y_hat, dtype=float) - np.asarray(y, dtype=float)
    return 2 * errors / errors.size
''',
    "gradient_descent-gd_step-impl": '''
def gd_step(params, grads, lr):
    """One gradient-descent step: returns params - lr * grads as a new array."""
    return params - lr * grads
''',
    "gradient_descent-gradient_descent-impl": '''
def gradient_descent(grad_fn, x0, lr, steps, decay=1.0):
    """Run `steps` steps of gradient descent from x0; returns all iterates, shape (steps + 1, *x0.shape)."""
    path = np.zeros((steps + 1,) + np.shape(x0))
    path[0] = x0
    step_size = lr
    for t in range(steps):
        path[t + 1] = gd_step(path[t], grad_fn(path[t]), step_size)
        step_size *= decay
    return path
''',
    "gradient_descent-fit_line-impl": '''
def fit_line(x, y, lr, epochs):
    """Fit y ~ w * x + b by full-batch gradient descent on the MSE; returns (w, b, losses)."""
    w, b = 0.0, 0.0
    losses = np.zeros(epochs)
    for epoch in range(epochs):
        prediction = w * x + b
        losses[epoch] = mse(y, prediction)
        g = mse_grad(y, prediction)
        w, b = gd_step(np.array([w, b]), np.array([(g * x).sum(), g.sum()]), lr)
    return w, b, losses
''',
    "gradient_descent-momentum_step-impl": '''
def momentum_step(params, grads, velocity, lr, beta):
    """One step of SGD with momentum; returns (new_params, new_velocity)."""
    velocity = beta * velocity + grads
    return params - lr * velocity, velocity
''',
    "gradient_descent-adam_step-impl": '''
def adam_step(params, grads, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam step (t counts from 1); returns (new_params, new_m, new_v)."""
    m = beta1 * m + (1 - beta1) * grads
    v = beta2 * v + (1 - beta2) * grads * grads
    step = lr * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps)
    return params - step, m, v
''',
    "gradient_descent-step_size-answer": (
        "A tiny learning rate moves in the right direction but so slowly that after 60 steps the point is "
        "still far from the dip; the loss falls smoothly but hardly at all. Around 0.1 the path slides into "
        "the nearest dip. A large learning rate jumps past the bottom of the valley to the other side, where "
        "the slope is steeper, so the next jump is even larger: the loss goes up and the path zig-zags."),
    "gradient_descent-optimisers-answer": (
        "Across the valley the gradient changes sign every step, so those parts of the velocity cancel, while "
        "along the valley they add up; momentum therefore moves fast along the floor. Adam divides each "
        "component by its typical size, so the steep and the flat direction get steps of the same length."),
}

# Ben did the first four exercises, got fit_line wrong (no x in the slope's gradient) and stopped.
_BEN = {key: _ADA[key] for key in (
    "gradient_descent-mse-impl", "gradient_descent-mse_grad-impl", "gradient_descent-gd_step-impl",
    "gradient_descent-gradient_descent-impl")}
_BEN["gradient_descent-fit_line-impl"] = _ADA["gradient_descent-fit_line-impl"].replace(
    "(g * x).sum(), g.sum()", "g.sum(), g.sum()")

# Dev finished everything, but a typo in `mse` raises a NameError.
_DEV = dict(_ADA)
_DEV["gradient_descent-mse-impl"] = _ADA["gradient_descent-mse-impl"].replace(
    "return (errors ** 2).mean()", "return (errors ** 2).sum() / lenght")

STUDENTS = {"ada": _ADA, "ben": _BEN, "chloe": None, "dev": _DEV}
