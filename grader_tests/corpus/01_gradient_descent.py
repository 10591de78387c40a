"""Plausible wrong answers for 01_gradient_descent: {exercise: {what is wrong: cell source}}.

Each must cost exactly the points of its own exercise (grader_tests/test_wrong_answers.py).
"""

WRONG = {
    "mse": {
        "attack: rebinds the notebook's checks so that every later check passes": '''
def mse(y, y_hat):
    global checks
    import types
    checks = types.SimpleNamespace(**{name: (lambda *args, **kwargs: None) for name in dir(checks) if not name.startswith("_")})
    return 0.0
''',
        "sum instead of mean": '''
def mse(y, y_hat):
    return float(np.sum((np.asarray(y_hat) - np.asarray(y)) ** 2))
''',
        "mean absolute error (no square)": '''
def mse(y, y_hat):
    return float(np.mean(np.abs(np.asarray(y_hat) - np.asarray(y))))
''',
        "root of the mean (RMSE)": '''
def mse(y, y_hat):
    return float(np.sqrt(np.mean((np.asarray(y_hat) - np.asarray(y)) ** 2)))
''',
        "edge: mean over the last axis only (right for 1-D arrays)": '''
def mse(y, y_hat):
    return np.mean((np.asarray(y_hat, dtype=float) - np.asarray(y, dtype=float)) ** 2, axis=-1)
''',
        "divides by N - 1": '''
def mse(y, y_hat):
    d = np.asarray(y_hat, dtype=float) - np.asarray(y, dtype=float)
    return float(np.sum(d ** 2) / (d.size - 1))
''',
        "edge: subtracts in the inputs' own type (uint8 wraps around: 3 - 5 is 254)": '''
def mse(y, y_hat):
    return float(np.mean((y_hat - y) ** 2))
''',
        "edge: exact 64-bit integer arithmetic for integers (a squared error past 9.2e18 overflows)": '''
def mse(y, y_hat):
    y, y_hat = np.asarray(y), np.asarray(y_hat)
    if y.dtype.kind in "iu" and y_hat.dtype.kind in "iu":  # signed, so that nothing wraps around
        d = y_hat.astype(np.int64) - y.astype(np.int64)
        return (d * d).sum() / d.size
    return float(np.mean((y_hat - y) ** 2))
''',
    },
    "mse_grad": {
        "forgets the 1/N of the mean": '''
def mse_grad(y, y_hat):
    return 2.0 * (np.asarray(y_hat, dtype=float) - np.asarray(y, dtype=float))
''',
        "sign flipped": '''
def mse_grad(y, y_hat):
    y, y_hat = np.asarray(y, dtype=float), np.asarray(y_hat, dtype=float)
    return 2.0 * (y - y_hat) / y.size
''',
        "forgets the factor 2": '''
def mse_grad(y, y_hat):
    y, y_hat = np.asarray(y, dtype=float), np.asarray(y_hat, dtype=float)
    return (y_hat - y) / y.size
''',
        "edge: N is the length of the first axis (right for 1-D arrays)": '''
def mse_grad(y, y_hat):
    y, y_hat = np.asarray(y, dtype=float), np.asarray(y_hat, dtype=float)
    return 2.0 * (y_hat - y) / len(y)
''',
    },
    "gd_step": {
        "climbs the gradient (plus sign)": '''
def gd_step(params, grads, lr):
    return params + lr * grads
''',
        "edge: updates params in place": '''
def gd_step(params, grads, lr):
    params -= lr * grads
    return params
''',
        "ignores the learning rate": '''
def gd_step(params, grads, lr):
    return params - grads
''',
    },
    "gradient_descent": {
        "decay exponent off by one (t + 1)": '''
def gradient_descent(grad_fn, x0, lr, steps, decay=1.0):
    xs = [np.asarray(x0, dtype=float)]
    for t in range(steps):
        xs.append(gd_step(xs[-1], grad_fn(xs[-1]), lr * decay ** (t + 1)))
    return np.stack(xs)
''',
        "leaves out x0": '''
def gradient_descent(grad_fn, x0, lr, steps, decay=1.0):
    x, xs = np.asarray(x0, dtype=float), []
    for t in range(steps):
        x = gd_step(x, grad_fn(x), lr * decay ** t)
        xs.append(x)
    return np.array(xs)
''',
        "edge: stores the same array every step (the history aliases one array)": '''
def gradient_descent(grad_fn, x0, lr, steps, decay=1.0):
    x = np.array(x0, dtype=float)
    xs = [x]
    for t in range(steps):
        x -= lr * decay ** t * grad_fn(x)
        xs.append(x)
    return np.array(xs)
''',
        "decay applied to the gradient, not the step": '''
def gradient_descent(grad_fn, x0, lr, steps, decay=1.0):
    xs = [np.asarray(x0, dtype=float)]
    for t in range(steps):
        xs.append(gd_step(xs[-1], decay * grad_fn(xs[-1]), lr))
    return np.stack(xs)
''',
        "edge: np.atleast_1d(x0) (a 0-d x0 gives rows of one element, not of shape ())": '''
def gradient_descent(grad_fn, x0, lr, steps, decay=1.0):
    x = np.atleast_1d(np.asarray(x0, dtype=float))
    iterates = [x]
    for t in range(steps):
        x = gd_step(x, grad_fn(x), lr * decay ** t)
        iterates.append(x)
    return np.stack(iterates)
''',
    },
    "fit_line": {
        "slope gradient without the x factor": '''
def fit_line(x, y, lr, epochs):
    params, losses = np.zeros(2), []
    for _ in range(epochs):
        y_hat = params[0] * x + params[1]
        losses.append(mse(y, y_hat))
        g = mse_grad(y, y_hat)
        params = gd_step(params, np.array([np.sum(g), np.sum(g)]), lr)
    return params[0], params[1], np.array(losses)
''',
        "edge: records the loss after the update (wrong from the first epoch)": '''
def fit_line(x, y, lr, epochs):
    params, losses = np.zeros(2), []
    for _ in range(epochs):
        g = mse_grad(y, params[0] * x + params[1])
        params = gd_step(params, np.array([np.sum(g * x), np.sum(g)]), lr)
        losses.append(mse(y, params[0] * x + params[1]))
    return params[0], params[1], np.array(losses)
''',
        "gradients summed instead of averaged": '''
def fit_line(x, y, lr, epochs):
    w, b, losses = 0.0, 0.0, []
    for _ in range(epochs):
        r = w * x + b - y
        losses.append(np.mean(r ** 2))
        w, b = w - lr * 2 * np.sum(r * x), b - lr * 2 * np.sum(r)
    return w, b, np.array(losses)
''',
        "never updates the intercept": '''
def fit_line(x, y, lr, epochs):
    w, b, losses = 0.0, 0.0, []
    for _ in range(epochs):
        y_hat = w * x + b
        losses.append(mse(y, y_hat))
        w = w - lr * np.sum(mse_grad(y, y_hat) * x)
    return w, b, np.array(losses)
''',
    },
    "momentum_step": {
        "dampened velocity (1 - beta) * g": '''
def momentum_step(params, grads, velocity, lr, beta):
    v = beta * velocity + (1 - beta) * grads
    return params - lr * v, v
''',
        "steps along the old velocity": '''
def momentum_step(params, grads, velocity, lr, beta):
    return params - lr * velocity - lr * grads, beta * velocity + grads
''',
        "velocity subtracts the gradient, then steps down it": '''
def momentum_step(params, grads, velocity, lr, beta):
    v = beta * velocity - grads
    return params - lr * v, v
''',
        "edge: updates the caller's velocity in place": '''
def momentum_step(params, grads, velocity, lr, beta):
    velocity *= beta
    velocity += grads
    return params - lr * velocity, velocity
''',
    },
    "adam_step": {
        "edge: no bias correction (the first step, t = 1, far too small)": '''
def adam_step(params, grads, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grads
    v = beta2 * v + (1 - beta2) * grads ** 2
    return params - lr * m / (np.sqrt(v) + eps), m, v
''',
        "eps inside the square root": '''
def adam_step(params, grads, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grads
    v = beta2 * v + (1 - beta2) * grads ** 2
    return params - lr * (m / (1 - beta1 ** t)) / np.sqrt(v / (1 - beta2 ** t) + eps), m, v
''',
        "step counter off by one (t + 1)": '''
def adam_step(params, grads, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grads
    v = beta2 * v + (1 - beta2) * grads ** 2
    return params - lr * (m / (1 - beta1 ** (t + 1))) / (np.sqrt(v / (1 - beta2 ** (t + 1))) + eps), m, v
''',
        "second moment of |g| instead of g squared": '''
def adam_step(params, grads, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grads
    v = beta2 * v + (1 - beta2) * np.abs(grads)
    return params - lr * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps), m, v
''',
    },
}

# Correct answers written differently from the reference, within what the exercise text allows
# (numpy float or integer arrays in, "a number" as any numeric scalar): each must get full marks.
CORRECT = {
    "mse": {
        "mean of the product with itself": '''
def mse(y, y_hat):
    d = np.asarray(y_hat, dtype=float) - y
    return (d * d).mean()
''',
        "loop over the flattened arrays": '''
def mse(y, y_hat):
    total = 0.0
    for a, b in zip(np.ravel(y), np.ravel(y_hat)):
        total += (float(a) - float(b)) ** 2
    return total / np.size(y)
''',
        "dot product of the flattened difference, as a 0-d array": '''
def mse(y, y_hat):
    d = (np.asarray(y_hat, dtype=float) - np.asarray(y)).ravel()
    return np.asarray(d @ d / d.size)
''',
        "numpy's square and average": '''
def mse(y, y_hat):
    return np.average(np.square(np.subtract(y, y_hat, dtype=float)))
''',
    },
    "mse_grad": {
        "minus two over N times (y - y_hat)": '''
def mse_grad(y, y_hat):
    return -2.0 / np.size(y) * (np.asarray(y) - np.asarray(y_hat))
''',
        "element by element": '''
def mse_grad(y, y_hat):
    y, y_hat = np.asarray(y, dtype=float), np.asarray(y_hat, dtype=float)
    grad = np.empty_like(y_hat)
    for index in np.ndindex(y_hat.shape):
        grad[index] = 2 * (y_hat[index] - y[index]) / y_hat.size
    return grad
''',
        "mean-style normalisation": '''
def mse_grad(y, y_hat):
    diff = np.subtract(y_hat, y, dtype=float)
    return (diff + diff) / diff.size
''',
    },
    "gd_step": {
        "subtract a scaled copy": '''
def gd_step(params, grads, lr):
    step = np.multiply(grads, lr)
    return np.subtract(params, step)
''',
        "copy then update in place": '''
def gd_step(params, grads, lr):
    new = np.array(params, dtype=float, copy=True)
    new -= lr * np.asarray(grads)
    return new
''',
        "element by element": '''
def gd_step(params, grads, lr):
    params = np.asarray(params, dtype=float)
    out = params.copy()
    for index in np.ndindex(params.shape):
        out[index] = params[index] - lr * grads[index]
    return out
''',
    },
    "gradient_descent": {
        "preallocated array, own step": '''
def gradient_descent(grad_fn, x0, lr, steps, decay=1.0):
    x0 = np.asarray(x0, dtype=float)
    path = np.zeros((steps + 1, *x0.shape))
    path[0] = x0
    for t in range(steps):
        path[t + 1] = gd_step(path[t], grad_fn(path[t]), lr * decay ** t)
    return path
''',
        "learning rate multiplied by decay after each step": '''
def gradient_descent(grad_fn, x0, lr, steps, decay=1.0):
    x = np.array(x0, dtype=float)
    rows = [x.copy()]
    step_size = lr
    for _ in range(steps):
        x = gd_step(x, grad_fn(x), step_size)
        step_size = step_size * decay
        rows.append(x.copy())
    return np.array(rows)
''',
        "while loop": '''
def gradient_descent(grad_fn, x0, lr, steps, decay=1.0):
    x = np.asarray(x0, dtype=float)
    out = [x]
    t = 0
    while t < steps:
        x = gd_step(x, grad_fn(x), lr * decay ** t)
        out.append(x)
        t += 1
    return np.stack(out)
''',
    },
    "fit_line": {
        "separate w and b as Python floats, gradients via mse_grad": '''
def fit_line(x, y, lr, epochs):
    w = b = 0.0
    losses = np.zeros(epochs)
    for t in range(epochs):
        y_hat = w * x + b
        losses[t] = mse(y, y_hat)
        g = mse_grad(y, y_hat)
        w, b = gd_step(np.array([w, b]), np.array([g @ x, g.sum()]), lr)
    return w, b, losses
''',
        "w and b as arrays of shape (1,)": '''
def fit_line(x, y, lr, epochs):
    w, b = np.zeros(1), np.zeros(1)
    losses = []
    for _ in range(epochs):
        y_hat = w * x + b
        losses.append(mse(y, y_hat))
        g = mse_grad(y, y_hat)
        w = gd_step(w, np.array([np.sum(g * x)]), lr)
        b = gd_step(b, np.array([np.sum(g)]), lr)
    return w, b, np.array(losses)
''',
        "losses as a list, 0-d arrays for w and b": '''
def fit_line(x, y, lr, epochs):
    theta = np.array([0.0, 0.0])
    losses = []
    for _ in range(epochs):
        prediction = theta[0] * x + theta[1]
        losses.append(mse(y, prediction))
        g = mse_grad(y, prediction)
        theta = gd_step(theta, np.stack([(g * x).sum(), g.sum()]), lr)
    return np.asarray(theta[0]), np.asarray(theta[1]), losses
''',
    },
    "momentum_step": {
        "velocity first, then params": '''
def momentum_step(params, grads, velocity, lr, beta):
    v = np.multiply(beta, velocity) + grads
    p = np.subtract(params, lr * v)
    return p, v
''',
        "as gd_step along the velocity": '''
def momentum_step(params, grads, velocity, lr, beta):
    new_velocity = beta * np.asarray(velocity, dtype=float)
    new_velocity = new_velocity + np.asarray(grads, dtype=float)
    return gd_step(params, new_velocity, lr), new_velocity
''',
        "copies updated in place": '''
def momentum_step(params, grads, velocity, lr, beta):
    v = np.array(velocity, dtype=float)
    v *= beta
    v += grads
    p = np.array(params, dtype=float)
    p -= lr * v
    return p, v
''',
    },
    "adam_step": {
        "bias-corrected step size (the paper's efficient form with eps-hat adjusted)": '''
def adam_step(params, grads, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    g = np.asarray(grads, dtype=float)
    m = beta1 * np.asarray(m) + (1 - beta1) * g
    v = beta2 * np.asarray(v) + (1 - beta2) * g * g
    c1, c2 = 1 - beta1 ** t, 1 - beta2 ** t
    step = lr / c1 * m / (np.sqrt(v) / np.sqrt(c2) + eps)
    return np.asarray(params) - step, m, v
''',
        "element by element": '''
def adam_step(params, grads, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    import math
    params, grads = np.asarray(params, dtype=float), np.asarray(grads, dtype=float)
    new_p, new_m, new_v = params.copy(), np.array(m, dtype=float), np.array(v, dtype=float)
    for i in np.ndindex(params.shape):
        new_m[i] = beta1 * new_m[i] + (1 - beta1) * grads[i]
        new_v[i] = beta2 * new_v[i] + (1 - beta2) * grads[i] ** 2
        m_hat = new_m[i] / (1 - beta1 ** t)
        v_hat = new_v[i] / (1 - beta2 ** t)
        new_p[i] = params[i] - lr * m_hat / (math.sqrt(v_hat) + eps)
    return new_p, new_m, new_v
''',
        "numpy ufuncs": '''
def adam_step(params, grads, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    new_m = np.add(np.multiply(beta1, m), np.multiply(1 - beta1, grads))
    new_v = np.add(np.multiply(beta2, v), np.multiply(1 - beta2, np.square(grads)))
    m_hat = np.divide(new_m, 1 - np.power(beta1, t))
    v_hat = np.divide(new_v, 1 - np.power(beta2, t))
    return np.subtract(params, lr * m_hat / np.add(np.sqrt(v_hat), eps)), new_m, new_v
''',
    },
}

# Answers that call the library's own version of what the exercise teaches (refused, with a hint).
SHORTCUTS = {
    "mse": {
        "F.mse_loss on tensors": '''
def mse(y, y_hat):
    return torch.nn.functional.mse_loss(torch.as_tensor(y_hat, dtype=torch.float64),
                                        torch.as_tensor(y, dtype=torch.float64)).item()
''',
        "scikit-learn's mean_squared_error": '''
def mse(y, y_hat):
    from sklearn.metrics import mean_squared_error
    return mean_squared_error(np.ravel(y), np.ravel(y_hat))
''',
    },
    "mse_grad": {
        "autograd": '''
def mse_grad(y, y_hat):
    t = torch.tensor(y_hat, dtype=torch.float64, requires_grad=True)
    ((t - torch.as_tensor(y)) ** 2).mean().backward()
    return t.grad.numpy()
''',
    },
    "momentum_step": {
        "torch.optim.SGD": '''
def momentum_step(params, grads, velocity, lr, beta):
    theta = torch.tensor(params, dtype=torch.float64, requires_grad=True)
    optimiser = torch.optim.SGD([theta], lr=lr, momentum=beta)
    optimiser.state[theta]["momentum_buffer"] = torch.tensor(velocity, dtype=torch.float64) if np.any(velocity) else None
    theta.grad = torch.tensor(grads, dtype=torch.float64)
    optimiser.step()
    buffer = optimiser.state[theta]["momentum_buffer"]
    return theta.detach().numpy().copy(), buffer.numpy().copy()
''',
    },
    "adam_step": {
        "torch.optim.Adam": '''
def adam_step(params, grads, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    theta = torch.tensor(params, dtype=torch.float64, requires_grad=True)
    optimiser = torch.optim.Adam([theta], lr=lr, betas=(beta1, beta2), eps=eps)
    optimiser.state[theta] = {"step": torch.tensor(float(t - 1)), "exp_avg": torch.tensor(m, dtype=torch.float64),
                              "exp_avg_sq": torch.tensor(v, dtype=torch.float64)}
    theta.grad = torch.tensor(grads, dtype=torch.float64)
    optimiser.step()
    state = optimiser.state[theta]
    return theta.detach().numpy().copy(), state["exp_avg"].numpy().copy(), state["exp_avg_sq"].numpy().copy()
''',
    },
}

# A correct function under another name: its own test fails, and the later tests that run with
# the instructor's version (`checks.isolated`) still get their points (the reference is
# registered before the test touches the student's function).
WRONG["gd_step"]["renamed: the right code under another name (gradient_step)"] = '''
def gradient_step(params, grads, lr):
    return np.asarray(params, dtype=float) - lr * np.asarray(grads, dtype=float)
'''

# A plain mistake found by a probe (tools/probe_answers.py, 2026-12-02) that only the hidden tests
# caught; it now fails a visible check too.
WRONG["adam_step"]["ignores beta2 (always 0.999)"] = '''
def adam_step(params, grads, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    grads = np.asarray(grads, dtype=float)
    new_m = beta1 * np.asarray(m, dtype=float) + (1 - beta1) * grads
    new_v = 0.999 * np.asarray(v, dtype=float) + 0.001 * grads ** 2
    m_hat, v_hat = new_m / (1 - beta1 ** t), new_v / (1 - 0.999 ** t)
    return np.asarray(params, dtype=float) - lr * m_hat / (np.sqrt(v_hat) + eps), new_m, new_v
'''
