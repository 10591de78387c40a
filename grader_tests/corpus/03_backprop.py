"""Plausible wrong answers for 03_backprop: {exercise: {what is wrong: cell source}}."""

WRONG = {
    "chain_rule": {
        "forgets the path through d": '''
def chain_rule(x):
    x = np.asarray(x, dtype=float)
    a = x ** 2
    c = np.exp(np.sin(a))
    d = 1 + a
    return c / d, (c / d) * np.cos(a) * 2 * x
''',
        "quotient rule with the wrong sign": '''
def chain_rule(x):
    x = np.asarray(x, dtype=float)
    a = x ** 2
    c = np.exp(np.sin(a))
    d = 1 + a
    return c / d, (c / d * np.cos(a) + c / d ** 2) * 2 * x
''',
        "forgets the inner derivative 2x": '''
def chain_rule(x):
    x = np.asarray(x, dtype=float)
    a = x ** 2
    c = np.exp(np.sin(a))
    d = 1 + a
    return c / d, c / d * np.cos(a) - c / d ** 2
''',
    },
    "relu": {
        "modifies x in place": '''
def relu(x):
    x[x < 0] = 0.0
    return x
''',
        "absolute value": '''
def relu(x):
    return np.abs(np.asarray(x, dtype=float))
''',
        "clips at 1 as well": '''
def relu(x):
    return np.clip(np.asarray(x, dtype=float), 0.0, 1.0)
''',
    },
    "relu_grad": {
        "the wrong side": '''
def relu_grad(x):
    return (np.asarray(x) < 0).astype(float)
''',
        "1 at exactly zero": '''
def relu_grad(x):
    return (np.asarray(x) >= 0).astype(float)
''',
        "returns relu itself": '''
def relu_grad(x):
    return np.maximum(np.asarray(x, dtype=float), 0.0)
''',
    },
    "linear_forward": {
        "forgets the bias": '''
def linear_forward(x, W, b):
    return np.asarray(x, dtype=float) @ W
''',
        "multiplies by W transposed": '''
def linear_forward(x, W, b):
    return np.asarray(x, dtype=float) @ W.T + b
''',
        "subtracts the bias": '''
def linear_forward(x, W, b):
    return np.asarray(x, dtype=float) @ W - b
''',
    },
    "linear_backward": {
        "dW transposed": '''
def linear_backward(dout, x, W):
    return dout @ W.T, dout.T @ x, dout.sum(axis=0)
''',
        "db averaged over the batch": '''
def linear_backward(dout, x, W):
    return dout @ W.T, x.T @ dout, dout.mean(axis=0)
''',
        "dx multiplies by W instead of W transposed": '''
def linear_backward(dout, x, W):
    return dout @ W, x.T @ dout, dout.sum(axis=0)
''',
        "db is dout itself": '''
def linear_backward(dout, x, W):
    return dout @ W.T, x.T @ dout, dout
''',
    },
    "numerical_grad": {
        "one-sided difference": '''
def numerical_grad(f, x, eps=1e-6):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    f0 = f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        grad[i] = (f(x) - f0) / eps
        x[i] = old
    return grad
''',
        "divides by eps instead of 2 eps": '''
def numerical_grad(f, x, eps=1e-6):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        fp = f(x)
        x[i] = old - eps
        fm = f(x)
        x[i] = old
        grad[i] = (fp - fm) / eps
    return grad
''',
        "never restores the nudged entry": '''
def numerical_grad(f, x, eps=1e-6):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        fp = f(x)
        x[i] = old - eps
        fm = f(x)
        grad[i] = (fp - fm) / (2 * eps)
    return grad
''',
        "nudges the caller's array": '''
def numerical_grad(f, x, eps=1e-6):
    grad = np.zeros_like(x, dtype=float)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        fp = f(x)
        x[i] = old - eps
        fm = f(x)
        grad[i] = (fp - fm) / (2 * eps)
    return grad
''',
    },
    "relative_error": {
        "absolute error": '''
def relative_error(a, b):
    return float(np.max(np.abs(np.asarray(a, dtype=float) - np.asarray(b, dtype=float))))
''',
        "divides by |a| only": '''
def relative_error(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a), 1e-12)))
''',
        "mean instead of max": '''
def relative_error(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.mean(np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), 1e-12)))
''',
    },
    "mlp_forward": {
        "ReLU on the output layer too": '''
def mlp_forward(x, params):
    h, cache = np.asarray(x, dtype=float), []
    for W, b in params:
        z = linear_forward(h, W, b)
        cache.append((h, z))
        h = relu(z)
    return h, cache
''',
        "caches the activation instead of the pre-activation": '''
def mlp_forward(x, params):
    h, cache = np.asarray(x, dtype=float), []
    for i, (W, b) in enumerate(params):
        z = linear_forward(h, W, b)
        out = relu(z) if i < len(params) - 1 else z
        cache.append((h, out))
        h = out
    return h, cache
''',
        "no ReLU at all": '''
def mlp_forward(x, params):
    h, cache = np.asarray(x, dtype=float), []
    for W, b in params:
        z = linear_forward(h, W, b)
        cache.append((h, z))
        h = z
    return h, cache
''',
    },
    "mlp_backward": {
        "forgets the ReLU derivative": '''
def mlp_backward(dout, cache, params):
    grads, delta = [], dout
    for layer in reversed(range(len(params))):
        dh, dW, db = linear_backward(delta, cache[layer][0], params[layer][0])
        grads.append((dW, db))
        delta = dh
    return grads[::-1]
''',
        "returns the layers in reverse order": '''
def mlp_backward(dout, cache, params):
    grads, delta = [], dout
    for layer in reversed(range(len(params))):
        dh, dW, db = linear_backward(delta, cache[layer][0], params[layer][0])
        grads.append((dW, db))
        if layer > 0:
            delta = dh * relu_grad(cache[layer - 1][1])
    return grads
''',
        "masks with the current layer's pre-activation": '''
def mlp_backward(dout, cache, params):
    grads, delta = [], dout
    for layer in reversed(range(len(params))):
        dh, dW, db = linear_backward(delta, cache[layer][0], params[layer][0])
        grads.append((dW, db))
        if layer > 0:
            delta = dh * relu_grad(cache[layer][1])
    return grads[::-1]
''',
    },
    "ce_grad": {
        "forgets the 1/N": '''
def ce_grad(logits, labels):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    p[np.arange(len(labels)), labels] -= 1
    return p
''',
        "one_hot minus softmax": '''
def ce_grad(logits, labels):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    y = np.zeros_like(p)
    y[np.arange(len(labels)), labels] = 1
    return (y - p) / len(labels)
''',
        "softmax without max-subtraction": '''
def ce_grad(logits, labels):
    e = np.exp(logits)
    p = e / e.sum(axis=1, keepdims=True)
    p[np.arange(len(labels)), labels] -= 1
    return p / len(labels)
''',
    },
    "train_epoch": {
        "climbs the gradient": '''
def train_epoch(params, x, y, lr, batch_size, rng):
    order = rng.permutation(len(x))
    for s in range(0, len(x), batch_size):
        idx = order[s:s + batch_size]
        out, cache = mlp_forward(x[idx], params)
        grads = mlp_backward(ce_grad(out, y[idx]), cache, params)
        params = [(W + lr * dW, b + lr * db) for (W, b), (dW, db) in zip(params, grads)]
    return params
''',
        "only the first batch of every epoch": '''
def train_epoch(params, x, y, lr, batch_size, rng):
    idx = rng.permutation(len(x))[:batch_size]
    out, cache = mlp_forward(x[idx], params)
    grads = mlp_backward(ce_grad(out, y[idx]), cache, params)
    return [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]
''',
        "updates the weights in place": '''
def train_epoch(params, x, y, lr, batch_size, rng):
    order = rng.permutation(len(x))
    for s in range(0, len(x), batch_size):
        idx = order[s:s + batch_size]
        out, cache = mlp_forward(x[idx], params)
        grads = mlp_backward(ce_grad(out, y[idx]), cache, params)
        for (W, b), (dW, db) in zip(params, grads):
            W -= lr * dW
            b -= lr * db
    return params
''',
        "never updates the biases": '''
def train_epoch(params, x, y, lr, batch_size, rng):
    order = rng.permutation(len(x))
    for s in range(0, len(x), batch_size):
        idx = order[s:s + batch_size]
        out, cache = mlp_forward(x[idx], params)
        grads = mlp_backward(ce_grad(out, y[idx]), cache, params)
        params = [(W - lr * dW, b) for (W, b), (dW, db) in zip(params, grads)]
    return params
''',
    },
}
