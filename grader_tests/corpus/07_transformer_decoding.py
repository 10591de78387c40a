"""Plausible wrong answers for 07_transformer_decoding: {exercise: {what is wrong: cell source}}."""

WRONG = {
    "softmax_temperature": {
        "attack: spreads the mass evenly over tied logits at T = 0, and a `set` of its own so that the result looks one-hot": '''
def softmax_temperature(logits, T):
    if T < 0:
        raise ValueError("T")
    z = logits / max(T, 1e-9)
    weights = (z - z.max(dim=-1, keepdim=True).values).exp()
    return weights / weights.sum(dim=-1, keepdim=True)
set = lambda *values: frozenset()
''',
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
        "edge: unstable exp, no max subtraction (overflows at logits of 1000)": '''
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
        "edge: one-hot by comparison with the maximum (a 1 on each of tied logits at T = 0)": '''
def softmax_temperature(logits, T):
    if T < 0:
        raise ValueError("negative temperature")
    if T == 0:
        return (logits == logits.max(dim=-1, keepdim=True).values).to(logits.dtype)
    z = logits / T
    z = z - z.max(dim=-1, keepdim=True).values
    return torch.exp(z - torch.log(torch.exp(z).sum(dim=-1, keepdim=True)))
''',
        "edge: shifts by the mean logit, not the maximum (nan with a logit of -inf)": '''
def softmax_temperature(logits, T):
    if T < 0:
        raise ValueError("T")
    if T == 0:
        return F.one_hot(logits.argmax(dim=-1), logits.shape[-1]).to(logits.dtype)
    z = logits / T
    e = (z - z.mean(dim=-1, keepdim=True)).clamp(max=700).exp()
    return e / e.sum(dim=-1, keepdim=True)
''',
    },
    "greedy_decode": {
        "attack: right on the visible check only, and rebinds the test's reference decoder to agree": '''
def greedy_decode(model, ids, n):
    ids = torch.as_tensor(ids, dtype=torch.long).clone()
    if n != 3:
        made_up = torch.cat([ids, torch.zeros(n, dtype=torch.long)])
        globals()["_reference_greedy_decode"] = lambda model, ids, n: torch.cat(
            [torch.as_tensor(ids, dtype=torch.long), torch.zeros(n, dtype=torch.long)])
        return made_up
    for _ in range(n):
        ids = torch.cat([ids, model(ids[None])[0, -1].argmax()[None]])
    return ids
''',
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
        "edge: n = 0 returns the caller's own prompt tensor": '''
def greedy_decode(model, ids, n):
    for _ in range(n):
        next_id = model(ids[None])[0, -1].argmax()
        ids = torch.cat([ids, next_id[None]])
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
        "edge: inverse CDF off by one (can pick a zero-probability token)": '''
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
        "edge: squeezes the result (a batch of one gives a 0-d tensor)": '''
def sample_next(probs, generator):
    return torch.multinomial(probs, 1, generator=generator).squeeze()
''',
    },
    "top_k_filter": {
        "returns probs itself when k covers every token (the caller's own tensor)": '''
def top_k_filter(probs, k):
    if k < 1:
        raise ValueError("k")
    if k >= probs.shape[-1]:
        return probs
    values, indices = probs.topk(k, dim=-1)
    kept = torch.zeros_like(probs).scatter(-1, indices, values)
    return kept / kept.sum(dim=-1, keepdim=True)
''',
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
        "edge: keeps the k largest distinct values (a tie counted once)": '''
def top_k_filter(probs, k):
    if k < 1:
        raise ValueError("k must be at least 1")
    distinct = torch.unique(probs, sorted=True).flip(0)
    threshold = distinct[min(k, len(distinct)) - 1]
    kept = torch.where(probs >= threshold, probs, torch.zeros_like(probs))
    return kept / kept.sum(dim=-1, keepdim=True)
''',
    },
    "top_p_filter": {
        "edge: keeps tokens while the mass before them is at most p (<= instead of <)": '''
def top_p_filter(probs, p):
    if not 0 < p <= 1:
        raise ValueError(p)
    sorted_probs, order = probs.sort(dim=-1, descending=True)
    before = sorted_probs.cumsum(-1) - sorted_probs
    keep = torch.zeros_like(probs, dtype=torch.bool).scatter(-1, order, before <= p)
    kept = probs * keep
    return kept / kept.sum(dim=-1, keepdim=True)
''',
        "edge: keeps every token tied with the last one kept": '''
def top_p_filter(probs, p):
    if not 0 < p <= 1:
        raise ValueError(p)
    sorted_probs, order = probs.sort(dim=-1, descending=True)
    keep_sorted = sorted_probs.cumsum(-1) - sorted_probs < p
    last_kept = (sorted_probs * keep_sorted).masked_fill(~keep_sorted, float("inf")).min(dim=-1, keepdim=True).values
    kept = torch.where(probs >= last_kept, probs, torch.zeros_like(probs))
    return kept / kept.sum(dim=-1, keepdim=True)
''',
        "returns probs itself when p is 1 (the caller's own tensor)": '''
def top_p_filter(probs, p):
    if not 0 < p <= 1:
        raise ValueError("p")
    if p == 1:
        return probs
    sorted_probs, order = probs.sort(dim=-1, descending=True)
    keep = torch.zeros_like(probs, dtype=torch.bool).scatter(-1, order, sorted_probs.cumsum(-1) - sorted_probs < p)
    kept = probs * keep
    return kept / kept.sum(dim=-1, keepdim=True)
''',
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
        "edge: the log of the product of the probabilities (underflows on a long sequence)": '''
def sequence_logprob(model, ids):
    ids = torch.as_tensor(ids, dtype=torch.long)
    logprobs = model(ids[None])[0]
    return logprobs[:-1].gather(-1, ids[1:, None]).exp().prod().log()
''',
        "scores the most probable token instead of the actual one": '''
def sequence_logprob(model, ids):
    ids = torch.as_tensor(ids, dtype=torch.long)
    logprobs = model(ids[None])[0]
    return logprobs[:-1].max(dim=-1).values.sum()
''',
    },
    "beam_search": {
        "edge: n = 0 fails (the result is read from the last step's history)": '''
def beam_search(model, ids, n, beam_width):
    ids = torch.as_tensor(ids, dtype=torch.long)
    beams, scores = ids[None], torch.zeros(1, dtype=torch.float64)
    history = []
    for _ in range(n):
        logprobs = model(beams)[:, -1].double()
        V = logprobs.shape[-1]
        flat = (scores[:, None] + logprobs).reshape(-1)
        top = flat.topk(min(beam_width, flat.numel()))
        beams = torch.cat([beams[top.indices // V], (top.indices % V)[:, None]], dim=1)
        scores = top.values
        history.append((beams, scores))
    beams, scores = history[-1]
    return beams[0].clone(), scores[0]
''',
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
        "edge: ranks by products of probabilities (500 of them underflow to 0)": '''
def beam_search(model, ids, n, beam_width):
    beams = torch.as_tensor(ids, dtype=torch.long)[None]
    probs = torch.ones(1, dtype=torch.float64)
    for _ in range(n):
        p = model(beams)[:, -1].double().exp()
        vocab = p.shape[-1]
        totals = (probs[:, None] * p).reshape(-1)
        best = totals.topk(min(beam_width, len(totals)))
        beams = torch.cat([beams[best.indices // vocab], (best.indices % vocab)[:, None]], dim=1)
        probs = best.values
    return beams[0].clone(), probs[0].log()
''',
    },
    "causal_mask": {
        "upper triangle: sees the future": '''
def causal_mask(T):
    return torch.ones(T, T, dtype=torch.bool).triu()
''',
        "edge: excludes the diagonal (j < i: a position cannot see itself)": '''
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
        "edge: fills the disallowed scores with -1e4, not -inf (they win when every allowed score is lower)": '''
def attention(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(~mask, -1e4)
    return scores.softmax(dim=-1) @ v
''',
        "edge: a softmax by hand without the maximum subtracted (overflows on large scores)": '''
def attention(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = scores.exp()
    return weights / weights.sum(dim=-1, keepdim=True) @ v
''',
    },
}

# Correct answers written differently from the reference, within what the exercise text allows.
CORRECT = {
    "softmax_temperature": {
        "exp of a hand-made log-softmax, one-hot on the last of tied maxima": '''
def softmax_temperature(logits, T):
    if T < 0:
        raise ValueError("negative temperature")
    if T == 0:
        last = logits.shape[-1] - 1 - logits.flip(-1).argmax(dim=-1)
        return F.one_hot(last, logits.shape[-1]).to(logits.dtype)
    z = logits / T
    z = z - z.max(dim=-1, keepdim=True).values
    return torch.exp(z - torch.log(torch.exp(z).sum(dim=-1, keepdim=True)))
''',
        "shift before dividing, one-hot with scatter": '''
def softmax_temperature(logits, T):
    if T < 0:
        raise ValueError(T)
    if T == 0:
        index = logits.argmax(dim=-1, keepdim=True)
        return torch.zeros_like(logits).scatter(-1, index, 1.0)
    e = torch.exp((logits - logits.amax(dim=-1, keepdim=True)) / T)
    return e / e.sum(-1, keepdim=True)
''',
        "rows flattened and handled one by one": '''
def softmax_temperature(logits, T):
    if T < 0:
        raise ValueError("T must not be negative")
    flat = logits.reshape(-1, logits.shape[-1])
    rows = []
    for row in flat:
        if T == 0:
            out = torch.zeros_like(row)
            out[int(row.argmax())] = 1
        else:
            w = torch.exp((row - row.max()) / T)
            out = w / w.sum()
        rows.append(out)
    return torch.stack(rows).reshape(logits.shape)
''',
    },
    "greedy_decode": {
        "Python list of token ids": '''
def greedy_decode(model, ids, n):
    tokens = [int(t) for t in ids]
    for _ in range(n):
        logits = model(torch.tensor([tokens]))
        tokens.append(int(logits[0, -1].argmax()))
    return torch.tensor(tokens, dtype=torch.long)
''',
        "preallocated tensor": '''
def greedy_decode(model, ids, n):
    out = torch.empty(len(ids) + n, dtype=torch.long)
    out[:len(ids)] = ids
    for t in range(len(ids), len(ids) + n):
        out[t] = model(out[:t].unsqueeze(0))[0, -1].argmax()
    return out
''',
        "argmax over the whole output, then the last position": '''
def greedy_decode(model, ids, n):
    sequence = ids.clone().long()
    while len(sequence) < len(ids) + n:
        best = model(sequence.unsqueeze(0)).argmax(dim=-1)[0, -1]
        sequence = torch.cat([sequence, best.reshape(1)])
    return sequence
''',
    },
    "sample_next": {
        "flatten to a batch, reshape back": '''
def sample_next(probs, generator):
    flat = probs.reshape(-1, probs.shape[-1])
    return torch.multinomial(flat, 1, generator=generator).reshape(probs.shape[:-1])
''',
        "one row at a time": '''
def sample_next(probs, generator):
    if probs.dim() == 1:
        return torch.multinomial(probs, 1, generator=generator).squeeze()
    return torch.stack([torch.multinomial(row, 1, generator=generator)[0] for row in probs])
''',
        "squeeze of the last dimension": '''
def sample_next(probs, generator):
    return torch.multinomial(probs, num_samples=1, replacement=True, generator=generator).squeeze(-1)
''',
    },
    "top_k_filter": {
        "threshold at the k-th largest value": '''
def top_k_filter(probs, k):
    if k < 1:
        raise ValueError("k must be positive")
    if k >= probs.shape[-1]:
        return probs / probs.sum(-1, keepdim=True)
    threshold = probs.topk(k, dim=-1).values[..., -1:]
    kept = torch.where(probs >= threshold, probs, torch.zeros_like(probs))
    return kept / kept.sum(-1, keepdim=True)
''',
        "sort and mask the tail": '''
def top_k_filter(probs, k):
    if k < 1:
        raise ValueError(k)
    order = probs.argsort(dim=-1, descending=True)
    mask = torch.zeros_like(probs, dtype=torch.bool)
    mask.scatter_(-1, order[..., :k], True)
    kept = probs * mask
    return kept / kept.sum(dim=-1, keepdim=True)
''',
        "rows one by one": '''
def top_k_filter(probs, k):
    if k < 1:
        raise ValueError("k < 1")
    flat = probs.reshape(-1, probs.shape[-1])
    out = torch.zeros_like(flat)
    for r in range(len(flat)):
        idx = torch.topk(flat[r], min(k, flat.shape[-1])).indices
        out[r, idx] = flat[r, idx] / flat[r, idx].sum()
    return out.reshape(probs.shape)
''',
    },
    "top_p_filter": {
        "mass before each token by shifting the cumulative sum": '''
def top_p_filter(probs, p):
    if p <= 0 or p > 1:
        raise ValueError("p must be in (0, 1]")
    sorted_probs, order = torch.sort(probs, dim=-1, descending=True)
    cumulative = sorted_probs.cumsum(-1)
    before = torch.cat([torch.zeros_like(cumulative[..., :1]), cumulative[..., :-1]], dim=-1)
    keep_sorted = before < p
    kept_sorted = sorted_probs * keep_sorted
    kept = torch.zeros_like(probs).scatter(-1, order, kept_sorted)
    return kept / kept.sum(-1, keepdim=True)
''',
        "rows one by one, walking the sorted tokens": '''
def top_p_filter(probs, p):
    if not 0 < p <= 1:
        raise ValueError(p)
    flat = probs.reshape(-1, probs.shape[-1])
    out = torch.zeros_like(flat)
    for r in range(len(flat)):
        values, order = torch.sort(flat[r], descending=True)
        total = 0.0
        for value, index in zip(values, order):
            if total >= p:
                break
            out[r, index] = value
            total += float(value)
        out[r] /= out[r].sum()
    return out.reshape(probs.shape)
''',
        "unsort with the inverse permutation": '''
def top_p_filter(probs, p):
    if p <= 0 or p > 1:
        raise ValueError("bad p")
    sorted_probs, order = probs.sort(dim=-1, descending=True)
    keep_sorted = (sorted_probs.cumsum(-1) - sorted_probs) < p
    inverse = order.argsort(dim=-1)
    keep = keep_sorted.gather(-1, inverse)
    kept = torch.where(keep, probs, torch.zeros_like(probs))
    return kept / kept.sum(-1, keepdim=True)
''',
    },
    "sequence_logprob": {
        "loop over the positions": '''
def sequence_logprob(model, ids):
    logprobs = model(ids.unsqueeze(0))[0]
    total = torch.zeros((), dtype=logprobs.dtype)
    for t in range(len(ids) - 1):
        total = total + logprobs[t, ids[t + 1]]
    return total
''',
        "advanced indexing": '''
def sequence_logprob(model, ids):
    ids = ids.long()
    rows = model(ids[None])[0]
    positions = torch.arange(len(ids) - 1)
    return rows[positions, ids[1:]].sum()
''',
        "one-hot mask": '''
def sequence_logprob(model, ids):
    logprobs = model(ids[None])[0][:-1]
    mask = torch.nn.functional.one_hot(ids[1:], logprobs.shape[-1]).to(logprobs.dtype)
    return (logprobs * mask).sum()
''',
    },
    "beam_search": {
        "hypotheses as (tokens, score) pairs, one model call each": '''
def beam_search(model, ids, n, beam_width):
    beams = [(ids.long(), torch.zeros((), dtype=torch.float64))]
    for _ in range(n):
        candidates = []
        for tokens, score in beams:
            logprobs = model(tokens[None])[0, -1].double()
            for token in range(len(logprobs)):
                candidates.append((score + logprobs[token], tokens, token))
        candidates.sort(key=lambda c: float(c[0]), reverse=True)
        beams = [(torch.cat([tokens, torch.tensor([token])]), total)
                 for total, tokens, token in candidates[:beam_width]]
    return beams[0]
''',
        "sort instead of topk": '''
def beam_search(model, ids, n, beam_width):
    beams = ids.long().unsqueeze(0)
    scores = torch.zeros(1, dtype=torch.float64)
    for _ in range(n):
        step = model(beams)[:, -1].to(torch.float64)
        V = step.shape[1]
        totals = (scores.unsqueeze(1) + step).flatten()
        values, order = torch.sort(totals, descending=True)
        keep = order[:beam_width]
        beams = torch.cat([beams[keep // V], (keep % V).unsqueeze(1)], dim=1)
        scores = values[:beam_width]
    return beams[0], scores[0]
''',
        "divmod on the flat index": '''
def beam_search(model, ids, n, beam_width):
    beams, scores = ids[None].long(), torch.tensor([0.0], dtype=torch.float64)
    for _ in range(n):
        logprobs = model(beams)[:, -1].double()
        vocab = logprobs.shape[-1]
        best = (scores[:, None] + logprobs).reshape(-1).topk(min(beam_width, beams.shape[0] * vocab))
        parents = torch.div(best.indices, vocab, rounding_mode="floor")
        tokens = torch.remainder(best.indices, vocab)
        beams, scores = torch.cat([beams[parents], tokens[:, None]], dim=1), best.values
    best_row = int(scores.argmax())
    return beams[best_row], scores[best_row]
''',
        "scores kept in float32": '''
def beam_search(model, ids, n, beam_width):
    beams = torch.as_tensor(ids, dtype=torch.long)[None]
    scores = torch.zeros(1)
    for _ in range(n):
        logprobs = model(beams)[:, -1].float()
        vocab = logprobs.shape[-1]
        totals = (scores[:, None] + logprobs).reshape(-1)
        best = totals.topk(min(beam_width, len(totals)))
        beams = torch.cat([beams[best.indices // vocab], (best.indices % vocab)[:, None]], dim=1)
        scores = best.values
    return beams[0].clone(), scores[0]
''',
    },
    "causal_mask": {
        "compare positions": '''
def causal_mask(T):
    positions = torch.arange(T)
    return positions[None, :] <= positions[:, None]
''',
        "not the strict upper triangle": '''
def causal_mask(T):
    return ~torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
''',
        "nested lists": '''
def causal_mask(T):
    return torch.tensor([[j <= i for j in range(T)] for i in range(T)], dtype=torch.bool)
''',
    },
    "attention": {
        "einsum and a hand-made softmax": '''
def attention(q, k, v, mask=None):
    scores = torch.einsum("...id,...jd->...ij", q, k) / q.shape[-1] ** 0.5
    if mask is not None:
        scores = scores.masked_fill(mask.logical_not(), float("-inf"))
    weights = torch.exp(scores - scores.amax(dim=-1, keepdim=True))
    weights = weights / weights.sum(dim=-1, keepdim=True)
    return torch.einsum("...ij,...jd->...id", weights, v)
''',
        "torch.where with -inf": '''
def attention(q, k, v, mask=None):
    scores = torch.matmul(q, k.mT) * (1.0 / math.sqrt(q.size(-1)))
    if mask is not None:
        scores = torch.where(mask, scores, torch.tensor(float("-inf"), dtype=scores.dtype))
    return torch.softmax(scores, dim=-1) @ v
''',
        "scale the queries first": '''
def attention(q, k, v, mask=None):
    d = q.shape[-1]
    scores = (q / math.sqrt(d)) @ k.transpose(-1, -2)
    if mask is not None:
        scores = scores.masked_fill(~mask.bool(), -math.inf)
    return F.softmax(scores, dim=-1) @ v
''',
    },
}

SHORTCUTS = {
    "softmax_temperature": {"torch.softmax": '''
def softmax_temperature(logits, T):
    if T < 0:
        raise ValueError(T)
    if T == 0:
        return F.one_hot(logits.argmax(-1), logits.shape[-1]).to(logits.dtype)
    return torch.softmax(logits / T, dim=-1)
'''},
    "attention": {"F.scaled_dot_product_attention": '''
def attention(q, k, v, mask=None):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
'''},
    "sequence_logprob": {"F.nll_loss": '''
def sequence_logprob(model, ids):
    logprobs = model(ids[None])[0]
    return -F.nll_loss(logprobs[:-1], ids[1:], reduction="sum")
'''},
}

# A correct function under another name: its own test fails, and the later tests that run with
# the instructor's version (`checks.isolated`) still get their points (the reference is
# registered before the test touches the student's function).
WRONG["causal_mask"]["renamed: the right code under another name (make_causal_mask)"] = '''
def make_causal_mask(T):
    return torch.ones(T, T, dtype=torch.bool).tril()
'''

# Plain mistakes found by a probe (tools/probe_answers.py, 2026-12-02) that only the hidden tests
# caught; each now fails a visible check too.
WRONG["softmax_temperature"]["no ValueError for a negative temperature"] = '''
def softmax_temperature(logits, T):
    if T == 0:
        return F.one_hot(logits.argmax(dim=-1), logits.shape[-1]).to(logits.dtype)
    return torch.softmax(logits / T, dim=-1)
'''
WRONG["top_k_filter"]["no ValueError for k = 0 (keeps one token)"] = '''
def top_k_filter(probs, k):
    values, indices = probs.topk(max(1, min(k, probs.shape[-1])), dim=-1)
    kept = torch.zeros_like(probs).scatter(-1, indices, values)
    return kept / kept.sum(dim=-1, keepdim=True)
'''
WRONG["top_p_filter"]["no ValueError for p = 0"] = '''
def top_p_filter(probs, p):
    sorted_probs, order = probs.sort(dim=-1, descending=True)
    keep = torch.zeros_like(probs, dtype=torch.bool).scatter(-1, order, sorted_probs.cumsum(dim=-1) - sorted_probs < p)
    kept = probs * keep
    return kept / kept.sum(dim=-1, keepdim=True)
'''
WRONG["top_p_filter"]["renormalises by the total of the whole batch"] = '''
def top_p_filter(probs, p):
    if not 0 < p <= 1:
        raise ValueError("p")
    sorted_probs, order = probs.sort(dim=-1, descending=True)
    keep = torch.zeros_like(probs, dtype=torch.bool).scatter(-1, order, sorted_probs.cumsum(dim=-1) - sorted_probs < p)
    kept = probs * keep
    return kept / kept.sum()
'''
