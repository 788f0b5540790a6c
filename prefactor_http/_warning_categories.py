"""The package's two warning categories, public from `prefactor_http.exceptions`.

Apart from the errors so that `exceptions.py` stays small; each says it
belongs to `prefactor_http.exceptions`, where users import, filter and read
it, as the error classes do.
"""

from __future__ import annotations


class PrefactorDataLossWarning(UserWarning):
    """A span writer ended with accepted items it neither delivered nor kept in a spool.

    Said when a writer the application never closed meets the end of its
    process, where no caller is left to catch a PrefactorDeliveryError;
    the same words go to the package logger.
    """

    __module__ = "prefactor_http.exceptions"


class PrefactorInsecureTransportWarning(UserWarning):
    """The API token will travel unencrypted: api_url is http:// to a host that is not loopback.

    A category of its own, so an application can silence it on purpose
    (`warnings.simplefilter("ignore", PrefactorInsecureTransportWarning)`)
    without silencing other warnings.
    """

    __module__ = "prefactor_http.exceptions"
