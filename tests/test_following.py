"""The followers store (followers.json: 0600, atomic, deletions) and the BOT_FETCH_* settings."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot import __main__ as bot_main
from bot.following import FOLLOWERS_FILE, FollowStore
from bot.privacy import holds_only_own
from bot.refresh import fetch_options
from bot.settings import Settings


@pytest.fixture
def store(tmp_path: Path) -> FollowStore:
    return FollowStore(tmp_path / "var" / FOLLOWERS_FILE)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_following_writes_a_private_file_mapping_councils_to_chats(store: FollowStore) -> None:
    assert store.follow("wessex", 11) is True
    assert store.follow("wessex", 12) is True
    assert store.follow("borsetshire", 11) is True
    assert store.follow("wessex", 11) is False  # already following
    assert _mode(store.path) == 0o600
    assert _mode(store.path.parent) == 0o700  # the data folder the store made is private too
    assert json.loads(store.path.read_text()) == {"borsetshire": [11], "wessex": [11, 12]}
    assert store.following(11) == ["borsetshire", "wessex"]
    assert store.followers("wessex") == [11, 12]
    assert [p.name for p in store.path.parent.iterdir()] == [FOLLOWERS_FILE]  # no temporary file left


def test_unfollow_deletes_the_chat_id(store: FollowStore) -> None:
    store.follow("wessex", 11)
    store.follow("borsetshire", 11)
    store.follow("wessex", 12)
    assert store.unfollow(11, "wessex") == ["wessex"]
    assert store.unfollow(11, "wessex") == []
    assert store.unfollow(11) == ["borsetshire"]  # every council
    assert "11" not in store.path.read_text()
    assert json.loads(store.path.read_text()) == {"wessex": [12]}


def test_a_chat_that_blocked_the_bot_is_deleted_from_every_council(store: FollowStore) -> None:
    for council in ("wessex", "borsetshire", "eastmarch"):
        store.follow(council, 13)
    store.follow("wessex", 14)
    assert store.forget(13) == 3
    assert store.following(13) == []
    assert json.loads(store.path.read_text()) == {"wessex": [14]}


def test_a_failed_write_keeps_the_previous_followers(
    store: FollowStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.follow("wessex", 11)

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError):
        store.follow("wessex", 12)
    monkeypatch.undo()
    assert json.loads(store.path.read_text()) == {"wessex": [11]}
    assert [p.name for p in store.path.parent.iterdir()] == [FOLLOWERS_FILE]


def test_a_damaged_followers_file_is_read_as_following_nothing(store: FollowStore) -> None:
    store.path.parent.mkdir()
    store.path.write_text("{not json", encoding="utf-8")
    assert store.following(11) == []
    store.path.write_text(json.dumps({"wessex": [11, "x", True]}), encoding="utf-8")
    assert store.followers("wessex") == [11]


def test_the_followers_file_counts_as_the_bots_own_in_its_data_folder(tmp_path: Path) -> None:
    (tmp_path / FOLLOWERS_FILE).write_text("{}", encoding="utf-8")
    (tmp_path / f".{FOLLOWERS_FILE}.123.tmp").write_text("", encoding="utf-8")
    assert holds_only_own(tmp_path, "index")


def _settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> Settings:
    for name, value in env.items():
        monkeypatch.setenv(f"BOT_{name.upper()}", value)
    return Settings(_env_file=None)  # type: ignore[call-arg]


def test_fetch_settings_are_read_into_the_fetch_options(monkeypatch: pytest.MonkeyPatch) -> None:
    default = fetch_options(Settings(_env_file=None))  # type: ignore[call-arg]
    assert (default.dataset, default.councils, default.since, default.politeness.delay) == (
        None,
        (),
        None,
        1.0,
    )
    settings = _settings(
        monkeypatch,
        fetch_dataset="https://example.org/ilacs.csv",
        fetch_councils="Wessex, Borsetshire,",
        fetch_since="2023",
        fetch_delay="0.5",
    )
    options = fetch_options(settings)
    assert options.dataset == "https://example.org/ilacs.csv"
    assert options.councils == ("Wessex", "Borsetshire")
    assert options.since == 2023
    assert options.politeness.delay == 0.5


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("fetch_since", "19", "BOT_FETCH_SINCE must be a year from 2000 to"),
        ("fetch_since", "1999", "BOT_FETCH_SINCE must be a year from 2000 to"),
        ("fetch_delay", "-1", "greater than or equal to 0"),
        ("fetch_delay", "soon", "valid number"),
        (
            "fetch_dataset",
            "ftp://example.org/x.csv",
            "BOT_FETCH_DATASET must be a CSV path or an http(s) URL",
        ),
    ],
)
def test_a_bad_fetch_setting_stops_start_up_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str, value: str, says: str
) -> None:
    with pytest.raises(ValidationError):
        _settings(monkeypatch, **{name: value})
    monkeypatch.chdir(Path(__file__).parent)  # no .env here
    with pytest.raises(SystemExit) as stopped:
        bot_main._settings()
    assert stopped.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"bad setting BOT_{name.upper()}:") and says in err and "\n" not in err
