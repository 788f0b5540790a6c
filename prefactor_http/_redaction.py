"""Hiding the API token in every text made from what a server sent.

A server or proxy may echo the request back, the token with it: in an error
message, a body snippet, a field of a refused bulk item. Every such text
goes through `redact` (a JSON value read from an answer, through
`redact_json`) before it reaches an exception, a repr or a log line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TypeVar

T = TypeVar("T")

REDACTED = "[redacted]"
# A token shorter than this is only redacted where it stands alone, so it cannot shred words.
SHORT_TOKEN = 8
# A run of the token's first characters this long is redacted anywhere; at the very end of a
# text (cut there), from SHORT_TOKEN characters on.
PREFIX_ANYWHERE = 12

# How many layers of escaping are undone: enough for a repr of a repr of a JSON string.
DECODE_ROUNDS = 4
# Ways a server may escape a character of the echoed token: percent-encoding, JSON.
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})|\\u([0-9A-Fa-f]{4})|\\([\\/\"'bfnrt])")
_JSON_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
# An escape cut off at the end of a text.
_CUT_ESCAPE = re.compile(r"(?:%[0-9A-Fa-f]?|\\(?:u[0-9A-Fa-f]{0,3})?)\Z")
_WORD = re.compile(r"[\w-]")


def token_of(sent: Mapping[str, str]) -> str:
    """The API token in `sent`, the headers a request carried."""
    return sent.get("Authorization", "").removeprefix("Bearer ")


def redact(text: str, sent: Mapping[str, str]) -> str:
    r"""Hide the API token, should a server or proxy echo the request back.

    The token is found as it was sent, percent-encoded (`Bearer%20<token>`,
    `%70%66...`) or JSON-escaped (`\u0070`, `\/`), in any mix, and so is a
    cut token: its first 12 characters anywhere, or its first 8 at the end
    of the text. A token shorter than 8 characters only counts whole and
    standing alone (not inside a longer word), so it cannot shred an
    unrelated message.
    """
    token = token_of(sent)
    if not token or not text:
        return text
    searched, starts = text, list(range(len(text) + 1))
    spans = _token_spans(searched, starts, text, token)
    for _ in range(DECODE_ROUNDS):  # escapes of escapes: a repr of a JSON string, %2570
        decoded, inner = _decode(searched)
        if decoded == searched:
            break
        searched, starts = decoded, [starts[i] for i in inner]
        spans += _token_spans(searched, starts, text, token)
    if not spans:
        return text
    parts: list[str] = []
    done = 0
    for start, end in sorted(spans):
        if start >= done:
            parts += (text[done:start], REDACTED)
        done = max(done, end)  # an overlapping span widens the one before
    return "".join(parts) + text[done:]


def redact_json(value: T, sent: Mapping[str, str]) -> T:
    """`value`, a JSON value this package read, with the token hidden in every text it holds.

    Strings are redacted as `redact` does, dictionary keys too; lists and
    dictionaries are changed in place (without recursion: however deep the
    server nested them), so only pass values read from an answer, never a
    caller's.
    """
    if not token_of(sent):
        return value
    if isinstance(value, str):
        return redact(value, sent)  # type: ignore[return-value]
    stack: list[object] = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            for index, item in enumerate(node):
                if isinstance(item, str):
                    node[index] = redact(item, sent)
                elif isinstance(item, list | dict):
                    stack.append(item)
        elif isinstance(node, dict):
            entries = list(node.items())
            node.clear()
            for key, item in entries:
                if isinstance(item, str):
                    item = redact(item, sent)
                elif isinstance(item, list | dict):
                    stack.append(item)
                node[redact(key, sent) if isinstance(key, str) else key] = item
    return value


def _decode(text: str) -> tuple[str, list[int]]:
    """`text` with its escapes decoded, and where in `text` each decoded character starts.

    The list has one more entry, `len(text)`, so a decoded span [a, b) is
    [starts[a], starts[b]) in `text`.
    """
    chars: list[str] = []
    starts: list[int] = []
    done = 0
    for match in _ESCAPE.finditer(text):
        chars.extend(text[done : match.start()])
        starts.extend(range(done, match.start()))
        percent, unicode, single = match.groups()
        if single is not None:
            chars.append(_JSON_ESCAPES.get(single, single))
        else:
            chars.append(chr(int(percent or unicode, 16)))
        starts.append(match.start())
        done = match.end()
    chars.extend(text[done:])
    starts.extend(range(done, len(text) + 1))
    return "".join(chars), starts


def _token_spans(searched: str, starts: list[int], text: str, token: str) -> list[tuple[int, int]]:
    """Where the token (or a cut token) is in `searched`, as spans of the original `text`."""
    spans: list[tuple[int, int]] = []
    if len(token) < SHORT_TOKEN:
        at = searched.find(token)
        while at >= 0:
            end = at + len(token)
            alone = (at == 0 or not _WORD.match(searched[at - 1])) and (
                end == len(searched) or not _WORD.match(searched[end])
            )
            if alone:
                spans.append((starts[at], starts[end]))
            at = searched.find(token, at + 1)
        return spans
    head = token[: min(PREFIX_ANYWHERE, len(token))]
    at = searched.find(head)
    while at >= 0:
        end = at + len(head)
        while end < len(searched) and end - at < len(token) and searched[end] == token[end - at]:
            end += 1
        spans.append((starts[at], starts[end]))
        at = searched.find(head, end)
    # A token cut at the end, perhaps in the middle of an escape.
    cut = _CUT_ESCAPE.search(searched)
    body_end = cut.start() if cut else len(searched)
    for length in range(min(len(token) - 1, body_end), SHORT_TOKEN - 1, -1):
        if searched.startswith(token[:length], body_end - length):
            spans.append((starts[body_end - length], len(text)))
            break
    return spans
