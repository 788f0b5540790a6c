"""The package logger's setup: silent unless the application or `PREFACTOR_LOG` asks.

A library must not print: without a handler of its own, Python's last-resort
handler writes every WARNING to stderr, even one about an error the caller
caught. `PREFACTOR_LOG=debug` (or `info`) is read once, when the package is
imported, and attaches a stderr handler at that level, for a quick look
without touching the application's logging setup. Log lines never hold the
API token: they name the method, the path, the status and the attempt.
"""

from __future__ import annotations

import logging
import os
import warnings
from typing import TextIO

LOGGER_NAME = "prefactor_http"
ENV_VAR = "PREFACTOR_LOG"
LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
FORMAT = "[%(asctime)s - %(name)s:%(lineno)d - %(levelname)s] %(message)s"


class _EnvHandler(logging.StreamHandler[TextIO]):
    """The handler `PREFACTOR_LOG` attaches, told apart so that it is attached once."""


def setup_logging(value: str | None = None) -> None:
    """Give the package logger its NullHandler and, when `value` asks, a stderr handler.

    Args:
        value: The `PREFACTOR_LOG` setting (`debug` or `info`, any case); None reads
            the environment. Anything else leaves logging alone, with one warning.
    """
    logger = logging.getLogger(LOGGER_NAME)
    if not any(isinstance(handler, logging.NullHandler) for handler in logger.handlers):
        logger.addHandler(logging.NullHandler())
    setting = os.environ.get(ENV_VAR, "") if value is None else value
    setting = setting.strip().lower()
    if not setting:
        return
    level = LEVELS.get(setting)
    if level is None:
        warnings.warn(
            f"{ENV_VAR}={setting!r} is ignored: use one of {', '.join(LEVELS)}",
            RuntimeWarning,
            stacklevel=2,
        )
        return
    if not any(isinstance(handler, _EnvHandler) for handler in logger.handlers):
        handler = _EnvHandler()
        handler.setFormatter(logging.Formatter(FORMAT))
        logger.addHandler(handler)
    logger.setLevel(level)
