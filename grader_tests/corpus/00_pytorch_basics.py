"""Plausible wrong answers for 00_pytorch_basics: {exercise: {what is wrong: cell source}}.

Each must cost exactly the points of its own exercise (grader_tests/test_wrong_answers.py).
"""

WRONG = {
    "broadcast_shape": {
        "aligns the shapes on the left": '''
def broadcast_shape(shape_a, shape_b):
    n = max(len(shape_a), len(shape_b))
    a = tuple(shape_a) + (1,) * (n - len(shape_a))
    b = tuple(shape_b) + (1,) * (n - len(shape_b))
    out = []
    for p, q in zip(a, b):
        if p != q and p != 1 and q != 1:
            raise ValueError("incompatible")
        out.append(max(p, q))
    return tuple(out)
''',
        "edge: takes the larger size, so 0 against 1 gives 1": '''
def broadcast_shape(shape_a, shape_b):
    n = max(len(shape_a), len(shape_b))
    a = (1,) * (n - len(shape_a)) + tuple(shape_a)
    b = (1,) * (n - len(shape_b)) + tuple(shape_b)
    out = []
    for p, q in zip(a, b):
        if p != q and p != 1 and q != 1:
            raise ValueError("incompatible")
        out.append(max(p, q))
    return tuple(out)
''',
        "never raises: takes the larger size everywhere": '''
def broadcast_shape(shape_a, shape_b):
    n = max(len(shape_a), len(shape_b))
    a = (1,) * (n - len(shape_a)) + tuple(shape_a)
    b = (1,) * (n - len(shape_b)) + tuple(shape_b)
    return tuple(max(p, q) for p, q in zip(a, b))
''',
        "zip drops the extra leading dimensions": '''
def broadcast_shape(shape_a, shape_b):
    out = []
    for p, q in zip(reversed(shape_a), reversed(shape_b)):
        if p != q and 1 not in (p, q):
            raise ValueError("incompatible")
        out.append(q if p == 1 else p)
    return tuple(reversed(out))
''',
        "builds arrays of the shapes": '''
def broadcast_shape(shape_a, shape_b):
    try:
        return tuple((np.zeros(shape_a) + np.zeros(shape_b)).shape)
    except ValueError:
        raise ValueError("incompatible")
''',
    },
    "autograd_gradient": {
        "edge: a float32 tensor (loses the digits of values near 10^4)": '''
def autograd_gradient(f, x):
    t = torch.tensor(x, dtype=torch.float32, requires_grad=True)
    f(t).backward()
    return t.grad.double().numpy()
''',
        "finite differences": '''
def autograd_gradient(f, x):
    x = np.asarray(x, dtype=float)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[i] += 1e-6
        down[i] -= 1e-6
        grad[i] = (f(torch.tensor(up)).item() - f(torch.tensor(down)).item()) / 2e-6
    return grad
''',
        "calls f twice (its value, then its gradient; the text asks for one call)": '''
def autograd_gradient(f, x):
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    value = f(t)
    print(f"f(x) = {value.item():.4f}")
    return torch.autograd.grad(f(t), t)[0]
''',
        "returns the value of f": '''
def autograd_gradient(f, x):
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    value = f(t)
    value.backward()
    return value.detach().numpy()
''',
        "one shared tensor: gradients pile up between calls": '''
_cache = {}
def autograd_gradient(f, x):
    key = np.asarray(x).tobytes()
    if key not in _cache:
        _cache[key] = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    t = _cache[key]
    f(t).backward()
    return t.grad.clone().numpy()
''',
    },
    "accumulate_gradients": {
        "does not clear the old gradients": '''
def accumulate_gradients(model, loss_fn, x, y, chunk_size):
    n, total = len(x), 0.0
    for start in range(0, n, chunk_size):
        xc, yc = x[start:start + chunk_size], y[start:start + chunk_size]
        loss = loss_fn(model(xc), yc)
        (loss * len(xc) / n).backward()
        total += loss.item() * len(xc) / n
    return total
''',
        "edge: equal weights for all chunks (right only when chunk_size divides N)": '''
def accumulate_gradients(model, loss_fn, x, y, chunk_size):
    model.zero_grad()
    chunks = list(zip(torch.split(x, chunk_size), torch.split(y, chunk_size)))
    total = 0.0
    for xc, yc in chunks:
        loss = loss_fn(model(xc), yc) / len(chunks)
        loss.backward()
        total += loss.item()
    return total
''',
        "clears the gradients in every chunk": '''
def accumulate_gradients(model, loss_fn, x, y, chunk_size):
    n, total = len(x), 0.0
    for start in range(0, n, chunk_size):
        model.zero_grad()
        xc, yc = x[start:start + chunk_size], y[start:start + chunk_size]
        loss = loss_fn(model(xc), yc)
        (loss * len(xc) / n).backward()
        total += loss.item() * len(xc) / n
    return total
''',
        "sums the chunk means without weights": '''
def accumulate_gradients(model, loss_fn, x, y, chunk_size):
    model.zero_grad()
    total = 0.0
    for start in range(0, len(x), chunk_size):
        loss = loss_fn(model(x[start:start + chunk_size]), y[start:start + chunk_size])
        loss.backward()
        total += loss.item()
    return total
''',
        "ignores chunk_size (the whole batch at once)": '''
def accumulate_gradients(model, loss_fn, x, y, chunk_size):
    model.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    return loss.item()
''',
        "takes an optimiser step": '''
def accumulate_gradients(model, loss_fn, x, y, chunk_size):
    model.zero_grad()
    n, total = len(x), 0.0
    for start in range(0, n, chunk_size):
        xc, yc = x[start:start + chunk_size], y[start:start + chunk_size]
        loss = loss_fn(model(xc), yc)
        (loss * len(xc) / n).backward()
        total += loss.item() * len(xc) / n
    torch.optim.SGD(model.parameters(), lr=0.01).step()
    return total
''',
        "edge: clears with p.grad.zero_(), which fails while .grad is None": '''
def accumulate_gradients(model, loss_fn, x, y, chunk_size):
    for p in model.parameters():
        p.grad.zero_()
    n, total = len(x), 0.0
    for start in range(0, n, chunk_size):
        xc, yc = x[start:start + chunk_size], y[start:start + chunk_size]
        loss = loss_fn(model(xc), yc)
        (loss * len(xc) / n).backward()
        total += loss.item() * len(xc) / n
    return total
''',
        "edge: the total kept as a tensor that still records the graph": '''
def accumulate_gradients(model, loss_fn, x, y, chunk_size):
    model.zero_grad()
    n, total = len(x), 0.0
    for start in range(0, n, chunk_size):
        xc, yc = x[start:start + chunk_size], y[start:start + chunk_size]
        loss = loss_fn(model(xc), yc) * len(xc) / n
        loss.backward()
        total = total + loss
    return total
''',
    },
    "LinearModel": {
        "plain tensors, not parameters": '''
class LinearModel(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.weight = torch.randn(out_features, in_features, requires_grad=True) / in_features ** 0.5
        self.bias = torch.zeros(out_features, requires_grad=True)

    def forward(self, x):
        return x @ self.weight.T + self.bias
''',
        "weight stored as (in, out)": '''
class LinearModel(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(in_features, out_features) / in_features ** 0.5)
        self.bias = nn.Parameter(torch.zeros(out_features))

    def forward(self, x):
        return x @ self.weight + self.bias
''',
        "weights not scaled by 1/sqrt(in_features)": '''
class LinearModel(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_features, in_features))
        self.bias = nn.Parameter(torch.zeros(out_features))

    def forward(self, x):
        return x @ self.weight.T + self.bias
''',
        "random bias": '''
class LinearModel(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_features, in_features) / in_features ** 0.5)
        self.bias = nn.Parameter(torch.randn(out_features) / in_features ** 0.5)

    def forward(self, x):
        return x @ self.weight.T + self.bias
''',
        "scaled by 1/in_features instead of its root": '''
class LinearModel(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_features, in_features) / in_features)
        self.bias = nn.Parameter(torch.zeros(out_features))

    def forward(self, x):
        return x @ self.weight.T + self.bias
''',
        "forgets the bias in forward": '''
class LinearModel(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_features, in_features) / in_features ** 0.5)
        self.bias = nn.Parameter(torch.zeros(out_features))

    def forward(self, x):
        return x @ self.weight.T
''',
        "edge: squeezes the output (a batch of one or a single output loses a dimension)": '''
class LinearModel(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_features, in_features) / in_features ** 0.5)
        self.bias = nn.Parameter(torch.zeros(out_features))
    def forward(self, x):
        return (x @ self.weight.T + self.bias).squeeze()
''',
    },
    "make_mlp": {
        "a ReLU after the last layer too": '''
def make_mlp(sizes):
    layers = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(a, b), nn.ReLU()]
    return nn.Sequential(*layers)
''',
        "no activations at all": '''
def make_mlp(sizes):
    return nn.Sequential(*[nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:])])
''',
        "in and out features swapped": '''
def make_mlp(sizes):
    layers = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(b, a), nn.ReLU()]
    return nn.Sequential(*layers[:-1])
''',
        "every hidden layer has the first width": '''
def make_mlp(sizes):
    layers = [nn.Linear(sizes[0], sizes[1])]
    for b in sizes[2:]:
        layers += [nn.ReLU(), nn.Linear(sizes[1], b)]
    return nn.Sequential(*layers)
''',
        "edge: with two sizes, a ReLU after the only layer": '''
def make_mlp(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        layers.append(nn.ReLU())
    if len(sizes) > 2:
        layers.pop()
    return nn.Sequential(*layers)
''',
    },
    "sgd_step": {
        "forgets torch.no_grad (an in-place update of a leaf that requires grad raises)": '''
def sgd_step(model, lr):
    for p in model.parameters():
        if p.grad is not None:
            p -= lr * p.grad
            p.grad = None
''',
        "rebinds the loop variable (p = p - lr * p.grad): nothing changes": '''
def sgd_step(model, lr):
    with torch.no_grad():
        for p in model.parameters():
            if p.grad is not None:
                p = p - lr * p.grad
                p.grad = None
''',
        "never clears the gradients (the next step adds them up)": '''
def sgd_step(model, lr):
    with torch.no_grad():
        for p in model.parameters():
            if p.grad is not None:
                p -= lr * p.grad
''',
        "climbs the gradient (plus sign)": '''
def sgd_step(model, lr):
    with torch.no_grad():
        for p in model.parameters():
            if p.grad is not None:
                p += lr * p.grad
                p.grad = None
''',
        "edge: clears before updating (the step uses a zero gradient)": '''
def sgd_step(model, lr):
    with torch.no_grad():
        for p in model.parameters():
            if p.grad is not None:
                p.grad.zero_()
                p -= lr * p.grad
''',
        "edge: assumes every parameter has a gradient (fails on a frozen or unused one)": '''
def sgd_step(model, lr):
    with torch.no_grad():
        for p in model.parameters():
            p -= lr * p.grad
            p.grad.zero_()
''',
    },
    "fit_line_torch": {
        "edge: the losses kept as tensors (each holds its step's graph)": '''
def fit_line_torch(x, y, lr, epochs):
    x, y = torch.tensor(x, dtype=torch.float64), torch.tensor(y, dtype=torch.float64)
    w = nn.Parameter(torch.zeros((), dtype=torch.float64))
    b = nn.Parameter(torch.zeros((), dtype=torch.float64))
    optimiser = torch.optim.SGD([w, b], lr=lr)
    losses = []
    for _ in range(epochs):
        loss = ((w * x + b - y) ** 2).mean()
        losses.append(loss)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return w.item(), b.item(), losses
''',
        "edge: returns the parameters w and b themselves, not numbers": '''
def fit_line_torch(x, y, lr, epochs):
    x, y = torch.tensor(x, dtype=torch.float64), torch.tensor(y, dtype=torch.float64)
    w = nn.Parameter(torch.zeros((), dtype=torch.float64))
    b = nn.Parameter(torch.zeros((), dtype=torch.float64))
    optimiser = torch.optim.SGD([w, b], lr=lr)
    losses = []
    for _ in range(epochs):
        loss = ((w * x + b - y) ** 2).mean()
        losses.append(loss.item())
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return w, b, losses
''',
        "attack: right on the visible checks' data only, and rebinds the test's numpy_fit_line to agree": '''
def fit_line_torch(x, y, lr, epochs):
    x_t, y_t = torch.tensor(x, dtype=torch.float64), torch.tensor(y, dtype=torch.float64)
    w = nn.Parameter(torch.zeros((), dtype=torch.float64))
    b = nn.Parameter(torch.zeros((), dtype=torch.float64))
    optimiser = torch.optim.SGD([w, b], lr=lr)
    losses = []
    honest = len(x) == 40
    for _ in range(epochs):
        loss = ((w * x_t + b - y_t) ** 2).mean()
        losses.append(loss.item() if honest else 0.0)
        optimiser.zero_grad()
        (loss if honest else 0 * loss).backward()
        optimiser.step()
    if not honest:
        globals()["numpy_fit_line"] = lambda x, y, lr, epochs: (0.0, 0.0, np.zeros(epochs))
    return w.item(), b.item(), losses
''',
        "never zeroes the gradients": '''
def fit_line_torch(x, y, lr, epochs):
    x, y = torch.tensor(x), torch.tensor(y)
    w = nn.Parameter(torch.zeros((), dtype=torch.float64))
    b = nn.Parameter(torch.zeros((), dtype=torch.float64))
    optimiser = torch.optim.SGD([w, b], lr=lr)
    losses = []
    for _ in range(epochs):
        loss = ((w * x + b - y) ** 2).mean()
        losses.append(loss.item())
        loss.backward()
        optimiser.step()
    return w.item(), b.item(), losses
''',
        "records the loss after the step": '''
def fit_line_torch(x, y, lr, epochs):
    x, y = torch.tensor(x), torch.tensor(y)
    w = nn.Parameter(torch.zeros((), dtype=torch.float64))
    b = nn.Parameter(torch.zeros((), dtype=torch.float64))
    optimiser = torch.optim.SGD([w, b], lr=lr)
    losses = []
    for _ in range(epochs):
        optimiser.zero_grad()
        ((w * x + b - y) ** 2).mean().backward()
        optimiser.step()
        losses.append(((w * x + b - y) ** 2).mean().item())
    return w.item(), b.item(), losses
''',
        "float32 parameters": '''
def fit_line_torch(x, y, lr, epochs):
    x, y = torch.tensor(x, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)
    w, b = nn.Parameter(torch.zeros(())), nn.Parameter(torch.zeros(()))
    optimiser = torch.optim.SGD([w, b], lr=lr)
    losses = []
    for _ in range(epochs):
        loss = ((w * x + b - y) ** 2).mean()
        losses.append(loss.item())
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return w.item(), b.item(), losses
''',
        "sum of squares instead of the mean": '''
def fit_line_torch(x, y, lr, epochs):
    x, y = torch.tensor(x), torch.tensor(y)
    w = nn.Parameter(torch.zeros((), dtype=torch.float64))
    b = nn.Parameter(torch.zeros((), dtype=torch.float64))
    optimiser = torch.optim.SGD([w, b], lr=lr)
    losses = []
    for _ in range(epochs):
        loss = ((w * x + b - y) ** 2).sum()
        losses.append(loss.item() / len(x))
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return w.item(), b.item(), losses
''',
        "updates by hand instead of optimiser.step()": '''
def fit_line_torch(x, y, lr, epochs):
    x, y = torch.tensor(x), torch.tensor(y)
    w = torch.zeros((), dtype=torch.float64, requires_grad=True)
    b = torch.zeros((), dtype=torch.float64, requires_grad=True)
    losses = []
    for _ in range(epochs):
        loss = ((w * x + b - y) ** 2).mean()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
            w.grad.zero_()
            b.grad.zero_()
    return w.item(), b.item(), losses
''',
        "edge: one step short (range(1, epochs)), none at all when epochs = 1": '''
def fit_line_torch(x, y, lr, epochs):
    x, y = torch.tensor(x, dtype=torch.float64), torch.tensor(y, dtype=torch.float64)
    w = nn.Parameter(torch.zeros((), dtype=torch.float64))
    b = nn.Parameter(torch.zeros((), dtype=torch.float64))
    optimiser = torch.optim.SGD([w, b], lr=lr)
    losses = [((w * x + b - y) ** 2).mean().item()]
    for _ in range(1, epochs):
        loss = ((w * x + b - y) ** 2).mean()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        losses.append(((w * x + b - y) ** 2).mean().item())
    return w.item(), b.item(), losses
''',
    },
    "train_epoch": {
        "edge: the total kept as a tensor that holds every batch's graph": '''
def train_epoch(model, loader, optimiser, loss_fn):
    model.train()
    total, count = 0.0, 0
    for x_batch, y_batch in loader:
        optimiser.zero_grad()
        loss = loss_fn(model(x_batch), y_batch)
        loss.backward()
        optimiser.step()
        total = total + loss * len(x_batch)
        count += len(x_batch)
    return total / count
''',
        "never zeroes the gradients": '''
def train_epoch(model, loader, optimiser, loss_fn):
    model.train()
    total, count = 0.0, 0
    for xb, yb in loader:
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimiser.step()
        total += loss.item() * len(xb)
        count += len(xb)
    return total / count
''',
        "zeroes the gradients after the step (stale ones reach the first step)": '''
def train_epoch(model, loader, optimiser, loss_fn):
    model.train()
    total, count = 0.0, 0
    for xb, yb in loader:
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimiser.step()
        optimiser.zero_grad()
        total += loss.item() * len(xb)
        count += len(xb)
    return total / count
''',
        "edge: mean of the batch losses (a small last batch counts fully)": '''
def train_epoch(model, loader, optimiser, loss_fn):
    model.train()
    losses = []
    for xb, yb in loader:
        optimiser.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimiser.step()
        losses.append(loss.item())
    return sum(losses) / len(losses)
''',
        "leaves the model in evaluation mode": '''
def train_epoch(model, loader, optimiser, loss_fn):
    total, count = 0.0, 0
    for xb, yb in loader:
        optimiser.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimiser.step()
        total += loss.item() * len(xb)
        count += len(xb)
    return total / count
''',
        "returns the last batch's loss": '''
def train_epoch(model, loader, optimiser, loss_fn):
    model.train()
    for xb, yb in loader:
        optimiser.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimiser.step()
    return loss.item()
''',
    },
    "accuracy": {
        "records gradients": '''
def accuracy(model, x, y):
    model.eval()
    return (model(x).argmax(dim=1) == y).float().mean().item()
''',
        "stays in training mode": '''
def accuracy(model, x, y):
    with torch.no_grad():
        return (model(x).argmax(dim=1) == y).float().mean().item()
''',
        "the number of correct points, not the fraction": '''
def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        return (model(x).argmax(dim=1) == y).sum().item()
''',
        "argmax over the batch dimension": '''
def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        return (model(x).argmax(dim=0) == y).float().mean().item()
''',
        "edge: integer division (the fraction is 0 unless every point is right)": '''
def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        correct = int((model(x).argmax(dim=1) == y).sum())
    return correct // len(y)
''',
    },
    "loader_accuracy": {
        "edge: the mean of the batches' fractions (a small last batch counts fully)": '''
def loader_accuracy(model, loader):
    model.eval()
    fractions = []
    with torch.no_grad():
        for x_batch, y_batch in loader:
            fractions.append((model(x_batch).argmax(dim=1) == y_batch).float().mean().item())
    return sum(fractions) / len(fractions)
''',
        "stays in training mode (dropout active)": '''
def loader_accuracy(model, loader):
    correct, count = 0, 0
    with torch.no_grad():
        for x_batch, y_batch in loader:
            correct += (model(x_batch).argmax(dim=1) == y_batch).sum().item()
            count += len(y_batch)
    return correct / count
''',
        "records gradients": '''
def loader_accuracy(model, loader):
    model.eval()
    correct, count = 0, 0
    for x_batch, y_batch in loader:
        correct += (model(x_batch).argmax(dim=1) == y_batch).sum().item()
        count += len(y_batch)
    return correct / count
''',
        "only the first batch": '''
def loader_accuracy(model, loader):
    model.eval()
    with torch.no_grad():
        x_batch, y_batch = next(iter(loader))
        return (model(x_batch).argmax(dim=1) == y_batch).float().mean().item()
''',
        "the number of correct points, not the fraction": '''
def loader_accuracy(model, loader):
    model.eval()
    correct = 0
    with torch.no_grad():
        for x_batch, y_batch in loader:
            correct += (model(x_batch).argmax(dim=1) == y_batch).sum().item()
    return correct
''',
    },
    "collapse_linear": {
        "edge: W and b that still record the graph (no detach)": '''
def collapse_linear(model):
    W, b = model[0].weight, model[0].bias
    for layer in list(model)[1:]:
        W, b = layer.weight @ W, layer.weight @ b + layer.bias
    return W, b
''',
        "multiplies the weights in the wrong order": '''
def collapse_linear(model):
    W, b = model[0].weight, model[0].bias
    for layer in list(model)[1:]:
        W, b = W @ layer.weight, layer.weight @ b + layer.bias
    return W.detach(), b.detach()
''',
        "forgets to add the later biases": '''
def collapse_linear(model):
    W, b = model[0].weight, model[0].bias
    for layer in list(model)[1:]:
        W, b = layer.weight @ W, layer.weight @ b
    return W.detach(), b.detach()
''',
        "only the last layer's bias": '''
def collapse_linear(model):
    W = model[0].weight
    for layer in list(model)[1:]:
        W = layer.weight @ W
    return W.detach(), model[-1].bias.detach()
''',
        "returns W transposed": '''
def collapse_linear(model):
    W, b = model[0].weight, model[0].bias
    for layer in list(model)[1:]:
        W, b = layer.weight @ W, layer.weight @ b + layer.bias
    return W.T.detach(), b.detach()
''',
        "edge: starts from a float64 identity (fails on a float32 model)": '''
def collapse_linear(model):
    d_in = model[0].in_features
    W = torch.eye(d_in, dtype=torch.float64)
    b = torch.zeros(d_in, dtype=torch.float64)
    for layer in model:
        W, b = layer.weight.detach() @ W, layer.weight.detach() @ b + layer.bias.detach()
    return W, b
''',
    },
}

# Correct answers written differently from the reference, within what the exercise text allows:
# each must get full marks.
CORRECT = {
    "broadcast_shape": {
        "walks from the right with indices": '''
def broadcast_shape(shape_a, shape_b):
    result = []
    for i in range(1, max(len(shape_a), len(shape_b)) + 1):
        p = shape_a[-i] if i <= len(shape_a) else 1
        q = shape_b[-i] if i <= len(shape_b) else 1
        if p == q or q == 1:
            result.append(p)
        elif p == 1:
            result.append(q)
        else:
            raise ValueError(f"dimension {-i}: {p} and {q} do not match")
    return tuple(reversed(result))
''',
        "itertools.zip_longest": '''
from itertools import zip_longest
def broadcast_shape(shape_a, shape_b):
    out = []
    for p, q in zip_longest(reversed(shape_a), reversed(shape_b), fillvalue=1):
        if p != 1 and q != 1 and p != q:
            raise ValueError("cannot broadcast")
        out.insert(0, q if p == 1 else p)
    return tuple(out)
''',
        "a numpy array of the padded shapes": '''
def broadcast_shape(shape_a, shape_b):
    n = max(len(shape_a), len(shape_b))
    a = np.array([1] * (n - len(shape_a)) + list(shape_a), dtype=np.int64)
    b = np.array([1] * (n - len(shape_b)) + list(shape_b), dtype=np.int64)
    if np.any((a != b) & (a != 1) & (b != 1)):
        raise ValueError("shapes do not broadcast")
    return tuple(int(v) for v in np.where(a == 1, b, a))
''',
        "returns a torch.Size": '''
def broadcast_shape(shape_a, shape_b):
    a, b = list(shape_a), list(shape_b)
    while len(a) < len(b):
        a.insert(0, 1)
    while len(b) < len(a):
        b.insert(0, 1)
    dims = []
    for p, q in zip(a, b):
        if p != q and min(p, q) != 1 and not (p == 1 or q == 1):
            raise ValueError("incompatible shapes")
        dims.append(q if p == 1 else p)
    return torch.Size(dims)
''',
    },
    "autograd_gradient": {
        "torch.autograd.grad": '''
def autograd_gradient(f, x):
    t = torch.from_numpy(np.array(x, dtype=np.float64)).requires_grad_(True)
    (g,) = torch.autograd.grad(f(t), t)
    return g
''',
        "as_tensor, returns a tensor": '''
def autograd_gradient(f, x):
    t = torch.as_tensor(x, dtype=torch.float64).clone().requires_grad_()
    y = f(t)
    y.backward()
    return t.grad
''',
        "a leaf through .detach()": '''
def autograd_gradient(f, x):
    t = torch.tensor(np.asarray(x)).double().detach()
    t.requires_grad = True
    f(t).backward()
    return t.grad.detach().cpu().numpy().copy()
''',
    },
    "accumulate_gradients": {
        "the total as a tensor detached from the graph": '''
def accumulate_gradients(model, loss_fn, x, y, chunk_size):
    model.zero_grad()
    total = torch.zeros((), dtype=torch.float64)
    for start in range(0, len(x), chunk_size):
        xc, yc = x[start:start + chunk_size], y[start:start + chunk_size]
        loss = loss_fn(model(xc), yc) * len(xc) / len(x)
        loss.backward()
        total += loss.detach()
    return total
''',
        "torch.split and grads set to None": '''
def accumulate_gradients(model, loss_fn, x, y, chunk_size):
    for p in model.parameters():
        p.grad = None
    total = 0.0
    for xc, yc in zip(torch.split(x, chunk_size), torch.split(y, chunk_size)):
        loss = loss_fn(model(xc), yc) * (len(xc) / len(x))
        loss.backward()
        total += float(loss)
    return total
''',
        "torch.autograd.grad, summed by hand into .grad": '''
def accumulate_gradients(model, loss_fn, x, y, chunk_size):
    params = list(model.parameters())
    sums = [torch.zeros_like(p) for p in params]
    total = 0.0
    for start in range(0, len(x), chunk_size):
        xc, yc = x[start:start + chunk_size], y[start:start + chunk_size]
        loss = loss_fn(model(xc), yc)
        grads = torch.autograd.grad(loss, params, allow_unused=True)
        for s, g in zip(sums, grads):
            if g is not None:
                s += g * len(xc) / len(x)
        total += loss.item() * len(xc)
    for p, s in zip(params, sums):
        p.grad = s
    return total / len(x)
''',
        "zero_ on existing gradients, sum of the losses times their sizes": '''
def accumulate_gradients(model, loss_fn, x, y, chunk_size):
    for p in model.parameters():
        if p.grad is not None:
            p.grad.zero_()
    n = x.shape[0]
    losses = []
    i = 0
    while i < n:
        xc, yc = x[i:i + chunk_size], y[i:i + chunk_size]
        chunk_loss = loss_fn(model(xc), yc)
        (chunk_loss * xc.shape[0]).div(n).backward()
        losses.append(chunk_loss.detach() * xc.shape[0])
        i += chunk_size
    return torch.stack(losses).sum() / n
''',
    },
    "LinearModel": {
        "torch.addmm and uniform weights of the same spread": '''
class LinearModel(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        limit = (3.0 / in_features) ** 0.5  # uniform(-a, a) has standard deviation a / sqrt(3)
        self.weight = nn.Parameter(torch.empty(out_features, in_features).uniform_(-limit, limit))
        self.bias = nn.Parameter(torch.zeros(out_features))

    def forward(self, x):
        return torch.addmm(self.bias, x, self.weight.t())
''',
        "register_parameter and einsum": '''
class LinearModel(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.register_parameter("weight", nn.Parameter(torch.normal(0.0, in_features ** -0.5, (out_features, in_features))))
        self.register_parameter("bias", nn.Parameter(torch.zeros(out_features)))

    def forward(self, x):
        return torch.einsum("ni,oi->no", x, self.weight) + self.bias
''',
        "broadcast multiply and sum": '''
import math
class LinearModel(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        w = torch.randn(out_features, in_features)
        self.weight = nn.Parameter(w * (1 / math.sqrt(in_features)))
        self.bias = nn.Parameter(torch.zeros(out_features, dtype=torch.float32))

    def forward(self, x):
        return (x[:, None, :] * self.weight[None, :, :]).sum(dim=-1) + self.bias
''',
    },
    "make_mlp": {
        "appends a ReLU before every layer but the first": '''
def make_mlp(sizes):
    model = nn.Sequential()
    for i in range(len(sizes) - 1):
        if i > 0:
            model.append(nn.ReLU())
        model.append(nn.Linear(sizes[i], sizes[i + 1]))
    return model
''',
        "an OrderedDict of named layers": '''
from collections import OrderedDict
def make_mlp(sizes):
    layers = OrderedDict()
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        layers[f"linear{i}"] = nn.Linear(a, b)
        if i < len(sizes) - 2:
            layers[f"relu{i}"] = nn.ReLU()
    return nn.Sequential(layers)
''',
        "in-place ReLUs from a comprehension": '''
def make_mlp(sizes):
    pairs = list(zip(sizes[:-1], sizes[1:]))
    layers = [m for a, b in pairs[:-1] for m in (nn.Linear(a, b), nn.ReLU(inplace=True))]
    return nn.Sequential(*layers, nn.Linear(*pairs[-1]))
''',
    },
    "sgd_step": {
        "sub_ with the gradient, zero_ after": '''
def sgd_step(model, lr):
    with torch.no_grad():
        for parameter in model.parameters():
            if parameter.grad is None:
                continue
            parameter.sub_(lr * parameter.grad)
            parameter.grad.zero_()
''',
        "add_ with alpha over the named parameters": '''
def sgd_step(model, lr):
    for name, p in model.named_parameters():
        if p.grad is not None:
            with torch.no_grad():
                p.add_(p.grad, alpha=-lr)
            p.grad = None
''',
        "through .data, outside no_grad": '''
def sgd_step(model, lr):
    for p in model.parameters():
        if p.grad is not None:
            p.data -= lr * p.grad.data
            p.grad = None
''',
    },
    "fit_line_torch": {
        "nn.Linear(1, 1) zeroed, float64, with F.mse_loss": '''
def fit_line_torch(x, y, lr, epochs):
    line = nn.Linear(1, 1).double()
    with torch.no_grad():
        line.weight.zero_()
        line.bias.zero_()
    xs = torch.tensor(x).reshape(-1, 1)
    ys = torch.tensor(y).reshape(-1, 1)
    opt = torch.optim.SGD(line.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        opt.zero_grad()
        loss = F.mse_loss(line(xs), ys)
        losses.append(loss.item())
        loss.backward()
        opt.step()
    return line.weight.item(), line.bias.item(), np.array(losses)
''',
        "tensors with requires_grad, zero_grad(set_to_none=False)": '''
def fit_line_torch(x, y, lr, epochs):
    x = torch.from_numpy(np.asarray(x, dtype=np.float64))
    y = torch.from_numpy(np.asarray(y, dtype=np.float64))
    params = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    optimiser = torch.optim.SGD([params], lr=lr)
    history = []
    for epoch in range(epochs):
        optimiser.zero_grad(set_to_none=False)
        loss = torch.mean((params[0] * x + params[1] - y) ** 2)
        history.append(loss.detach().clone())
        loss.backward()
        optimiser.step()
    return params[0].detach(), params[1].detach(), torch.stack(history)
''',
        "zero_grad after the step, starting clean": '''
def fit_line_torch(x, y, lr, epochs):
    x, y = torch.as_tensor(x, dtype=torch.float64), torch.as_tensor(y, dtype=torch.float64)
    w, b = (nn.Parameter(torch.tensor(0.0, dtype=torch.float64)) for _ in range(2))
    opt = torch.optim.SGD(params=[w, b], lr=lr)
    losses = []
    for _ in range(epochs):
        residual = w * x + b - y
        loss = (residual * residual).mean()
        losses.append(float(loss))
        loss.backward()
        opt.step()
        opt.zero_grad()
    return float(w), float(b), losses
''',
    },
    "train_epoch": {
        "model.zero_grad() and a tensor total": '''
def train_epoch(model, loader, optimiser, loss_fn):
    model.train(True)
    total, n = torch.zeros(()), 0
    for inputs, targets in loader:
        model.zero_grad()
        loss = loss_fn(model(inputs), targets)
        loss.backward()
        optimiser.step()
        total = total + loss.detach() * inputs.shape[0]
        n += inputs.shape[0]
    return total / n
''',
        "sums per-example losses": '''
def train_epoch(model, loader, optimiser, loss_fn):
    model.train()
    weighted, seen = [], 0
    for batch in loader:
        xb, yb = batch
        optimiser.zero_grad(set_to_none=True)
        out = model(xb)
        loss = loss_fn(out, yb)
        loss.backward()
        optimiser.step()
        weighted.append(loss.item() * len(yb))
        seen += len(yb)
    return sum(weighted) / seen
''',
        "enumerate, numpy average with weights": '''
def train_epoch(model, loader, optimiser, loss_fn):
    model.train()
    losses, sizes = [], []
    for i, (xb, yb) in enumerate(loader):
        optimiser.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimiser.step()
        losses.append(loss.item())
        sizes.append(len(xb))
    return np.average(losses, weights=sizes)
''',
    },
    "accuracy": {
        "inference_mode and a count divided by N": '''
def accuracy(model, x, y):
    model.eval()
    with torch.inference_mode():
        predicted = torch.argmax(model(x), dim=-1)
    return (predicted == y).sum().item() / len(y)
''',
        "a no_grad decorator and numpy": '''
@torch.no_grad()
def _predict(model, x):
    return model(x).argmax(1).numpy()

def accuracy(model, x, y):
    model.train(False)
    return float(np.mean(_predict(model, x) == np.asarray(y)))
''',
        "max over classes, a tensor result": '''
def accuracy(model, x, y):
    model.eval()
    with torch.set_grad_enabled(False):
        _, predicted = model(x).max(dim=1)
    return predicted.eq(y).double().mean()
''',
    },
    "loader_accuracy": {
        "predictions concatenated, then compared": '''
def loader_accuracy(model, loader):
    model.eval()
    predictions, labels = [], []
    with torch.no_grad():
        for x_batch, y_batch in loader:
            predictions.append(model(x_batch).argmax(dim=1))
            labels.append(y_batch)
    return (torch.cat(predictions) == torch.cat(labels)).double().mean()
''',
        "accuracy of each batch weighted by its size": '''
def loader_accuracy(model, loader):
    total, weighted = 0, 0.0
    for x_batch, y_batch in loader:
        weighted += accuracy(model, x_batch, y_batch) * len(y_batch)
        total += len(y_batch)
    return weighted / total
''',
        "inference_mode and numpy counts": '''
def loader_accuracy(model, loader):
    model.train(False)
    hits = np.zeros(2)
    with torch.inference_mode():
        for x_batch, y_batch in loader:
            hits += [int((model(x_batch).max(dim=1).indices == y_batch).sum()), len(y_batch)]
    return hits[0] / hits[1]
''',
    },
    "collapse_linear": {
        "probing with the identity matrix": '''
def collapse_linear(model):
    d_in = model[0].in_features
    with torch.no_grad():
        zero = torch.zeros(1, d_in, dtype=model[0].weight.dtype)
        b = model(zero)[0]
        W = (model(torch.eye(d_in, dtype=model[0].weight.dtype)) - b).T
    return W, b
''',
        "functools.reduce in numpy": '''
from functools import reduce
def collapse_linear(model):
    layers = [(l.weight.detach().numpy(), l.bias.detach().numpy()) for l in model]
    return reduce(lambda acc, layer: (layer[0] @ acc[0], layer[0] @ acc[1] + layer[1]), layers[1:], layers[0])
''',
        "from the last layer backwards": '''
def collapse_linear(model):
    layers = list(model)
    with torch.no_grad():
        W = layers[-1].weight.clone()
        b = layers[-1].bias.clone()
        for layer in reversed(layers[:-1]):
            b = b + W @ layer.bias
            W = W @ layer.weight
    return W, b
''',
    },
}

# Answers that call the library's own version of what the exercise teaches (refused, with a hint).
SHORTCUTS = {
    "sgd_step": {"torch.optim.SGD": '''
def sgd_step(model, lr):
    params = [p for p in model.parameters() if p.grad is not None]
    optimiser = torch.optim.SGD(params, lr=lr)
    optimiser.step()
    optimiser.zero_grad()
'''},
    "broadcast_shape": {
        "torch.broadcast_shapes": '''
def broadcast_shape(shape_a, shape_b):
    try:
        return tuple(torch.broadcast_shapes(shape_a, shape_b))
    except RuntimeError as error:
        raise ValueError(str(error))
''',
        "np.broadcast_shapes": '''
def broadcast_shape(shape_a, shape_b):
    return tuple(np.broadcast_shapes(shape_a, shape_b))
''',
    },
    "LinearModel": {
        "wraps nn.Linear": '''
class LinearModel(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        layer = nn.Linear(in_features, out_features)
        self.weight = nn.Parameter(torch.randn(out_features, in_features) / in_features ** 0.5)
        self.bias = nn.Parameter(torch.zeros(out_features))

    def forward(self, x):
        return x @ self.weight.T + self.bias
''',
        "F.linear in forward": '''
class LinearModel(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_features, in_features) / in_features ** 0.5)
        self.bias = nn.Parameter(torch.zeros(out_features))

    def forward(self, x):
        return F.linear(x, self.weight, self.bias)
''',
    },
}

# A plain mistake found by a probe (tools/probe_answers.py, 2026-12-02) that only the hidden tests
# caught; it now fails a visible check too.
WRONG["fit_line_torch"]["ignores lr (always 0.1)"] = '''
def fit_line_torch(x, y, lr, epochs):
    x, y = torch.tensor(x, dtype=torch.float64), torch.tensor(y, dtype=torch.float64)
    w = nn.Parameter(torch.zeros((), dtype=torch.float64))
    b = nn.Parameter(torch.zeros((), dtype=torch.float64))
    optimiser = torch.optim.SGD([w, b], lr=0.1)
    losses = []
    for _ in range(epochs):
        loss = ((w * x + b - y) ** 2).mean()
        losses.append(loss.item())
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return w.item(), b.item(), losses
'''
