"""Answers/s and latency through the Telegram stack: N simulated users talking to the bot.

Run: ``.venv/bin/python benchmarks/bench_bot.py [--questions-per-user 4] [--mode polling|webhook|both]``.
The real Application talks to the fake Bot API server (tests/fake_bot_api.py) over HTTP, polling it or
receiving its updates by webhook (the fake POSTs each update to the bot's web server with the secret token);
each simulated user sends a question, waits for the answer, then asks the next. Latency runs from the
update being queued to the answer arriving at the server.
The baseline, in the same run, is the library's own search time for the same questions (no Telegram).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.machine import describe
from bot.answers import AnswerService
from bot.index_setup import ensure_index
from tests.fake_bot_api import FakeBotAPI, polling_bot, webhook_bot

ROOT = Path(__file__).resolve().parent.parent


async def run_users(
    api: FakeBotAPI, users: int, questions: list[str], per_user: int
) -> tuple[float, list[float]]:
    """Every user asks ``per_user`` questions in turn; returns wall time and per-question latencies (ms)."""
    latencies: list[float] = []

    async def user(n: int) -> None:
        chat = 10_000 + users * 1000 + n
        for i in range(per_user):
            question = questions[(n * per_user + i) % len(questions)]
            before = api.sent_to[chat]
            started = time.perf_counter()
            api.message_update(question, chat_id=chat, user_id=chat)
            while api.sent_to[chat] <= before:
                await asyncio.sleep(0.002)
            latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(user(n) for n in range(users)))
    return time.perf_counter() - started, latencies


async def main_async(per_user: int, modes: list[str], docs: Path, index_dir: Path) -> None:
    print(f"machine: {describe()}")
    questions = [
        json.loads(line)["question"]
        for line in (ROOT / "benchmarks/questions/documents.jsonl").read_text().splitlines()
        if line.strip()
    ]
    service = AnswerService(ensure_index(docs, index_dir))
    print(
        f"index: {index_dir} ({service.index.passage_count} passages, encoder {service.index.embedder.name})"
    )
    for q in questions[:5]:
        service.index.search(q, 12)
    direct = []
    for q in questions[:100]:
        t = time.perf_counter()
        service.index.search(q, 12)
        direct.append((time.perf_counter() - t) * 1000)
    p50, p95 = np.percentile(direct, 50), np.percentile(direct, 95)
    print(f"baseline, library search alone: p50 {p50:.1f} ms, p95 {p95:.1f} ms")

    columns = "answers/s | p50 ms | p95 ms | p50 ÷ library p50 | Bot API calls/answer"
    print(f"\n| mode | users | questions | {columns} |")
    print("|---|---|---|---|---|---|---|---|")
    for mode in modes:
        api = FakeBotAPI()
        await api.start()
        try:
            running = polling_bot(api, service) if mode == "polling" else webhook_bot(api, service)
            async with running:
                for users in (1, 8, 32):
                    calls_before = len([c for c in api.calls if c.method != "getUpdates"])
                    wall, lat = await run_users(api, users, questions, per_user)
                    await asyncio.sleep(0.5)  # the last parts of the last answers
                    calls = len([c for c in api.calls if c.method != "getUpdates"]) - calls_before
                    lat_p50, lat_p95 = statistics.median(lat), float(np.percentile(lat, 95))
                    print(
                        f"| {mode} | {users} | {len(lat)} | {len(lat) / wall:.1f} | {lat_p50:.0f} | "
                        f"{lat_p95:.0f} | {lat_p50 / statistics.median(direct):.1f} | "
                        f"{calls / len(lat):.1f} |"
                    )
        finally:
            await api.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions-per-user", type=int, default=4)
    parser.add_argument("--mode", choices=["polling", "webhook", "both"], default="both")
    parser.add_argument("--docs", type=Path, default=ROOT / "documents")
    parser.add_argument("--index", type=Path, default=ROOT / "var/index")
    args = parser.parse_args()
    modes = ["polling", "webhook"] if args.mode == "both" else [args.mode]
    asyncio.run(main_async(args.questions_per_user, modes, args.docs, args.index))


if __name__ == "__main__":
    main()
