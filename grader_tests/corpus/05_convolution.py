"""Plausible wrong answers for 05_convolution: {exercise: {what is wrong: cell source}}."""

from attacks import PATCH_MNIST1D_GENERATOR, REBIND_DATA_TO_EASY_SIGNALS

_NAIVE_TEMPLATE = '''
def conv2d_naive(x, w, b=None, stride=1, pad=0):
    x = np.pad(np.asarray(x, dtype=float), PADDING)
    N, _, H, W_ = x.shape
    F_, _, kh, kw = w.shape
    oh, ow = OUT_H, OUT_W
    y = np.zeros((N, F_, oh, ow))
    for n in range(N):
        for f in range(F_):
            for i in range(oh):
                for j in range(ow):
                    y[n, f, i, j] = np.sum(x[n, :, ROWS, COLS] * KERNEL)
    if b is not None:
        y += np.asarray(b, dtype=float)[None, :, None, None]
    return y
'''


def _naive(**parts):
    source = _NAIVE_TEMPLATE
    defaults = {"PADDING": "((0, 0), (0, 0), (pad, pad), (pad, pad))", "OUT_H": "(H - kh) // stride + 1",
                "OUT_W": "(W_ - kw) // stride + 1", "ROWS": "i * stride:i * stride + kh",
                "COLS": "j * stride:j * stride + kw", "KERNEL": "w[f]"}
    for key, value in {**defaults, **parts}.items():
        source = source.replace(key, value)
    return source


WRONG = {
    "conv_output_size": {
        "pads one side only": '''
def conv_output_size(n, k, stride=1, pad=0, dilation=1):
    return (n + pad - dilation * (k - 1) - 1) // stride + 1
''',
        "stride divides the input size": '''
def conv_output_size(n, k, stride=1, pad=0, dilation=1):
    return (n // stride + 2 * pad - dilation * (k - 1) - 1) + 1
''',
        "ignores dilation": '''
def conv_output_size(n, k, stride=1, pad=0, dilation=1):
    return (n + 2 * pad - k) // stride + 1
''',
        "edge: rounds up when the stride does not divide the room left (ceil)": '''
def conv_output_size(n, k, stride=1, pad=0, dilation=1):
    return -(-(n + 2 * pad - dilation * (k - 1) - 1) // stride) + 1
''',
    },
    "conv2d_naive": {
        "flips the kernel (true convolution)": _naive(KERNEL="w[f, :, ::-1, ::-1]"),
        "pads one side only": _naive(PADDING="((0, 0), (0, 0), (pad, 0), (pad, 0))"),
        "ignores the stride when reading the input": _naive(ROWS="i:i + kh", COLS="j:j + kw"),
        "output size one too small": _naive(OUT_H="(H - kh) // stride", OUT_W="(W_ - kw) // stride"),
        "edge: `if b:` for the bias (ambiguous with more than one filter)": _naive().replace("if b is not None:", "if b:"),
    },
    "conv2d_fast": {
        "measured: calls the loop version (the speed-up plotted below the check is about 1)": '''
def conv2d_fast(x, w, b=None, stride=1, pad=0):
    x = np.pad(np.asarray(x, dtype=float), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    N, _, H, W_ = x.shape
    F_, _, kh, kw = w.shape
    y = np.zeros((N, F_, (H - kh) // stride + 1, (W_ - kw) // stride + 1))
    for n in range(N):
        for f in range(F_):
            for i in range(y.shape[2]):
                for j in range(y.shape[3]):
                    y[n, f, i, j] = np.sum(x[n, :, i * stride:i * stride + kh, j * stride:j * stride + kw] * w[f])
    if b is not None:
        y += np.asarray(b, dtype=float)[None, :, None, None]
    return y
''',
        "strides before padding": '''
def conv2d_fast(x, w, b=None, stride=1, pad=0):
    x = np.asarray(x, dtype=float)
    kh, kw = w.shape[2:]
    win = np.lib.stride_tricks.sliding_window_view(np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad))), (kh, kw), axis=(2, 3))
    y = np.einsum("ncijuv,fcuv->nfij", win[:, :, pad::stride, pad::stride], w)
    return y if b is None else y + np.asarray(b)[None, :, None, None]
''',
        "flipped kernel": '''
def conv2d_fast(x, w, b=None, stride=1, pad=0):
    x = np.pad(np.asarray(x, dtype=float), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    kh, kw = w.shape[2:]
    win = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride]
    y = np.einsum("ncijuv,fcuv->nfij", win, w[:, :, ::-1, ::-1])
    return y if b is None else y + np.asarray(b)[None, :, None, None]
''',
        "bias added per channel axis wrongly": '''
def conv2d_fast(x, w, b=None, stride=1, pad=0):
    x = np.pad(np.asarray(x, dtype=float), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    kh, kw = w.shape[2:]
    win = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride]
    y = np.einsum("ncijuv,fcuv->nfij", win, w)
    return y if b is None else y + np.sum(b)
''',
        "edge: reshapes (N, H', W', F) into (N, F, H', W') instead of transposing (right for one filter only)": '''
def conv2d_fast(x, w, b=None, stride=1, pad=0):
    x = np.pad(np.asarray(x, dtype=float), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    kh, kw = w.shape[2:]
    windows = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(2, 3))[:, :, ::stride, ::stride]
    y = np.tensordot(windows, np.asarray(w, dtype=float), axes=([1, 4, 5], [1, 2, 3]))  # (N, H', W', F)
    n, oh, ow, f = y.shape
    y = y.reshape(n, f, oh, ow)
    if b is not None:
        y = y + np.asarray(b, dtype=float)[None, :, None, None]
    return y
''',
    },
    "maxpool2d": {
        "edge: keeps the partial windows at the edges (ceil mode)": '''
def maxpool2d(x, k, stride):
    x = np.asarray(x, dtype=float)
    n, c, h, w = x.shape
    out_h, out_w = -(-(h - k) // stride) + 1, -(-(w - k) // stride) + 1
    out = np.empty((n, c, out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            out[:, :, i, j] = x[:, :, i * stride:i * stride + k, j * stride:j * stride + k].max(axis=(2, 3))
    return out
''',
        "average pooling": '''
def maxpool2d(x, k, stride):
    win = np.lib.stride_tricks.sliding_window_view(np.asarray(x, dtype=float), (k, k), axis=(2, 3))
    return win[:, :, ::stride, ::stride].mean(axis=(-2, -1))
''',
        "stride ignored (always k)": '''
def maxpool2d(x, k, stride):
    win = np.lib.stride_tricks.sliding_window_view(np.asarray(x, dtype=float), (k, k), axis=(2, 3))
    return win[:, :, ::k, ::k].max(axis=(-2, -1))
''',
        "max over the channels too": '''
def maxpool2d(x, k, stride):
    win = np.lib.stride_tricks.sliding_window_view(np.asarray(x, dtype=float), (k, k), axis=(2, 3))
    m = win[:, :, ::stride, ::stride].max(axis=(-2, -1))
    return np.broadcast_to(m.max(axis=1, keepdims=True), m.shape).copy()
''',
    },
    "line_kernels": {
        "kernels swapped": '''
def line_kernels():
    h = np.array([[-1.0, -1.0, -1.0], [2.0, 2.0, 2.0], [-1.0, -1.0, -1.0]])
    return h.T.copy(), h, -5.0
''',
        "no bias": '''
def line_kernels():
    h = np.array([[-1.0, -1.0, -1.0], [2.0, 2.0, 2.0], [-1.0, -1.0, -1.0]])
    return h, h.T.copy(), 0.0
''',
        "no negative rows": '''
def line_kernels():
    h = np.array([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0], [0.0, 0.0, 0.0]])
    return h, h.T.copy(), -2.5
''',
        "edge: punishes only the pixels straight above and below (fires beside a diagonal neighbour)": '''
def line_kernels():
    horizontal = np.array([[0.0, -1.0, 0.0], [1.0, 1.0, 1.0], [0.0, -1.0, 0.0]])
    return horizontal, horizontal.T.copy(), -2.5
''',
    },
    "count_parameters": {
        "counts tensors, not numbers": '''
def count_parameters(model):
    return len(list(model.parameters()))
''',
        "counts frozen parameters too": '''
def count_parameters(model):
    return sum(p.numel() for p in model.parameters())
''',
        "edge: counts the state_dict (buffers such as batch norm's running statistics too)": '''
def count_parameters(model):
    return sum(t.numel() for t in model.state_dict().values())
''',
        "edge: each module's own parameters (a weight two layers share counts twice)": '''
def count_parameters(model):
    return sum(p.numel() for m in model.modules() for p in m.parameters(recurse=False) if p.requires_grad)
''',
    },
    "make_conv_net": {
        "attack: rebinds the notebook's fit so that a network that cannot learn looks trained": '''
def make_conv_net():
    global fit
    fit = lambda model, epochs=25, **kwargs: [0.99] * epochs
    net = torch.nn.Sequential(torch.nn.Conv1d(1, 2, 3), torch.nn.Flatten(), torch.nn.Linear(76, 10))
    for parameter in net.parameters():
        parameter.requires_grad_(False)
    return net
''',
        "attack: rebinds the notebook's data so that a linear network trains on signals that give the label away": ('\ndef make_conv_net():\n' + REBIND_DATA_TO_EASY_SIGNALS
         + '    return torch.nn.Sequential(torch.nn.Conv1d(1, 1, 3), torch.nn.Flatten(), torch.nn.Linear(38, 10))\n'),
        "too many parameters": '''
def make_conv_net():
    return torch.nn.Sequential(torch.nn.Conv1d(1, 64, 5, padding=2), torch.nn.ReLU(), torch.nn.Flatten(), torch.nn.Linear(64 * 40, 10))
''',
        "flattened size wrong": '''
def make_conv_net():
    return torch.nn.Sequential(torch.nn.Conv1d(1, 16, 5), torch.nn.ReLU(), torch.nn.Flatten(), torch.nn.Linear(16 * 40, 10))
''',
        "edge: exactly 5000 parameters (the limit is strict)": '''
def make_conv_net():
    return torch.nn.Sequential(
        torch.nn.Conv1d(1, 21, kernel_size=5, padding=2), torch.nn.ReLU(),
        torch.nn.Conv1d(21, 29, kernel_size=3, stride=2, padding=1), torch.nn.ReLU(),
        torch.nn.Conv1d(29, 16, kernel_size=3, stride=2, padding=1), torch.nn.ReLU(),
        torch.nn.Flatten(), torch.nn.Linear(16 * 10, 10))
''',
        "no convolution at all": '''
def make_conv_net():
    return torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(40, 64), torch.nn.ReLU(), torch.nn.Linear(64, 10))
''',
        "measured: a single tiny kernel that cannot learn enough": '''
def make_conv_net():
    return torch.nn.Sequential(torch.nn.Conv1d(1, 1, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool1d(4), torch.nn.Flatten(), torch.nn.Linear(10, 10))
''',
    },
}

# Correct answers written differently from the reference, within what the exercise text allows.
CORRECT = {
    "conv_output_size": {
        "a 0-d integer tensor": '''
def conv_output_size(n, k, stride=1, pad=0, dilation=1):
    return torch.tensor((n + 2 * pad - dilation * (k - 1) - 1) // stride + 1)
''',
        "effective kernel size first": '''
def conv_output_size(n, k, stride=1, pad=0, dilation=1):
    span = dilation * (k - 1) + 1
    return (n + 2 * pad - span) // stride + 1
''',
        "math.floor of a true division": '''
def conv_output_size(n, k, stride=1, pad=0, dilation=1):
    import math
    return math.floor((n + 2 * pad - dilation * (k - 1) - 1) / stride) + 1
''',
        "count the positions, numpy integer": '''
def conv_output_size(n, k, stride=1, pad=0, dilation=1):
    last_start = n + 2 * pad - dilation * (k - 1) - 1
    return np.int32(len(range(0, last_start + 1, stride)))
''',
    },
    "conv2d_naive": {
        "loops over positions with tensordot": '''
def conv2d_naive(x, w, b=None, stride=1, pad=0):
    x = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)])
    kh, kw = w.shape[2], w.shape[3]
    oh, ow = (x.shape[2] - kh) // stride + 1, (x.shape[3] - kw) // stride + 1
    y = np.zeros((x.shape[0], w.shape[0], oh, ow))
    for i in range(oh):
        for j in range(ow):
            patch = x[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            y[:, :, i, j] = np.tensordot(patch, w, axes=([1, 2, 3], [1, 2, 3]))
    return y if b is None else y + np.reshape(b, (1, -1, 1, 1))
''',
        "seven nested loops with Python floats": '''
def conv2d_naive(x, w, b=None, stride=1, pad=0):
    N, C, H, W = x.shape
    Fn, _, KH, KW = w.shape
    padded = np.zeros((N, C, H + 2 * pad, W + 2 * pad))
    padded[:, :, pad:pad + H, pad:pad + W] = x
    OH, OW = (H + 2 * pad - KH) // stride + 1, (W + 2 * pad - KW) // stride + 1
    y = np.zeros((N, Fn, OH, OW))
    for n in range(N):
        for f in range(Fn):
            for i in range(OH):
                for j in range(OW):
                    total = 0.0 if b is None else float(b[f])
                    for c in range(C):
                        for u in range(KH):
                            for v in range(KW):
                                total += w[f, c, u, v] * padded[n, c, i * stride + u, j * stride + v]
                    y[n, f, i, j] = total
    return y
''',
        "loop over kernel taps, strided slices": '''
def conv2d_naive(x, w, b=None, stride=1, pad=0):
    x = np.pad(np.asarray(x, dtype=float), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    KH, KW = w.shape[2:]
    OH, OW = (x.shape[2] - KH) // stride + 1, (x.shape[3] - KW) // stride + 1
    y = np.zeros((x.shape[0], w.shape[0], OH, OW))
    for u in range(KH):
        for v in range(KW):
            tap = x[:, :, u:u + stride * (OH - 1) + 1:stride, v:v + stride * (OW - 1) + 1:stride]
            y += np.einsum("ncij,fc->nfij", tap, w[:, :, u, v])
    if b is not None:
        y += b[:, None, None]
    return y
''',
    },
    "conv2d_fast": {
        "im2col with reshape and one matrix product": '''
def conv2d_fast(x, w, b=None, stride=1, pad=0):
    x = np.pad(np.asarray(x, dtype=float), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    F_, C, KH, KW = w.shape
    win = np.lib.stride_tricks.sliding_window_view(x, (KH, KW), axis=(2, 3))[:, :, ::stride, ::stride]
    N, _, OH, OW = win.shape[:4]
    cols = win.transpose(0, 2, 3, 1, 4, 5).reshape(N * OH * OW, C * KH * KW)
    y = (cols @ w.reshape(F_, -1).T).reshape(N, OH, OW, F_).transpose(0, 3, 1, 2)
    return y if b is None else y + np.asarray(b)[None, :, None, None]
''',
        "tensordot over the windows": '''
def conv2d_fast(x, w, b=None, stride=1, pad=0):
    x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    windows = np.lib.stride_tricks.sliding_window_view(x, w.shape[2:], axis=(2, 3))[:, :, ::stride, ::stride]
    y = np.tensordot(windows, w, axes=([1, 4, 5], [1, 2, 3]))  # (N, OH, OW, F)
    y = np.moveaxis(y, -1, 1)
    if b is not None:
        y = y + np.reshape(b, (1, -1, 1, 1))
    return y
''',
        "loop over the kernel taps only": '''
def conv2d_fast(x, w, b=None, stride=1, pad=0):
    x = np.pad(np.asarray(x, dtype=float), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    KH, KW = w.shape[2:]
    OH, OW = (x.shape[2] - KH) // stride + 1, (x.shape[3] - KW) // stride + 1
    y = np.zeros((x.shape[0], w.shape[0], OH, OW))
    for u in range(KH):
        for v in range(KW):
            tap = x[:, :, u:u + stride * (OH - 1) + 1:stride, v:v + stride * (OW - 1) + 1:stride]
            y += np.einsum("ncij,fc->nfij", tap, w[:, :, u, v])
    return y if b is None else y + np.asarray(b)[None, :, None, None]
''',
    },
    "maxpool2d": {
        "loops over the output positions": '''
def maxpool2d(x, k, stride):
    N, C, H, W = x.shape
    OH, OW = (H - k) // stride + 1, (W - k) // stride + 1
    out = np.empty((N, C, OH, OW))
    for i in range(OH):
        for j in range(OW):
            out[:, :, i, j] = x[:, :, i * stride:i * stride + k, j * stride:j * stride + k].max(axis=(2, 3))
    return out
''',
        "maximum over the k*k strided taps": '''
def maxpool2d(x, k, stride):
    OH, OW = (x.shape[2] - k) // stride + 1, (x.shape[3] - k) // stride + 1
    best = np.full(x.shape[:2] + (OH, OW), -np.inf)
    for u in range(k):
        for v in range(k):
            best = np.maximum(best, x[:, :, u:u + stride * (OH - 1) + 1:stride, v:v + stride * (OW - 1) + 1:stride])
    return best
''',
        "windows reshaped and reduced": '''
def maxpool2d(x, k, stride):
    win = np.lib.stride_tricks.sliding_window_view(x, (k, k), axis=(2, 3))[:, :, ::stride, ::stride]
    return win.reshape(*win.shape[:4], k * k).max(axis=-1)
''',
    },
    "line_kernels": {
        "centre row 1, outer rows -1, bias -2.5": '''
def line_kernels():
    h = np.array([[-1.0, -1.0, -1.0], [1.0, 1.0, 1.0], [-1.0, -1.0, -1.0]])
    return h, h.T, -2.5
''',
        "nested lists, strong outer penalty": '''
def line_kernels():
    horizontal = [[-10, -10, -10], [1, 1, 1], [-10, -10, -10]]
    vertical = [[-10, 1, -10], [-10, 1, -10], [-10, 1, -10]]
    return horizontal, vertical, -2.5
''',
        "scaled by four, numpy bias": '''
def line_kernels():
    h = 4.0 * np.array([[-1, -1, -1], [2, 2, 2], [-1, -1, -1]])
    return h, np.rot90(h).copy(), np.float64(-20.0)
''',
    },
    "count_parameters": {
        "product of the shapes": '''
def count_parameters(model):
    total = 0
    for p in model.parameters():
        if p.requires_grad:
            total += int(np.prod(p.shape))
    return total
''',
        "filter then sum, torch integer": '''
def count_parameters(model):
    trainable = [p for p in model.parameters() if p.requires_grad]
    return torch.tensor(sum(p.numel() for p in trainable))
''',
        "named parameters": '''
def count_parameters(model):
    return sum(param.numel() for _, param in model.named_parameters() if param.requires_grad)
''',
    },
    "make_conv_net": {
        "the suggested network, without padding": '''
def make_conv_net():
    return torch.nn.Sequential(
        torch.nn.Conv1d(1, 16, 5), torch.nn.ReLU(),
        torch.nn.Conv1d(16, 16, 3, stride=2), torch.nn.ReLU(),
        torch.nn.Conv1d(16, 16, 3, stride=2), torch.nn.ReLU(),
        torch.nn.Flatten(), torch.nn.Linear(16 * 8, 10))
''',
        "max pooling instead of strides": '''
def make_conv_net():
    return torch.nn.Sequential(
        torch.nn.Conv1d(1, 16, 5, padding=2), torch.nn.ReLU(), torch.nn.MaxPool1d(2),
        torch.nn.Conv1d(16, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool1d(2),
        torch.nn.Conv1d(16, 16, 3, padding=1), torch.nn.ReLU(),
        torch.nn.Flatten(), torch.nn.Linear(16 * 10, 10))
''',
        "wider first layer, built from a list": '''
def make_conv_net():
    layers = [torch.nn.Conv1d(1, 20, 5, padding=2), torch.nn.ReLU(),
              torch.nn.Conv1d(20, 16, 3, stride=2, padding=1), torch.nn.ReLU(),
              torch.nn.Conv1d(16, 12, 3, stride=2, padding=1), torch.nn.ReLU(),
              torch.nn.Flatten(), torch.nn.Linear(12 * conv_output_size(20, 3, 2, 1), 10)]
    return torch.nn.Sequential(*layers)
''',
    },
}

SHORTCUTS = {
    "conv2d_naive": {"F.conv2d": '''
def conv2d_naive(x, w, b=None, stride=1, pad=0):
    bias = None if b is None else torch.as_tensor(b)
    return F.conv2d(torch.as_tensor(x), torch.as_tensor(w), bias, stride=stride, padding=pad).numpy()
'''},
    "conv2d_fast": {"scipy's correlate": '''
def conv2d_fast(x, w, b=None, stride=1, pad=0):
    from scipy.signal import correlate
    x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    y = np.stack([np.stack([correlate(x[n], w[f], mode="valid")[0] for f in range(w.shape[0])])
                  for n in range(x.shape[0])])[:, :, ::stride, ::stride]
    return y if b is None else y + np.asarray(b)[None, :, None, None]
''', "nn.Conv2d module": '''
def conv2d_fast(x, w, b=None, stride=1, pad=0):
    layer = torch.nn.Conv2d(w.shape[1], w.shape[0], w.shape[2:], stride=stride, padding=pad, bias=b is not None).double()
    with torch.no_grad():
        layer.weight.copy_(torch.as_tensor(w))
        if b is not None:
            layer.bias.copy_(torch.as_tensor(b))
        return layer(torch.as_tensor(x)).numpy()
'''},
    "maxpool2d": {"nn.MaxPool2d": '''
def maxpool2d(x, k, stride):
    return torch.nn.MaxPool2d(k, stride)(torch.as_tensor(x)).numpy()
'''},
}

# Attacks on the data the hidden test builds itself (`course.data.mnist1d(..., verified=True)`).
WRONG["make_conv_net"]["attack: a linear network, and patches the MNIST-1D generator to signals that give the label away"] = (
    '\ndef make_conv_net():\n' + PATCH_MNIST1D_GENERATOR
    + '    return torch.nn.Sequential(torch.nn.Conv1d(1, 1, 3), torch.nn.Flatten(), torch.nn.Linear(38, 10))\n')

# A plain mistake found by a probe (tools/probe_answers.py, 2026-12-02) that only the hidden tests
# caught; it now fails a visible check too.
WRONG["conv2d_naive"]["reads the first input channel only"] = '''
def conv2d_naive(x, w, b=None, stride=1, pad=0):
    x = np.pad(np.asarray(x, dtype=float), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    n_batch, _, height, width = x.shape
    n_filters, _, kh, kw = w.shape
    out_h, out_w = (height - kh) // stride + 1, (width - kw) // stride + 1
    y = np.zeros((n_batch, n_filters, out_h, out_w))
    for n in range(n_batch):
        for f in range(n_filters):
            for i in range(out_h):
                for j in range(out_w):
                    y[n, f, i, j] = np.sum(x[n, 0, i * stride:i * stride + kh, j * stride:j * stride + kw] * w[f, 0])
    if b is not None:
        y += np.asarray(b, dtype=float)[None, :, None, None]
    return y
'''
