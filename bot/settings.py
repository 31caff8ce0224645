"""The bot's settings: one class, read from the environment (prefix ``BOT_``) and an optional ``.env``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_BASE_URL = "https://api.telegram.org/bot"


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

    @property
    def base_file_url(self) -> str:
        """Where files are downloaded from: ``…/file/bot`` beside the API's ``…/bot``."""
        root = self.base_url.rstrip("/")
        return f"{root.removesuffix('/bot')}/file/bot" if root.endswith("/bot") else f"{root}/file/bot"

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
