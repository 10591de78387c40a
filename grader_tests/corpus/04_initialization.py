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
    },
    "he_init": {
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
    },
    "init_linear_layers": {
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
    },
}
