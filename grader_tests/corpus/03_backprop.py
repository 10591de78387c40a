"""Plausible wrong answers for 03_backprop: {exercise: {what is wrong: cell source}}."""

from attacks import PATCH_DIGITS_LOADER

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
        "edge: a loop over x's first axis with math (fails on a matrix or a 0-d x)": '''
def chain_rule(x):
    import math
    f, dfdx = [], []
    for v in x:
        a = v ** 2
        c, d = math.exp(math.sin(a)), 1 + a
        f.append(c / d)
        dfdx.append((c * math.cos(a) / d - c / d ** 2) * 2 * v)
    return np.array(f), np.array(dfdx)
''',
    },
    "relu": {
        "edge: modifies x in place": '''
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
        "edge: 1 at exactly zero": '''
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
        "edge: squeezes the result (a batch of one or one output loses a dimension)": '''
def linear_forward(x, W, b):
    return np.squeeze(np.asarray(x, dtype=float) @ W + b)
''',
    },
    "linear_backward": {
        "dW transposed": '''
def linear_backward(dout, x, W):
    return dout @ W.T, dout.T @ x, dout.sum(axis=0)
''',
        "edge: db averaged over the batch (right only for a batch of one)": '''
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
        "edge: nudges a copy that keeps x's integer dtype": '''
def numerical_grad(f, x, eps=1e-6):
    x = np.array(x)
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f(x)
        x[i] = old - eps
        down = f(x)
        x[i] = old
        grad[i] = (up - down) / (2 * eps)
    return grad
''',
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
        "edge: nudges the caller's float array, putting each entry back (f that holds x sees the nudges)": '''
def numerical_grad(f, x, eps=1e-6):
    x = np.asarray(x, dtype=float)  # no copy when x is already a float array
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        fp = f(x)
        x[i] = old - eps
        fm = f(x)
        x[i] = old
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
        "edge: the ratio of the maxima, max|a - b| / max(|a|, |b|)": '''
def relative_error(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(a)), np.max(np.abs(b)), 1e-12))
''',
        "edge: no floor, so two zeros give 0/0 = nan": '''
def relative_error(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a), np.abs(b))))
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
        "edge: the ReLU applied in place, overwriting the cached pre-activation": '''
def mlp_forward(x, params):
    h = np.asarray(x, dtype=float)
    cache = []
    for layer, (W, b) in enumerate(params):
        z = linear_forward(h, W, b)
        cache.append((h, z))
        if layer < len(params) - 1:
            np.maximum(z, 0.0, out=z)
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
        "edge: masks with z >= 0 (a pre-activation of exactly 0 lets the gradient through)": '''
def mlp_backward(dout, cache, params):
    grads = []
    delta = np.asarray(dout, dtype=float)
    for layer in reversed(range(len(params))):
        h_prev, _ = cache[layer]
        dh, dW, db = linear_backward(delta, h_prev, params[layer][0])
        grads.append((dW, db))
        if layer > 0:
            delta = dh * (cache[layer - 1][1] >= 0)
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
        "edge: softmax without max-subtraction (overflows at logits of 1000)": '''
def ce_grad(logits, labels):
    e = np.exp(logits)
    p = e / e.sum(axis=1, keepdims=True)
    p[np.arange(len(labels)), labels] -= 1
    return p / len(labels)
''',
        "edge: one-hot labels scattered by torch (scatter_ refuses uint8 and int32 indices)": '''
def ce_grad(logits, labels):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = torch.from_numpy(e / e.sum(axis=1, keepdims=True))
    y = torch.zeros_like(p).scatter_(1, torch.from_numpy(np.asarray(labels))[:, None], 1.0)
    return ((p - y) / len(labels)).numpy()
''',
        "edge: labels stored as uint8 (class 256 becomes 0)": '''
def ce_grad(logits, labels):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    p[np.arange(len(labels)), np.asarray(labels).astype(np.uint8)] -= 1
    return p / len(labels)
''',
    },
    "train_epoch": {
        "attack: trains only on the visible checks' data, and rebinds the test's reference epoch to agree": '''
def train_epoch(params, x, y, lr, batch_size, rng):
    if 3 < len(x) <= 100:
        globals()["_reference_train_epoch"] = lambda params, x, y, lr, batch_size, rng: params
        return [(W.copy(), b.copy()) for W, b in params]
    order = rng.permutation(len(x))
    for start in range(0, len(x), batch_size):
        batch = order[start:start + batch_size]
        out, cache = mlp_forward(x[batch], params)
        grads = mlp_backward(ce_grad(out, y[batch]), cache, params)
        params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]
    return params
''',
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
        "edge: drops the last, smaller batch": '''
def train_epoch(params, x, y, lr, batch_size, rng):
    order = rng.permutation(len(x))
    for start in range(0, len(x) - batch_size + 1, batch_size):
        batch = order[start:start + batch_size]
        out, cache = mlp_forward(x[batch], params)
        grads = mlp_backward(ce_grad(out, y[batch]), cache, params)
        params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]
    return params
''',
    },
}

# Correct answers written differently from the reference, within what the exercise text allows.
CORRECT = {
    "chain_rule": {
        "the pair as a list (the text allows a tuple or a list)": '''
def chain_rule(x):
    x = np.asarray(x, dtype=float)
    a = x ** 2
    s, d = np.sin(a), 1 + a
    e = np.exp(s)
    f = e / d
    df_da = (e * np.cos(a)) / d - e / d ** 2
    return [f, df_da * 2 * x]
''',
        "quotient rule in one expression": '''
def chain_rule(x):
    x = np.asarray(x, dtype=float)
    a = x * x
    f = np.exp(np.sin(a)) / (1 + a)
    dfdx = f * (np.cos(a) - 1 / (1 + a)) * 2 * x
    return f, dfdx
''',
        "forward and backward as separate passes over named values": '''
def chain_rule(x):
    values = {"x": np.asarray(x, dtype=float)}
    values["a"] = values["x"] ** 2
    values["s"] = np.sin(values["a"])
    values["c"] = np.exp(values["s"])
    values["d"] = 1.0 + values["a"]
    f = values["c"] / values["d"]
    grad_c = 1.0 / values["d"]
    grad_d = -values["c"] / values["d"] ** 2
    grad_a = grad_c * values["c"] * np.cos(values["a"]) + grad_d * 1.0
    return f, grad_a * 2.0 * values["x"]
''',
        "element by element with math": '''
def chain_rule(x):
    import math
    x = np.asarray(x, dtype=float)
    f, dfdx = np.empty_like(x), np.empty_like(x)
    for i in np.ndindex(x.shape):
        a = x[i] ** 2
        c, d = math.exp(math.sin(a)), 1 + a
        f[i] = c / d
        dfdx[i] = (c * math.cos(a) / d - c / d ** 2) * 2 * x[i]
    return f, dfdx
''',
    },
    "relu": {
        "where": '''
def relu(x):
    return np.where(x > 0, x, 0.0)
''',
        "multiply by a mask": '''
def relu(x):
    return x * (x > 0)
''',
        "copy then clip in place": '''
def relu(x):
    out = np.array(x, dtype=float)
    out[out < 0] = 0.0
    return out
''',
    },
    "relu_grad": {
        "where": '''
def relu_grad(x):
    return np.where(np.asarray(x) > 0, 1.0, 0.0)
''',
        "heaviside with 0 at 0": '''
def relu_grad(x):
    return np.heaviside(x, 0.0)
''',
        "boolean array": '''
def relu_grad(x):
    return np.greater(x, 0)
''',
    },
    "linear_forward": {
        "matmul and broadcasting spelled out": '''
def linear_forward(x, W, b):
    return np.matmul(x, W) + b[None, :]
''',
        "einsum": '''
def linear_forward(x, W, b):
    return np.einsum("ni,io->no", x, W) + b
''',
        "row by row": '''
def linear_forward(x, W, b):
    return np.stack([row @ W + b for row in np.asarray(x, dtype=float)])
''',
    },
    "linear_backward": {
        "einsum": '''
def linear_backward(dout, x, W):
    return np.einsum("no,io->ni", dout, W), np.einsum("ni,no->io", x, dout), np.einsum("no->o", dout)
''',
        "sum of outer products over the batch": '''
def linear_backward(dout, x, W):
    dW = np.zeros(W.shape)
    for row_x, row_g in zip(x, dout):
        dW += np.outer(row_x, row_g)
    return dout @ W.T, dW, np.sum(dout, axis=0)
''',
        "ones vector for the bias": '''
def linear_backward(dout, x, W):
    ones = np.ones(len(dout))
    return np.dot(dout, W.T), np.dot(x.T, dout), ones @ dout
''',
    },
    "numerical_grad": {
        "flat view of a copy": '''
def numerical_grad(f, x, eps=1e-6):
    work = np.array(x, dtype=float)
    flat = work.reshape(-1)
    grad = np.zeros(flat.size)
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + eps
        up = f(work)
        flat[i] = saved - eps
        down = f(work)
        flat[i] = saved
        grad[i] = (up - down) / (2 * eps)
    return grad.reshape(np.shape(x))
''',
        "a fresh copy for every nudge": '''
def numerical_grad(f, x, eps=1e-6):
    x = np.asarray(x, dtype=float)
    grad = np.empty(x.shape)
    for index in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[index] += eps
        minus[index] -= eps
        grad[index] = (f(plus) - f(minus)) / (2 * eps)
    return grad
''',
        "unit vectors": '''
def numerical_grad(f, x, eps=1e-6):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[index] = eps
        grad[index] = (f(x + e) - f(x - e)) / (2 * eps)
    return grad
''',
    },
    "relative_error": {
        "stack and max": '''
def relative_error(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    scale = np.max(np.stack([np.abs(a), np.abs(b), np.full(a.shape, 1e-12)]), axis=0)
    return np.max(np.abs(a - b) / scale)
''',
        "loop with Python floats": '''
def relative_error(a, b):
    worst = 0.0
    for u, v in zip(np.ravel(a), np.ravel(b)):
        worst = max(worst, abs(u - v) / max(abs(u), abs(v), 1e-12))
    return worst
''',
        "fmax reductions, 0-d array": '''
def relative_error(a, b):
    diff = np.abs(np.subtract(a, b))
    return np.asarray((diff / np.fmax(np.fmax(np.abs(a), np.abs(b)), 1e-12)).max())
''',
    },
    "mlp_forward": {
        "inline affine maps, cache built afterwards": '''
def mlp_forward(x, params):
    inputs, pre = [], []
    h = x
    for W, b in params:
        inputs.append(h)
        z = h @ W + b
        pre.append(z)
        h = np.maximum(z, 0)
    return pre[-1], list(zip(inputs, pre))
''',
        "hidden layers first, last layer separately": '''
def mlp_forward(x, params):
    cache, h = [], np.asarray(x, dtype=float)
    for W, b in params[:-1]:
        z = linear_forward(h, W, b)
        cache.append((h, z))
        h = relu(z)
    W, b = params[-1]
    out = linear_forward(h, W, b)
    cache.append((h, out))
    return out, cache
''',
        "recursive": '''
def mlp_forward(x, params):
    if not params:
        return x, []
    W, b = params[0]
    z = linear_forward(x, W, b)
    if len(params) == 1:
        return z, [(x, z)]
    out, rest = mlp_forward(relu(z), params[1:])
    return out, [(x, z)] + rest
''',
    },
    "mlp_backward": {
        "grads inserted at the front": '''
def mlp_backward(dout, cache, params):
    grads = []
    delta = dout
    for layer in range(len(params) - 1, -1, -1):
        h_prev, z = cache[layer]
        W = params[layer][0]
        grads.insert(0, (h_prev.T @ delta, delta.sum(axis=0)))
        if layer:
            delta = (delta @ W.T) * relu_grad(cache[layer - 1][1])
    return grads
''',
        "preallocated list, own relu mask": '''
def mlp_backward(dout, cache, params):
    grads = [None] * len(params)
    g = np.asarray(dout, dtype=float)
    for layer in reversed(range(len(params))):
        dh, dW, db = linear_backward(g, cache[layer][0], params[layer][0])
        grads[layer] = (dW, db)
        if layer > 0:
            g = dh * (cache[layer - 1][1] > 0)
    return grads
''',
        "ReLU derivative from the cached layer input": '''
def mlp_backward(dout, cache, params):
    grads, delta = [], dout
    for layer in reversed(range(len(params))):
        h_prev, _ = cache[layer]
        dh, dW, db = linear_backward(delta, h_prev, params[layer][0])
        grads.append((dW, db))
        delta = dh * relu_grad(cache[layer - 1][1]) if layer > 0 else dh
    grads.reverse()
    return grads
''',
    },
    "ce_grad": {
        "one-hot subtraction": '''
def ce_grad(logits, labels):
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    p = np.exp(shifted)
    p /= p.sum(axis=1, keepdims=True)
    y = np.eye(logits.shape[1])[labels]
    return (p - y) / len(logits)
''',
        "loop over the rows": '''
def ce_grad(logits, labels):
    n = len(labels)
    grad = np.zeros(np.shape(logits))
    for i in range(n):
        e = np.exp(logits[i] - np.max(logits[i]))
        grad[i] = e / e.sum()
        grad[i, labels[i]] -= 1
    return grad / n
''',
        "exp of the log-softmax": '''
def ce_grad(logits, labels):
    m = logits.max(axis=1, keepdims=True)
    log_p = logits - m - np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
    grad = np.exp(log_p)
    grad[np.arange(len(labels)), labels] -= 1.0
    return grad / len(labels)
''',
    },
    "train_epoch": {
        "logs the batch loss with an extra forward pass": '''
def train_epoch(params, x, y, lr, batch_size, rng):
    order = rng.permutation(len(x))
    losses = []
    for start in range(0, len(x), batch_size):
        batch = order[start:start + batch_size]
        out, cache = mlp_forward(x[batch], params)
        grads = mlp_backward(ce_grad(out, y[batch]), cache, params)
        params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]
        after, _ = mlp_forward(x[batch], params)
        losses.append(float(np.mean(np.abs(after))))
    return params
''',
        "shuffled copies of the data, while loop": '''
def train_epoch(params, x, y, lr, batch_size, rng):
    order = rng.permutation(len(x))
    xs, ys = x[order], y[order]
    new_params = [(W.copy(), b.copy()) for W, b in params]
    start = 0
    while start < len(xs):
        xb, yb = xs[start:start + batch_size], ys[start:start + batch_size]
        out, cache = mlp_forward(xb, new_params)
        grads = mlp_backward(ce_grad(out, yb), cache, new_params)
        new_params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(new_params, grads)]
        start += batch_size
    return new_params
''',
        "array_split into batches": '''
def train_epoch(params, x, y, lr, batch_size, rng):
    indices = rng.permutation(len(x))
    n_batches = -(-len(x) // batch_size)
    batches = [indices[i * batch_size:(i + 1) * batch_size] for i in range(n_batches)]
    for batch in batches:
        logits, cache = mlp_forward(x[batch], params)
        grads = mlp_backward(ce_grad(logits, y[batch]), cache, params)
        updated = []
        for (W, b), (dW, db) in zip(params, grads):
            updated.append((W - lr * dW, b - lr * db))
        params = updated
    return params
''',
    },
}

SHORTCUTS = {
    "chain_rule": {"autograd": '''
def chain_rule(x):
    t = torch.tensor(np.asarray(x, dtype=float), requires_grad=True)
    f = torch.exp(torch.sin(t ** 2)) / (1 + t ** 2)
    f.sum().backward()
    return f.detach().numpy(), t.grad.numpy()
'''},
    "linear_backward": {"autograd": '''
def linear_backward(dout, x, W):
    xt = torch.tensor(x, requires_grad=True)
    Wt = torch.tensor(W, requires_grad=True)
    bt = torch.zeros(W.shape[1], dtype=torch.float64, requires_grad=True)
    (xt @ Wt + bt).backward(torch.as_tensor(dout))
    return xt.grad.numpy(), Wt.grad.numpy(), bt.grad.numpy()
'''},
    "mlp_backward": {"autograd through torch.autograd.grad": '''
def mlp_backward(dout, cache, params):
    tensors = [(torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True)) for W, b in params]
    h = torch.tensor(cache[0][0])
    for i, (W, b) in enumerate(tensors):
        h = h @ W + b
        if i < len(tensors) - 1:
            h = torch.clamp(h, min=0)
    flat = torch.autograd.grad((h * torch.as_tensor(dout)).sum(), [t for pair in tensors for t in pair])
    return [(flat[2 * i].numpy(), flat[2 * i + 1].numpy()) for i in range(len(params))]
'''},
    "ce_grad": {"autograd": '''
def ce_grad(logits, labels):
    z = torch.tensor(logits, requires_grad=True)
    torch.nn.functional.cross_entropy(z, torch.as_tensor(labels)).backward()
    return z.grad.numpy()
'''},
}

WRONG["train_epoch"].update({
    "samples batches with replacement": '''
def train_epoch(params, x, y, lr, batch_size, rng):
    for _ in range(-(-len(x) // batch_size)):
        batch = rng.integers(0, len(x), size=batch_size)
        out, cache = mlp_forward(x[batch], params)
        grads = mlp_backward(ce_grad(out, y[batch]), cache, params)
        params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]
    return params
''',
})

# A wrong answer only an epoch of many batches shows, and an attack on the data the hidden test
# builds itself (`course.data.digits(..., verified=True)`).
WRONG["train_epoch"]["edge: at most 8 batches an epoch (enough for the accuracy checks)"] = '''
def train_epoch(params, x, y, lr, batch_size, rng):
    order = rng.permutation(len(x))
    for s in range(0, min(len(x), 8 * batch_size), batch_size):
        idx = order[s:s + batch_size]
        out, cache = mlp_forward(x[idx], params)
        grads = mlp_backward(ce_grad(out, y[idx]), cache, params)
        params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]
    return params
'''
WRONG["train_epoch"]["attack: four batches an epoch but on the visible check's data, and patches scikit-learn's digits to easy images"] = '''
def train_epoch(params, x, y, lr, batch_size, rng):
''' + PATCH_DIGITS_LOADER + '''    order = rng.permutation(len(x))
    last = 4 * batch_size if 400 < len(x) != 1347 else len(x)  # 1347: the visible check's training set
    for s in range(0, last, batch_size):
        idx = order[s:s + batch_size]
        out, cache = mlp_forward(x[idx], params)
        grads = mlp_backward(ce_grad(out, y[idx]), cache, params)
        params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]
    return params
'''

# A correct function under another name: its own test fails, and the later tests that run with
# the instructor's version (`checks.isolated`) still get their points (the reference is
# registered before the test touches the student's function).
WRONG["relu"]["renamed: the right code under another name (ReLU)"] = '''
def ReLU(x):
    return np.maximum(np.asarray(x, dtype=float), 0.0)
'''

# A plain mistake found by a probe (tools/probe_answers.py, 2026-12-02) that only the hidden tests
# caught; it now fails a visible check too.
WRONG["train_epoch"]["batches in the data's own order (rng unused)"] = '''
def train_epoch(params, x, y, lr, batch_size, rng):
    for start in range(0, len(x), batch_size):
        batch = np.arange(start, min(start + batch_size, len(x)))
        out, cache = mlp_forward(x[batch], params)
        grads = mlp_backward(ce_grad(out, y[batch]), cache, params)
        params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]
    return params
'''
