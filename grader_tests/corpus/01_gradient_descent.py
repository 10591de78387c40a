"""Plausible wrong answers for 01_gradient_descent: {exercise: {what is wrong: cell source}}.

Each must cost exactly the points of its own exercise (grader_tests/test_wrong_answers.py).
"""

WRONG = {
    "mse": {
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
        "mean over the last axis only": '''
def mse(y, y_hat):
    return np.mean((np.asarray(y_hat, dtype=float) - np.asarray(y, dtype=float)) ** 2, axis=-1)
''',
        "divides by N - 1": '''
def mse(y, y_hat):
    d = np.asarray(y_hat, dtype=float) - np.asarray(y, dtype=float)
    return float(np.sum(d ** 2) / (d.size - 1))
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
        "N is the length of the first axis": '''
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
        "updates params in place": '''
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
        "stores the same array every step": '''
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
        "records the loss after the update": '''
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
    },
    "adam_step": {
        "no bias correction": '''
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
