"""What one bulk request's answer holds: each item's `BulkOutput`, and the `BulkResponse`.

Apart from `bulk` (the items and the request) because reading answers has
its own machinery: outputs made without `__init__`, `details` left as JSON
until first read. The classes are public as `prefactor_http.models.bulk`'s,
and name that module as theirs, so pickles and reprs are the same as before.
"""

from __future__ import annotations

import decimal
import json
from collections.abc import Iterable, Mapping
from typing import Any

import msgspec

from prefactor_http import _validate
from prefactor_http._responses import decode_json


class BulkOutput:
    """One item's outcome: `status` "success" with `details`, or "error" with `code` and `message`.

    Fields the server adds beyond these are kept in `extra` and readable as attributes.

    Attributes:
        status: `success` or `error`.
        details: The action's result: the resource it made or changed.
        code: The API's error code, for an error.
        message: The API's error message, for an error.
        errors: The API's messages per field, for a validation error.
        extra: Fields the server sent beyond these.
    """

    __module__ = "prefactor_http.models.bulk"  # its public home, as pickles name it

    # An output read from an answer keeps `details` as its JSON text (`_raw`) until first
    # read, and makes `errors` and `extra` only when read: writers and most callers never
    # read them, and building them cost most of an answer's reading.
    __slots__ = ("_details", "_errors", "_extra", "_raw", "code", "message", "status")

    _details: Any
    _raw: msgspec.Raw | None
    _errors: dict[str, list[str]] | None
    _extra: dict[str, Any] | None

    def __init__(
        self,
        /,
        *,
        status: str,
        details: Any = None,
        code: str | None = None,
        message: str | None = None,
        errors: Mapping[str, list[str]] | None = None,
        **extra: Any,
    ) -> None:
        self.status = status
        self._details = details
        self._raw = None
        self.code = code
        self.message = message
        self._errors = dict(errors or {})
        self._extra = extra

    @property
    def details(self) -> Any:
        """The action's result (the resource it made or changed), as the answer held it."""
        raw = self._raw
        if raw is not None:
            value = json_value(raw)
            # The first reader's value is every reader's (nothing can switch threads between
            # the check and the stores).
            if self._raw is raw:
                self._details, self._raw = value, None
        return self._details

    @details.setter
    def details(self, value: Any) -> None:
        self._details, self._raw = value, None

    @property
    def errors(self) -> dict[str, list[str]]:
        """The API's messages per field, for a validation error."""
        errors = self._errors
        if errors is None:
            errors = self._errors = {}
        return errors

    @errors.setter
    def errors(self, value: dict[str, list[str]]) -> None:
        self._errors = value

    @property
    def extra(self) -> dict[str, Any]:
        """Fields the server sent beyond those above."""
        extra = self._extra
        if extra is None:
            extra = self._extra = {}
        return extra

    @extra.setter
    def extra(self, value: dict[str, Any]) -> None:
        self._extra = value

    @property
    def ok(self) -> bool:
        """True when the item's action succeeded."""
        return self.status == "success"

    @classmethod
    def validate_status(cls, v: str) -> str:
        """Return `v` if it is an outcome the API sends ("success" or "error"), else raise.

        Args:
            v: The status to check.
        """
        if v not in ("success", "error"):
            _validate.refuse("status", f"must be 'success' or 'error', got {v!r}")
        return v

    def __getattr__(self, name: str) -> Any:
        if name in ("extra", "_extra"):  # unset only before unpickling sets the state
            raise AttributeError(name)
        try:
            return (self._extra or _NO_EXTRA)[name]
        except KeyError:
            raise AttributeError(name) from None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BulkOutput) and all(
            getattr(self, name) == getattr(other, name) for name in _OUTPUT_FIELDS
        )

    __hash__ = None  # type: ignore[assignment]

    def __getstate__(self) -> tuple[None, dict[str, Any]]:
        # The state of an output built whole (each public field): a pickle reads the same
        # whichever way the output was made, and whichever version of this class reads it.
        return None, {name: getattr(self, name) for name in _OUTPUT_FIELDS}

    def __repr__(self) -> str:
        if self.ok:
            return f"BulkOutput(status='success', details={self.details!r})"
        return f"BulkOutput(status={self.status!r}, code={self.code!r}, message={self.message!r})"


# The public fields, in the order a pickle of BulkOutput has always listed them.
_OUTPUT_FIELDS = ("code", "details", "errors", "extra", "message", "status")
_NO_EXTRA: dict[str, Any] = {}  # looked up, never changed


def answered_output(
    status: str,
    details: Any,
    raw: msgspec.Raw | None,
    code: str | None,
    message: str | None,
    errors: dict[str, list[str]] | None,
) -> BulkOutput:
    """An output as read from an answer: `details` read already, or left as JSON in `raw`.

    Bulk answers make one per item, so this skips `__init__`'s keyword handling and
    leaves `errors` (when None or empty) and `extra` to be made on first read.
    """
    output: BulkOutput = _new_output(BulkOutput)
    output.status = status
    output._details = details
    output._raw = raw
    output.code = code
    output.message = message
    output._errors = errors or None
    output._extra = None
    return output


_new_output = object.__new__


def json_value(raw: bytes) -> Any:
    """The JSON value `raw`, a part of an answer already read: msgspec, or json if it refuses.

    The answer's read checked `raw`'s syntax, so msgspec can only refuse a number here:
    a float beyond a double, which json reads as inf, as it did for such an answer, or
    an integer past msgspec's reach, which json reads whatever
    `sys.get_int_max_str_digits()` is now (the answer was read under the limit then).
    """
    try:
        return decode_json(raw)
    except msgspec.DecodeError:
        return json.loads(bytes(raw), parse_int=_any_int)


def _any_int(text: str) -> int:
    """`text` as an int, however many digits it has (Decimal has no limit on them)."""
    return int(decimal.Decimal(text))


class BulkResponse:
    """Outputs keyed by idempotency key, and which requested items never ran.

    Attributes:
        status: The status of the whole answer, as the API sent it.
        outputs: Each item's output, by key.
        requested_keys: The keys sent, in order.
    """

    __module__ = "prefactor_http.models.bulk"

    __slots__ = ("outputs", "requested_keys", "status")

    def __init__(
        self,
        *,
        status: str = "success",
        outputs: Mapping[str, BulkOutput],
        requested_keys: Iterable[str] = (),
    ) -> None:
        self.status = status
        self.outputs: dict[str, BulkOutput] = dict(outputs)
        self.requested_keys: list[str] = list(requested_keys)

    @property
    def succeeded(self) -> list[str]:
        """Keys whose action succeeded, in request order."""
        return [k for k in self._order() if k in self.outputs and self.outputs[k].ok]

    @property
    def failed(self) -> str | None:
        """The key of the item that failed and stopped processing, if any."""
        return next(
            (k for k in self._order() if k in self.outputs and not self.outputs[k].ok), None
        )

    @property
    def not_processed(self) -> list[str]:
        """Requested keys with no output: processing stopped before them."""
        return [k for k in self.requested_keys if k not in self.outputs]

    @property
    def ok(self) -> bool:
        """True when every requested item ran and succeeded."""
        return self.failed is None and not self.not_processed

    def _order(self) -> list[str]:
        requested = set(self.requested_keys)
        return [*self.requested_keys, *(k for k in self.outputs if k not in requested)]

    def __repr__(self) -> str:
        return (
            f"BulkResponse(status={self.status!r}, succeeded={len(self.succeeded)}, "
            f"failed={self.failed!r}, not_processed={len(self.not_processed)})"
        )
