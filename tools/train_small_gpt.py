"""Train the small GPT that notebook 07 decodes with, on text that ships with Python itself.

The training text is the reference documentation in the standard library module
``pydoc_data.topics`` (what ``help("for")`` prints), so nothing is downloaded. The script trains a
byte-level BPE tokenizer and a GPT-2-architecture model with Hugging Face ``transformers``, keeps
the weights with the lowest validation loss, and writes them (safetensors, float16), the tokenizer
and the config to ``course/models/pydoc-gpt/``, with a ``training.json`` of what it measured.

    .venv/bin/python tools/train_small_gpt.py            # about 20 to 40 minutes on 2 CPU cores

Everything is seeded and runs with deterministic algorithms, so the same machine and library
versions give the same weights (other CPUs may differ in the last bits of floating-point sums).
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import time
from pathlib import Path

import torch

OUT = Path(__file__).resolve().parent.parent / "course" / "models" / "pydoc-gpt"
SEED = 0
VOCAB_SIZE = 2048
CONTEXT = 128
SPECIAL = "<|endoftext|>"


def documentation_texts():
    """(training texts, validation texts): every 10th topic, in sorted order, is held out."""
    from pydoc_data.topics import topics

    names = sorted(topics)
    train = [topics[name] for i, name in enumerate(names) if i % 10 != 5]
    val = [topics[name] for i, name in enumerate(names) if i % 10 == 5]
    return train, val


def train_tokenizer(texts):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=VOCAB_SIZE, special_tokens=[SPECIAL],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tokenizer.train_from_iterator(texts, trainer=trainer)
    return PreTrainedTokenizerFast(tokenizer_object=tokenizer, bos_token=SPECIAL, eos_token=SPECIAL,
                                   unk_token=SPECIAL, model_max_length=CONTEXT)


def token_stream(tokenizer, texts):
    """All texts as one long tensor of ids, separated by the end-of-text token."""
    ids = []
    for text in texts:
        ids.extend(tokenizer(text)["input_ids"])
        ids.append(tokenizer.eos_token_id)
    return torch.tensor(ids, dtype=torch.long)


def make_model():
    from transformers import GPT2Config, GPT2LMHeadModel

    config = GPT2Config(vocab_size=VOCAB_SIZE, n_positions=CONTEXT, n_embd=128, n_layer=4, n_head=4,
                        resid_pdrop=0.1, embd_pdrop=0.1, attn_pdrop=0.1,
                        bos_token_id=0, eos_token_id=0)
    return GPT2LMHeadModel(config)


@torch.no_grad()
def validation_loss(model, val_ids):
    """Mean next-token cross-entropy over non-overlapping windows of the validation stream."""
    model.eval()
    n = (len(val_ids) - 1) // CONTEXT
    x = val_ids[:n * CONTEXT].view(n, CONTEXT)
    y = val_ids[1:n * CONTEXT + 1].view(n, CONTEXT)
    losses = [model(input_ids=xb, labels=None).logits.log_softmax(-1).gather(-1, yb[..., None]).mean()
              for xb, yb in zip(x.split(32), y.split(32))]
    model.train()
    return -float(torch.stack(losses).mean())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=4000)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--eval-every", type=int, default=250)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    torch.manual_seed(SEED)
    torch.use_deterministic_algorithms(True)
    start = time.time()
    train_texts, val_texts = documentation_texts()
    tokenizer = train_tokenizer(train_texts)
    train_ids, val_ids = token_stream(tokenizer, train_texts), token_stream(tokenizer, val_texts)
    print(f"tokens: {len(train_ids)} training, {len(val_ids)} validation")

    model = make_model()
    n_params = sum(p.numel() for p in model.parameters())
    print(f"parameters: {n_params}")
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.1, betas=(0.9, 0.95))
    warmup = args.steps // 20
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: min(1.0, (step + 1) / warmup)
                                                 * 0.5 * (1 + math.cos(math.pi * min(step, args.steps) / args.steps)))
    generator = torch.Generator().manual_seed(SEED)
    best = {"val_loss": float("inf"), "step": 0}
    history = []
    for step in range(1, args.steps + 1):
        starts = torch.randint(0, len(train_ids) - CONTEXT - 1, (args.batch_size,), generator=generator)
        x = torch.stack([train_ids[s:s + CONTEXT] for s in starts])
        loss = model(input_ids=x, labels=x).loss
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        if step % args.eval_every == 0 or step == args.steps:
            val = validation_loss(model, val_ids)
            history.append({"step": step, "train_loss": round(loss.item(), 4), "val_loss": round(val, 4)})
            print(f"step {step:5d}  train loss {loss.item():.3f}  validation loss {val:.3f}  "
                  f"({time.time() - start:.0f} s)", flush=True)
            if val < best["val_loss"]:
                best = {"val_loss": round(val, 4), "step": step}
                model.save_pretrained(args.out)  # keep the best weights (early stopping)
    tokenizer.save_pretrained(args.out)

    from transformers import GPT2LMHeadModel
    best_model = GPT2LMHeadModel.from_pretrained(args.out).half()
    best_model.save_pretrained(args.out)
    report = {
        "command": "python tools/train_small_gpt.py " + " ".join(f"--{k.replace('_', '-')} {v}" for k, v in
                                                                   vars(args).items() if k != "out"),
        "parameters": n_params, "training_tokens": len(train_ids), "validation_tokens": len(val_ids),
        "best_step": best["step"], "best_val_loss": best["val_loss"],
        "best_val_perplexity": round(math.exp(best["val_loss"]), 2),
        "seconds": round(time.time() - start), "machine": f"{platform.machine()}, {torch.get_num_threads()} threads",
        "torch": torch.__version__, "history": history,
    }
    (args.out / "training.json").write_text(json.dumps(report, indent=1) + "\n")
    print(json.dumps({k: v for k, v in report.items() if k != "history"}, indent=1))


if __name__ == "__main__":
    main()
