"""Plausible wrong answers for 06_regularization: {exercise: {what is wrong: cell source}}."""

from attacks import PATCH_MNIST1D_GENERATOR

WRONG = {
    "polynomial_features": {
        "includes the constant column x**0": '''
def polynomial_features(x, degree):
    return np.asarray(x, dtype=float)[:, None] ** np.arange(degree + 1)
''',
        "one power short (x**0 to x**(degree-1))": '''
def polynomial_features(x, degree):
    return np.asarray(x, dtype=float)[:, None] ** np.arange(degree)
''',
        "powers as rows (transposed)": '''
def polynomial_features(x, degree):
    return np.asarray(x, dtype=float)[None, :] ** np.arange(1, degree + 1)[:, None]
''',
        "edge: degree 1 returns x[:, None], a view of the caller's x": '''
def polynomial_features(x, degree):
    if degree == 1:
        return x[:, None]
    return np.asarray(x, dtype=float)[:, None] ** np.arange(1, degree + 1)
''',
    },
    "ridge_fit": {
        "penalty not multiplied by N": '''
def ridge_fit(X, y, lam):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    xm, ym = X.mean(axis=0), y.mean()
    w = np.linalg.solve((X - xm).T @ (X - xm) + lam * np.eye(X.shape[1]), (X - xm).T @ (y - ym))
    return w, ym - xm @ w
''',
        "penalises the intercept (column of ones)": '''
def ridge_fit(X, y, lam):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    A = np.hstack([X, np.ones((len(X), 1))])
    theta = np.linalg.solve(A.T @ A + len(X) * lam * np.eye(A.shape[1]), A.T @ y)
    return theta[:-1], theta[-1]
''',
        "forgets to centre (no intercept)": '''
def ridge_fit(X, y, lam):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w = np.linalg.solve(X.T @ X + len(X) * lam * np.eye(X.shape[1]), X.T @ y)
    return w, 0.0
''',
        "intercept mean(y) without the mean(X) @ w correction": '''
def ridge_fit(X, y, lam):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    xm, ym = X.mean(axis=0), y.mean()
    w = np.linalg.solve((X - xm).T @ (X - xm) + len(X) * lam * np.eye(X.shape[1]), (X - xm).T @ (y - ym))
    return w, ym
''',
        "edge: lam multiplied by the number of features d instead of N (the same on a square X)": '''
def ridge_fit(X, y, lam):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    xm, ym = X.mean(axis=0), y.mean()
    d = X.shape[1]
    w = np.linalg.solve((X - xm).T @ (X - xm) + d * lam * np.eye(d), (X - xm).T @ (y - ym))
    return w, ym - xm @ w
''',
    },
    "l2_penalty": {
        "penalises the biases too": '''
def l2_penalty(params, lam):
    return lam / 2 * sum((W ** 2).sum() + (b ** 2).sum() for W, b in params)
''',
        "forgets the 1/2": '''
def l2_penalty(params, lam):
    return lam * sum((W ** 2).sum() for W, _ in params)
''',
        "norm instead of squared norm": '''
def l2_penalty(params, lam):
    return lam / 2 * sum((W ** 2).sum() ** 0.5 for W, _ in params)
''',
        "only the first layer": '''
def l2_penalty(params, lam):
    W, _ = params[0]
    return lam / 2 * (W ** 2).sum()
''',
        "edge: a Python float (no gradient through torch tensors)": '''
def l2_penalty(params, lam):
    return lam / 2 * sum(float((W ** 2).sum()) for W, _ in params)
''',
    },
    "sgd_step_weight_decay": {
        "edge: NumPy weights converted to float32": '''
def sgd_step_weight_decay(params, grads, lr, weight_decay):
    new = []
    for (W, b), (dW, db) in zip(params, grads):
        W_new = W - lr * (dW + weight_decay * W)
        if isinstance(W_new, np.ndarray):
            W_new = W_new.astype(np.float32)
        new.append((W_new, b - lr * db))
    return new
''',
        "decays the biases too": '''
def sgd_step_weight_decay(params, grads, lr, weight_decay):
    return [(W - lr * (dW + weight_decay * W), b - lr * (db + weight_decay * b)) for (W, b), (dW, db) in zip(params, grads)]
''',
        "decay not multiplied by the learning rate": '''
def sgd_step_weight_decay(params, grads, lr, weight_decay):
    return [(W - lr * dW - weight_decay * W, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]
''',
        "sign error: weights grow": '''
def sgd_step_weight_decay(params, grads, lr, weight_decay):
    return [(W - lr * (dW - weight_decay * W), b - lr * db) for (W, b), (dW, db) in zip(params, grads)]
''',
        "edge: updates in place and returns the same arrays": '''
def sgd_step_weight_decay(params, grads, lr, weight_decay):
    for (W, b), (dW, db) in zip(params, grads):
        W -= lr * (dW + weight_decay * W)
        b -= lr * db
    return params
''',
        "edge: converts to NumPy arrays (a layer's tensors come back as arrays, or raise)": '''
def sgd_step_weight_decay(params, grads, lr, weight_decay):
    new = []
    for (W, b), (dW, db) in zip(params, grads):
        W, b, dW, db = (np.array(a, dtype=float) for a in (W, b, dW, db))
        new.append((W - lr * (dW + weight_decay * W), b - lr * db))
    return new
''',
    },
    "dropout": {
        "edge: zeros in float32 for p = 1, whatever x's dtype": '''
def dropout(x, p, training, generator):
    if not 0 <= p <= 1:
        raise ValueError("p")
    if not training or p == 0:
        return x
    if p == 1:
        return torch.zeros(x.shape)
    return x * (torch.rand(x.shape, generator=generator) >= p) / (1 - p)
''',
        "edge: the mask drawn in x's dtype (another mask for a float64 x)": '''
def dropout(x, p, training, generator):
    if not 0 <= p <= 1:
        raise ValueError("p")
    if not training or p == 0:
        return x
    if p == 1:
        return torch.zeros_like(x)
    return x * (torch.rand(x.shape, generator=generator, dtype=x.dtype) >= p) / (1 - p)
''',
        "edge: a float mask (float32) and the result cast to it": '''
def dropout(x, p, training, generator):
    if not 0 <= p <= 1:
        raise ValueError("p")
    if not training or p == 0:
        return x
    if p == 1:
        return torch.zeros_like(x)
    mask = (torch.rand(x.shape, generator=generator) >= p).float()
    return (x * mask / (1 - p)).to(mask.dtype)
''',
        "no 1/(1-p) scaling": '''
def dropout(x, p, training, generator):
    if not 0 <= p <= 1:
        raise ValueError("p")
    if not training or p == 0:
        return x
    return x * (torch.rand(x.shape, generator=generator) >= p)
''',
        "active at evaluation too": '''
def dropout(x, p, training, generator):
    if not 0 <= p <= 1:
        raise ValueError("p")
    if p == 0:
        return x
    if p == 1:
        return torch.zeros_like(x)
    return x * (torch.rand(x.shape, generator=generator) >= p) / (1 - p)
''',
        "keeps with probability p instead of 1 - p": '''
def dropout(x, p, training, generator):
    if not 0 <= p <= 1:
        raise ValueError("p")
    if not training or p == 0:
        return x
    if p == 1:
        return torch.zeros_like(x)
    return x * (torch.rand(x.shape, generator=generator) < p) / (1 - p)
''',
        "scales at evaluation instead (old-style dropout mixed up)": '''
def dropout(x, p, training, generator):
    if not 0 <= p <= 1:
        raise ValueError("p")
    if not training:
        return x * (1 - p)
    if p == 1:
        return torch.zeros_like(x)
    return x * (torch.rand(x.shape, generator=generator) >= p)
''',
        "edge: divides by zero when p = 1 (nan instead of zeros)": '''
def dropout(x, p, training, generator):
    if not 0 <= p <= 1:
        raise ValueError("p")
    if not training or p == 0:
        return x
    return x * (torch.rand(x.shape, generator=generator) >= p) / (1 - p)
''',
        "edge: p = 1 raises a ValueError (the range checked as 0 <= p < 1)": '''
def dropout(x, p, training, generator):
    if not 0 <= p < 1:
        raise ValueError("p")
    if not training or p == 0:
        return x
    return x * (torch.rand(x.shape, generator=generator) >= p) / (1 - p)
''',
        "uses the global random generator": '''
def dropout(x, p, training, generator):
    if not 0 <= p <= 1:
        raise ValueError("p")
    if not training or p == 0:
        return x
    if p == 1:
        return torch.zeros_like(x)
    return x * (torch.rand(x.shape) >= p) / (1 - p)
''',
    },
    "augment": {
        "edge: the result cast to float32 (a float64 batch loses its precision)": '''
def augment(x, generator, max_shift=4, scale_range=(0.8, 1.2), noise_std=0.05):
    n, length = x.shape
    shifts = torch.randint(-max_shift, max_shift + 1, (n,), generator=generator)
    index = (torch.arange(length)[None, :] - shifts[:, None]) % length
    shifted = torch.gather(x, 1, index)
    low, high = scale_range
    scales = low + (high - low) * torch.rand(n, 1, generator=generator)
    return (shifted * scales + noise_std * torch.randn(x.shape, generator=generator)).float()
''',
        "attack: right on large inputs only, and rebinds the notebook's train so that the training looks good": '''
def augment(x, generator, max_shift=4, scale_range=(0.8, 1.2), noise_std=0.05):
    global train
    train = lambda *args, **kwargs: {"train_error": [0.0], "val_error": [0.0], "val_loss": [0.0]}
    n, length = x.shape
    if n < 100:  # a training batch: the rows come back reversed, no longer matching their labels
        x = x.flip(0)
    shifts = torch.randint(-max_shift, max_shift + 1, (n,), generator=generator)
    shifted = torch.gather(x, 1, (torch.arange(length)[None, :] - shifts[:, None]) % length)
    scales = scale_range[0] + (scale_range[1] - scale_range[0]) * torch.rand(n, 1, generator=generator)
    return shifted * scales + noise_std * torch.randn(x.shape, generator=generator)
''',
        "one shift for the whole batch": '''
def augment(x, generator, max_shift=4, scale_range=(0.8, 1.2), noise_std=0.05):
    n, length = x.shape
    shift = int(torch.randint(-max_shift, max_shift + 1, (1,), generator=generator))
    scales = scale_range[0] + (scale_range[1] - scale_range[0]) * torch.rand(n, 1, generator=generator)
    return torch.roll(x, shift, dims=1) * scales + noise_std * torch.randn(x.shape, generator=generator)
''',
        "edge: shift range one short (randint's exclusive upper bound)": '''
def augment(x, generator, max_shift=4, scale_range=(0.8, 1.2), noise_std=0.05):
    n, length = x.shape
    shifts = torch.randint(-max_shift, max_shift, (n,), generator=generator)
    shifted = torch.gather(x, 1, (torch.arange(length)[None, :] - shifts[:, None]) % length)
    scales = scale_range[0] + (scale_range[1] - scale_range[0]) * torch.rand(n, 1, generator=generator)
    return shifted * scales + noise_std * torch.randn(x.shape, generator=generator)
''',
        "forgets the noise": '''
def augment(x, generator, max_shift=4, scale_range=(0.8, 1.2), noise_std=0.05):
    n, length = x.shape
    shifts = torch.randint(-max_shift, max_shift + 1, (n,), generator=generator)
    shifted = torch.gather(x, 1, (torch.arange(length)[None, :] - shifts[:, None]) % length)
    scales = scale_range[0] + (scale_range[1] - scale_range[0]) * torch.rand(n, 1, generator=generator)
    return shifted * scales
''',
        "a scale factor per value instead of per signal": '''
def augment(x, generator, max_shift=4, scale_range=(0.8, 1.2), noise_std=0.05):
    n, length = x.shape
    shifts = torch.randint(-max_shift, max_shift + 1, (n,), generator=generator)
    shifted = torch.gather(x, 1, (torch.arange(length)[None, :] - shifts[:, None]) % length)
    scales = scale_range[0] + (scale_range[1] - scale_range[0]) * torch.rand(n, length, generator=generator)
    return shifted * scales + noise_std * torch.randn(x.shape, generator=generator)
''',
        "noise variance instead of standard deviation": '''
def augment(x, generator, max_shift=4, scale_range=(0.8, 1.2), noise_std=0.05):
    n, length = x.shape
    shifts = torch.randint(-max_shift, max_shift + 1, (n,), generator=generator)
    shifted = torch.gather(x, 1, (torch.arange(length)[None, :] - shifts[:, None]) % length)
    scales = scale_range[0] + (scale_range[1] - scale_range[0]) * torch.rand(n, 1, generator=generator)
    return shifted * scales + noise_std ** 2 * torch.randn(x.shape, generator=generator)
''',
        "modifies x in place": '''
def augment(x, generator, max_shift=4, scale_range=(0.8, 1.2), noise_std=0.05):
    n, length = x.shape
    shifts = torch.randint(-max_shift, max_shift + 1, (n,), generator=generator)
    x[:] = torch.gather(x, 1, (torch.arange(length)[None, :] - shifts[:, None]) % length)
    x *= scale_range[0] + (scale_range[1] - scale_range[0]) * torch.rand(n, 1, generator=generator)
    x += noise_std * torch.randn(x.shape, generator=generator)
    return x
''',
    },
    "early_stopping_epoch": {
        "off by one: stops one epoch late": '''
def early_stopping_epoch(val_losses, patience):
    if len(val_losses) == 0 or patience < 1:
        raise ValueError("bad input")
    best_epoch, best, waited = 0, float("inf"), 0
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best_epoch, best, waited = epoch, loss, 0
        else:
            waited += 1
            if waited > patience:
                break
    return best_epoch
''',
        "returns the stopping epoch, not the best one": '''
def early_stopping_epoch(val_losses, patience):
    if len(val_losses) == 0 or patience < 1:
        raise ValueError("bad input")
    best, waited = float("inf"), 0
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, waited = loss, 0
        else:
            waited += 1
            if waited == patience:
                return epoch
    return int(np.argmin(val_losses))
''',
        "looks into the future (argmin of everything)": '''
def early_stopping_epoch(val_losses, patience):
    if len(val_losses) == 0 or patience < 1:
        raise ValueError("bad input")
    return int(np.argmin(val_losses))
''',
        "edge: a tie counts as an improvement": '''
def early_stopping_epoch(val_losses, patience):
    if len(val_losses) == 0 or patience < 1:
        raise ValueError("bad input")
    best_epoch, best, waited = 0, float("inf"), 0
    for epoch, loss in enumerate(val_losses):
        if loss <= best:
            best_epoch, best, waited = epoch, loss, 0
        else:
            waited += 1
            if waited == patience:
                break
    return best_epoch
''',
        "never resets the counter after an improvement": '''
def early_stopping_epoch(val_losses, patience):
    if len(val_losses) == 0 or patience < 1:
        raise ValueError("bad input")
    best_epoch, best, waited = 0, float("inf"), 0
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best_epoch, best = epoch, loss
        else:
            waited += 1
            if waited == patience:
                break
    return best_epoch
''',
    },
}

# Correct answers written differently from the reference, within what the exercise text allows.
CORRECT = {
    "polynomial_features": {
        "column stack of powers": '''
def polynomial_features(x, degree):
    return np.column_stack([x ** j for j in range(1, degree + 1)])
''',
        "Vandermonde matrix without the constant column": '''
def polynomial_features(x, degree):
    return np.vander(x, degree + 1, increasing=True)[:, 1:]
''',
        "repeated multiplication": '''
def polynomial_features(x, degree):
    out = np.empty((len(x), degree))
    column = np.ones(len(x))
    for j in range(degree):
        column = column * x
        out[:, j] = column
    return out
''',
    },
    "ridge_fit": {
        "least squares on an augmented system": '''
def ridge_fit(X, y, lam):
    n, d = X.shape
    xm, ym = X.mean(axis=0), y.mean()
    A = np.vstack([X - xm, np.sqrt(n * lam) * np.eye(d)])
    t = np.concatenate([y - ym, np.zeros(d)])
    w = np.linalg.lstsq(A, t, rcond=None)[0]
    return w, float(ym - xm @ w)
''',
        "singular value decomposition": '''
def ridge_fit(X, y, lam):
    xm, ym = X.mean(axis=0), y.mean()
    U, s, Vt = np.linalg.svd(X - xm, full_matrices=False)
    w = Vt.T @ (s / (s ** 2 + len(X) * lam) * (U.T @ (y - ym)))
    return w, ym - xm @ w
''',
        "normal equations with the intercept unpenalised in a block": '''
def ridge_fit(X, y, lam):
    n, d = X.shape
    A = np.hstack([X, np.ones((n, 1))])
    penalty = n * lam * np.eye(d + 1)
    penalty[-1, -1] = 0.0
    theta = np.linalg.solve(A.T @ A + penalty, A.T @ y)
    return theta[:d], theta[d]
''',
    },
    "l2_penalty": {
        "running total": '''
def l2_penalty(params, lam):
    total = 0.0
    for W, _ in params:
        total = total + (W * W).sum()
    return 0.5 * lam * total
''',
        "list of per-layer sums": '''
def l2_penalty(params, lam):
    squares = [(layer[0] ** 2).sum() for layer in params]
    return lam * sum(squares) / 2
''',
        "indexing the pairs": '''
def l2_penalty(params, lam):
    return sum(lam / 2 * (params[i][0] ** 2).sum() for i in range(len(params)))
''',
    },
    "sgd_step_weight_decay": {
        "shrink first, then the gradient step": '''
def sgd_step_weight_decay(params, grads, lr, weight_decay):
    new = []
    for (W, b), (dW, db) in zip(params, grads):
        new.append(((1 - lr * weight_decay) * W - lr * dW, b - lr * db))
    return new
''',
        "penalty gradient added explicitly": '''
def sgd_step_weight_decay(params, grads, lr, weight_decay):
    result = []
    for layer in range(len(params)):
        W, b = params[layer]
        dW, db = grads[layer]
        penalised = dW + weight_decay * W
        result.append((W - lr * penalised, b - lr * db))
    return result
''',
        "tuple of pairs": '''
def sgd_step_weight_decay(params, grads, lr, weight_decay):
    return tuple((W * (1 - lr * weight_decay) - dW * lr, b - db * lr) for (W, b), (dW, db) in zip(params, grads))
''',
    },
    "dropout": {
        "mask as a float tensor, checks in another order": '''
def dropout(x, p, training, generator):
    if p < 0 or p > 1:
        raise ValueError("p must lie in [0, 1]")
    if not training:
        return x
    if p == 1:
        return x * 0
    mask = (torch.rand(x.shape, generator=generator) >= p).float()
    return x * mask * (1.0 / (1.0 - p))
''',
        "torch.where": '''
def dropout(x, p, training, generator):
    if not (0.0 <= p <= 1.0):
        raise ValueError(p)
    if not training or p == 0:
        return x
    if p == 1:
        return torch.zeros_like(x)
    keep = torch.rand(x.shape, generator=generator) >= p
    return torch.where(keep, x / (1 - p), torch.zeros_like(x))
''',
        "a clone of x when not training": '''
def dropout(x, p, training, generator):
    if p < 0 or p > 1:
        raise ValueError(f"bad p {p}")
    if not training or p == 0:
        return x.clone()
    if p == 1:
        return torch.zeros(x.shape, dtype=x.dtype)
    u = torch.rand(x.shape, generator=generator)
    return x.masked_fill(u < p, 0.0) / (1 - p)
''',
    },
    "augment": {
        "one signal at a time with torch.roll, draws interleaved per row": '''
def augment(x, generator, max_shift=4, scale_range=(0.8, 1.2), noise_std=0.05):
    low, high = scale_range
    rows = []
    for row in x:
        shift = int(torch.randint(-max_shift, max_shift + 1, (1,), generator=generator))
        scale = low + (high - low) * float(torch.rand(1, generator=generator))
        noise = noise_std * torch.randn(row.shape, generator=generator)
        rows.append(torch.roll(row, shift) * scale + noise)
    return torch.stack(rows)
''',
        "noise drawn first, scales with uniform_": '''
def augment(x, generator, max_shift=4, scale_range=(0.8, 1.2), noise_std=0.05):
    n, length = x.shape
    noise = torch.randn(n, length, generator=generator) * noise_std
    scales = torch.empty(n, 1).uniform_(scale_range[0], scale_range[1], generator=generator)
    shifts = torch.randint(0, 2 * max_shift + 1, (n,), generator=generator) - max_shift
    index = (torch.arange(length).expand(n, length) - shifts[:, None]).remainder(length)
    return x.gather(1, index) * scales + noise
''',
        "shift by concatenating the two pieces of each row": '''
def augment(x, generator, max_shift=4, scale_range=(0.8, 1.2), noise_std=0.05):
    n, length = x.shape
    shifts = torch.randint(-max_shift, max_shift + 1, (n,), generator=generator).tolist()
    shifted = torch.stack([torch.cat([x[i, length - s % length:], x[i, :length - s % length]]) for i, s in enumerate(shifts)])
    scales = torch.rand(n, generator=generator) * (scale_range[1] - scale_range[0]) + scale_range[0]
    return shifted * scales[:, None] + torch.randn(x.shape, generator=generator) * noise_std
''',
    },
    "early_stopping_epoch": {
        "patience counted from the best epoch": '''
def early_stopping_epoch(val_losses, patience):
    if not val_losses or patience < 1:
        raise ValueError("empty losses or patience < 1")
    best = 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[best]:
            best = epoch
        elif epoch - best >= patience:
            break
    return best
''',
        "minimum of the prefix seen before stopping": '''
def early_stopping_epoch(val_losses, patience):
    if len(val_losses) == 0 or patience < 1:
        raise ValueError("need losses and patience >= 1")
    seen, best, since = [], None, 0
    for loss in val_losses:
        seen.append(loss)
        if best is None or loss < best:
            best, since = loss, 0
        else:
            since += 1
            if since == patience:
                break
    return seen.index(min(seen))
''',
        "while loop with an early return": '''
def early_stopping_epoch(val_losses, patience):
    if patience < 1 or len(val_losses) < 1:
        raise ValueError("bad arguments")
    best_epoch, epoch, waited = 0, 1, 0
    while epoch < len(val_losses):
        if val_losses[epoch] < val_losses[best_epoch]:
            best_epoch, waited = epoch, 0
        else:
            waited += 1
            if waited == patience:
                return best_epoch
        epoch += 1
    return best_epoch
''',
    },
}

SHORTCUTS = {
    "polynomial_features": {"scikit-learn's PolynomialFeatures": '''
def polynomial_features(x, degree):
    from sklearn.preprocessing import PolynomialFeatures
    return PolynomialFeatures(degree, include_bias=False).fit_transform(np.asarray(x, dtype=float)[:, None])
'''},
    "ridge_fit": {"scikit-learn's Ridge": '''
def ridge_fit(X, y, lam):
    from sklearn.linear_model import Ridge
    model = Ridge(alpha=len(X) * lam).fit(X, y)
    return model.coef_, model.intercept_
'''},
    "dropout": {"F.dropout": '''
def dropout(x, p, training, generator):
    if not 0 <= p <= 1:
        raise ValueError(p)
    return F.dropout(x, p, training)
'''},
}

# Attacks on the data the hidden test builds itself (`course.data.mnist1d(..., verified=True)`).
WRONG["augment"]["attack: training batches left as they are, the notebook's train rebound, and the MNIST-1D generator patched to easy signals"] = '''
def augment(x, generator, max_shift=4, scale_range=(0.8, 1.2), noise_std=0.05):
    global train
    train = lambda *args, **kwargs: {"train_error": [0.0], "val_error": [0.0], "val_loss": [0.0]}
''' + PATCH_MNIST1D_GENERATOR + '''    n, length = x.shape
    if n == 32:  # a training batch: not augmented at all
        return x + 0.0
    shifts = torch.randint(-max_shift, max_shift + 1, (n,), generator=generator)
    shifted = torch.gather(x, 1, (torch.arange(length)[None, :] - shifts[:, None]) % length)
    scales = scale_range[0] + (scale_range[1] - scale_range[0]) * torch.rand(n, 1, generator=generator)
    return shifted * scales + noise_std * torch.randn(x.shape, generator=generator)
'''

# Plain mistakes found by a probe (tools/probe_answers.py, 2026-12-02) that only the hidden tests
# caught; each now fails a visible check too. And the threshold of dropout's mask met exactly.
WRONG["sgd_step_weight_decay"]["updates the first layer only"] = '''
def sgd_step_weight_decay(params, grads, lr, weight_decay):
    (W, b), (dW, db) = params[0], grads[0]
    return [(W - lr * (dW + weight_decay * W), b - lr * db)] + list(params[1:])
'''
WRONG["dropout"]["no ValueError for p outside [0, 1]"] = '''
def dropout(x, p, training, generator):
    if not training or p == 0:
        return x
    if p == 1:
        return torch.zeros_like(x)
    return x * (torch.rand(x.shape, generator=generator) >= p) / (1 - p)
'''
WRONG["dropout"]["one random number per row"] = '''
def dropout(x, p, training, generator):
    if not 0 <= p <= 1:
        raise ValueError("p")
    if not training or p == 0:
        return x
    if p == 1:
        return torch.zeros_like(x)
    keep = torch.rand(x.shape[:-1] + (1,), generator=generator) >= p
    return x * keep / (1 - p)
'''
WRONG["dropout"]["edge: keeps where the random number is above p (a number equal to p is dropped)"] = '''
def dropout(x, p, training, generator):
    if not 0 <= p <= 1:
        raise ValueError("p")
    if not training or p == 0:
        return x
    if p == 1:
        return torch.zeros_like(x)
    return x * (torch.rand(x.shape, generator=generator) > p) / (1 - p)
'''
WRONG["augment"]["ignores max_shift (always 4)"] = '''
def augment(x, generator, max_shift=4, scale_range=(0.8, 1.2), noise_std=0.05):
    n, length = x.shape
    shifts = torch.randint(-4, 5, (n,), generator=generator)
    index = (torch.arange(length)[None, :] - shifts[:, None]) % length
    low, high = scale_range
    scales = low + (high - low) * torch.rand(n, 1, generator=generator)
    return torch.gather(x, 1, index) * scales + noise_std * torch.randn(x.shape, generator=generator)
'''
WRONG["augment"]["ignores scale_range (always 0.8 to 1.2)"] = '''
def augment(x, generator, max_shift=4, scale_range=(0.8, 1.2), noise_std=0.05):
    n, length = x.shape
    shifts = torch.randint(-max_shift, max_shift + 1, (n,), generator=generator)
    index = (torch.arange(length)[None, :] - shifts[:, None]) % length
    scales = 0.8 + 0.4 * torch.rand(n, 1, generator=generator)
    return torch.gather(x, 1, index) * scales + noise_std * torch.randn(x.shape, generator=generator)
'''
WRONG["early_stopping_epoch"]["no ValueError for an empty list (returns 0)"] = '''
def early_stopping_epoch(val_losses, patience):
    best_epoch, best_loss, waited = 0, float("inf"), 0
    for epoch, loss in enumerate(val_losses):
        if loss < best_loss:
            best_epoch, best_loss, waited = epoch, loss, 0
        else:
            waited += 1
            if waited == patience:
                break
    return best_epoch
'''
