"""Plausible wrong answers for 08_deep_networks: {exercise: {what is wrong: cell source}}.

Each must cost exactly the points of its own exercise (grader_tests/test_wrong_answers.py).
"""

from attacks import REBIND_DATA_TO_EASY_SIGNALS

# A correct pairwise_distances that is slow on the speed check's 1000 points (the attacks on that
# check): it sleeps 100 times what the vectorised computation takes just then, plus a second, so that
# it is as slow as a loop over pairs under any load, without a loop's CPU time. (A fixed sleep of 2 s
# passed once, in a full test run whose load made the check's limit longer than that.) The shortest
# of three timings is taken with `sorted`: the attacks shadow `min`, and the answer sees its shadow.
SLOW_ON_1000_POINTS = '''
import time
def pairwise_distances(x):
    x = np.asarray(x, dtype=float)
    vectorised = lambda: np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(-1))
    if len(x) >= 1000:
        seconds = []
        for _ in range(3):
            start = time.perf_counter()
            vectorised()
            seconds.append(time.perf_counter() - start)
        time.sleep(1.0 + 100 * sorted(seconds)[0])
    return vectorised()
'''

WRONG = {
    "relu_breakpoints": {
        "sign error: b / w": '''
def relu_breakpoints(w, b):
    keep = w != 0
    return np.unique(b[keep] / w[keep])
''',
        "edge: keeps duplicates (units switching at the same x count twice)": '''
def relu_breakpoints(w, b):
    keep = w != 0
    return np.sort(-b[keep] / w[keep])
''',
        "divides by zero weights too": '''
def relu_breakpoints(w, b):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.unique(-b / w)
''',
        "not sorted": '''
def relu_breakpoints(w, b):
    keep = w != 0
    points = -b[keep] / w[keep]
    _, first = np.unique(points, return_index=True)
    return points[np.sort(first)]
''',
    },
    "activation_patterns": {
        "records after the ReLU (>= 0 everywhere)": '''
def activation_patterns(model, x):
    patterns = []
    with torch.no_grad():
        for layer in model:
            x = layer(x)
            if isinstance(layer, nn.ReLU):
                patterns.append(x >= 0)
    return torch.cat(patterns, dim=1)
''',
        "only the first ReLU layer": '''
def activation_patterns(model, x):
    with torch.no_grad():
        for layer in model:
            if isinstance(layer, nn.ReLU):
                return x > 0
            x = layer(x)
''',
        "the pattern of every linear output, the last layer included": '''
def activation_patterns(model, x):
    patterns = []
    with torch.no_grad():
        for layer in model:
            x = layer(x)
            if isinstance(layer, nn.Linear):
                patterns.append(x > 0)
    return torch.cat(patterns, dim=1)
''',
        "edge: an input of exactly 0 counts as on (>= 0)": '''
def activation_patterns(model, x):
    patterns = []
    with torch.no_grad():
        for layer in model:
            if isinstance(layer, nn.ReLU):
                patterns.append(x >= 0)
            x = layer(x)
    return torch.cat(patterns, dim=1)
''',
        "edge: runs the model recording gradients (no torch.no_grad)": '''
def activation_patterns(model, x):
    patterns = []
    for layer in model:
        if isinstance(layer, nn.ReLU):
            patterns.append((x > 0).detach())
        x = layer(x)
    return torch.cat(patterns, dim=1)
''',
    },
    "count_regions_1d": {
        "forgets the + 1": '''
def count_regions_1d(model, lo, hi, num=10001):
    patterns = activation_patterns(model, torch.linspace(lo, hi, num).reshape(-1, 1))
    return int((patterns[1:] != patterns[:-1]).any(dim=1).sum())
''',
        "counts changed units instead of changed patterns": '''
def count_regions_1d(model, lo, hi, num=10001):
    patterns = activation_patterns(model, torch.linspace(lo, hi, num).reshape(-1, 1))
    return int((patterns[1:] != patterns[:-1]).sum()) + 1
''',
        "a fixed grid on [-1, 1]": '''
def count_regions_1d(model, lo, hi, num=10001):
    patterns = activation_patterns(model, torch.linspace(-1, 1, num).reshape(-1, 1))
    return int((patterns[1:] != patterns[:-1]).any(dim=1).sum()) + 1
''',
        "edge: ignores num (always 10001 points, as in the signature's default)": '''
def count_regions_1d(model, lo, hi, num=10001):
    patterns = activation_patterns(model, torch.linspace(lo, hi, 10001).reshape(-1, 1))
    return int((patterns[1:] != patterns[:-1]).any(dim=1).sum()) + 1
''',
        "edge: 0 when the pattern never changes (the number of changes, 1 added only when there are some)": '''
def count_regions_1d(model, lo, hi, num=10001):
    x = torch.linspace(lo, hi, num).reshape(-1, 1)
    patterns = activation_patterns(model, x)
    changes = int((patterns[1:] != patterns[:-1]).any(dim=1).sum())
    return changes + 1 if changes else 0
''',
    },
    "batchnorm_forward": {
        "biased variance in the running average": '''
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    if training:
        mean, var = x.mean(axis=0), x.var(axis=0)
        new_mean = (1 - momentum) * running_mean + momentum * mean
        new_var = (1 - momentum) * running_var + momentum * var
    else:
        mean, var, new_mean, new_var = running_mean, running_var, running_mean.copy(), running_var.copy()
    return gamma * (x - mean) / np.sqrt(var + eps) + beta, new_mean, new_var
''',
        "normalises with the unbiased variance": '''
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    if training:
        mean, var = x.mean(axis=0), x.var(axis=0, ddof=1)
        new_mean = (1 - momentum) * running_mean + momentum * mean
        new_var = (1 - momentum) * running_var + momentum * var
    else:
        mean, var, new_mean, new_var = running_mean, running_var, running_mean.copy(), running_var.copy()
    return gamma * (x - mean) / np.sqrt(var + eps) + beta, new_mean, new_var
''',
        "momentum the other way round": '''
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    if training:
        n = x.shape[0]
        mean, var = x.mean(axis=0), x.var(axis=0)
        new_mean = momentum * running_mean + (1 - momentum) * mean
        new_var = momentum * running_var + (1 - momentum) * var * n / (n - 1)
    else:
        mean, var, new_mean, new_var = running_mean, running_var, running_mean.copy(), running_var.copy()
    return gamma * (x - mean) / np.sqrt(var + eps) + beta, new_mean, new_var
''',
        "batch statistics in evaluation mode too": '''
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    n = x.shape[0]
    mean, var = x.mean(axis=0), x.var(axis=0)
    if training:
        new_mean = (1 - momentum) * running_mean + momentum * mean
        new_var = (1 - momentum) * running_var + momentum * var * n / (n - 1)
    else:
        new_mean, new_var = running_mean.copy(), running_var.copy()
    return gamma * (x - mean) / np.sqrt(var + eps) + beta, new_mean, new_var
''',
        "eps outside the square root": '''
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    if training:
        n = x.shape[0]
        mean, var = x.mean(axis=0), x.var(axis=0)
        new_mean = (1 - momentum) * running_mean + momentum * mean
        new_var = (1 - momentum) * running_var + momentum * var * n / (n - 1)
    else:
        mean, var, new_mean, new_var = running_mean, running_var, running_mean.copy(), running_var.copy()
    return gamma * (x - mean) / (np.sqrt(var) + eps) + beta, new_mean, new_var
''',
        "edge: updates the running statistics in place": '''
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    if training:
        n = x.shape[0]
        mean, var = x.mean(axis=0), x.var(axis=0)
        running_mean *= 1 - momentum
        running_mean += momentum * mean
        running_var *= 1 - momentum
        running_var += momentum * var * n / (n - 1)
    else:
        mean, var = running_mean, running_var
    return gamma * (x - mean) / np.sqrt(var + eps) + beta, running_mean, running_var
''',
    },
    "batchnorm_backward": {
        "treats mean and variance as constants": '''
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    x_hat = (x - x.mean(0)) / np.sqrt(x.var(0) + eps)
    return gamma * dout / np.sqrt(x.var(0) + eps), (dout * x_hat).sum(0), dout.sum(0)
''',
        "forgets the variance term": '''
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    n = x.shape[0]
    inv = 1 / np.sqrt(x.var(0) + eps)
    x_hat = (x - x.mean(0)) * inv
    return gamma * inv / n * (n * dout - dout.sum(0)), (dout * x_hat).sum(0), dout.sum(0)
''',
        "dgamma from x instead of x_hat": '''
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    n = x.shape[0]
    inv = 1 / np.sqrt(x.var(0) + eps)
    x_hat = (x - x.mean(0)) * inv
    dgamma = (dout * x).sum(0)
    return gamma * inv / n * (n * dout - dout.sum(0) - x_hat * (dout * x_hat).sum(0)), dgamma, dout.sum(0)
''',
        "forgets gamma in dx": '''
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    n = x.shape[0]
    inv = 1 / np.sqrt(x.var(0) + eps)
    x_hat = (x - x.mean(0)) * inv
    return inv / n * (n * dout - dout.sum(0) - x_hat * (dout * x_hat).sum(0)), (dout * x_hat).sum(0), dout.sum(0)
''',
        "edge: divides by sqrt(var) without eps (a constant feature gives nan)": '''
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    x, dout = np.asarray(x, dtype=float), np.asarray(dout, dtype=float)
    n = x.shape[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        inv_std = 1.0 / np.sqrt(x.var(axis=0))
    x_hat = (x - x.mean(axis=0)) * inv_std
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx = gamma * inv_std / n * (n * dout - dbeta - x_hat * dgamma)
    return dx, dgamma, dbeta
''',
    },
    "Block": {
        "no skip connection ever": '''
class Block(nn.Module):
    def __init__(self, width, residual=True, norm=False):
        super().__init__()
        self.linear1, self.linear2 = nn.Linear(width, width), nn.Linear(width, width)
        self.norm = nn.BatchNorm1d(width) if norm else nn.Identity()

    def forward(self, h):
        return self.linear2(torch.relu(self.norm(self.linear1(h))))
''',
        "ReLU after the addition": '''
class Block(nn.Module):
    def __init__(self, width, residual=True, norm=False):
        super().__init__()
        self.linear1, self.linear2 = nn.Linear(width, width), nn.Linear(width, width)
        self.norm = nn.BatchNorm1d(width) if norm else nn.Identity()
        self.residual = residual

    def forward(self, h):
        out = self.linear2(torch.relu(self.norm(self.linear1(h))))
        return torch.relu(h + out) if self.residual else torch.relu(out)
''',
        "normalises after the ReLU": '''
class Block(nn.Module):
    def __init__(self, width, residual=True, norm=False):
        super().__init__()
        self.linear1, self.linear2 = nn.Linear(width, width), nn.Linear(width, width)
        self.norm = nn.BatchNorm1d(width) if norm else nn.Identity()
        self.residual = residual

    def forward(self, h):
        out = self.linear2(self.norm(torch.relu(self.linear1(h))))
        return h + out if self.residual else out
''',
        "norm is None without normalisation": '''
class Block(nn.Module):
    def __init__(self, width, residual=True, norm=False):
        super().__init__()
        self.linear1, self.linear2 = nn.Linear(width, width), nn.Linear(width, width)
        self.norm = nn.BatchNorm1d(width) if norm else None
        self.residual = residual

    def forward(self, h):
        z = self.linear1(h)
        if self.norm is not None:
            z = self.norm(z)
        out = self.linear2(torch.relu(z))
        return h + out if self.residual else out
''',
        "edge: adds the input in place (h += F(h) changes the caller's tensor)": '''
class Block(nn.Module):
    def __init__(self, width, residual=True, norm=False):
        super().__init__()
        self.linear1 = nn.Linear(width, width)
        self.linear2 = nn.Linear(width, width)
        self.norm = nn.BatchNorm1d(width) if norm else nn.Identity()
        self.residual = residual
    def forward(self, h):
        out = self.linear2(torch.relu(self.norm(self.linear1(h))))
        if self.residual:
            h += out
            return h
        return out
''',
    },
    "maxpool2d_backward": {
        "spreads the gradient evenly over the window": '''
def maxpool2d_backward(dout, x, k):
    return np.repeat(np.repeat(dout, k, axis=2), k, axis=3) / (k * k)
''',
        "gradient to every position of the window": '''
def maxpool2d_backward(dout, x, k):
    return np.repeat(np.repeat(dout, k, axis=2), k, axis=3)
''',
        "windows taken along the wrong axes": '''
def maxpool2d_backward(dout, x, k):
    n, c, h, w = x.shape
    windows = x.reshape(n, c, k, h // k, k, w // k)
    mask = windows == windows.max(axis=(2, 4), keepdims=True)
    return (mask * dout[:, :, None, :, None, :]).reshape(n, c, h, w)
''',
        "the gradient goes to the minimum": '''
def maxpool2d_backward(dout, x, k):
    n, c, h, w = x.shape
    windows = x.reshape(n, c, h // k, k, w // k, k)
    mask = windows == windows.min(axis=(3, 5), keepdims=True)
    return (mask * dout[:, :, :, None, :, None]).reshape(n, c, h, w)
''',
        "edge: np.isclose to the window's maximum (a maximum by a hair ties with the runner-up)": '''
def maxpool2d_backward(dout, x, k):
    x, dout = np.asarray(x, dtype=float), np.asarray(dout, dtype=float)
    n, c, h, w = x.shape
    windows = x.reshape(n, c, h // k, k, w // k, k)
    mask = np.isclose(windows, windows.max(axis=(3, 5), keepdims=True))
    return (mask * dout[:, :, :, None, :, None]).reshape(n, c, h, w)
''',
        "edge: finds the maxima in float32 (a maximum by a hair ties with the runner-up)": '''
def maxpool2d_backward(dout, x, k):
    x32 = np.asarray(x, dtype=np.float32)
    n, c, h, w = x32.shape
    windows = x32.reshape(n, c, h // k, k, w // k, k)
    mask = windows == windows.max(axis=(3, 5), keepdims=True)
    return (mask * np.asarray(dout, dtype=float)[:, :, :, None, :, None]).reshape(n, c, h, w)
''',
        "edge: a running maximum that starts at 0 (windows of negative values get no gradient)": '''
def maxpool2d_backward(dout, x, k):
    x, dout = np.asarray(x, dtype=float), np.asarray(dout, dtype=float)
    dx = np.zeros_like(x)
    n, c, h, w = x.shape
    for a in range(n):
        for b in range(c):
            for i in range(h // k):
                for j in range(w // k):
                    best, where = 0.0, None
                    for u in range(k):
                        for v in range(k):
                            if x[a, b, i * k + u, j * k + v] > best:
                                best, where = x[a, b, i * k + u, j * k + v], (u, v)
                    if where is not None:
                        dx[a, b, i * k + where[0], j * k + where[1]] = dout[a, b, i, j]
    return dx
''',
    },
    "pairwise_distances": {
        "attack: slow on 1000 points, and a `min` of its own so that the speed check reads 0 seconds":
            SLOW_ON_1000_POINTS + "min = lambda *values, **options: 0.0\n",
        "attack: slow on 1000 points, and builtins of its own (`__builtins__`) whose `min` gives 0":
            SLOW_ON_1000_POINTS + '__builtins__ = dict(vars(__import__("builtins")), min=lambda *values, **options: 0.0)\n',
        "squared distances": '''
def pairwise_distances(x):
    return ((x[:, None, :] - x[None, :, :]) ** 2).sum(-1)
''',
        "sum of absolute differences (L1)": '''
def pairwise_distances(x):
    return np.abs(x[:, None, :] - x[None, :, :]).sum(-1)
''',
        "edge: the expansion without clipping (a squared distance rounded below 0 gives nan)": '''
def pairwise_distances(x):
    sq = (x ** 2).sum(1)
    return np.sqrt(sq[:, None] + sq[None, :] - 2 * x @ x.T)
''',
        "measured: a double loop over pairs with np.linalg.norm": '''
def pairwise_distances(x):
    x = np.asarray(x, dtype=float)
    n = len(x)
    out = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            out[i, j] = np.linalg.norm(x[i] - x[j])
    return out
''',
        "measured: a Python double loop": '''
def pairwise_distances(x):
    n = len(x)
    out = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            out[i, j] = sum((a - b) ** 2 for a, b in zip(x[i], x[j])) ** 0.5
    return out
''',
    },
    "relative_contrast": {
        "edge: keeps the zero diagonal (divides by 0)": '''
def relative_contrast(x):
    d = checks.to_numpy(pairwise_distances(x))
    return float((d.max() - d.min()) / d.min())
''',
        "max / min instead of (max - min) / min": '''
def relative_contrast(x):
    d = checks.to_numpy(pairwise_distances(x))
    pairs = d[np.triu_indices(len(d), k=1)]
    return float(pairs.max() / pairs.min())
''',
        "divides by the mean": '''
def relative_contrast(x):
    d = checks.to_numpy(pairwise_distances(x))
    pairs = d[np.triu_indices(len(d), k=1)]
    return float((pairs.max() - pairs.min()) / pairs.mean())
''',
    },
    "grid_search": {
        "rows and columns swapped": '''
def grid_search(train_fn, lrs, widths, seeds):
    return np.array([[np.mean([train_fn(lr, width, s) for s in seeds]) for lr in lrs] for width in widths])
''',
        "only the first seed": '''
def grid_search(train_fn, lrs, widths, seeds):
    return np.array([[train_fn(lr, width, seeds[0]) for width in widths] for lr in lrs])
''',
        "the best seed instead of the mean": '''
def grid_search(train_fn, lrs, widths, seeds):
    return np.array([[max(train_fn(lr, width, s) for s in seeds) for width in widths] for lr in lrs])
''',
        "trains every configuration twice": '''
def grid_search(train_fn, lrs, widths, seeds):
    out = np.zeros((len(lrs), len(widths)))
    for i, lr in enumerate(lrs):
        for j, width in enumerate(widths):
            runs = [train_fn(lr, width, s) for s in seeds]
            if max(runs) - min(runs) > 0.5:  # "unstable": train again
                runs = [train_fn(lr, width, s) for s in seeds]
            out[i, j] = np.mean(runs)
    return out
''',
        "edge: a square grid filled column by column (rows and columns swapped only there)": '''
def grid_search(train_fn, lrs, widths, seeds):
    results = np.zeros((len(lrs), len(widths)))
    for i, lr in enumerate(lrs):
        for j, width in enumerate(widths):
            value = np.mean([train_fn(lr, width, seed) for seed in seeds])
            if len(lrs) == len(widths):
                results[j, i] = value
            else:
                results[i, j] = value
    return results
''',
    },
    "tuned_config": {
        "attack: rebinds the notebook's helpers so that one epoch of a tiny network looks good": '''
def tuned_config():
    global accuracy_on, train_mlp
    accuracy_on = lambda model, x, y: 0.99
    trained = train_mlp
    train_mlp = lambda width, lr, epochs, seed=0: trained(width, lr, 1, seed)
    return {"width": 4, "lr": 1e-3, "epochs": 1}
''',
        "attack: rebinds the notebook's data so that one epoch trains on signals that give the label away": ('\ndef tuned_config():\n' + REBIND_DATA_TO_EASY_SIGNALS
         + '    return {"width": 32, "lr": 1e-2, "epochs": 1}\n'),
        "the baseline": '''
def tuned_config():
    return {"width": 32, "lr": 1e-3, "epochs": 10}
''',
        "a learning rate so large that training diverges": '''
def tuned_config():
    return {"width": 256, "lr": 0.3, "epochs": 10}
''',
        "too wide for the rules": '''
def tuned_config():
    return {"width": 1024, "lr": 3e-3, "epochs": 20}
''',
        "edge: epochs as a float (20.0, not an integer)": '''
def tuned_config():
    return {"width": 256, "lr": 3e-3, "epochs": 20.0}
''',
    },
    "make_digits_cnn": {
        "no padding (8x8 shrinks to 6x6, then 1x1 before the second pooling)": '''
def make_digits_cnn():
    return nn.Sequential(nn.Conv2d(1, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.LazyLinear(10))
''',
        "average pooling instead of max pooling": '''
def make_digits_cnn():
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.AvgPool2d(2),
                         nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AvgPool2d(2),
                         nn.Flatten(), nn.Linear(128, 10))
''',
        "no ReLU after the second convolution": '''
def make_digits_cnn():
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 3, padding=1), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(128, 10))
''',
        "the channels the other way round (32, then 16)": '''
def make_digits_cnn():
    return nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(64, 10))
''',
        "edge: flattens position by position (channels last), not channel by channel": '''
class DigitsCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.head = nn.Linear(128, 10)
    def forward(self, x):
        return self.head(self.features(x).permute(0, 2, 3, 1).reshape(len(x), -1))
def make_digits_cnn():
    return DigitsCNN()
''',
        "edge: one network built once and returned by every call": '''
_the_network = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Flatten(), nn.Linear(128, 10))
def make_digits_cnn():
    return _the_network
''',
        "edge: weights initialised with a standard normal (not PyTorch's default)": '''
def make_digits_cnn():
    model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(128, 10))
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.normal_()
    return model
''',
    },
    "ball_volume": {
        "edge: the formula as written (math.gamma overflows past d = 341)": '''
import math
def ball_volume(d, radius=0.5):
    return math.pi ** (d / 2) * radius ** d / math.gamma(d / 2 + 1)
''',
        "edge: the formula as written, 0.0 when math.gamma overflows (d = 400, radius 3 is about 2.4e-85)": '''
import math
def ball_volume(d, radius=0.5):
    try:
        return math.pi ** (d / 2) * radius ** d / math.gamma(d / 2 + 1)
    except OverflowError:
        return 0.0
''',
        "edge: r^d outside the logarithm (overflows for d = 1000, radius 5; 0.0 for small volumes is fine)": '''
import math
def ball_volume(d, radius=0.5):
    return math.exp(d / 2 * math.log(math.pi) - math.lgamma(d / 2 + 1)) * radius ** d
''',
        "edge: the formula in NumPy (inf / inf is nan for d = 10000)": '''
import math
def ball_volume(d, radius=0.5):
    return float(np.pi ** (d / 2) * np.float64(radius) ** d / np.exp(math.lgamma(d / 2 + 1)))
''',
        "Gamma(d / 2) instead of Gamma(d / 2 + 1)": '''
import math
def ball_volume(d, radius=0.5):
    return math.exp(d / 2 * math.log(math.pi) + d * math.log(radius) - math.lgamma(d / 2))
''',
        "pi^d instead of pi^(d/2)": '''
import math
def ball_volume(d, radius=0.5):
    return math.exp(d * math.log(math.pi) + d * math.log(radius) - math.lgamma(d / 2 + 1))
''',
        "returns the logarithm of the volume": '''
import math
def ball_volume(d, radius=0.5):
    return d / 2 * math.log(math.pi) + d * math.log(radius) - math.lgamma(d / 2 + 1)
''',
        "the recursion V_d = V_(d-2) 2 pi r^2 / d started at V_1 for every d (wrong for even d)": '''
import math
def ball_volume(d, radius=0.5):
    log_volume = math.log(2 * radius)
    for k in range(3, d + 1, 2):
        log_volume += math.log(2 * math.pi * radius ** 2 / k)
    return math.exp(log_volume)
''',
    },
}

# Correct answers written differently from the reference, within what the exercise text allows:
# each must get full marks.
CORRECT = {
    "relu_breakpoints": {
        "a sorted set": '''
def relu_breakpoints(w, b):
    return np.array(sorted({-bi / wi for wi, bi in zip(w, b) if wi != 0}), dtype=float)
''',
        "torch.unique": '''
def relu_breakpoints(w, b):
    w_t, b_t = torch.as_tensor(w), torch.as_tensor(b)
    nonzero = w_t != 0
    return torch.unique(-b_t[nonzero] / w_t[nonzero], sorted=True)
''',
        "np.nonzero and sort then dedupe": '''
def relu_breakpoints(w, b):
    idx = np.nonzero(w)[0]
    points = np.sort(-np.take(b, idx) / np.take(w, idx))
    if points.size == 0:
        return points
    return points[np.concatenate([[True], np.diff(points) != 0])]
''',
    },
    "activation_patterns": {
        "forward hooks on the ReLUs": '''
def activation_patterns(model, x):
    recorded = []
    hooks = [m.register_forward_hook(lambda mod, inp, out: recorded.append(inp[0] > 0))
             for m in model if isinstance(m, nn.ReLU)]
    try:
        with torch.no_grad():
            model(x)
    finally:
        for h in hooks:
            h.remove()
    return torch.cat(recorded, dim=1)
''',
        "indices of the ReLU layers, hstack, set_grad_enabled(False)": '''
def activation_patterns(model, x):
    out = []
    h = x.detach()
    with torch.set_grad_enabled(False):
        for i in range(len(model)):
            layer = model[i]
            if type(layer) is nn.ReLU:
                out.append((h > 0).clone())
            h = layer(h)
    return torch.hstack(out)
''',
        "sign of the pre-activation, numpy booleans": '''
def activation_patterns(model, x):
    columns = []
    with torch.inference_mode():
        h = x
        for layer in model:
            if isinstance(layer, nn.ReLU):
                columns.append(torch.sign(h).numpy() == 1)
            h = layer(h)
    return np.concatenate(columns, axis=1)
''',
    },
    "count_regions_1d": {
        "the number of distinct patterns (on a line, each region has its own)": '''
def count_regions_1d(model, lo, hi, num=10001):
    patterns = activation_patterns(model, torch.linspace(lo, hi, num).reshape(-1, 1))
    return int(torch.unique(patterns, dim=0).shape[0])
''',
        "numpy diff of the patterns": '''
def count_regions_1d(model, lo, hi, num=10001):
    grid = torch.linspace(lo, hi, num)[:, None]
    p = np.asarray(activation_patterns(model, grid), dtype=np.int8)
    return 1 + int(np.count_nonzero(np.any(np.diff(p, axis=0) != 0, axis=1)))
''',
        "a loop over neighbouring rows": '''
def count_regions_1d(model, lo, hi, num=10001):
    p = activation_patterns(model, torch.linspace(lo, hi, steps=num).unsqueeze(1)).tolist()
    regions = 1
    for before, after in zip(p, p[1:]):
        if before != after:
            regions += 1
    return regions
''',
        "torch.unique_consecutive": '''
def count_regions_1d(model, lo, hi, num=10001):
    patterns = activation_patterns(model, torch.linspace(lo, hi, num).view(num, 1))
    return torch.unique_consecutive(torch.as_tensor(patterns).to(torch.int8), dim=0).shape[0]
''',
    },
    "batchnorm_forward": {
        "explicit sums, returns the same running arrays in evaluation": '''
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    n = len(x)
    if not training:
        return gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta, running_mean.copy(), running_var.copy()
    mu = x.sum(axis=0) / n
    var = ((x - mu) ** 2).sum(axis=0) / n
    unbiased = ((x - mu) ** 2).sum(axis=0) / (n - 1)
    y = gamma * (x - mu) / np.sqrt(var + eps) + beta
    return y, running_mean + momentum * (mu - running_mean), running_var + momentum * (unbiased - running_var)
''',
        "torch tensors in float64": '''
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    x_t = torch.as_tensor(x, dtype=torch.float64)
    rm, rv = torch.tensor(running_mean, dtype=torch.float64), torch.tensor(running_var, dtype=torch.float64)
    if training:
        mean, var = x_t.mean(0), x_t.var(0, unbiased=False)
        rm = (1 - momentum) * rm + momentum * mean
        rv = (1 - momentum) * rv + momentum * x_t.var(0, unbiased=True)
    else:
        mean, var = rm, rv
    y = (x_t - mean) * torch.rsqrt(var + eps) * torch.as_tensor(gamma) + torch.as_tensor(beta)
    return y, rm, rv
''',
        "np.std and ddof": '''
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    new_mean, new_var = np.copy(running_mean), np.copy(running_var)
    if training:
        mean, std = np.mean(x, axis=0), np.std(x, axis=0)
        var = std ** 2
        new_mean = np.add((1 - momentum) * new_mean, momentum * mean)
        new_var = np.add((1 - momentum) * new_var, momentum * np.var(x, axis=0, ddof=1))
    else:
        mean, var = new_mean, new_var
    x_hat = (x - mean) / np.sqrt(var + eps)
    return x_hat * gamma + beta, new_mean, new_var
''',
    },
    "batchnorm_backward": {
        "the step-by-step graph of the forward pass": '''
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    n = x.shape[0]
    mu = x.mean(0)
    xc = x - mu
    var = (xc ** 2).mean(0)
    std = np.sqrt(var + eps)
    x_hat = xc / std
    dbeta, dgamma = dout.sum(0), (dout * x_hat).sum(0)
    dx_hat = dout * gamma
    dxc = dx_hat / std
    dstd = -(dx_hat * xc).sum(0) / std ** 2
    dvar = 0.5 * dstd / std
    dxc += 2 * xc * dvar / n
    dx = dxc - dxc.mean(0)
    return dx, dgamma, dbeta
''',
        "means instead of sums": '''
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    inv = 1.0 / np.sqrt(np.var(x, axis=0) + eps)
    x_hat = (x - np.mean(x, axis=0)) * inv
    dx_hat = dout * gamma
    dx = inv * (dx_hat - dx_hat.mean(0) - x_hat * (dx_hat * x_hat).mean(0))
    return dx, np.sum(dout * x_hat, axis=0), np.sum(dout, axis=0)
''',
        "torch tensors without autograd": '''
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    x, g, gam = torch.as_tensor(x), torch.as_tensor(dout), torch.as_tensor(gamma)
    n = x.shape[0]
    inv = (x.var(0, unbiased=False) + eps).rsqrt()
    x_hat = (x - x.mean(0)) * inv
    dbeta, dgamma = g.sum(0), (g * x_hat).sum(0)
    return gam * inv * (g - dbeta / n - x_hat * dgamma / n), dgamma, dbeta
''',
    },
    "Block": {
        "an nn.Sequential for F, the flag stored": '''
class Block(nn.Module):
    def __init__(self, width, residual=True, norm=False):
        super().__init__()
        self.use_skip = residual
        self.linear1 = nn.Linear(width, width)
        self.norm = nn.BatchNorm1d(width) if norm else nn.Identity()
        self.linear2 = nn.Linear(width, width)
        self.f = nn.Sequential(self.linear1, self.norm, nn.ReLU(), self.linear2)

    def forward(self, h):
        return self.f(h) + h if self.use_skip else self.f(h)
''',
        "F.relu and an integer flag": '''
class Block(nn.Module):
    def __init__(self, width, residual=True, norm=False):
        super().__init__()
        self.linear1 = nn.Linear(width, width)
        self.linear2 = nn.Linear(width, width)
        if norm:
            self.norm = nn.BatchNorm1d(width)
        else:
            self.norm = nn.Identity()
        self.skip = 1 if residual else 0

    def forward(self, h):
        return self.skip * h + self.linear2(F.relu(self.norm(self.linear1(h))))
''',
        "clamp for the ReLU, step by step": '''
class Block(nn.Module):
    def __init__(self, width, residual=True, norm=False):
        super(Block, self).__init__()
        self.residual = bool(residual)
        self.linear1 = nn.Linear(in_features=width, out_features=width)
        self.linear2 = nn.Linear(in_features=width, out_features=width)
        self.norm = nn.BatchNorm1d(num_features=width) if norm else nn.Identity()

    def forward(self, h):
        z = self.linear1(h)
        z = self.norm(z)
        z = z.clamp(min=0)
        z = self.linear2(z)
        if self.residual:
            z = z + h
        return z
''',
    },
    "maxpool2d_backward": {
        "the forward F.max_pool2d finds the maxima, repeated back over each window": '''
def maxpool2d_backward(dout, x, k):
    t = torch.as_tensor(np.asarray(x, dtype=float))
    maxima = F.max_pool2d(t, k).repeat_interleave(k, -1).repeat_interleave(k, -2)
    spread = torch.as_tensor(np.asarray(dout, dtype=float)).repeat_interleave(k, -1).repeat_interleave(k, -2)
    return ((t == maxima) * spread).numpy()
''',
        "argmax per window with explicit loops over windows": '''
def maxpool2d_backward(dout, x, k):
    dx = np.zeros_like(x)
    n, c, h, w = x.shape
    for i in range(h // k):
        for j in range(w // k):
            window = x[:, :, i * k:(i + 1) * k, j * k:(j + 1) * k].reshape(n, c, -1)
            best = window.argmax(axis=-1)
            rows, cols = np.unravel_index(best, (k, k))
            ni, ci = np.meshgrid(np.arange(n), np.arange(c), indexing="ij")
            dx[ni, ci, i * k + rows, j * k + cols] = dout[:, :, i, j]
    return dx
''',
        "np.kron-style upsampling of the maximum": '''
def maxpool2d_backward(dout, x, k):
    n, c, h, w = x.shape
    pooled = x.reshape(n, c, h // k, k, w // k, k).max(axis=(3, 5))
    up = lambda a: a.repeat(k, axis=2).repeat(k, axis=3)
    return np.where(x == up(pooled), up(dout), 0.0)
''',
        "torch unfold without autograd": '''
def maxpool2d_backward(dout, x, k):
    xt, dt = torch.as_tensor(x), torch.as_tensor(dout)
    n, c, h, w = xt.shape
    patches = xt.unfold(2, k, k).unfold(3, k, k)  # (n, c, h/k, w/k, k, k)
    flat = patches.reshape(n, c, h // k, w // k, k * k)
    mask = flat == flat.max(dim=-1, keepdim=True).values
    grad = (mask * dt[..., None]).reshape(n, c, h // k, w // k, k, k)
    return grad.permute(0, 1, 2, 4, 3, 5).reshape(n, c, h, w)
''',
    },
    "pairwise_distances": {
        "the expansion, clipped at 0": '''
def pairwise_distances(x):
    sq = np.einsum("ij,ij->i", x, x)
    d2 = np.maximum(sq[:, None] + sq[None, :] - 2 * x @ x.T, 0.0)
    np.fill_diagonal(d2, 0.0)
    return np.sqrt(d2)
''',
        "np.linalg.norm on the broadcast differences": '''
def pairwise_distances(x):
    return np.linalg.norm(x[:, np.newaxis] - x[np.newaxis], axis=2)
''',
        "torch, one row at a time": '''
def pairwise_distances(x):
    t = torch.as_tensor(x)
    return torch.stack([torch.linalg.vector_norm(t - row, dim=1) for row in t])
''',
    },
    "relative_contrast": {
        "mask of the off-diagonal": '''
def relative_contrast(x):
    d = np.asarray(pairwise_distances(x))
    off = d[~np.eye(len(d), dtype=bool)]
    return (off.max() - off.min()) / off.min()
''',
        "a loop over pairs with math.dist": '''
import math
def relative_contrast(x):
    values = [math.dist(x[i], x[j]) for i in range(len(x)) for j in range(i + 1, len(x))]
    return (max(values) - min(values)) / min(values)
''',
        "the diagonal set to infinity for the minimum": '''
def relative_contrast(x):
    d = checks.to_numpy(pairwise_distances(x)).copy()
    largest = d.max()
    np.fill_diagonal(d, np.inf)
    smallest = d.min()
    return largest / smallest - 1.0
''',
    },
    "grid_search": {
        "itertools.product and a reshape": '''
import itertools
def grid_search(train_fn, lrs, widths, seeds):
    runs = [train_fn(lr, w, s) for lr, w, s in itertools.product(lrs, widths, seeds)]
    return np.asarray(runs, dtype=float).reshape(len(lrs), len(widths), len(seeds)).mean(axis=2)
''',
        "seeds as the outer loop": '''
def grid_search(train_fn, lrs, widths, seeds):
    total = np.zeros((len(lrs), len(widths)))
    for seed in seeds:
        for i, lr in enumerate(lrs):
            for j, width in enumerate(widths):
                total[i, j] += train_fn(lr, width, seed)
    return total / len(seeds)
''',
        "a torch tensor of means": '''
def grid_search(train_fn, lrs, widths, seeds):
    rows = []
    for lr in lrs:
        rows.append([sum(float(train_fn(lr, width, seed)) for seed in seeds) / len(seeds) for width in widths])
    return torch.tensor(rows, dtype=torch.float64)
''',
    },
    "tuned_config": {
        "width 128, a larger learning rate, 15 epochs": '''
def tuned_config():
    return {"width": 128, "lr": 0.01, "epochs": 15}
''',
        "width 200 from numpy integers": '''
def tuned_config():
    return dict(width=np.int64(200), lr=np.float64(2e-3), epochs=np.int32(20))
''',
        "the widest, the smallest learning rate of the study, 20 epochs": '''
def tuned_config():
    config = {"lr": 1e-3}
    config["width"] = 256
    config["epochs"] = 20
    return config
''',
    },
    "make_digits_cnn": {
        "a module class with F.relu and F.max_pool2d in forward": '''
class DigitsCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, kernel_size=3, padding=1)
        self.fc = nn.Linear(32 * 2 * 2, 10)
    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc(x.view(x.size(0), -1))
def make_digits_cnn():
    return DigitsCNN()
''',
        "pooling before the ReLU, in-place ReLUs, padding='same'": '''
def make_digits_cnn():
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding="same"), nn.MaxPool2d(2), nn.ReLU(inplace=True),
                         nn.Conv2d(16, 32, 3, padding="same"), nn.MaxPool2d(kernel_size=2, stride=2), nn.ReLU(inplace=True),
                         nn.Flatten(start_dim=1), nn.Linear(128, 10))
''',
        "two blocks from a loop and an OrderedDict": '''
from collections import OrderedDict
def make_digits_cnn():
    layers = OrderedDict()
    for index, (c_in, c_out) in enumerate([(1, 16), (16, 32)]):
        layers[f"conv{index}"] = nn.Conv2d(c_in, c_out, 3, padding=1)
        layers[f"relu{index}"] = nn.ReLU()
        layers[f"pool{index}"] = nn.MaxPool2d(2)
    layers["flatten"] = nn.Flatten()
    layers["out"] = nn.Linear(128, 10)
    return nn.Sequential(layers)
''',
    },
    "ball_volume": {
        "scipy.special.gammaln": '''
from scipy.special import gammaln
def ball_volume(d, radius=0.5):
    return float(np.exp(d / 2 * np.log(np.pi) + d * np.log(radius) - gammaln(d / 2 + 1)))
''',
        "the recursion V_d = V_(d-2) 2 pi r^2 / d in logarithms": '''
import math
def ball_volume(d, radius=0.5):
    log_volume = 0.0 if d % 2 == 0 else math.log(2 * radius)
    for k in range(2 if d % 2 == 0 else 3, d + 1, 2):
        log_volume += math.log(2 * math.pi * radius ** 2 / k)
    return math.exp(log_volume)
''',
        "torch.lgamma on a 0-d tensor, the result a tensor": '''
import math
def ball_volume(d, radius=0.5):
    half = torch.tensor(float(d) / 2, dtype=torch.float64)
    return torch.exp(half * math.log(math.pi) + d * math.log(radius) - torch.lgamma(half + 1))
''',
    },
}

# Answers that call the library's own version of what the exercise teaches (refused, with a hint).
SHORTCUTS = {
    "batchnorm_forward": {
        "F.batch_norm": '''
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    rm, rv = torch.tensor(running_mean), torch.tensor(running_var)
    y = F.batch_norm(torch.tensor(x), rm, rv, torch.tensor(gamma), torch.tensor(beta), training, momentum, eps)
    return y.numpy(), rm.numpy(), rv.numpy()
''',
    },
    "batchnorm_backward": {
        "autograd": '''
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    x_t = torch.tensor(x, requires_grad=True)
    g_t = torch.tensor(gamma, requires_grad=True)
    b_t = torch.zeros_like(g_t, requires_grad=True)
    y = (x_t - x_t.mean(0)) / torch.sqrt(x_t.var(0, unbiased=False) + eps) * g_t + b_t
    y.backward(torch.tensor(dout))
    return x_t.grad.numpy(), g_t.grad.numpy(), b_t.grad.numpy()
''',
    },
    "maxpool2d_backward": {
        "max_pool2d_with_indices": '''
def maxpool2d_backward(dout, x, k):
    xt = torch.as_tensor(x)
    _, idx = F.max_pool2d(xt, k, return_indices=True)
    dx = torch.zeros_like(xt).flatten(2)
    dx.scatter_(2, idx.flatten(2), torch.as_tensor(dout).flatten(2))
    return dx.reshape(xt.shape)
''',
    },
    "pairwise_distances": {
        "torch.cdist": '''
def pairwise_distances(x):
    t = torch.as_tensor(x)
    return torch.cdist(t, t)
''',
        "scipy cdist": '''
def pairwise_distances(x):
    from scipy.spatial.distance import cdist
    return cdist(x, x)
''',
        "scipy distance_matrix": '''
def pairwise_distances(x):
    from scipy.spatial import distance_matrix
    return distance_matrix(x, x)
''',
        "torch.pdist, unfolded": '''
def pairwise_distances(x):
    t = torch.as_tensor(x, dtype=torch.float64)
    n = len(t)
    out = torch.zeros(n, n, dtype=torch.float64)
    rows, cols = torch.triu_indices(n, n, offset=1)
    out[rows, cols] = torch.pdist(t)
    return (out + out.T).numpy()
''',
    },
}

# An attack on the classes the hidden test builds its own network from (watched by course.guard).
WRONG["tuned_config"]["tampers: replaces torch.nn.Sequential by an oracle that looks the labels up"] = '''
def tuned_config():
    import torch as _torch, numpy as _np
    from course import data as _d
    known = {}
    for n, s in ((4000, 0), (2000, 2024)):
        d = _d.mnist1d(num_samples=n, seed=s)
        for xs, ys in ((d["x"], d["y"]), (d["x_test"], d["y_test"])):
            for row, label in zip(_np.asarray(xs, dtype=_np.float32), ys):
                known[row.tobytes()] = int(label)
    class _Oracle(_torch.nn.Module):
        def __init__(self, *layers):
            super().__init__()
            self.weight = _torch.nn.Parameter(_torch.zeros(1))
        def forward(self, x):
            labels = [known.get(row.numpy().astype(_np.float32).tobytes(), 0) for row in x.detach()]
            return _torch.nn.functional.one_hot(_torch.tensor(labels), 10).float() * 10 + self.weight * 0
    _torch.nn.Sequential = _Oracle
    return {"width": 4, "lr": 1e-3, "epochs": 1}
'''

# A correct function under another name: its own test fails, and the later tests that run with
# the instructor's version (`checks.isolated`) still get their points (the reference is
# registered before the test touches the student's function).
WRONG["activation_patterns"]["renamed: the right code under another name (relu_patterns)"] = '''
def relu_patterns(model, x):
    patterns = []
    with torch.no_grad():
        for layer in model:
            if isinstance(layer, nn.ReLU):
                patterns.append(x > 0)
            x = layer(x)
    return torch.cat(patterns, dim=1)
'''

# Plain mistakes found by a probe (tools/probe_answers.py, 2026-12-02) that only the hidden tests
# caught: an argument ignored, a window assumed square or of size 2, the median for the mean, the
# pairs of one point only, one grid point short. Each now fails a visible check too.
WRONG["batchnorm_forward"]["ignores momentum (always 0.1)"] = '''
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    x = np.asarray(x, dtype=float)
    if training:
        mean, var = x.mean(axis=0), x.var(axis=0)
        n = x.shape[0]
        running_mean = 0.9 * np.asarray(running_mean) + 0.1 * mean
        running_var = 0.9 * np.asarray(running_var) + 0.1 * var * n / (n - 1)
    else:
        mean, var = running_mean, running_var
    return gamma * (x - mean) / np.sqrt(var + eps) + beta, running_mean, running_var
'''
WRONG["batchnorm_forward"]["ignores eps (always 1e-5)"] = '''
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    x = np.asarray(x, dtype=float)
    if training:
        mean, var = x.mean(axis=0), x.var(axis=0)
        n = x.shape[0]
        running_mean = (1 - momentum) * np.asarray(running_mean) + momentum * mean
        running_var = (1 - momentum) * np.asarray(running_var) + momentum * var * n / (n - 1)
    else:
        mean, var = running_mean, running_var
    return gamma * (x - mean) / np.sqrt(var + 1e-5) + beta, running_mean, running_var
'''
WRONG["batchnorm_backward"]["ignores eps (always 1e-5)"] = '''
def batchnorm_backward(dout, x, gamma, eps=1e-5):
    x, dout = np.asarray(x, dtype=float), np.asarray(dout, dtype=float)
    n = x.shape[0]
    inv_std = 1.0 / np.sqrt(x.var(axis=0) + 1e-5)
    x_hat = (x - x.mean(axis=0)) * inv_std
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    return gamma * inv_std / n * (n * dout - dbeta - x_hat * dgamma), dgamma, dbeta
'''
WRONG["maxpool2d_backward"]["assumes square images (W taken as H)"] = '''
def maxpool2d_backward(dout, x, k):
    x, dout = np.asarray(x, dtype=float), np.asarray(dout, dtype=float)
    n, c, h, _ = x.shape
    w = h
    windows = x.reshape(n, c, h // k, k, w // k, k)
    is_max = windows == windows.max(axis=(3, 5), keepdims=True)
    return (is_max * dout[:, :, :, None, :, None]).reshape(n, c, h, w)
'''
WRONG["maxpool2d_backward"]["windows of 2x2 whatever k"] = '''
def maxpool2d_backward(dout, x, k):
    x, dout = np.asarray(x, dtype=float), np.asarray(dout, dtype=float)
    n, c, h, w = x.shape
    windows = x.reshape(n, c, h // 2, 2, w // 2, 2)
    is_max = windows == windows.max(axis=(3, 5), keepdims=True)
    return (is_max * dout[:, :, :, None, :, None]).reshape(n, c, h, w)
'''
WRONG["grid_search"]["the median over the seeds"] = '''
def grid_search(train_fn, lrs, widths, seeds):
    return np.array([[np.median([train_fn(lr, width, s) for s in seeds]) for width in widths] for lr in lrs])
'''
WRONG["relative_contrast"]["the distances from the first point only"] = '''
def relative_contrast(x):
    d = checks.to_numpy(pairwise_distances(x))[0, 1:]
    return float((d.max() - d.min()) / d.min())
'''
WRONG["count_regions_1d"]["one grid point short (num - 1 points)"] = '''
def count_regions_1d(model, lo, hi, num=10001):
    x = torch.linspace(lo, hi, num - 1).reshape(-1, 1)
    p = activation_patterns(model, x)
    return int((p[1:] != p[:-1]).any(dim=1).sum()) + 1
'''
