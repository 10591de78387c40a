"""Plausible wrong answers for 05_convolution: {exercise: {what is wrong: cell source}}."""

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
    },
    "conv2d_naive": {
        "flips the kernel (true convolution)": _naive(KERNEL="w[f, :, ::-1, ::-1]"),
        "pads one side only": _naive(PADDING="((0, 0), (0, 0), (pad, 0), (pad, 0))"),
        "ignores the stride when reading the input": _naive(ROWS="i:i + kh", COLS="j:j + kw"),
        "output size one too small": _naive(OUT_H="(H - kh) // stride", OUT_W="(W_ - kw) // stride"),
    },
    "conv2d_fast": {
        "calls the loop version": '''
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
    },
    "maxpool2d": {
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
    },
    "make_conv_net": {
        "too many parameters": '''
def make_conv_net():
    return torch.nn.Sequential(torch.nn.Conv1d(1, 64, 5, padding=2), torch.nn.ReLU(), torch.nn.Flatten(), torch.nn.Linear(64 * 40, 10))
''',
        "flattened size wrong": '''
def make_conv_net():
    return torch.nn.Sequential(torch.nn.Conv1d(1, 16, 5), torch.nn.ReLU(), torch.nn.Flatten(), torch.nn.Linear(16 * 40, 10))
''',
        "no convolution at all": '''
def make_conv_net():
    return torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(40, 64), torch.nn.ReLU(), torch.nn.Linear(64, 10))
''',
        "a single tiny kernel that cannot learn enough": '''
def make_conv_net():
    return torch.nn.Sequential(torch.nn.Conv1d(1, 1, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool1d(4), torch.nn.Flatten(), torch.nn.Linear(10, 10))
''',
    },
}
