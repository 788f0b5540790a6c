"""Contains some shared types for properties"""

import datetime
from collections.abc import Mapping
from typing import IO, Any, BinaryIO, Literal, TypeAlias

from attrs import define


class Unset:
    def __bool__(self) -> Literal[False]:
        return False


UNSET: Unset = Unset()

# A value JSON can hold, and a JSON object: what a field openapi.yaml types JsonObject
# holds (a span payload, a JSON Schema), read from the answer as parsed.
JsonValue: TypeAlias = (
    str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]
)
JsonObject: TypeAlias = dict[str, JsonValue]

# The types that `httpx.Client(files=)` can accept, copied from that library.
FileContent = IO[bytes] | bytes | str
FileTypes = (
    # (filename, file (or bytes), content_type)
    tuple[str | None, FileContent, str | None]
    # (filename, file (or bytes), content_type, headers)
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)
RequestFiles = list[tuple[str, FileTypes]]


@define
class File:
    """Contains information for file uploads"""

    payload: BinaryIO
    file_name: str | None = None
    mime_type: str | None = None

    def to_tuple(self) -> FileTypes:
        """Return a tuple representation that httpx will accept for multipart/form-data"""
        return self.file_name, self.payload, self.mime_type


# Looked up once: read_datetime runs for every timestamp of every answer.
_fromisoformat = datetime.datetime.fromisoformat
_UTC = datetime.timezone.utc


def read_datetime(value: str) -> datetime.datetime:
    """An ISO 8601 timestamp; one sent without an offset is read as UTC."""
    parsed = _fromisoformat(value)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=_UTC)


class TypeMismatch(Exception):
    """A value whose type is not the one the spec declares for its field.

    `from_dict` raises it only once the whole dict is read, so that a missing
    key or an unparsable value met later still wins. `path` names the field
    through the models holding it (`details.id`, `summaries[2].name`), and
    `model` is the model as read, the wrong value kept.
    """

    def __init__(self, field: str, expected: str, value: object) -> None:
        super().__init__()
        self.path = field
        self.problem = f"expected {expected}, got {type(value).__name__}"
        self.model: Any = None

    def within(self, field: str) -> "TypeMismatch":
        """This mismatch, named from the model whose `field` holds the one it was found in."""
        self.path = f"{field}.{self.path}"
        return self

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


__all__ = [
    "UNSET",
    "File",
    "FileTypes",
    "JsonObject",
    "JsonValue",
    "RequestFiles",
    "TypeMismatch",
    "Unset",
    "read_datetime",
]
