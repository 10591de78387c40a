"""Unit tests of course.lm: the shipped small GPT and the exact toy models share one protocol."""

import json
import math
import os
import subprocess
import sys
import time

import pytest
import torch

from course import lm


@pytest.fixture(scope="module")
def gpt():
    return lm.load_gpt()


def test_toy_model_follows_the_protocol_and_its_table():
    toy = lm.toy_model()
    ids = toy.encode("<s> a cat sat")
    logprobs = toy(torch.stack([ids, ids.flip(0)]))
    assert logprobs.shape == (2, 4, toy.vocab_size)
    assert torch.allclose(logprobs.exp().sum(-1), torch.ones(2, 4, dtype=logprobs.dtype))
    assert math.isclose(float(logprobs[0, 0, toy.words.index("a")]), math.log(0.40))
    assert toy.decode(ids) == "<s> a cat sat"


def test_toy_model_fools_greedy_decoding():
    toy = lm.toy_model()
    after_start = toy(toy.encode("<s>"))[0, -1]
    assert toy.words[int(after_start.argmax())] == "the"
    the, a = (toy(toy.encode(f"<s> {w}"))[0, -1] for w in ("the", "a"))
    best_after_the = math.exp(float(after_start[toy.words.index("the")] + the.max()))
    best_after_a = math.exp(float(after_start[toy.words.index("a")] + a.max()))
    assert best_after_a > 2 * best_after_the


def test_toy_model_rejects_bad_tables():
    with pytest.raises(ValueError):
        lm.ToyModel(["a", "b"], [[0.5, 0.5], [0.9, 0.2]])
    with pytest.raises(ValueError):
        lm.ToyModel(["a", "b"], [[1.0, 0.0], [0.5, 0.5]])


def test_random_toy_model_is_seeded():
    a, b = lm.random_toy_model(5, seed=1), lm.random_toy_model(5, seed=1)
    assert torch.equal(a.log_table, b.log_table)
    assert not torch.equal(a.log_table, lm.random_toy_model(5, seed=2).log_table)


def test_small_gpt_follows_the_protocol(gpt):
    ids = gpt.encode('The "for" statement is used to iterate')
    assert gpt.decode(ids) == 'The "for" statement is used to iterate'
    logprobs = gpt(torch.stack([ids, ids]))
    assert logprobs.shape == (2, len(ids), gpt.vocab_size)
    assert torch.allclose(logprobs.exp().sum(-1), torch.ones(2, len(ids)), atol=1e-4)
    assert torch.allclose(gpt(ids)[0], logprobs[0], atol=1e-4)  # a batch of one or two: same numbers
    with pytest.raises(ValueError, match="at most"):
        gpt(torch.zeros(gpt.context + 1, dtype=torch.long))


def test_small_gpt_learned_documentation_text(gpt):
    """Its loss on held-out documentation is far below a uniform guess over the vocabulary."""
    report = lm.training_report()
    assert report["best_val_loss"] < 0.5 * math.log(gpt.vocab_size)
    ids = gpt.encode("Changed in version 3.8: The default value was changed.")
    loss = float(gpt.hf_model(input_ids=ids[None], labels=ids[None]).loss)
    assert loss < 0.6 * math.log(gpt.vocab_size)


def test_small_gpt_is_small_and_loads_offline_in_seconds():
    weights = lm.MODEL_DIR / "model.safetensors"
    assert weights.stat().st_size < 5e6
    code = "import time; t = time.time(); from course import lm; lm.load_gpt(); print(time.time() - t)"
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", HF_HOME="/nonexistent")
    start = time.time()
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert float(result.stdout.split()[-1]) < 30, f"loading took {result.stdout}"
    assert time.time() - start < 60


def test_training_report_documents_the_run():
    report = json.loads((lm.MODEL_DIR / "training.json").read_text())
    for key in ["command", "parameters", "best_val_loss", "seconds", "history", "torch"]:
        assert key in report
    assert report["history"][-1]["step"] >= report["best_step"]
