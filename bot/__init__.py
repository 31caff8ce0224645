"""The chat front ends: the Telegram bot and the console chat, over the ``index`` library."""

import os

# Opt in to python-telegram-bot's future behaviour: durations such as RetryAfter.retry_after are timedeltas
# (the code handles both); without it every 429 logs a deprecation warning.
os.environ.setdefault("PTB_TIMEDELTA", "1")
