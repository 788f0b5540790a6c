"""Accepted items a span writer lost as the process ends, said where it is seen by default.

The package logger holds only a NullHandler until the application sets up
logging, and at exit no caller is left to catch an error, so a log line
alone would vanish. A loss is also a `PrefactorDataLossWarning`, which
Python prints on stderr unless the application filters it.
"""

from __future__ import annotations

import logging
import warnings

from prefactor_http.exceptions import PrefactorDataLossWarning

logger = logging.getLogger("prefactor_http")


def report_loss(level: int, message: str, *args: object) -> None:
    """Log `message % args` at `level` and warn it as a PrefactorDataLossWarning."""
    logger.log(level, message, *args)
    warnings.warn(message % args, PrefactorDataLossWarning, stacklevel=2)
