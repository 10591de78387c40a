"""Plausible wrong answers for 06_regularization: {exercise: {what is wrong: cell source}}."""

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
    },
    "sgd_step_weight_decay": {
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
        "updates in place": '''
def sgd_step_weight_decay(params, grads, lr, weight_decay):
    for (W, b), (dW, db) in zip(params, grads):
        W -= lr * (dW + weight_decay * W)
        b -= lr * db
    return params
''',
    },
    "dropout": {
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
        "divides by zero when p = 1": '''
def dropout(x, p, training, generator):
    if not 0 <= p <= 1:
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
        "one shift for the whole batch": '''
def augment(x, generator, max_shift=4, scale_range=(0.8, 1.2), noise_std=0.05):
    n, length = x.shape
    shift = int(torch.randint(-max_shift, max_shift + 1, (1,), generator=generator))
    scales = scale_range[0] + (scale_range[1] - scale_range[0]) * torch.rand(n, 1, generator=generator)
    return torch.roll(x, shift, dims=1) * scales + noise_std * torch.randn(x.shape, generator=generator)
''',
        "shift range one short (randint's exclusive upper bound)": '''
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
        "a tie counts as an improvement": '''
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
