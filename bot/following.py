"""Which chats follow which councils: ``followers.json`` in the bot's data folder (beside the query log).

Following a council is the consent to keep that chat's id, so that the bot can message it when Ofsted
publishes a new report on the council; /unfollow deletes it, and so does a chat that blocked or removed the
bot (Telegram answers 403 Forbidden). The file maps a council's key (its canonical lower-case name) to the
chat ids following it. It is written whole each time, atomically and 0600 (:func:`bot.privacy.write_atomic`),
so a crash leaves the previous or the new list, never half of one. Chat ids never reach a log.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Sequence
from dataclasses import asdict, fields
from pathlib import Path

from bot.privacy import private_dir, write_atomic
from index.fetching import Fetched

log = logging.getLogger(__name__)

FOLLOWERS_FILE = "followers.json"
PENDING_FILE = "pending_notices.json"


def _load(path: Path, meaning: str) -> object:
    """The JSON in ``path``; None when it is missing, or damaged (logged, saying what that ``meaning``)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        log.warning("cannot read %s (%s): %s", path, type(exc).__name__, meaning)
        return None


def _save(path: Path, data: object) -> None:
    """Write ``data`` to ``path`` as JSON, atomically and 0600, making its private folder if need be."""
    if not path.parent.exists():
        private_dir(path.parent)
    write_atomic(path, (json.dumps(data, indent=1) + "\n").encode("utf-8"))


class FollowStore:
    """The followers of each council, read from and written to one JSON file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def _read(self) -> dict[str, list[int]]:
        """The file's mapping; missing is empty, and a damaged file is logged and read as empty."""
        raw = _load(self.path, "following no council")
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            log.warning("%s is not a mapping of councils to chats: following no council", self.path)
            return {}
        return {
            str(key): sorted({c for c in chats if isinstance(c, int) and not isinstance(c, bool)})
            for key, chats in raw.items()
            if isinstance(chats, list)
        }

    def _write(self, followers: dict[str, list[int]]) -> None:
        _save(self.path, {key: sorted(set(chats)) for key, chats in sorted(followers.items()) if chats})

    def follow(self, council: str, chat: int) -> bool:
        """Add ``chat`` to the followers of ``council`` (a key); False when it already followed it."""
        with self._lock:
            followers = self._read()
            chats = followers.setdefault(council, [])
            if chat in chats:
                return False
            chats.append(chat)
            self._write(followers)
            return True

    def unfollow(self, chat: int, council: str | None = None) -> list[str]:
        """Stop ``chat`` following ``council`` (every council when None); returns the keys it left."""
        with self._lock:
            followers = self._read()
            left = [
                key
                for key, chats in followers.items()
                if chat in chats and (council is None or key == council)
            ]
            for key in left:
                followers[key].remove(chat)
            if left:
                self._write(followers)
            return sorted(left)

    def following(self, chat: int) -> list[str]:
        """The keys of the councils ``chat`` follows, sorted."""
        with self._lock:
            return sorted(key for key, chats in self._read().items() if chat in chats)

    def followers(self, council: str) -> list[int]:
        """The chats following ``council`` (a key)."""
        with self._lock:
            return list(self._read().get(council, []))

    def forget(self, chat: int) -> int:
        """Delete ``chat`` from every council (it blocked or removed the bot); returns how many it left."""
        return len(self.unfollow(chat))


class PendingNotices:
    """Reports a refresh downloaded whose followers have not been told yet, in ``pending_notices.json``
    beside the followers (0600, written atomically): kept from the fetch until a re-index has put them in
    the index and their followers were told, so that a failed re-index does not lose the notices (the next
    refresh finds nothing new to download, but tells them). It holds reports' paths, links, councils and
    dates, no chat id."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def _read(self) -> list[Fetched]:
        raw = _load(self.path, "no notices pending")
        names = {f.name for f in fields(Fetched)}
        kept = [r for r in raw if isinstance(r, dict) and set(r) == names] if isinstance(raw, list) else []
        return [Fetched(**r) for r in kept]

    def _write(self, reports: Sequence[Fetched]) -> None:
        if not reports:
            self.path.unlink(missing_ok=True)
            return
        _save(self.path, [asdict(r) for r in reports])

    def add(self, reports: Sequence[Fetched]) -> None:
        """Keep ``reports`` until their followers are told (a report already kept is kept once)."""
        with self._lock:
            kept = self._read()
            links = {r.link for r in kept}
            self._write([*kept, *(r for r in reports if r.link not in links)])

    def waiting(self) -> list[Fetched]:
        """The reports whose followers are still to be told, oldest fetch first."""
        with self._lock:
            return self._read()

    def told(self, reports: Sequence[Fetched]) -> None:
        """Forget ``reports``: their followers were told."""
        with self._lock:
            done = {r.link for r in reports}
            self._write([r for r in self._read() if r.link not in done])


__all__ = ["FOLLOWERS_FILE", "PENDING_FILE", "FollowStore", "PendingNotices"]
