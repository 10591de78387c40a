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
        "sums instead of averaging": '''
def gaussian_nll(y, mu, sigma):
    y, mu, sigma = (np.asarray(a, dtype=float) for a in (y, mu, sigma))
    return float(np.sum(0.5 * np.log(2 * np.pi * sigma ** 2) + (y - mu) ** 2 / (2 * sigma ** 2)))
''',
    },
    "sigmoid": {
        "naive formula overflows for large negative z": '''
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
        "no clipping": '''
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
        "log(1 + exp(-z)) overflows": '''
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
        "no max-subtraction": '''
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
        "log of softmax": '''
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
        "indexes with [:, labels]": '''
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
    },
    "one_hot": {
        "width from the largest label": '''
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
    },
}
