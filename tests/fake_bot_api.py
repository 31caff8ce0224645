"""A small fake Telegram Bot API server (aiohttp, 127.0.0.1, random port) for end-to-end tests.

It implements the methods the bot uses, records every call, and behaves like the real API where it matters:
400 for text over 4096 characters or HTML that Telegram would not parse, 429 with ``retry_after``, 5xx and
slow answers on demand. Updates are queued with :meth:`FakeBotAPI.push` and served by ``getUpdates``.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
import socket
import time
from collections import Counter, defaultdict, deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from aiohttp import ClientSession, web
from pydantic import SecretStr

from bot.answers import AnswerService
from bot.settings import Settings
from bot.telegram_bot import build_application, webhook_arguments

BOT_ID = 4242
BOT_USERNAME = "ofsted_quotes_test_bot"
# Form fields PTB sends JSON-encoded (strings are sent as they are).
JSON_FIELDS = {
    "chat_id", "message_id", "offset", "limit", "timeout", "allowed_updates", "reply_markup", "entities",
    "results", "cache_time", "is_personal", "show_alert", "link_preview_options", "reply_parameters",
    "disable_notification", "protect_content", "drop_pending_updates", "reply_to_message_id",
}  # fmt: skip
ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "blockquote",
    "tg-spoiler", "span", "tg-emoji",
}  # fmt: skip


class TelegramHTMLError(ValueError):
    """HTML that Telegram's parser would reject."""


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            raise TelegramHTMLError(f'Can\'t parse entities: unsupported start tag "{tag}"')
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            raise TelegramHTMLError(f'Can\'t parse entities: unexpected end tag "{tag}"')
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed_text(text: str, parse_mode: str | None) -> str:
    """The text Telegram would show (entities stripped); raises TelegramHTMLError on bad HTML."""
    if parse_mode != "HTML":
        return text
    checker = _Checker()
    checker.feed(text)
    checker.close()
    if checker.stack:
        raise TelegramHTMLError(
            f"Can't parse entities: can't find end tag corresponding to \"{checker.stack[-1]}\""
        )
    if re.search(r"&(?!#\d+;|#x[0-9a-fA-F]+;|[a-zA-Z]+;)", text):
        raise TelegramHTMLError("Can't parse entities: unescaped &")
    return html.unescape("".join(checker.text))


@dataclass
class Call:
    """One recorded Bot API call."""

    method: str
    params: dict[str, Any]
    status: int
    at: float = field(default_factory=time.monotonic)


@dataclass
class Behaviour:
    """A planned failure or delay for the next calls of a method."""

    status: int = 200
    delay: float = 0.0
    retry_after: int = 1
    drop: bool = False  # after the delay, give up without delivering (as when a request times out in transit)


class FakeBotAPI:
    """The fake server: start it, point the bot's ``base_url`` at :attr:`base_url`, push updates."""

    def __init__(self, token: str = "123456:TEST-token") -> None:
        self.token = token
        self.calls: list[Call] = []
        self._updates: list[dict[str, Any]] = []
        self._new_update = asyncio.Event()
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._plans: dict[str, deque[Behaviour]] = defaultdict(deque)
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}  # (chat, message id) -> message as sent
        self.sent_to: Counter[int] = Counter()  # messages sent per chat
        self.files: dict[str, bytes] = {}  # file_id -> content, served by getFile and the file route
        self.webhook_url: str | None = None  # set by setWebhook: updates are then POSTed there
        self.webhook_secret: str | None = None
        self.deliveries: list[int] = []  # HTTP status of each webhook delivery
        self._session: ClientSession | None = None
        self._posting: set[asyncio.Task[int]] = set()
        self.blocked: set[int] = set()  # chats whose user blocked the bot: sending there answers 403

    @property
    def base_url(self) -> str:
        """What the bot uses as ``base_url`` (the token is appended by python-telegram-bot)."""
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> None:
        """Listen on 127.0.0.1 on a free port."""
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.*}", self._download)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server: Any = site._server
        self.port = int(server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        """Stop listening."""
        if self._posting:
            await asyncio.gather(*self._posting, return_exceptions=True)
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # ------------------------------------------------------------------------------------ scripting
    def plan(self, method: str, *behaviours: Behaviour) -> None:
        """Make the next calls of ``method`` fail or be slow, one behaviour per call."""
        self._plans[method].extend(behaviours)

    def push(self, update: dict[str, Any]) -> int:
        """Queue an update for getUpdates; returns its update_id."""
        update_id = next(self._update_ids)
        if self.webhook_url is not None:  # as Telegram does once a webhook is set: POST it there
            task = asyncio.get_running_loop().create_task(
                self.deliver({"update_id": update_id, **update}, self.webhook_secret)
            )
            self._posting.add(task)
            task.add_done_callback(self._posting.discard)
            return update_id
        self._updates.append({"update_id": update_id, **update})
        self._new_update.set()
        return update_id

    async def deliver(self, update: dict[str, Any], secret: str | None) -> int:
        """POST one update to the webhook with ``secret`` in Telegram's header; returns the HTTP status."""
        assert self.webhook_url is not None, "no webhook is set"
        if self._session is None:
            self._session = ClientSession()
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        async with self._session.post(self.webhook_url, json=update, headers=headers) as response:
            self.deliveries.append(response.status)
            return response.status

    def user(self, user_id: int = 1001, name: str = "Resident") -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": name}

    def message_update(
        self,
        text: str | None,
        chat_id: int = 1001,
        chat_type: str = "private",
        user_id: int = 1001,
        reply_to: dict[str, Any] | None = None,
        **extra: Any,
    ) -> int:
        """Push a message from a user; commands and mentions get their entities like Telegram's."""
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {
                "id": chat_id,
                "type": chat_type,
                **({"title": "Councillors"} if chat_type != "private" else {}),
            },
            "from": self.user(user_id),
            **extra,
        }
        if text is not None:
            message["text"] = text
            entities = []
            if text.startswith("/"):
                length = len(text.split()[0])
                entities.append({"type": "bot_command", "offset": 0, "length": length})
            mention = f"@{BOT_USERNAME}"
            if mention in text and not text.startswith("/"):
                entities.append({"type": "mention", "offset": text.index(mention), "length": len(mention)})
            if entities:
                message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        return self.push({"message": message})

    def callback_update(self, message: dict[str, Any], data: str, user_id: int = 1001) -> int:
        """Push a press of an inline button on ``message`` (as the bot sent it)."""
        return self.push(
            {
                "callback_query": {
                    "id": str(next(self._message_ids)),
                    "from": self.user(user_id),
                    "chat_instance": "ci",
                    "data": data,
                    "message": message,
                }
            }
        )

    def document(self, data: bytes, file_name: str, mime_type: str = "application/pdf") -> dict[str, Any]:
        """A Telegram Document for ``data``, stored so that getFile and the download serve it."""
        file_id = f"file-{len(self.files) + 1}"
        self.files[file_id] = data
        return {
            "file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": file_name,
            "mime_type": mime_type, "file_size": len(data),
        }  # fmt: skip

    def inline_update(self, query: str, user_id: int = 1001) -> int:
        """Push an inline query."""
        return self.push(
            {
                "inline_query": {
                    "id": str(next(self._message_ids)),
                    "from": self.user(user_id),
                    "query": query,
                    "offset": "",
                }
            }
        )

    # ------------------------------------------------------------------------------------ inspecting
    def ok_calls(self, method: str) -> list[Call]:
        """Successful calls of ``method``, in order."""
        return [c for c in self.calls if c.method == method and c.status == 200]

    def calls_of(self, method: str) -> list[Call]:
        """Every call of ``method``, whatever its status, in order."""
        return [c for c in self.calls if c.method == method]

    async def wait_for_any(self, method: str, count: int = 1, timeout: float = 20.0) -> list[Call]:
        """Wait until ``count`` calls of ``method`` were made, successful or not; return them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.calls_of(method)) >= count:
                return self.calls_of(method)
            await asyncio.sleep(0.01)
        raise AssertionError(f"{count} {method} call(s) expected, saw {len(self.calls_of(method))}")

    async def wait_for(self, method: str, count: int = 1, timeout: float = 20.0) -> list[Call]:
        """Wait until ``count`` successful calls of ``method`` were made; return them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            calls = self.ok_calls(method)
            if len(calls) >= count:
                return calls
            await asyncio.sleep(0.02)
        raise AssertionError(
            f"{count} successful {method} call(s) expected, saw {len(self.ok_calls(method))}: "
            f"{[(c.method, c.status) for c in self.calls if c.method != 'getUpdates']}"
        )

    # ------------------------------------------------------------------------------------ serving
    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return self._error(method, {}, 401, "Unauthorized")
        form = await request.post()
        params: dict[str, Any] = {}
        for key, value in form.items():
            if isinstance(value, web.FileField):  # an uploaded photo or document
                params[key] = value.file.read()
                continue
            text = str(value)
            params[key] = json.loads(text) if key in JSON_FIELDS else text
        if self._plans.get(method):  # getUpdates too: a poll that fails
            plan = self._plans[method].popleft()
            if plan.delay:
                await asyncio.sleep(plan.delay)
            if plan.drop:
                return self._error(method, params, 504, "Gateway Timeout")
            if plan.status == 429:
                return self._error(
                    method, params, 429, f"Too Many Requests: retry after {plan.retry_after}",
                    {"retry_after": plan.retry_after},
                )  # fmt: skip
            if plan.status >= 500:
                return self._error(method, params, plan.status, "Internal Server Error")
        if method.startswith("send") and str(params.get("chat_id")) in {str(c) for c in self.blocked}:
            return self._error(method, params, 403, "Forbidden: bot was blocked by the user")
        snake = re.sub(r"(?<!^)([A-Z])", r"_\1", method).lower()
        handler = getattr(self, f"_m_{snake}", None)
        if handler is None:
            return self._error(method, params, 404, f"Not Found: method {method} is not faked")
        try:
            result = await handler(params)
        except TelegramHTMLError as exc:
            return self._error(method, params, 400, f"Bad Request: {exc}")
        except _BadRequestError as exc:
            return self._error(method, params, 400, f"Bad Request: {exc}")
        self.calls.append(Call(method, params, 200))
        return web.json_response({"ok": True, "result": result})

    def _error(
        self,
        method: str,
        params: dict[str, Any],
        status: int,
        description: str,
        extra: dict[str, Any] | None = None,
    ) -> web.Response:
        self.calls.append(Call(method, params, status))
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if extra:
            body["parameters"] = extra
        return web.json_response(body, status=status)

    def _bot_user(self) -> dict[str, Any]:
        return {
            "id": BOT_ID, "is_bot": True, "first_name": "Ofsted Quotes", "username": BOT_USERNAME,
            "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": True,
        }  # fmt: skip

    async def _m_get_me(self, params: dict[str, Any]) -> Any:
        return self._bot_user()

    async def _m_delete_webhook(self, params: dict[str, Any]) -> Any:
        self.webhook_url = self.webhook_secret = None
        return True

    async def _m_set_webhook(self, params: dict[str, Any]) -> Any:
        self.webhook_url = str(params["url"])
        self.webhook_secret = params.get("secret_token")
        return True

    async def _m_get_updates(self, params: dict[str, Any]) -> Any:
        offset = int(params.get("offset") or 0)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates:
            self._new_update.clear()
            try:
                await asyncio.wait_for(
                    self._new_update.wait(), timeout=min(float(params.get("timeout") or 0), 0.5)
                )
            except TimeoutError:
                return []
        return list(self._updates)

    def _check_text(self, params: dict[str, Any]) -> str:
        text = str(params.get("text", ""))
        shown = parsed_text(text, params.get("parse_mode"))
        if not shown.strip():
            raise _BadRequestError("message text is empty")
        if len(shown) > 4096:
            raise _BadRequestError("message is too long")
        markup = params.get("reply_markup") or {}
        for row in markup.get("inline_keyboard", []):
            for button in row:
                if "callback_data" in button and len(button["callback_data"].encode()) > 64:
                    raise _BadRequestError("BUTTON_DATA_INVALID")
        return text

    def _deliver(self, params: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
        """Record a message the bot sends to ``params["chat_id"]`` with ``content``; return it as the API does."""
        chat_id = int(params["chat_id"])
        message_id = next(self._message_ids)
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            "from": self._bot_user(),
            **content,
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self.messages[(chat_id, message_id)] = message
        self.sent_to[chat_id] += 1
        return message

    async def _m_send_message(self, params: dict[str, Any]) -> Any:
        text = self._check_text(params)
        return self._deliver(params, {"text": parsed_text(text, params.get("parse_mode"))})  # as users see it

    async def _m_send_photo(self, params: dict[str, Any]) -> Any:
        photo = params.get("photo")
        if not isinstance(photo, bytes) or not photo.startswith(b"\x89PNG"):
            raise _BadRequestError("photo is not a PNG upload")
        caption = str(params.get("caption", ""))
        if len(parsed_text(caption, params.get("parse_mode"))) > 1024:
            raise _BadRequestError("message caption is too long")
        photo_id = f"photo-{next(self._message_ids)}"
        size = {"file_id": photo_id, "file_unique_id": f"u{photo_id}", "width": 1000, "height": 600}
        return self._deliver(params, {"photo": [size], "caption": caption})

    async def _m_edit_message_text(self, params: dict[str, Any]) -> Any:
        text = self._check_text(params)
        key = (int(params["chat_id"]), int(str(params["message_id"])))
        if key not in self.messages:
            raise _BadRequestError("message to edit not found")
        message = dict(self.messages[key])
        message["text"] = parsed_text(text, params.get("parse_mode"))
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self.messages[key] = message
        return message

    async def _m_get_file(self, params: dict[str, Any]) -> Any:
        file_id = str(params.get("file_id"))
        if file_id not in self.files:
            raise _BadRequestError("invalid file_id")
        size = len(self.files[file_id])
        if size > 20 * 1024 * 1024:
            raise _BadRequestError("file is too big")
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": size,
            "file_path": f"documents/{file_id}",
        }

    async def _download(self, request: web.Request) -> web.Response:
        file_id = request.match_info["path"].removeprefix("documents/")
        if request.match_info["token"] != self.token or file_id not in self.files:
            return web.Response(status=404)
        self.calls.append(Call("download", {"file_id": file_id}, 200))
        return web.Response(body=self.files[file_id])

    async def _m_send_chat_action(self, params: dict[str, Any]) -> Any:
        return True

    async def _m_answer_callback_query(self, params: dict[str, Any]) -> Any:
        return True

    async def _m_answer_inline_query(self, params: dict[str, Any]) -> Any:
        for result in params.get("results", []):
            content = result.get("input_message_content", {})
            parsed_text(content.get("message_text", ""), content.get("parse_mode"))
        return True


class _BadRequestError(Exception):
    """A request the real API would refuse with 400."""


@asynccontextmanager
async def _running(application: Any, start_updates: Callable[[Any], Awaitable[Any]]) -> AsyncIterator[None]:
    """Start ``application`` as ``python -m bot`` does (post_init included), its updates by
    ``start_updates(updater)``; stop and shut it down when the block ends."""
    await application.initialize()
    assert application.post_init is not None and application.updater is not None
    await application.post_init(application)
    await application.start()
    await start_updates(application.updater)
    try:
        yield
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()


@asynccontextmanager
async def polling_bot(
    api: FakeBotAPI, service: AnswerService, timeout: float | None = None
) -> AsyncIterator[Any]:
    """The bot's real Application, built as ``python -m bot`` builds it, polling ``api`` until the block ends."""
    settings = Settings(token=SecretStr(api.token), base_url=api.base_url, _env_file=None)  # type: ignore[call-arg]
    application = build_application(settings, lambda: service, timeout=timeout)
    async with _running(application, lambda updater: updater.start_polling(poll_interval=0.0, timeout=1)):
        yield application


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@asynccontextmanager
async def webhook_bot(
    api: FakeBotAPI, service: AnswerService, secret: str = "test-secret_42"
) -> AsyncIterator[Any]:
    """The bot's real Application in webhook mode, as ``python -m bot`` runs it with BOT_WEBHOOK_URL set."""
    port = free_port()
    settings = Settings(
        token=SecretStr(api.token),
        base_url=api.base_url,
        webhook_url=f"http://127.0.0.1:{port}/hook/telegram",
        webhook_port=port,
        webhook_secret=SecretStr(secret),
        _env_file=None,  # type: ignore[call-arg]
    )
    application = build_application(settings, lambda: service, timeout=2.0)
    async with _running(application, lambda updater: updater.start_webhook(**webhook_arguments(settings))):
        yield application
