"""Plausible wrong answers for 07_transformer_decoding: {exercise: {what is wrong: cell source}}."""

WRONG = {
    "softmax_temperature": {
        "multiplies by T instead of dividing": '''
def softmax_temperature(logits, T):
    if T < 0:
        raise ValueError("T")
    if T == 0:
        return F.one_hot(logits.argmax(dim=-1), logits.shape[-1]).to(logits.dtype)
    z = logits * T
    z = z - z.max(dim=-1, keepdim=True).values
    return z.exp() / z.exp().sum(dim=-1, keepdim=True)
''',
        "unstable exp (no max subtraction)": '''
def softmax_temperature(logits, T):
    if T < 0:
        raise ValueError("T")
    if T == 0:
        return F.one_hot(logits.argmax(dim=-1), logits.shape[-1]).to(logits.dtype)
    e = (logits / T).exp()
    return e / e.sum(dim=-1, keepdim=True)
''',
        "normalises over the wrong dimension": '''
def softmax_temperature(logits, T):
    if T < 0:
        raise ValueError("T")
    if T == 0:
        return F.one_hot(logits.argmax(dim=-1), logits.shape[-1]).to(logits.dtype)
    return torch.softmax(logits / T, dim=0)
''',
        "T = 0 gives a uniform distribution": '''
def softmax_temperature(logits, T):
    if T < 0:
        raise ValueError("T")
    if T == 0:
        return torch.full_like(logits, 1.0 / logits.shape[-1])
    return torch.softmax(logits / T, dim=-1)
''',
    },
    "greedy_decode": {
        "one token short": '''
def greedy_decode(model, ids, n):
    ids = torch.as_tensor(ids, dtype=torch.long)
    for _ in range(n - 1):
        ids = torch.cat([ids, model(ids[None])[0, -1].argmax()[None]])
    return ids
''',
        "reads the first position's distribution": '''
def greedy_decode(model, ids, n):
    ids = torch.as_tensor(ids, dtype=torch.long)
    for _ in range(n):
        ids = torch.cat([ids, model(ids[None])[0, 0].argmax()[None]])
    return ids
''',
        "returns only the new tokens": '''
def greedy_decode(model, ids, n):
    ids = torch.as_tensor(ids, dtype=torch.long)
    start = len(ids)
    for _ in range(n):
        ids = torch.cat([ids, model(ids[None])[0, -1].argmax()[None]])
    return ids[start:]
''',
        "arg-min (sign error on log-probabilities)": '''
def greedy_decode(model, ids, n):
    ids = torch.as_tensor(ids, dtype=torch.long)
    for _ in range(n):
        ids = torch.cat([ids, (-model(ids[None])[0, -1]).argmax()[None]])
    return ids
''',
    },
    "sample_next": {
        "arg-max instead of sampling": '''
def sample_next(probs, generator):
    return probs.argmax(dim=-1)
''',
        "ignores the probabilities (uniform)": '''
def sample_next(probs, generator):
    return torch.randint(0, probs.shape[-1], probs.shape[:-1], generator=generator)
''',
        "inverse CDF off by one (can pick a zero-probability token)": '''
def sample_next(probs, generator):
    u = torch.rand(probs.shape[:-1] + (1,), generator=generator)
    mass_before = probs.cumsum(-1) - probs
    return torch.searchsorted(mass_before, u).squeeze(-1).clamp(max=probs.shape[-1] - 1)
''',
        "ignores the generator": '''
def sample_next(probs, generator):
    if probs.ndim == 1:
        return torch.multinomial(probs, 1)[0]
    return torch.multinomial(probs, 1)[:, 0]
''',
    },
    "top_k_filter": {
        "forgets to renormalise": '''
def top_k_filter(probs, k):
    if k < 1:
        raise ValueError("k")
    values, indices = probs.topk(min(k, probs.shape[-1]), dim=-1)
    return torch.zeros_like(probs).scatter(-1, indices, values)
''',
        "keeps k + 1 tokens": '''
def top_k_filter(probs, k):
    if k < 1:
        raise ValueError("k")
    values, indices = probs.topk(min(k + 1, probs.shape[-1]), dim=-1)
    kept = torch.zeros_like(probs).scatter(-1, indices, values)
    return kept / kept.sum(dim=-1, keepdim=True)
''',
        "keeps the k smallest": '''
def top_k_filter(probs, k):
    if k < 1:
        raise ValueError("k")
    values, indices = probs.topk(min(k, probs.shape[-1]), dim=-1, largest=False)
    kept = torch.zeros_like(probs).scatter(-1, indices, values)
    return kept / kept.sum(dim=-1, keepdim=True)
''',
        "modifies probs in place": '''
def top_k_filter(probs, k):
    if k < 1:
        raise ValueError("k")
    threshold = probs.topk(min(k, probs.shape[-1]), dim=-1).values[..., -1:]
    probs[probs < threshold] = 0
    probs /= probs.sum(dim=-1, keepdim=True)
    return probs
''',
    },
    "top_p_filter": {
        "keeps one token too few (drops the one that crosses p)": '''
def top_p_filter(probs, p):
    if not 0 < p <= 1:
        raise ValueError("p")
    sorted_probs, order = probs.sort(dim=-1, descending=True)
    keep = torch.zeros_like(probs, dtype=torch.bool).scatter(-1, order, sorted_probs.cumsum(-1) <= p)
    keep = keep | (probs == probs.max(dim=-1, keepdim=True).values)
    kept = probs * keep
    return kept / kept.sum(dim=-1, keepdim=True)
''',
        "keeps one token too many": '''
def top_p_filter(probs, p):
    if not 0 < p <= 1:
        raise ValueError("p")
    sorted_probs, order = probs.sort(dim=-1, descending=True)
    inside = sorted_probs.cumsum(-1) - sorted_probs < p
    keep_sorted = inside | torch.cat([inside[..., :1], inside[..., :-1]], dim=-1)
    keep = torch.zeros_like(probs, dtype=torch.bool).scatter(-1, order, keep_sorted)
    kept = probs * keep
    return kept / kept.sum(dim=-1, keepdim=True)
''',
        "forgets to renormalise": '''
def top_p_filter(probs, p):
    if not 0 < p <= 1:
        raise ValueError("p")
    sorted_probs, order = probs.sort(dim=-1, descending=True)
    keep = torch.zeros_like(probs, dtype=torch.bool).scatter(-1, order, sorted_probs.cumsum(-1) - sorted_probs < p)
    return probs * keep
''',
        "sorts in increasing order": '''
def top_p_filter(probs, p):
    if not 0 < p <= 1:
        raise ValueError("p")
    sorted_probs, order = probs.sort(dim=-1)
    keep = torch.zeros_like(probs, dtype=torch.bool).scatter(-1, order, sorted_probs.cumsum(-1) - sorted_probs < p)
    kept = probs * keep
    return kept / kept.sum(dim=-1, keepdim=True)
''',
        "keeps tokens whose own probability is at least 1 - p": '''
def top_p_filter(probs, p):
    if not 0 < p <= 1:
        raise ValueError("p")
    keep = (probs >= 1 - p) | (probs == probs.max(dim=-1, keepdim=True).values)
    kept = probs * keep
    return kept / kept.sum(dim=-1, keepdim=True)
''',
    },
    "sequence_logprob": {
        "misaligned by one position": '''
def sequence_logprob(model, ids):
    ids = torch.as_tensor(ids, dtype=torch.long)
    logprobs = model(ids[None])[0]
    return logprobs[1:].gather(-1, ids[1:, None]).sum()
''',
        "mean instead of sum": '''
def sequence_logprob(model, ids):
    ids = torch.as_tensor(ids, dtype=torch.long)
    if len(ids) == 1:
        return torch.tensor(0.0)
    logprobs = model(ids[None])[0]
    return logprobs[:-1].gather(-1, ids[1:, None]).mean()
''',
        "product of probabilities, not log": '''
def sequence_logprob(model, ids):
    ids = torch.as_tensor(ids, dtype=torch.long)
    logprobs = model(ids[None])[0]
    return logprobs[:-1].gather(-1, ids[1:, None]).exp().prod()
''',
        "scores the most probable token instead of the actual one": '''
def sequence_logprob(model, ids):
    ids = torch.as_tensor(ids, dtype=torch.long)
    logprobs = model(ids[None])[0]
    return logprobs[:-1].max(dim=-1).values.sum()
''',
    },
    "beam_search": {
        "keeps only one hypothesis": '''
def beam_search(model, ids, n, beam_width):
    beams = torch.as_tensor(ids, dtype=torch.long)[None]
    scores = torch.zeros(1, dtype=torch.float64)
    for _ in range(n):
        logprobs = model(beams)[:, -1].double()
        totals = (scores[:, None] + logprobs).reshape(-1)
        best = totals.topk(1)
        beams = torch.cat([beams[best.indices // logprobs.shape[-1]], (best.indices % logprobs.shape[-1])[:, None]], dim=1)
        scores = best.values
    return beams[0], scores[0]
''',
        "ranks by the last token's log-probability only": '''
def beam_search(model, ids, n, beam_width):
    beams = torch.as_tensor(ids, dtype=torch.long)[None]
    scores = torch.zeros(1, dtype=torch.float64)
    for _ in range(n):
        logprobs = model(beams)[:, -1].double()
        vocab = logprobs.shape[-1]
        best = logprobs.reshape(-1).topk(min(beam_width, logprobs.numel()))
        rows = best.indices // vocab
        scores = scores[rows] + best.values
        beams = torch.cat([beams[rows], (best.indices % vocab)[:, None]], dim=1)
    order = scores.argmax()
    return beams[order], scores[order]
''',
        "branches only at the first step, then extends each beam greedily": '''
def beam_search(model, ids, n, beam_width):
    ids = torch.as_tensor(ids, dtype=torch.long)
    first = model(ids[None])[0, -1].double()
    best = first.topk(min(beam_width, len(first)))
    beams = torch.cat([ids.repeat(len(best.indices), 1), best.indices[:, None]], dim=1)
    scores = best.values
    for _ in range(n - 1):
        top = model(beams)[:, -1].double().max(dim=-1)
        beams = torch.cat([beams, top.indices[:, None]], dim=1)
        scores = scores + top.values
    i = scores.argmax()
    return beams[i], scores[i]
''',
        "one step too many": '''
def beam_search(model, ids, n, beam_width):
    beams = torch.as_tensor(ids, dtype=torch.long)[None]
    scores = torch.zeros(1, dtype=torch.float64)
    for _ in range(n + 1):
        logprobs = model(beams)[:, -1].double()
        totals = (scores[:, None] + logprobs).reshape(-1)
        best = totals.topk(min(beam_width, len(totals)))
        beams = torch.cat([beams[best.indices // logprobs.shape[-1]], (best.indices % logprobs.shape[-1])[:, None]], dim=1)
        scores = best.values
    return beams[0], scores[0]
''',
    },
    "causal_mask": {
        "upper triangle: sees the future": '''
def causal_mask(T):
    return torch.ones(T, T, dtype=torch.bool).triu()
''',
        "excludes the diagonal": '''
def causal_mask(T):
    return torch.ones(T, T, dtype=torch.bool).tril(-1)
''',
        "float mask of ones and zeros": '''
def causal_mask(T):
    return torch.ones(T, T).tril()
''',
    },
    "attention": {
        "mask that lets a token see the future": '''
def attention(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(~mask.transpose(-2, -1), float("-inf"))
    return scores.softmax(dim=-1) @ v
''',
        "forgets the sqrt(d) scaling": '''
def attention(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1)
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    return scores.softmax(dim=-1) @ v
''',
        "softmax over the queries": '''
def attention(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    return scores.softmax(dim=-2).nan_to_num() @ v
''',
        "masks by multiplying the weights, without renormalising": '''
def attention(q, k, v, mask=None):
    weights = (q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])).softmax(dim=-1)
    if mask is not None:
        weights = weights * mask
    return weights @ v
''',
        "divides by d instead of sqrt(d)": '''
def attention(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / q.shape[-1]
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    return scores.softmax(dim=-1) @ v
''',
    },
}
