"""The bot's settings: one class, read from the environment (prefix ``BOT_``) and an optional ``.env``."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what Telegram accepts as a webhook secret token
_YEAR = re.compile(r"\d{4}")


class Settings(BaseSettings):
    """Everything the bot needs to start. A bad value stops start-up with one clear line."""

    model_config = SettingsConfigDict(env_prefix="BOT_", env_file=".env", extra="ignore")

    token: SecretStr | None = Field(default=None, description="Telegram bot token from @BotFather")
    docs_dir: Path = Path("documents")
    index_dir: Path = Path("var/index")
    admin_ids: Annotated[tuple[int, ...], NoDecode] = ()
    base_url: str = DEFAULT_BASE_URL
    log_level: str = "INFO"
    log_retention_days: int = Field(default=90, ge=1, description="days the query log keeps questions")
    # Webhook mode (instead of polling) when webhook_url is set: Telegram POSTs updates to that public HTTPS
    # URL, which a reverse proxy forwards to webhook_listen:webhook_port. Every request must carry the
    # secret token (header X-Telegram-Bot-Api-Secret-Token); without one set, a random one is made at start.
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret: SecretStr | None = None
    # What /refresh fetches (index.fetching): the ILACS history dataset (a CSV path or an http(s) URL; None
    # for the copy shipped with the library), the councils (comma-separated names; empty for all), the first
    # publication year, and the pause between requests to Ofsted's server.
    fetch_dataset: str | None = None
    fetch_councils: Annotated[tuple[str, ...], NoDecode] = ()
    fetch_since: int | None = None
    fetch_delay: float = Field(default=1.0, ge=0.0, le=600.0, description="seconds between requests")

    @property
    def base_file_url(self) -> str:
        """Where files are downloaded from: ``…/file/bot`` beside the API's ``…/bot``."""
        root = self.base_url.rstrip("/")
        return f"{root.removesuffix('/bot')}/file/bot" if root.endswith("/bot") else f"{root}/file/bot"

    @property
    def listen_port(self) -> int:
        """The port the webhook server listens on: BOT_WEBHOOK_PORT when set, else the webhook URL's own
        port when it names one (no proxy in between), else 8443."""
        if "webhook_port" in self.model_fields_set or self.webhook_url is None:
            return self.webhook_port
        return urlsplit(self.webhook_url).port or self.webhook_port

    @property
    def webhook_path(self) -> str:
        """The path the webhook listens on: the webhook URL's path, without its leading slash."""
        assert self.webhook_url is not None
        return urlsplit(self.webhook_url).path.strip("/")

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(
                f"BOT_WEBHOOK_URL must be a full URL like https://bot.example.org/telegram, got {value!r}"
            )
        return value.strip()

    @field_validator("webhook_secret")
    @classmethod
    def _secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if not _SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("BOT_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("fetch_dataset")
    @classmethod
    def _dataset(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        scheme = urlsplit(value.strip()).scheme
        if len(scheme) > 1 and scheme not in ("http", "https"):  # one letter is a Windows drive, not a scheme
            raise ValueError(f"BOT_FETCH_DATASET must be a CSV path or an http(s) URL, got {value!r}")
        return value.strip()

    @field_validator("fetch_councils", mode="before")
    @classmethod
    def _split_councils(cls, value: object) -> object:
        """Accept "Wessex, Borsetshire" as well as a list."""
        if isinstance(value, str):
            return tuple(p.strip() for p in value.split(",") if p.strip())
        return value

    @field_validator("fetch_since", mode="before")
    @classmethod
    def _since(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        latest = dt.date.today().year + 1
        text = str(value).strip()
        if not _YEAR.fullmatch(text) or not 2000 <= int(text) <= latest:
            raise ValueError(f"BOT_FETCH_SINCE must be a year from 2000 to {latest}, got {str(value)[:20]!r}")
        return int(text)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        """Accept "1, 2,3" as well as a list."""
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            try:
                return tuple(int(p) for p in parts)
            except ValueError as exc:
                raise ValueError(
                    f"BOT_ADMIN_IDS must be comma-separated numeric user ids, got {value!r}"
                ) from exc
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError(f"BOT_LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got {value!r}")
        return level

    @field_validator("token")
    @classmethod
    def _token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        token = value.get_secret_value().strip()
        if ":" not in token or not token.split(":", 1)[0].isdigit():
            raise ValueError("BOT_TOKEN does not look like a bot token (expected '<digits>:<secret>')")
        return SecretStr(token)

    @field_validator("base_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"BOT_BASE_URL must start with http:// or https://, got {value!r}")
        return value
