"""Language models for notebook 07: a small GPT shipped with the package and an exact toy model.

Both follow one protocol. A *model* is a callable that takes a batch of token id sequences, a
``torch.long`` tensor of shape ``(B, T)``, and returns log-probabilities of shape ``(B, T, V)``:
entry ``[b, t]`` is the distribution of token ``t + 1`` given tokens ``0 .. t`` of sequence ``b``.
Both also have ``vocab_size``, ``encode(text)`` (a 1-D id tensor) and ``decode(ids)`` (a string).

``load_gpt()`` loads the small GPT from ``course/models/pydoc-gpt`` with the standard Hugging Face
``from_pretrained`` API, offline (trained by ``tools/train_small_gpt.py`` on the documentation text
that ships with Python). ``load_gpt("gpt2")`` loads the real GPT-2 from the Hugging Face Hub instead,
where there is a network (Colab).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch

MODEL_DIR = Path(__file__).resolve().parent / "models" / "pydoc-gpt"


def _as_batch(ids):
    """A (B, T) long tensor from a 1-D or 2-D tensor, list or array of token ids."""
    ids = torch.as_tensor(ids, dtype=torch.long)
    if ids.ndim == 1:
        ids = ids[None]
    if ids.ndim != 2 or ids.shape[1] == 0:
        raise ValueError(f"token ids must have shape (T,) or (B, T) with T >= 1, got {tuple(ids.shape)}")
    return ids


class GPT:
    """A Hugging Face causal language model and its tokenizer, behind the course's protocol."""

    def __init__(self, hf_model, tokenizer, name):
        self.hf_model = hf_model.eval().requires_grad_(False)  # inference only
        self.tokenizer = tokenizer
        self.name = name
        self.vocab_size = hf_model.config.vocab_size
        self.context = hf_model.config.max_position_embeddings

    @torch.no_grad()
    def __call__(self, ids):
        ids = _as_batch(ids)
        if ids.shape[1] > self.context:
            raise ValueError(f"{self.name} reads at most {self.context} tokens; got {ids.shape[1]}. "
                             "Keep only the last tokens: ids[-context:].")
        return self.hf_model(input_ids=ids).logits.float().log_softmax(-1)

    def encode(self, text):
        return torch.tensor(self.tokenizer(text)["input_ids"], dtype=torch.long)

    def decode(self, ids):
        return self.tokenizer.decode(torch.as_tensor(ids).tolist())

    def token_strings(self, ids):
        """Each id decoded on its own (for plot labels), e.g. [' the', ' for', '(']."""
        return [self.tokenizer.decode([int(i)]) for i in torch.as_tensor(ids).reshape(-1)]

    def __repr__(self):
        n = sum(p.numel() for p in self.hf_model.parameters())
        return f"GPT({self.name!r}: {n / 1e6:.2f}M parameters, vocabulary {self.vocab_size}, context {self.context})"


def load_gpt(name=None):
    """The small GPT shipped with the course (offline), or a Hub model by name, e.g. ``"gpt2"``."""
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging

    logging.set_verbosity_error()
    logging.disable_progress_bar()
    source, options = (MODEL_DIR, {"local_files_only": True}) if name is None else (name, {})
    model = AutoModelForCausalLM.from_pretrained(source, dtype=torch.float32, **options)
    tokenizer = AutoTokenizer.from_pretrained(source, **options)
    return GPT(model, tokenizer, name or "pydoc-gpt")


def training_report():
    """What ``tools/train_small_gpt.py`` measured when it trained the shipped model."""
    return json.loads((MODEL_DIR / "training.json").read_text())


class ToyModel:
    """A bigram language model: ``table[i, j]`` is P(next word j | last word i).

    Small enough to enumerate every continuation, so the most probable one is known exactly.
    """

    def __init__(self, words, table):
        table = torch.as_tensor(np.asarray(table, dtype=np.float64))
        if table.shape != (len(words), len(words)):
            raise ValueError("the table must be (V, V) for V words")
        if (table <= 0).any() or not torch.allclose(table.sum(1), torch.ones(len(words), dtype=table.dtype)):
            raise ValueError("every row of the table must be a distribution with positive entries")
        self.words = list(words)
        self.log_table = table.log()
        self.vocab_size = len(words)

    def __call__(self, ids):
        return self.log_table[_as_batch(ids)]

    def encode(self, text):
        return torch.tensor([self.words.index(word) for word in text.split()], dtype=torch.long)

    def decode(self, ids):
        return " ".join(self.words[int(i)] for i in torch.as_tensor(ids).reshape(-1))

    def token_strings(self, ids):
        return [self.words[int(i)] for i in torch.as_tensor(ids).reshape(-1)]

    def __repr__(self):
        return f"ToyModel({self.vocab_size} words)"


def toy_model():
    """A 7-word bigram model built so that greedy decoding misses the most probable sentence.

    After "<s>", "the" (0.55) beats "a" (0.40); but "the" spreads its next word over three
    animals (0.32 at most) while "a" is almost always followed by "cat" (0.90).
    """
    words = ["<s>", "the", "a", "cat", "dog", "bird", "sat"]
    likely = {
        "<s>": {"the": 0.55, "a": 0.40},
        "the": {"cat": 0.32, "dog": 0.30, "bird": 0.29},
        "a": {"cat": 0.90},
        "cat": {"sat": 0.80},
        "dog": {"sat": 0.50, "cat": 0.20},
        "bird": {"sat": 0.60, "bird": 0.20},
        "sat": {"<s>": 0.70},
    }
    table = np.zeros((len(words), len(words)))
    for i, word in enumerate(words):
        spelled = likely[word]
        rest = (1.0 - sum(spelled.values())) / (len(words) - len(spelled))
        for j, nxt in enumerate(words):
            table[i, j] = spelled.get(nxt, rest)
    return ToyModel(words, table)


def random_toy_model(vocab_size, seed, concentration=0.3):
    """A bigram model with Dirichlet(concentration) rows: small concentrations give peaked rows."""
    rng = np.random.default_rng(seed)
    table = rng.dirichlet(np.full(vocab_size, concentration), size=vocab_size)
    table = (table + 1e-6) / (table + 1e-6).sum(axis=1, keepdims=True)
    return ToyModel([f"w{i}" for i in range(vocab_size)], table)
