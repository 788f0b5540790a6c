"""The token never shows, however a server echoes it back: encoded, escaped or cut."""

from __future__ import annotations

import json
import logging
import re
import traceback
from collections.abc import Callable
from urllib.parse import quote, unquote

import pytest
from conftest import error, instance_json, success
from werkzeug import Request, Response

from prefactor_http import PrefactorHttpError
from prefactor_http._responses import SNIPPET_CHARS

# A token with characters that percent-encoding and JSON escape: '/', '+', '='.
TOKEN = "pf-live/8c1e6f+Qx0Zk29aT/w=="
HEADER = f"Bearer {TOKEN}"
PATH = "/api/v1/agent_instance/inst-1"


def _cut_at_the_snippet_end(header: str) -> str:
    """The header placed so that the 200-character snippet ends 12 characters into the token."""
    pad = "." * (SNIPPET_CHARS - 12 - len("Bearer "))
    return f"{pad}{header} and more after it"


# How a server or proxy may echo the Authorization header it got.
ECHOES: dict[str, Callable[[str], str]] = {
    "as sent": lambda header: f"Authorization: {header}",
    "percent-encoded": lambda header: f"auth={quote(header, safe='')}",
    "every byte percent-encoded": lambda header: "".join(f"%{b:02x}" for b in header.encode()),
    "JSON unicode escapes": lambda header: "".join(f"\\u{ord(c):04X}" for c in header),
    "first letter JSON-escaped": lambda header: f"Bearer \\u0070{header[len('Bearer p') :]}",
    "JSON slash escapes": lambda header: header.replace("/", "\\/"),
    "cut at the snippet end": _cut_at_the_snippet_end,
    "cut by the server": lambda header: f"token {header[len('Bearer ') :][:12]}... was refused",
}


def _answer(context: str, echo: str) -> Response:
    """The server's answer carrying `echo`, for each kind of answer the client reads."""
    if context == "error, text body":
        return Response(echo, status=400, content_type="text/plain")
    if context == "error, JSON envelope":
        body = error(echo[:30], echo, errors={echo: [echo]})
        return Response(json.dumps(body), status=503, content_type="application/json")
    if context == "contract, HTML body":
        return Response(f"{echo}</pre>", status=200, content_type="text/html")
    body = success(instance_json(inserted_at=echo))
    return Response(json.dumps(body), status=200, content_type="application/json")


def _readings(text: str) -> list[str]:
    """`text` as it is, and read back from each escaping a server may have used."""
    unescaped = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), text)
    unescaped = unescaped.replace("\\/", "/")
    return [text, unquote(text), unescaped, unquote(unescaped)]


def _shown(err: BaseException, caplog: pytest.LogCaptureFixture) -> dict[str, str]:
    """Every text a caller or operator may see of the error."""
    return {
        "str": str(err),
        "repr": repr(err),
        "traceback": "".join(traceback.format_exception(err)),
        "body_snippet": getattr(err, "body_snippet", ""),
        "errors": repr(getattr(getattr(err, "last_error", err), "errors", {})),
        "log": caplog.text,
    }


CONTEXTS = [
    "error, text body",
    "error, JSON envelope",
    "contract, HTML body",
    "contract, bad field",
]
# Held before: the token as sent in a body (test_errors.py covers it), and a whole token in the
# server's message (only a body snippet is cut at 200 characters).
ALREADY_HELD = {
    ("as sent", "error, text body"),
    ("as sent", "contract, HTML body"),
    ("cut at the snippet end", "error, JSON envelope"),
}


@pytest.mark.parametrize(
    ("echo", "context"),
    [(e, c) for e in ECHOES for c in CONTEXTS if (e, c) not in ALREADY_HELD],
)
def test_an_echoed_token_is_redacted_everywhere(server, twin, caplog, echo, context):
    """No text of the error, its traceback or the log holds the token's first 8 characters."""
    caplog.set_level(logging.DEBUG, logger="prefactor_http")

    def handler(request: Request) -> Response:
        return _answer(context, ECHOES[echo](request.headers["Authorization"]))

    server.expect_request(PATH).respond_with_handler(handler)
    client = twin.new_client(api_token=TOKEN, max_retries=1)

    with pytest.raises(PrefactorHttpError) as caught:
        twin(lambda c: c.agent_instances.get("inst-1"), client)

    for where, text in _shown(caught.value, caplog).items():
        for reading in _readings(text):
            assert TOKEN[:8] not in reading, f"{where}: {text}"
    assert "[redacted]" in str(caught.value)


def test_a_token_inside_a_longer_word_is_redacted(server, twin):
    """A long token glued to other letters (as in `Bearer%20<token>`) is still found."""
    server.expect_request(PATH).respond_with_json(error("x", f"tokenis{TOKEN}z"), status=404)

    with pytest.raises(PrefactorHttpError) as caught:
        twin(lambda c: c.agent_instances.get("inst-1"), twin.new_client(api_token=TOKEN))

    assert caught.value.message == "tokenis[redacted]z"  # type: ignore[attr-defined]


def test_a_traceback_with_its_frames_locals_never_shows_the_token(server, twin):
    """Error trackers print each frame's locals: the answer the client read holds no token."""
    server.expect_request(PATH).respond_with_data("<html>not json</html>", status=200)
    client = twin.new_client(api_token=TOKEN, max_retries=0)

    with pytest.raises(PrefactorHttpError) as caught:
        twin(lambda c: c.agent_instances.get("inst-1"), client)

    shown = traceback.TracebackException.from_exception(caught.value, capture_locals=True)
    text = "".join(shown.format())
    assert "Answer(status_code=200" in text  # the answer is among the locals shown
    assert TOKEN[:8] not in text
