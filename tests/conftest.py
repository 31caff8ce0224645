"""Shared fixtures. Synthetic documents are about fictional councils only (Eastmarch, Westhaven)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from index.document import Document, DocumentMeta, Section
from index.embedding import HashingEmbedder
from index.loaders.base import content_hash

if TYPE_CHECKING:
    from tests.fake_bot_api import FakeBotAPI

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ROOT / "documents"
SHARED = ROOT.parent / "shared"


def run_module(
    module: str, *args: str, env: dict[str, str] | None = None, stdin: str | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m module args`` from the project root, as a user would, capturing its output."""
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        check=False,
    )


def make_doc(source: str, text: str, sections: tuple[Section, ...] = (), **meta: str) -> Document:
    """A document built in memory, as a loader would return it."""
    return Document(
        source=source,
        text=text,
        meta=DocumentMeta(**meta),
        content_hash=content_hash(text.encode()),
        sections=sections,
    )


@pytest.fixture
def embedder() -> HashingEmbedder:
    """The deterministic fake embedder."""
    return HashingEmbedder()


EASTMARCH_REPORT = """Inspection of Eastmarch County Council children's services
What needs to improve?
• The quality of assessment and support to children aged 16 and 17 who present as homeless.
• Care leavers' understanding of their entitlements and the local offer.
The experiences and progress of children in care: good
1. Children in care in Eastmarch live in stable homes close to their families. Social workers visit them often and know them well. Most children say they feel safe.
2. The fostering service recruits carers who can look after brothers and sisters together. Leaders have opened two new children's homes in the county.
The experiences and progress of care leavers: requires improvement to be good
3. Care leavers do not always understand what support they are entitled to. Pathway plans are not consistently updated when circumstances change.
4. Personal advisers stay in touch with most care leavers, but support for those aged over 21 is inconsistent.
"""


@pytest.fixture
def eastmarch_report() -> Document:
    """A short fictional inspection report with sections."""
    text = EASTMARCH_REPORT
    headings = [
        "What needs to improve?",
        "The experiences and progress of children in care: good",
        "The experiences and progress of care leavers: requires improvement to be good",
    ]
    sections = tuple(Section(h, text.index(h)) for h in headings)
    return make_doc(
        "ofsted/eastmarch-2024.pdf",
        text,
        sections,
        title="Inspection of Eastmarch County Council children's services",
        publisher="Ofsted",
        published="2024-05-01",
        council="Eastmarch County Council",
    )


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    """The fake Bot API server on a random local port (for the bot's end-to-end tests)."""
    from tests.fake_bot_api import FakeBotAPI

    server = FakeBotAPI()
    await server.start()
    yield server
    await server.stop()
