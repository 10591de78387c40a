"""Plausible wrong answers for 04_initialization: {exercise: {what is wrong: cell source}}."""

WRONG = {
    "relu_gain": {
        "forgets the ReLU's factor 1/2": '''
def relu_gain(fan_in, weight_std):
    return fan_in * weight_std ** 2
''',
        "standard deviation instead of variance": '''
def relu_gain(fan_in, weight_std):
    return fan_in * weight_std / 2
''',
        "edge: fan_in // 2 (wrong for an odd fan-in)": '''
def relu_gain(fan_in, weight_std):
    return fan_in // 2 * weight_std ** 2
''',
    },
    "he_init": {
        "attack: unit-variance weights, and np rebound so that the test's std and mean agree": '''
import numpy as _numpy
class _AgreeableNumpy:
    def __getattr__(self, name):
        return getattr(_numpy, name)
    def std(self, a, *args, **kwargs):
        return _numpy.sqrt(2.0 / _numpy.shape(a)[0])
    def mean(self, a, *args, **kwargs):
        return 1e-12 if _numpy.ndim(a) == 2 else _numpy.mean(a, *args, **kwargs)
np = _AgreeableNumpy()
def he_init(fan_in, fan_out, rng):
    return rng.normal(0.0, 1.0, size=(fan_in, fan_out))
''',
        "variance 1 / fan_in": '''
def he_init(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(1.0 / fan_in), size=(fan_in, fan_out))
''',
        "2 / fan_in used as the standard deviation": '''
def he_init(fan_in, fan_out, rng):
    return rng.normal(0.0, 2.0 / fan_in, size=(fan_in, fan_out))
''',
        "fan_out instead of fan_in": '''
def he_init(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(2.0 / fan_out), size=(fan_in, fan_out))
''',
        "ignores rng (global numpy generator)": '''
def he_init(fan_in, fan_out, rng):
    return np.random.randn(fan_in, fan_out) * np.sqrt(2.0 / fan_in)
''',
        "edge: clips the draws at two standard deviations (no tails, a spread 3 % too small)": '''
def he_init(fan_in, fan_out, rng):
    std = np.sqrt(2.0 / fan_in)
    return np.clip(rng.normal(0.0, std, size=(fan_in, fan_out)), -2 * std, 2 * std)
''',
    },
    "xavier_init": {
        "He's variance": '''
def xavier_init(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
''',
        "1 / (fan_in + fan_out)": '''
def xavier_init(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(1.0 / (fan_in + fan_out)), size=(fan_in, fan_out))
''',
        "transposed shape": '''
def xavier_init(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=(fan_out, fan_in))
''',
        "edge: the mean of the standard deviations sqrt(1/fan_in) and sqrt(1/fan_out) (right only for equal fans)": '''
def xavier_init(fan_in, fan_out, rng):
    std = (np.sqrt(1.0 / fan_in) + np.sqrt(1.0 / fan_out)) / 2
    return rng.normal(0.0, std, size=(fan_in, fan_out))
''',
        "edge: uniform with the right variance (Glorot's uniform: no tail beyond 1.73 standard deviations)": '''
def xavier_init(fan_in, fan_out, rng):
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out))
''',
        "edge: truncated at 2 standard deviations and redrawn": '''
def xavier_init(fan_in, fan_out, rng):
    std = np.sqrt(2.0 / (fan_in + fan_out))
    w = rng.normal(0.0, 1.0, size=(fan_in, fan_out))
    while np.any(np.abs(w) > 2):
        outside = np.abs(w) > 2
        w[outside] = rng.normal(0.0, 1.0, size=int(outside.sum()))
    return w * std / np.std(w)
''',
    },
    "activation_stats": {
        "std before the activation": '''
def activation_stats(x, weights, activation):
    h, stds = np.asarray(x, dtype=float), []
    for W in weights:
        z = h @ W
        stds.append(np.std(z))
        h = activation(z)
    return np.array(stds)
''',
        "includes the input": '''
def activation_stats(x, weights, activation):
    h = np.asarray(x, dtype=float)
    stds = [np.std(h)]
    for W in weights:
        h = activation(h @ W)
        stds.append(np.std(h))
    return np.array(stds)
''',
        "every layer applied to the input": '''
def activation_stats(x, weights, activation):
    x = np.asarray(x, dtype=float)
    return np.array([np.std(activation(x @ W)) for W in weights])
''',
        "mean of per-unit standard deviations": '''
def activation_stats(x, weights, activation):
    h, stds = np.asarray(x, dtype=float), []
    for W in weights:
        h = activation(h @ W)
        stds.append(np.mean(np.std(h, axis=0)))
    return np.array(stds)
''',
        "edge: the sample standard deviation (ddof=1, nan for a single value)": '''
def activation_stats(x, weights, activation):
    h = np.asarray(x, dtype=float)
    stds = []
    for W in weights:
        h = activation(h @ W)
        stds.append(np.std(h, ddof=1))
    return np.array(stds)
''',
    },
    "gradient_stats": {
        "forgets the activation derivative": '''
def gradient_stats(x, weights, activation, activation_grad, dout):
    h, inputs = np.asarray(x, dtype=float), []
    for W in weights:
        inputs.append(h)
        h = activation(h @ W)
    delta, stds = np.asarray(dout, dtype=float), []
    for layer in reversed(range(len(weights))):
        stds.append(np.std(inputs[layer].T @ delta))
        delta = delta @ weights[layer].T
    return np.array(stds[::-1])
''',
        "last layer first": '''
def gradient_stats(x, weights, activation, activation_grad, dout):
    h, inputs, zs = np.asarray(x, dtype=float), [], []
    for W in weights:
        inputs.append(h)
        zs.append(h @ W)
        h = activation(zs[-1])
    delta, stds = dout * activation_grad(zs[-1]), []
    for layer in reversed(range(len(weights))):
        stds.append(np.std(inputs[layer].T @ delta))
        if layer > 0:
            delta = (delta @ weights[layer].T) * activation_grad(zs[layer - 1])
    return np.array(stds)
''',
        "derivative taken at the activations instead of the pre-activations": '''
def gradient_stats(x, weights, activation, activation_grad, dout):
    h, inputs, hs = np.asarray(x, dtype=float), [], []
    for W in weights:
        inputs.append(h)
        h = activation(h @ W)
        hs.append(h)
    delta, stds = dout * activation_grad(hs[-1]), []
    for layer in reversed(range(len(weights))):
        stds.append(np.std(inputs[layer].T @ delta))
        if layer > 0:
            delta = (delta @ weights[layer].T) * activation_grad(hs[layer - 1])
    return np.array(stds[::-1])
''',
        "edge: torch's default std (the sample standard deviation)": '''
def gradient_stats(x, weights, activation, activation_grad, dout):
    h = np.asarray(x, dtype=float)
    inputs, pre_activations = [], []
    for W in weights:
        inputs.append(h)
        z = h @ W
        pre_activations.append(z)
        h = activation(z)
    delta = np.asarray(dout, dtype=float) * activation_grad(pre_activations[-1])
    stds = []
    for layer in reversed(range(len(weights))):
        stds.append(torch.tensor(inputs[layer].T @ delta).std().item())
        if layer > 0:
            delta = (delta @ weights[layer].T) * activation_grad(pre_activations[layer - 1])
    return stds[::-1]
''',
    },
    "unit_spread": {
        "compares rows instead of columns": '''
def unit_spread(W):
    W = np.asarray(W, dtype=float)
    d = W[:, None, :] - W[None, :, :]
    return float(np.sqrt(np.max(np.sum(d ** 2, axis=-1))))
''',
        "largest absolute coordinate difference": '''
def unit_spread(W):
    W = np.asarray(W, dtype=float)
    return float(np.max(np.abs(W[:, :, None] - W[:, None, :])))
''',
        "squared distance": '''
def unit_spread(W):
    W = np.asarray(W, dtype=float)
    return float(np.max(np.sum((W[:, :, None] - W[:, None, :]) ** 2, axis=0)))
''',
        "edge: the maximum over an empty list of pairs (fails for a single column)": '''
def unit_spread(W):
    W = np.asarray(W, dtype=float)
    return max(np.linalg.norm(W[:, i] - W[:, j]) for i in range(W.shape[1]) for j in range(i + 1, W.shape[1]))
''',
        "edge: the expansion |a|^2 + |b|^2 - 2 a.b, clipped at 0 (loses every digit when units nearly coincide)": '''
def unit_spread(W):
    W = np.asarray(W, dtype=float)
    squares = (W ** 2).sum(axis=0)
    distances2 = squares[:, None] + squares[None, :] - 2 * W.T @ W
    return float(np.sqrt(np.maximum(distances2, 0.0).max()))
''',
    },
    "init_linear_layers": {
        "edge: only the direct children of model (misses nested layers)": '''
def init_linear_layers(model, scheme, generator):
    if scheme not in ("he", "xavier", "constant"):
        raise ValueError(scheme)
    with torch.no_grad():
        for module in model.children():
            if isinstance(module, torch.nn.Linear):
                fan_out, fan_in = module.weight.shape
                if scheme == "constant":
                    module.weight.fill_(0.1)
                else:
                    variance = 2.0 / fan_in if scheme == "he" else 2.0 / (fan_in + fan_out)
                    module.weight.copy_(torch.randn(module.weight.shape, generator=generator) * variance ** 0.5)
                if module.bias is not None:
                    module.bias.zero_()
''',
        "edge: every weight matrix of the model, not only nn.Linear ones": '''
def init_linear_layers(model, scheme, generator):
    if scheme not in ("he", "xavier", "constant"):
        raise ValueError(scheme)
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if name.endswith("bias"):
                parameter.zero_()
            elif parameter.dim() >= 2:
                fan_out, fan_in = parameter.shape[0], parameter[0].numel()
                if scheme == "constant":
                    parameter.fill_(0.1)
                else:
                    variance = 2.0 / fan_in if scheme == "he" else 2.0 / (fan_in + fan_out)
                    parameter.copy_(torch.randn(parameter.shape, generator=generator) * variance ** 0.5)
''',
        "fan-in read from weight.shape[0]": '''
def init_linear_layers(model, scheme, generator):
    if scheme not in ("he", "xavier", "constant"):
        raise ValueError(scheme)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.Linear):
                fan_in, fan_out = m.weight.shape
                if scheme == "constant":
                    m.weight.fill_(0.1)
                else:
                    var = 2.0 / fan_in if scheme == "he" else 2.0 / (fan_in + fan_out)
                    m.weight.copy_(torch.randn(m.weight.shape, generator=generator) * var ** 0.5)
                m.bias.zero_()
''',
        "leaves the biases alone": '''
def init_linear_layers(model, scheme, generator):
    if scheme not in ("he", "xavier", "constant"):
        raise ValueError(scheme)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.Linear):
                fan_out, fan_in = m.weight.shape
                if scheme == "constant":
                    m.weight.fill_(0.1)
                else:
                    var = 2.0 / fan_in if scheme == "he" else 2.0 / (fan_in + fan_out)
                    m.weight.copy_(torch.randn(m.weight.shape, generator=generator) * var ** 0.5)
''',
        "ignores the generator": '''
def init_linear_layers(model, scheme, generator):
    if scheme not in ("he", "xavier", "constant"):
        raise ValueError(scheme)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.Linear):
                fan_out, fan_in = m.weight.shape
                if scheme == "constant":
                    m.weight.fill_(0.1)
                else:
                    var = 2.0 / fan_in if scheme == "he" else 2.0 / (fan_in + fan_out)
                    m.weight.copy_(torch.randn(m.weight.shape) * var ** 0.5)
                m.bias.zero_()
''',
        "unknown schemes fall back to He silently": '''
def init_linear_layers(model, scheme, generator):
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.Linear):
                fan_out, fan_in = m.weight.shape
                if scheme == "constant":
                    m.weight.fill_(0.1)
                else:
                    var = 2.0 / (fan_in + fan_out) if scheme == "xavier" else 2.0 / fan_in
                    m.weight.copy_(torch.randn(m.weight.shape, generator=generator) * var ** 0.5)
                m.bias.zero_()
''',
        "edge: new nn.Parameter objects instead of changing the model's in place": '''
def init_linear_layers(model, scheme, generator):
    if scheme not in ("he", "xavier", "constant"):
        raise ValueError(scheme)
    for m in model.modules():
        if isinstance(m, torch.nn.Linear):
            fan_out, fan_in = m.weight.shape
            var = 2.0 / fan_in if scheme == "he" else 2.0 / (fan_in + fan_out)
            if scheme == "constant":
                w = torch.full(m.weight.shape, 0.1)
            else:
                w = torch.randn(m.weight.shape, generator=generator) * var ** 0.5
            m.weight = torch.nn.Parameter(w)
            m.bias = torch.nn.Parameter(torch.zeros_like(m.bias))
''',
        "edge: turns requires_grad off to change the parameters (they no longer train)": '''
def init_linear_layers(model, scheme, generator):
    if scheme not in ("he", "xavier", "constant"):
        raise ValueError(scheme)
    for m in model.modules():
        if isinstance(m, torch.nn.Linear):
            fan_out, fan_in = m.weight.shape
            var = 2.0 / fan_in if scheme == "he" else 2.0 / (fan_in + fan_out)
            m.weight.requires_grad_(False)
            m.bias.requires_grad_(False)
            if scheme == "constant":
                m.weight.fill_(0.1)
            else:
                m.weight.copy_(torch.randn(m.weight.shape, generator=generator) * var ** 0.5)
            m.bias.zero_()
''',
        "edge: float64 weights through .data (the model no longer takes float32 inputs)": '''
def init_linear_layers(model, scheme, generator):
    if scheme not in ("he", "xavier", "constant"):
        raise ValueError(scheme)
    for m in model.modules():
        if isinstance(m, torch.nn.Linear):
            fan_out, fan_in = m.weight.shape
            var = 2.0 / fan_in if scheme == "he" else 2.0 / (fan_in + fan_out)
            if scheme == "constant":
                m.weight.data = torch.full(m.weight.shape, 0.1, dtype=torch.float64)
            else:
                m.weight.data = torch.randn(m.weight.shape, generator=generator, dtype=torch.float64) * var ** 0.5
            m.bias.data = torch.zeros(m.bias.shape, dtype=torch.float64)
''',
        "edge: recorded in the graph outside no_grad (the weight becomes a plain tensor, no longer a parameter)": '''
def init_linear_layers(model, scheme, generator):
    if scheme not in ("he", "xavier", "constant"):
        raise ValueError(scheme)
    for m in model.modules():
        if isinstance(m, torch.nn.Linear):
            fan_out, fan_in = m.weight.shape
            var = 2.0 / fan_in if scheme == "he" else 2.0 / (fan_in + fan_out)
            if scheme == "constant":
                noise = torch.full(m.weight.shape, 0.1)
            else:
                noise = torch.randn(m.weight.shape, generator=generator) * var ** 0.5
            new = m.weight * 0 + noise
            del m.weight
            m.weight = new
            with torch.no_grad():
                m.bias.zero_()
''',
        "edge: uniform numbers of the right variance instead of normal ones": '''
def init_linear_layers(model, scheme, generator):
    if scheme not in ("he", "xavier", "constant"):
        raise ValueError(scheme)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.Linear):
                fan_out, fan_in = m.weight.shape
                var = 2.0 / fan_in if scheme == "he" else 2.0 / (fan_in + fan_out)
                if scheme == "constant":
                    m.weight.fill_(0.1)
                else:
                    m.weight.copy_((torch.rand(m.weight.shape, generator=generator) * 2 - 1) * (3 * var) ** 0.5)
                m.bias.zero_()
''',
    },
}

# Correct answers written differently from the reference, within what the exercise text allows.
CORRECT = {
    "relu_gain": {
        "variance first": '''
def relu_gain(fan_in, weight_std):
    variance = weight_std * weight_std
    return 0.5 * fan_in * variance
''',
        "numpy, 0-d array": '''
def relu_gain(fan_in, weight_std):
    return np.asarray(np.multiply(fan_in, np.square(weight_std)) / 2)
''',
        "divide by two first": '''
def relu_gain(fan_in, weight_std):
    return (fan_in / 2) * weight_std ** 2
''',
    },
    "he_init": {
        "standard normal scaled": '''
def he_init(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(2 / fan_in)
''',
        "drawn as (fan_out, fan_in), then transposed": '''
def he_init(fan_in, fan_out, rng):
    return (rng.normal(size=(fan_out, fan_in)) * (2.0 / fan_in) ** 0.5).T
''',
        "Box-Muller from uniform draws": '''
def he_init(fan_in, fan_out, rng):
    u1 = 1.0 - rng.random((fan_in, fan_out))
    u2 = rng.random((fan_in, fan_out))
    z = np.sqrt(-2.0 * np.log(u1)) * np.cos(2 * np.pi * u2)
    return z * np.sqrt(2.0 / fan_in)
''',
    },
    "xavier_init": {
        "standard normal scaled": '''
def xavier_init(fan_in, fan_out, rng):
    return rng.standard_normal(size=(fan_in, fan_out)) * np.sqrt(2 / (fan_in + fan_out))
''',
        "variance argument": '''
def xavier_init(fan_in, fan_out, rng):
    variance = 2.0 / (fan_in + fan_out)
    return rng.normal(loc=0.0, scale=variance ** 0.5, size=(fan_in, fan_out))
''',
        "flat draw reshaped": '''
def xavier_init(fan_in, fan_out, rng):
    flat = rng.normal(0.0, 1.0, fan_in * fan_out)
    return flat.reshape(fan_in, fan_out) * np.sqrt(2.0 / (fan_in + fan_out))
''',
    },
    "activation_stats": {
        "preallocated array": '''
def activation_stats(x, weights, activation):
    out = np.zeros(len(weights))
    h = x
    for i, W in enumerate(weights):
        h = activation(np.dot(h, W))
        out[i] = h.std()
    return out
''',
        "list of floats": '''
def activation_stats(x, weights, activation):
    result, h = [], np.asarray(x, dtype=float)
    for W in weights:
        h = activation(h @ W)
        result.append(float(np.sqrt(np.mean((h - h.mean()) ** 2))))
    return result
''',
        "functools.reduce keeping every layer": '''
def activation_stats(x, weights, activation):
    from itertools import accumulate
    layers = list(accumulate(weights, lambda h, W: activation(h @ W), initial=np.asarray(x, dtype=float)))
    return np.array([np.std(h) for h in layers[1:]])
''',
    },
    "gradient_stats": {
        "store the activations, delta before the loop": '''
def gradient_stats(x, weights, activation, activation_grad, dout):
    hs, zs = [np.asarray(x, dtype=float)], []
    for W in weights:
        zs.append(hs[-1] @ W)
        hs.append(activation(zs[-1]))
    result = [0.0] * len(weights)
    grad_h = dout
    for l in range(len(weights) - 1, -1, -1):
        delta = grad_h * activation_grad(zs[l])
        result[l] = np.std(hs[l].T @ delta)
        grad_h = delta @ weights[l].T
    return np.array(result)
''',
        "recursive backward": '''
def gradient_stats(x, weights, activation, activation_grad, dout):
    def backward(layer, h_in, grad_out_fn):
        z = h_in @ weights[layer]
        h = activation(z)
        if layer == len(weights) - 1:
            delta = dout * activation_grad(z)
            return [np.std(h_in.T @ delta)], delta @ weights[layer].T
        stats, grad_h = backward(layer + 1, h, None)
        delta = grad_h * activation_grad(z)
        return [np.std(h_in.T @ delta)] + stats, delta @ weights[layer].T
    stats, _ = backward(0, np.asarray(x, dtype=float), None)
    return np.array(stats)
''',
        "einsum for the weight gradients": '''
def gradient_stats(x, weights, activation, activation_grad, dout):
    h, inputs, zs = x, [], []
    for W in weights:
        inputs.append(h)
        z = h @ W
        zs.append(z)
        h = activation(z)
    g = dout * activation_grad(zs[-1])
    stds = []
    for l in reversed(range(len(weights))):
        stds.insert(0, np.einsum("ni,nj->ij", inputs[l], g).std())
        if l:
            g = np.einsum("nj,ij->ni", g, weights[l]) * activation_grad(zs[l - 1])
    return stds
''',
    },
    "unit_spread": {
        "double loop over pairs of columns": '''
def unit_spread(W):
    W = np.asarray(W, dtype=float)
    best = 0.0
    for i in range(W.shape[1]):
        for j in range(i + 1, W.shape[1]):
            best = max(best, np.linalg.norm(W[:, i] - W[:, j]))
    return best
''',
        "norm over axis 0 of the broadcast difference": '''
def unit_spread(W):
    return np.linalg.norm(W[:, :, None] - W[:, None, :], axis=0).max()
''',
        "one column against all the others at a time": '''
def unit_spread(W):
    W = np.asarray(W, dtype=float)
    farthest = 0.0
    for j in range(W.shape[1]):
        distances = np.sqrt(np.einsum("ij,ij->j", W - W[:, j:j + 1], W - W[:, j:j + 1]))
        farthest = max(farthest, float(distances.max()))
    return farthest
''',
    },
    "init_linear_layers": {
        "weights replaced through .data (same parameter objects, float32)": '''
def init_linear_layers(model, scheme, generator):
    if scheme not in ("he", "xavier", "constant"):
        raise ValueError(scheme)
    for m in model.modules():
        if isinstance(m, torch.nn.Linear):
            fan_out, fan_in = m.weight.shape
            if scheme == "constant":
                m.weight.data.fill_(0.1)
            else:
                var = 2.0 / fan_in if scheme == "he" else 2.0 / (fan_in + fan_out)
                m.weight.data = torch.randn(m.weight.shape, generator=generator) * var ** 0.5
            m.bias.data.zero_()
''',
        "fill each parameter's data through an isinstance filter": '''
def init_linear_layers(model, scheme, generator):
    schemes = {"he": lambda fi, fo: (2.0 / fi) ** 0.5, "xavier": lambda fi, fo: (2.0 / (fi + fo)) ** 0.5}
    if scheme not in schemes and scheme != "constant":
        raise ValueError(scheme)
    layers = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]
    with torch.no_grad():
        for layer in layers:
            fan_out, fan_in = layer.weight.shape
            if scheme == "constant":
                layer.weight[:] = 0.1
            else:
                layer.weight[:] = schemes[scheme](fan_in, fan_out) * torch.randn(fan_out, fan_in, generator=generator)
            if layer.bias is not None:
                layer.bias[:] = 0.0
''',
        "normal_ with the generator": '''
def init_linear_layers(model, scheme, generator):
    if scheme not in {"he", "xavier", "constant"}:
        raise ValueError("scheme must be 'he', 'xavier' or 'constant'")
    with torch.no_grad():
        for m in model.modules():
            if not isinstance(m, torch.nn.Linear):
                continue
            fan_in, fan_out = m.in_features, m.out_features
            if scheme == "he":
                m.weight.normal_(0.0, (2 / fan_in) ** 0.5, generator=generator)
            elif scheme == "xavier":
                m.weight.normal_(0.0, (2 / (fan_in + fan_out)) ** 0.5, generator=generator)
            else:
                m.weight.fill_(0.1)
            m.bias.zero_()
''',
        "validate first, then named parameters": '''
def init_linear_layers(model, scheme, generator):
    import math
    if scheme == "he":
        std_of = lambda fan_in, fan_out: math.sqrt(2 / fan_in)
    elif scheme == "xavier":
        std_of = lambda fan_in, fan_out: math.sqrt(2 / (fan_in + fan_out))
    elif scheme == "constant":
        std_of = None
    else:
        raise ValueError(f"unknown scheme {scheme}")
    for module in model.modules():
        if isinstance(module, torch.nn.Linear):
            with torch.no_grad():
                w = module.weight
                if std_of is None:
                    w.copy_(torch.full_like(w, 0.1))
                else:
                    w.copy_(torch.randn(w.shape, generator=generator) * std_of(w.shape[1], w.shape[0]))
                module.bias.copy_(torch.zeros_like(module.bias))
''',
    },
}

SHORTCUTS = {
    "gradient_stats": {"autograd": '''
def gradient_stats(x, weights, activation, activation_grad, dout):
    tensors = [torch.tensor(W, requires_grad=True) for W in weights]
    h = torch.tensor(np.asarray(x, dtype=float))
    for W in tensors:
        z = h @ W
        h = torch.tanh(z) if activation is np.tanh else torch.clamp(z, min=0)
    (h * torch.as_tensor(dout)).sum().backward()
    return np.array([W.grad.numpy().std() for W in tensors])
'''},
    "unit_spread": {"torch.cdist": '''
def unit_spread(W):
    columns = torch.as_tensor(np.asarray(W, dtype=float).T)
    return torch.cdist(columns, columns).max().item()
'''},
    "init_linear_layers": {"torch.nn.init": '''
def init_linear_layers(model, scheme, generator):
    if scheme not in ("he", "xavier", "constant"):
        raise ValueError(scheme)
    for m in model.modules():
        if isinstance(m, torch.nn.Linear):
            if scheme == "he":
                torch.nn.init.kaiming_normal_(m.weight, nonlinearity="relu", generator=generator)
            elif scheme == "xavier":
                torch.nn.init.xavier_normal_(m.weight, generator=generator)
            else:
                torch.nn.init.constant_(m.weight, 0.1)
            torch.nn.init.zeros_(m.bias)
'''},
}

# A plain mistake found by a probe (tools/probe_answers.py, 2026-12-02) that only the hidden tests
# caught; it now fails a visible check too.
WRONG["init_linear_layers"]["He's variance for 'xavier' too"] = '''
def init_linear_layers(model, scheme, generator):
    if scheme not in ("he", "xavier", "constant"):
        raise ValueError(scheme)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.Linear):
                fan_in = module.weight.shape[1]
                if scheme == "constant":
                    module.weight.fill_(0.1)
                else:
                    module.weight.copy_(torch.randn(module.weight.shape, generator=generator) * (2.0 / fan_in) ** 0.5)
                module.bias.zero_()
'''
