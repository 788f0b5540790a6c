"""What every bulk request sends and how its answer is read.

Shared by `endpoints/bulk.py` (`execute`, `execute_many` through
`_bulk_run.BulkRun`) and the span writers.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

import msgspec

from prefactor_http import _validate
from prefactor_http._bodies import Answer
from prefactor_http._generated.api.bulk import execute_bulk
from prefactor_http._generated.models.bulk_output_status import (
    BULK_OUTPUT_STATUS_VALUES,
    BulkOutputStatus,
)
from prefactor_http._generated.models.bulk_request import BulkRequest as WireBulkRequest
from prefactor_http._operations._core import (
    IDEMPOTENCY_HEADER,
    UNENCODABLE,
    Call,
    dump,
    new_idempotency_key,
    unencodable,
)
from prefactor_http._responses import contract_error, decode_json, read_json_object, redact_json
from prefactor_http.models._bulk_answers import answered_output
from prefactor_http.models.bulk import BulkItem, BulkOutput, BulkResponse


def encode_item(item: BulkItem, where: str) -> bytes:
    """`item` as it travels, encoded now: an item JSON cannot carry is refused before sending.

    Bulk callers check every item when they take it (span writers at
    `write()`, `execute_many` before its first request) and keep these bytes,
    so a later change to the caller's nested params cannot break a batch.
    """
    wire = item._wire  # what `to_dict()` copies, read in place
    try:
        return dump(wire)
    except UNENCODABLE as exc:
        _validate.refuse(unencodable(wire, where), f"is not JSON-serializable ({exc!r:.200})")


def encode_items(items: list[BulkItem], first: int = 0) -> bytes:
    """`items` encoded as `encode_item` does, comma-separated: the inside of a JSON array.

    One `dump` for the whole list costs less than one per item. It gives the
    values `encode_item` would, and the same bytes unless one item needs the
    stdlib's encoder, which then spells every float of the list its way
    (`1e+16` for msgspec's `1e16`). If it fails, each item is encoded alone,
    as before: the first one JSON cannot carry is refused as `items[i]` (`i`
    counted from `first`), with the message `encode_item` gives.
    """
    try:
        return dump([item._wire for item in items])[1:-1]
    except UNENCODABLE:
        return b",".join([encode_item(item, f"items[{first + i}]") for i, item in enumerate(items)])


def items_call(
    *, items: list[BulkItem], bodies: list[bytes], keep_details: bool = True
) -> Call[BulkResponse]:
    """The bulk call for `items`, checked by `check_items`, and their encoded `bodies`.

    `bodies` are JSON texts to join with commas: each item's (`encode_item`)
    or whole runs of items (`encode_items`).

    Without `keep_details` (span writers, which only need each item's fate)
    successful outputs share one detail-less BulkOutput.

    Bulk is the per-item hot path (span writers, `execute_many`), so the body
    is joined from each item's bytes rather than a generated model per item,
    and the answer is read here rather than by the generated models, which
    costs several microseconds per item (an import statement and two model
    copies per output). The method, path and headers still come from the
    generated `build_request`, and output statuses are checked against the
    spec's values.
    """
    keys = [item.idempotency_key for item in items]
    # Each item keeps its own key in the body; the header key names this whole request.
    key = new_idempotency_key()
    request = {
        **_BULK_REQUEST,
        "content": b'{"items":[' + b",".join(bodies) + b"]}",
        "headers": {**_BULK_HEADERS, IDEMPOTENCY_HEADER: key},
    }

    def read(method: str, path: str, response: Answer) -> BulkResponse:
        answered = _bulk_response(keys, response, keep_details)
        problem = broken_contract(keys, answered.outputs)
        if problem is not None:
            raise contract_error(method, path, response, problem)
        return answered

    return Call(_BULK_METHOD, _BULK_PATH, request, read, idempotency_key=key)


_BULK_REQUEST = execute_bulk.build_request(body=WireBulkRequest(items=[]))
_BULK_METHOD = _BULK_REQUEST["method"] = _BULK_REQUEST["method"].upper()
_BULK_PATH: str = _BULK_REQUEST["url"]
del _BULK_REQUEST["json"]
_BULK_HEADERS = {**_BULK_REQUEST.get("headers", {}), "Content-Type": "application/json"}


_DELIVERED = BulkOutput(status="success")
_NAMED = 5  # keys a contract error quotes at most


def broken_contract(keys: list[str], outputs: Mapping[str, BulkOutput]) -> str | None:
    """What makes `outputs` an answer the API cannot give to a request for `keys`, or None.

    The API runs the items in order and stops at the first it refuses: every
    key up to that one has an output, and no output is for a key not sent.
    An answer that breaks this cannot say which items ran, so every bulk
    path refuses it whole (`PrefactorResponseContractError`, never retried);
    sending the items again with the same keys is safe. Checked here, once,
    for `execute`, `execute_many` and the span writers.
    """
    if len(outputs) == len(keys) and all(map(outputs.__contains__, keys)):
        return None  # every item answered (the common case, checked in C)
    answered = 0
    refused = False
    unanswered = []  # with no refused item before them
    for key in keys:
        output = outputs.get(key)
        if output is None:
            if not refused:
                unanswered.append(key)
            continue
        answered += 1
        refused = refused or output.status != "success"
    problems = []
    if answered < len(outputs):
        sent = set(keys)
        stray = [key for key in outputs if key not in sent]
        problems.append(f"{len(stray)} output(s) for keys never sent: {_quoted(stray)}")
    if unanswered:
        problems.append(
            f"no output for {len(unanswered)} item(s) with no refused item before them: "
            f"{_quoted(unanswered)}"
        )
    return "; ".join(problems) or None


def _quoted(keys: list[str]) -> str:
    more = f" and {len(keys) - _NAMED} more" if len(keys) > _NAMED else ""
    # A key the server made up may be of any length: each is cut short like a sent one.
    return ", ".join(f"{key!r:.70}" for key in keys[:_NAMED]) + more


def _bulk_response(keys: list[str], response: Answer, keep_details: bool) -> BulkResponse:
    if response.is_success:
        fast = _typed_response(keys, response.content, keep_details, response.request_headers)
        if fast is not None:
            return fast
    return _checked_response(keys, response, keep_details)


def _without_token(output: BulkOutput, sent: Mapping[str, str]) -> BulkOutput:
    """A refused item's output, the token (in `sent`) hidden in every text the server put in it.

    A refusal travels further than its answer: into `execute_many`'s result,
    a writer's `WriteFailure` and `PrefactorDeliveryError` (str, repr,
    traceback, pickle) and the writer's log lines. Both reads of an answer
    make refusals here, so a server that echoes the Authorization header
    cannot put the token in any of them. A successful output is the API's
    resource, kept as sent, like a single call's.
    """
    output.code = redact_json(output.code, sent)
    output.message = redact_json(output.message, sent)
    output.errors = redact_json(output.errors, sent)
    output.details = redact_json(output.details, sent)
    output.extra = redact_json(output.extra, sent)
    return output


def _status_without_token(status: str, sent: Mapping[str, str]) -> str:
    """The envelope's status, searched for the token only when it is not the usual word."""
    return status if status == "success" else redact_json(status, sent)


class _Output(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    """An output as the typed read takes it; another field or type goes to the checked read."""

    status: BulkOutputStatus
    details: msgspec.Raw = msgspec.Raw()  # empty when absent
    code: str | None = None
    message: str | None = None
    errors: dict[str, Any] | None = None


class _Envelope(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    outputs: dict[str, _Output]
    status: str | None = None


_DECODE_ENVELOPE = msgspec.json.Decoder(_Envelope).decode


def _typed_response(
    keys: list[str], body: bytes, keep_details: bool, sent: Mapping[str, str]
) -> BulkResponse | None:
    """The answer read with its outputs' `details` left as JSON, or None to read it checked.

    `sent` are the headers the request carried: each refusal hides their token.

    Building each output's details (a whole span or instance) cost most of reading an
    answer, and writers never read them. The typed decode takes only answers whose
    every output is one `_checked_response` would read field for field; anything else,
    well formed or not, is left to it, so which answers are refused, and with which
    message, is unchanged. msgspec checks a skipped value's syntax but neither its
    UTF-8 nor its numbers: the UTF-8 is checked here, `details` long enough to hold an
    integer over `sys.get_int_max_str_digits()` are read now, and the rest read as
    `_responses` reads an answer when first used (`models._bulk_answers.json_value`).
    """
    if not body.isascii():
        try:
            body.decode()
        except UnicodeDecodeError:
            return None
    try:
        envelope = _DECODE_ENVELOPE(body)
    except (msgspec.DecodeError, RecursionError):
        return None
    limit = sys.get_int_max_str_digits()
    outputs: dict[str, BulkOutput] = {}
    for key, output in envelope.outputs.items():
        raw: msgspec.Raw | None = output.details or None
        details = None
        if raw is not None and limit and len(raw) > limit:
            # Long enough to hold an integer json refuses: read now. What msgspec refuses
            # here, the checked read decides, as it did.
            try:
                details = decode_json(raw)
            except (msgspec.DecodeError, RecursionError):
                return None
            raw = None
        if keep_details or output.status != "success":
            if raw is not None:  # its own bytes: a view would keep the whole answer alive
                raw = raw.copy()
            answered = answered_output(
                output.status, details, raw, output.code, output.message, output.errors
            )
            if output.status != "success":
                answered = _without_token(answered, sent)
            outputs[key] = answered
        else:
            outputs[key] = _DELIVERED
    status = envelope.status or "success"
    return BulkResponse(
        status=_status_without_token(status, sent), outputs=outputs, requested_keys=keys
    )


def _checked_response(keys: list[str], response: Answer, keep_details: bool) -> BulkResponse:
    """The answer parsed whole and checked output by output: any answer the typed read passes."""
    data = read_json_object(_BULK_METHOD, _BULK_PATH, response)
    # `status` may be left out (the spec's default); `outputs` is what the caller needs.
    status, outputs = data.get("status") or "success", data.get("outputs")
    if not isinstance(status, str) or not isinstance(outputs, dict):
        raise contract_error(
            _BULK_METHOD,
            _BULK_PATH,
            response,
            "expected an 'outputs' object (and a 'status' string)",
        )
    parsed = {}
    for key, output in outputs.items():
        if (
            not isinstance(output, dict)
            or output.get("status") not in BULK_OUTPUT_STATUS_VALUES
            or not isinstance(output.get("errors") or {}, dict)
        ):
            raise contract_error(
                _BULK_METHOD,
                _BULK_PATH,
                response,
                f"outputs[{key!r}]: expected an object with a 'status' of "
                f"{' or '.join(map(repr, sorted(BULK_OUTPUT_STATUS_VALUES)))}",
            )
        if output["status"] != "success":
            parsed[key] = _without_token(BulkOutput(**output), response.request_headers)
        elif keep_details:
            parsed[key] = BulkOutput(**output)
        else:
            parsed[key] = _DELIVERED
    status = _status_without_token(status, response.request_headers)
    return BulkResponse(status=status, outputs=parsed, requested_keys=keys)
