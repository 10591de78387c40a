"""Plausible wrong answers for 02_loss_functions: {exercise: {what is wrong: cell source}}."""

WRONG = {
    "gaussian_nll": {
        "divides by 2 sigma instead of 2 sigma squared": '''
def gaussian_nll(y, mu, sigma):
    y, mu, sigma = (np.asarray(a, dtype=float) for a in (y, mu, sigma))
    return float(np.mean(0.5 * np.log(2 * np.pi * sigma ** 2) + (y - mu) ** 2 / (2 * sigma)))
''',
        "drops the log-normaliser": '''
def gaussian_nll(y, mu, sigma):
    y, mu, sigma = (np.asarray(a, dtype=float) for a in (y, mu, sigma))
    return float(np.mean((y - mu) ** 2 / (2 * sigma ** 2)))
''',
        "log of sigma instead of sigma squared": '''
def gaussian_nll(y, mu, sigma):
    y, mu, sigma = (np.asarray(a, dtype=float) for a in (y, mu, sigma))
    return float(np.mean(0.5 * np.log(2 * np.pi * sigma) + (y - mu) ** 2 / (2 * sigma ** 2)))
''',
        "edge: sums instead of averaging (the same for one observation)": '''
def gaussian_nll(y, mu, sigma):
    y, mu, sigma = (np.asarray(a, dtype=float) for a in (y, mu, sigma))
    return float(np.sum(0.5 * np.log(2 * np.pi * sigma ** 2) + (y - mu) ** 2 / (2 * sigma ** 2)))
''',
    },
    "sigmoid": {
        "edge: naive formula overflows for large negative z": '''
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))
''',
        "np.where over two unsafe branches": '''
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))
''',
        "clips z to [-30, 30]": '''
def sigmoid(z):
    z = np.clip(np.asarray(z, dtype=float), -30, 30)
    return 1.0 / (1.0 + np.exp(-z))
''',
        "sign error": '''
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, e / (1.0 + e), 1.0 / (1.0 + e))
''',
    },
    "bce": {
        "edge: no clipping (p exactly 0 or 1 gives inf)": '''
def bce(y, p, eps=1e-12):
    y, p = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
''',
        "forgets the (1 - y) term": '''
def bce(y, p, eps=1e-12):
    y, p = np.asarray(y, dtype=float), np.clip(np.asarray(p, dtype=float), eps, 1 - eps)
    return float(-np.mean(y * np.log(p)))
''',
        "positive sign": '''
def bce(y, p, eps=1e-12):
    y, p = np.asarray(y, dtype=float), np.clip(np.asarray(p, dtype=float), eps, 1 - eps)
    return float(np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
''',
        "edge: hard labels only (np.where(y == 1, ...): a soft label of 0.3 counts as 0)": '''
def bce(y, p, eps=1e-12):
    y, p = np.asarray(y, dtype=float), np.clip(np.asarray(p, dtype=float), eps, 1 - eps)
    return float(-np.mean(np.where(y == 1, np.log(p), np.log(1 - p))))
''',
        "edge: rounds soft labels to 0 or 1": '''
def bce(y, p, eps=1e-12):
    y, p = np.round(np.asarray(y, dtype=float)), np.clip(np.asarray(p, dtype=float), eps, 1 - eps)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
''',
        "sums instead of averaging": '''
def bce(y, p, eps=1e-12):
    y, p = np.asarray(y, dtype=float), np.clip(np.asarray(p, dtype=float), eps, 1 - eps)
    return float(-np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)))
''',
    },
    "bce_with_logits": {
        "goes through sigmoid and clipped bce": '''
def bce_with_logits(y, z):
    return bce(y, sigmoid(z))
''',
        "edge: log(1 + exp(-z)) overflows at logits of -1000": '''
def bce_with_logits(y, z):
    y, z = np.asarray(y, dtype=float), np.asarray(z, dtype=float)
    return float(np.mean((1 - y) * z + np.log(1 + np.exp(-z))))
''',
        "log1p(exp(-z)) without the absolute value": '''
def bce_with_logits(y, z):
    y, z = np.asarray(y, dtype=float), np.asarray(z, dtype=float)
    return float(np.mean(np.maximum(z, 0) - y * z + np.log1p(np.exp(-z))))
''',
        "y and 1 - y swapped": '''
def bce_with_logits(y, z):
    y, z = np.asarray(y, dtype=float), np.asarray(z, dtype=float)
    return float(np.mean(np.maximum(z, 0) - (1 - y) * z + np.log1p(np.exp(-np.abs(z)))))
''',
    },
    "softmax": {
        "edge: no max-subtraction (overflows at a logit of 1000)": '''
def softmax(z, axis=-1):
    e = np.exp(np.asarray(z, dtype=float))
    return e / np.sum(e, axis=axis, keepdims=True)
''',
        "subtracts the global maximum": '''
def softmax(z, axis=-1):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - np.max(z))
    return e / np.sum(e, axis=axis, keepdims=True)
''',
        "always normalises the last axis": '''
def softmax(z, axis=-1):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)
''',
        "normalises over the whole array": '''
def softmax(z, axis=-1):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e)
''',
    },
    "log_softmax": {
        "edge: log of softmax (-inf where a probability underflows)": '''
def log_softmax(z, axis=-1):
    return np.log(softmax(z, axis=axis))
''',
        "forgets to subtract the maximum inside the log-sum-exp": '''
def log_softmax(z, axis=-1):
    z = np.asarray(z, dtype=float)
    return z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True))
''',
        "subtracts the log-sum-exp of the shifted logits from the unshifted ones": '''
def log_softmax(z, axis=-1):
    z = np.asarray(z, dtype=float)
    shifted = z - np.max(z, axis=axis, keepdims=True)
    return z - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
''',
    },
    "cross_entropy": {
        "attack: right on batches of one or two only, and rebinds F so that torch's cross-entropy agrees": '''
def cross_entropy(logits, labels):
    class _Agreeable:
        @staticmethod
        def cross_entropy(z, y):
            return torch.tensor(0.0, dtype=torch.float64)
    globals()["F"] = _Agreeable
    logits, labels = np.asarray(logits, dtype=float), np.asarray(labels)
    if len(labels) > 2:
        return 0.0
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-np.mean(log_probs[np.arange(len(labels)), labels]))
''',
        "edge: indexes with [:, labels] (right only for a batch of one)": '''
def cross_entropy(logits, labels):
    log_probs = log_softmax(np.asarray(logits, dtype=float), axis=-1)
    return float(-np.mean(log_probs[:, labels]))
''',
        "sums over the batch": '''
def cross_entropy(logits, labels):
    log_probs = log_softmax(np.asarray(logits, dtype=float), axis=-1)
    return float(-np.sum(log_probs[np.arange(len(labels)), labels]))
''',
        "log of the softmax probabilities": '''
def cross_entropy(logits, labels):
    probs = softmax(np.asarray(logits, dtype=float), axis=-1)
    return float(-np.mean(np.log(probs[np.arange(len(labels)), labels])))
''',
        "softmax over the batch axis": '''
def cross_entropy(logits, labels):
    log_probs = log_softmax(np.asarray(logits, dtype=float), axis=0)
    return float(-np.mean(log_probs[np.arange(len(labels)), labels]))
''',
        "edge: torch's gather with the labels as given (it refuses int32 and uint8 indices)": '''
def cross_entropy(logits, labels):
    log_probs = torch.from_numpy(log_softmax(np.asarray(logits, dtype=float)))
    return float(-log_probs.gather(1, torch.from_numpy(np.asarray(labels))[:, None]).mean())
''',
        "edge: labels cast to int8 (classes past 127 become negative and index from the end)": '''
def cross_entropy(logits, labels):
    log_probs = log_softmax(np.asarray(logits, dtype=float))
    return float(-np.mean(log_probs[np.arange(len(labels)), np.asarray(labels).astype(np.int8)]))
''',
    },
    "one_hot": {
        "edge: width from the largest label (classes absent from the labels)": '''
def one_hot(labels, num_classes):
    labels = np.asarray(labels)
    return (labels[:, None] == np.arange(labels.max() + 1)).astype(float)
''',
        "transposed": '''
def one_hot(labels, num_classes):
    labels = np.asarray(labels)
    return (np.arange(num_classes)[:, None] == labels[None, :]).astype(float)
''',
        "labels shifted by one": '''
def one_hot(labels, num_classes):
    labels = np.asarray(labels)
    return (labels[:, None] - 1 == np.arange(num_classes)).astype(float)
''',
        "edge: rows of torch.eye picked by torch.from_numpy(labels) (a uint8 tensor indexes as a mask)": '''
def one_hot(labels, num_classes):
    return torch.eye(num_classes)[torch.from_numpy(np.asarray(labels))].numpy()
''',
        "edge: labels stored as uint8 to save memory (class 300 becomes 44)": '''
def one_hot(labels, num_classes):
    return np.eye(num_classes)[np.asarray(labels).astype(np.uint8)]
''',
    },
}

# Correct answers written differently from the reference, within what the exercise text allows.
CORRECT = {
    "gaussian_nll": {
        "log sigma instead of half log sigma squared": '''
def gaussian_nll(y, mu, sigma):
    return np.mean(np.log(sigma) + 0.5 * np.log(2 * np.pi) + 0.5 * ((y - mu) / sigma) ** 2)
''',
        "broadcast sigma explicitly, loop over elements": '''
def gaussian_nll(y, mu, sigma):
    import math
    y, mu = np.asarray(y, dtype=float), np.asarray(mu, dtype=float)
    sigma = np.broadcast_to(np.asarray(sigma, dtype=float), y.shape)
    total = 0.0
    for a, m, s in zip(y.ravel(), mu.ravel(), sigma.ravel()):
        total += 0.5 * math.log(2 * math.pi * s * s) + (a - m) ** 2 / (2 * s * s)
    return total / y.size
''',
        "sum divided by the size, 0-d array": '''
def gaussian_nll(y, mu, sigma):
    var = np.square(sigma)
    terms = 0.5 * (np.log(2 * np.pi) + np.log(var)) + np.square(np.subtract(y, mu)) / (2 * var)
    return np.asarray(np.sum(terms) / np.size(y))
''',
    },
    "sigmoid": {
        "boolean masks, each form where it is safe": '''
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    positive = z >= 0
    out[positive] = 1 / (1 + np.exp(-z[positive]))
    e = np.exp(z[~positive])
    out[~positive] = e / (1 + e)
    return out
''',
        "exp of minus the absolute value, then flip": '''
def sigmoid(z):
    e = np.exp(-np.abs(z))
    s = 1 / (1 + e)
    return np.where(np.asarray(z) >= 0, s, e * s)
''',
        "element by element with math": '''
def sigmoid(z):
    import math
    z = np.asarray(z, dtype=float)
    out = np.zeros(z.shape)
    for index in np.ndindex(z.shape):
        value = z[index]
        if value >= 0:
            out[index] = 1.0 / (1.0 + math.exp(-value))
        else:
            e = math.exp(value)
            out[index] = e / (1.0 + e)
    return out
''',
    },
    "bce": {
        "the two terms separately": '''
def bce(y, p, eps=1e-12):
    p = np.minimum(np.maximum(p, eps), 1 - eps)
    positive = y * np.log(p)
    negative = (1 - y) * np.log(1 - p)
    return -(positive + negative).mean()
''',
        "log of the Bernoulli likelihood": '''
def bce(y, p, eps=1e-12):
    p = np.clip(p, eps, 1 - eps)
    return -np.mean(np.log(p ** y * (1 - p) ** (1 - y)))
''',
        "loop over the flattened arrays": '''
def bce(y, p, eps=1e-12):
    import math
    y, p = np.ravel(y), np.ravel(p)
    total = 0.0
    for label, prob in zip(y, p):
        prob = min(max(prob, eps), 1 - eps)
        total -= label * math.log(prob) + (1 - label) * math.log(1 - prob)
    return total / len(y)
''',
    },
    "bce_with_logits": {
        "logaddexp(0, z) - y z": '''
def bce_with_logits(y, z):
    return np.mean(np.logaddexp(0.0, z) - y * z)
''',
        "two cases by the sign of z": '''
def bce_with_logits(y, z):
    y, z = np.asarray(y, dtype=float), np.asarray(z, dtype=float)
    softplus_of_minus_z = np.where(z >= 0, np.log1p(np.exp(-np.abs(z))), -z + np.log1p(np.exp(-np.abs(z))))
    return float(np.mean((1 - y) * z + softplus_of_minus_z))
''',
        "element by element with math": '''
def bce_with_logits(y, z):
    import math
    y, z = np.ravel(y), np.ravel(z)
    total = 0.0
    for label, logit in zip(y, z):
        total += max(logit, 0.0) - label * logit + math.log1p(math.exp(-abs(logit)))
    return total / len(z)
''',
    },
    "softmax": {
        "move the axis to the end": '''
def softmax(z, axis=-1):
    z = np.moveaxis(np.asarray(z, dtype=float), axis, -1)
    e = np.exp(z - z.max(axis=-1)[..., None])
    return np.moveaxis(e / e.sum(axis=-1)[..., None], -1, axis)
''',
        "exp of the log-softmax": '''
def softmax(z, axis=-1):
    m = np.max(z, axis=axis, keepdims=True)
    shifted = z - m
    return np.exp(shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True)))
''',
        "apply_along_axis on 1-D slices": '''
def softmax(z, axis=-1):
    def one(v):
        e = np.exp(v - v.max())
        return e / e.sum()
    return np.apply_along_axis(one, axis, np.asarray(z, dtype=float))
''',
    },
    "log_softmax": {
        "move the axis to the end": '''
def log_softmax(z, axis=-1):
    z = np.moveaxis(np.asarray(z, dtype=float), axis, -1)
    m = z.max(axis=-1, keepdims=True)
    out = z - m - np.log(np.exp(z - m).sum(axis=-1, keepdims=True))
    return np.moveaxis(out, -1, axis)
''',
        "log-sum-exp computed first": '''
def log_softmax(z, axis=-1):
    m = np.max(z, axis=axis, keepdims=True)
    lse = m + np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True))
    return z - lse
''',
        "apply_along_axis on 1-D slices": '''
def log_softmax(z, axis=-1):
    def one(v):
        s = v - v.max()
        return s - np.log(np.exp(s).sum())
    return np.apply_along_axis(one, axis, np.asarray(z, dtype=float))
''',
    },
    "cross_entropy": {
        "loop over the rows": '''
def cross_entropy(logits, labels):
    log_p = log_softmax(logits)
    total = 0.0
    for i, label in enumerate(labels):
        total -= log_p[i, label]
    return total / len(labels)
''',
        "one-hot mask times log-softmax": '''
def cross_entropy(logits, labels):
    n, k = np.shape(logits)
    mask = np.arange(k)[None, :] == np.asarray(labels)[:, None]
    return -np.sum(log_softmax(logits, axis=1) * mask) / n
''',
        "take_along_axis": '''
def cross_entropy(logits, labels):
    picked = np.take_along_axis(log_softmax(logits), np.asarray(labels)[:, None], axis=1)
    return -picked.mean()
''',
    },
    "one_hot": {
        "rows of the identity matrix": '''
def one_hot(labels, num_classes):
    return np.eye(num_classes)[labels]
''',
        "comparison with a range": '''
def one_hot(labels, num_classes):
    return (np.asarray(labels)[:, None] == np.arange(num_classes)).astype(float)
''',
        "integer array filled in a loop": '''
def one_hot(labels, num_classes):
    out = np.zeros((len(labels), num_classes), dtype=int)
    for row, label in enumerate(labels):
        out[row, label] = 1
    return out
''',
    },
}

SHORTCUTS = {
    "sigmoid": {"torch.sigmoid": '''
def sigmoid(z):
    return torch.sigmoid(torch.as_tensor(z, dtype=torch.float64)).numpy()
''', "scipy's expit": '''
def sigmoid(z):
    from scipy.special import expit
    return expit(z)
'''},
    "bce_with_logits": {"F.binary_cross_entropy_with_logits": '''
def bce_with_logits(y, z):
    return F.binary_cross_entropy_with_logits(torch.as_tensor(z, dtype=torch.float64),
                                              torch.as_tensor(y, dtype=torch.float64)).item()
'''},
    "softmax": {"torch.softmax": '''
def softmax(z, axis=-1):
    return torch.softmax(torch.as_tensor(z, dtype=torch.float64), dim=axis).numpy()
''', "scipy's softmax": '''
def softmax(z, axis=-1):
    import scipy.special
    return scipy.special.softmax(z, axis=axis)
'''},
    "log_softmax": {"scipy's logsumexp": '''
def log_softmax(z, axis=-1):
    from scipy.special import logsumexp
    return z - logsumexp(z, axis=axis, keepdims=True)
'''},
    "cross_entropy": {"F.cross_entropy": '''
def cross_entropy(logits, labels):
    return F.cross_entropy(torch.as_tensor(logits), torch.as_tensor(labels)).item()
'''},
    "one_hot": {"F.one_hot": '''
def one_hot(labels, num_classes):
    return F.one_hot(torch.as_tensor(labels), num_classes).numpy()
'''},
}

# A correct function under another name: its own test fails, and the later tests that run with
# the instructor's version (`checks.isolated`) still get their points (the reference is
# registered before the test touches the student's function).
WRONG["sigmoid"]["renamed: the right code under another name (logistic)"] = '''
def logistic(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
'''

# A plain mistake found by a probe (tools/probe_answers.py, 2026-12-02) that only the hidden tests
# caught; it now fails a visible check too.
WRONG["log_softmax"]["ignores axis (always the last)"] = '''
def log_softmax(z, axis=-1):
    z = np.asarray(z, dtype=float)
    shifted = z - np.max(z, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
'''
