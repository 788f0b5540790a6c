"""The request shapes prefactor-http 0.4.3 exported by name, for code written against it.

0.4.3 exported these as pydantic models; code built them with keyword
arguments (`AgentVersionForRegister(name=..., external_identifier=...)`) and
passed them, or their `model_dump()`, where a dict was expected. Here each
is a small class with the same field names and defaults that is also a
read-only `Mapping` of its JSON form (fields left at None are left out,
nested shapes are plain dicts), so our client takes it wherever it takes a
dict: `register(agent_version=AgentVersionForRegister(...), ...)`.

`to_dict()` gives that JSON form as a new dict. `model_dump()` and
`model_dump_json()` give what 0.4.3's gave for the same arguments: every
field, None included, under its Python name (`schema_`) unless
`by_alias=True` (`schema`); `exclude_none=True` leaves the Nones out.

The other names 0.4.3 exported map onto our own types (see
`prefactor_http/__init__.py`): `AgentInstance`, `AgentSpan`, the bulk
models and the status literals are ours, `AgentInstanceSpanCounts` is our
`SpanCounts`, and the envelopes are in `prefactor_http.models.base`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Literal, cast

import attrs

from prefactor_http._generated.models.span_counts import SpanCounts
from prefactor_http.models.base import ApiResponse
from prefactor_http.models.types import FinishStatus

__all__ = [
    "AgentInstanceRecordQuality",
    "AgentInstanceSpanCounts",
    "AgentSchemaVersionForRegister",
    "AgentVersionForRegister",
    "ApiResponse",
    "FinishInstanceRequest",
    "QualitySchemaDetails",
    "QualitySchemaForCreate",
    "RuntimeEnvironment",
    "SpanTypeSchemaForCreate",
]

Json = dict[str, Any]

# 0.4.3's `AgentInstanceSpanCounts` is what our `AgentInstance.span_counts` holds.
AgentInstanceSpanCounts = SpanCounts

# Fields whose JSON name is not a Python-friendly attribute name.
_WIRE_NAMES = {"schema_": "schema"}
# Fields sent even when None: a null payload asks the API to remove the record.
_SENT_WHEN_NONE = frozenset({"AgentInstanceRecordQuality.payload"})


def _plain(value: object) -> Any:
    """`value` with every compat shape inside it turned into its JSON form."""
    if isinstance(value, _Shape):
        return value.to_dict()
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _dumped(value: object, exclude_none: bool, by_alias: bool) -> Any:
    """`value` as 0.4.3's `model_dump` gave it: nested shapes dumped with the same options."""
    if isinstance(value, _Shape):
        return value.model_dump(exclude_none=exclude_none, by_alias=by_alias)
    if isinstance(value, Mapping):
        return {key: _dumped(item, exclude_none, by_alias) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_dumped(item, exclude_none, by_alias) for item in value]
    return value


class _Shape(Mapping[str, Any]):
    """A read-only mapping view of an attrs class's fields, as the API reads them."""

    __slots__ = ()

    def to_dict(self) -> Json:
        """The JSON form: fields left at None are left out, nested shapes are dicts."""
        owner = type(self).__name__
        body: Json = {}
        shape = cast("type[attrs.AttrsInstance]", type(self))
        for field in attrs.fields(shape):
            value = getattr(self, field.name)
            if value is None and f"{owner}.{field.name}" not in _SENT_WHEN_NONE:
                continue
            body[_WIRE_NAMES.get(field.name, field.name)] = _plain(value)
        return body

    def model_dump(
        self,
        *,
        mode: Literal["python", "json"] = "python",
        exclude_none: bool = False,
        by_alias: bool = False,
    ) -> Json:
        """Every field, as 0.4.3's `model_dump` gave it (the values are JSON already).

        Args:
            mode: Accepted as pydantic takes it; the values are JSON already.
            exclude_none: Leave out the fields whose value is None.
            by_alias: Key by the API's names (`schema`) instead of the attributes' (`schema_`).
        """
        shape = cast("type[attrs.AttrsInstance]", type(self))
        dumped: Json = {}
        for field in attrs.fields(shape):
            value = getattr(self, field.name)
            if value is None and exclude_none:
                continue
            name = _WIRE_NAMES.get(field.name, field.name) if by_alias else field.name
            dumped[name] = _dumped(value, exclude_none, by_alias)
        return dumped

    def model_dump_json(
        self, *, indent: int | None = None, exclude_none: bool = False, by_alias: bool = False
    ) -> str:
        """The JSON text of `model_dump()`, compact as pydantic writes it.

        Args:
            indent: Spaces per level of indentation (None: compact, on one line).
            exclude_none: Leave out the fields whose value is None.
            by_alias: Key by the API's names (`schema`) instead of the attributes' (`schema_`).
        """
        return json.dumps(
            self.model_dump(exclude_none=exclude_none, by_alias=by_alias),
            indent=indent,
            separators=(",", ":") if indent is None else (",", ": "),
            ensure_ascii=False,
        )

    def __getitem__(self, key: str) -> Any:
        return self.to_dict()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.to_dict())

    def __len__(self) -> int:
        return len(self.to_dict())


@attrs.define(kw_only=True, eq=True)
class RuntimeEnvironment(_Shape):
    """Where an agent version runs: `agent_version.runtime_environment`.

    Attributes:
        agent_sdk: The agent SDK's name and version.
        os: The operating system.
        prefactor_sdk: The Prefactor SDK's name and version.
        runtime: The language runtime.
    """

    agent_sdk: list[str] | None = None
    os: str | None = None
    prefactor_sdk: list[str] | None = None
    runtime: str | None = None


@attrs.define(kw_only=True, eq=True)
class AgentVersionForRegister(_Shape):
    """`register`'s `agent_version`: the API needs `name` and `external_identifier`.

    Attributes:
        name: The version's name.
        external_identifier: The caller's own id of the version.
        description: A description.
        runtime_environment: Where the agent runs.
    """

    name: str | None = None
    external_identifier: str | None = None
    description: str | None = None
    runtime_environment: RuntimeEnvironment | Mapping[str, Any] | None = None


@attrs.define(kw_only=True, eq=True)
class SpanTypeSchemaForCreate(_Shape):
    """One span type of `agent_schema_version.span_type_schemas`.

    Attributes:
        name: The span type's name, such as `agent:llm`.
        params_schema: The JSON Schema of a span's payload.
        result_schema: The JSON Schema of a span's result payload.
        title: A title to show.
        description: A description.
        template: How the platform renders a span.
        data_risk: The span type's data risk, as the API takes it.
    """

    name: str
    params_schema: Mapping[str, Any]
    result_schema: Mapping[str, Any] | None = None
    title: str | None = None
    description: str | None = None
    template: str | None = None
    data_risk: Mapping[str, Any] | None = None


@attrs.define(kw_only=True, eq=True, init=False)
class QualitySchemaForCreate(_Shape):
    """One quality schema of `agent_schema_version.quality_schemas`; `schema=` or `schema_=`.

    Attributes:
        name: The quality schema's name, used by `record_quality`.
        schema: The quality payload's JSON Schema (or pass it as `schema_`).
        schema_: The same, under the attribute's name.
        title: A title to show.
        description: A description.
        template: How the platform renders a record.
        data_risk: Its data risk, as the API takes it.
    """

    name: str
    schema_: Mapping[str, Any]
    title: str | None = None
    description: str | None = None
    template: str | None = None
    data_risk: Mapping[str, Any] | None = None

    def __init__(
        self,
        *,
        name: str,
        schema: Mapping[str, Any] | None = None,
        schema_: Mapping[str, Any] | None = None,
        title: str | None = None,
        description: str | None = None,
        template: str | None = None,
        data_risk: Mapping[str, Any] | None = None,
    ) -> None:
        self.__attrs_init__(
            name=name,
            schema_=_one_schema(schema, schema_),
            title=title,
            description=description,
            template=template,
            data_risk=data_risk,
        )


@attrs.define(kw_only=True, eq=True, init=False)
class QualitySchemaDetails(_Shape):
    """A quality schema as the API describes it; `schema=` or `schema_=`.

    Attributes:
        name: The quality schema's name.
        title: Its title.
        data_risk: Its data risk.
        schema_validation: How payloads are validated, as the API describes it.
        schema: The quality payload's JSON Schema (or pass it as `schema_`).
        schema_: The same, under the attribute's name.
        description: A description.
        template: How the platform renders a record.
    """

    name: str
    title: str
    data_risk: Mapping[str, Any]
    schema_: Mapping[str, Any]
    schema_validation: Mapping[str, Any]
    description: str | None = None
    template: str | None = None

    def __init__(
        self,
        *,
        name: str,
        title: str,
        data_risk: Mapping[str, Any],
        schema_validation: Mapping[str, Any],
        schema: Mapping[str, Any] | None = None,
        schema_: Mapping[str, Any] | None = None,
        description: str | None = None,
        template: str | None = None,
    ) -> None:
        self.__attrs_init__(
            name=name,
            title=title,
            data_risk=data_risk,
            schema_=_one_schema(schema, schema_),
            schema_validation=schema_validation,
            description=description,
            template=template,
        )


def _one_schema(
    schema: Mapping[str, Any] | None, schema_: Mapping[str, Any] | None
) -> Mapping[str, Any]:
    if (schema is None) == (schema_ is None):
        raise TypeError("pass the JSON Schema as exactly one of schema= or schema_=")
    chosen = schema if schema is not None else schema_
    assert chosen is not None
    return chosen


@attrs.define(kw_only=True, eq=True)
class AgentSchemaVersionForRegister(_Shape):
    """`register`'s `agent_schema_version`: span types as a list and/or maps, quality schemas.

    Attributes:
        external_identifier: The caller's own id of the schema version.
        span_schemas: Each span type's payload JSON Schema, by span name.
        span_result_schemas: Each span type's result JSON Schema, by span name.
        span_type_schemas: The span types, as a list.
        quality_schemas: The quality schemas `record_quality` may name.
    """

    external_identifier: str | None = None
    span_schemas: Mapping[str, Mapping[str, Any]] | None = None
    span_result_schemas: Mapping[str, Mapping[str, Any]] | None = None
    span_type_schemas: Sequence[SpanTypeSchemaForCreate | Mapping[str, Any]] | None = None
    quality_schemas: Sequence[QualitySchemaForCreate | Mapping[str, Any]] | None = None


@attrs.define(kw_only=True, eq=True)
class AgentInstanceRecordQuality(_Shape):
    """The body of `record_quality`: a None `payload` removes the record (sent as null).

    Attributes:
        name: The quality schema the payload follows.
        payload: The quality payload; None removes the record.
    """

    name: str
    payload: Mapping[str, Any] | None = None


@attrs.define(kw_only=True, eq=True)
class FinishInstanceRequest(_Shape):
    """The body of an instance finish; `timestamp` is an ISO 8601 string with an offset.

    Attributes:
        status: One of `complete`, `failed`, `cancelled`.
        timestamp: When it finished, ISO 8601 with an offset.
        idempotency_key: Makes a retried call act once.
    """

    status: FinishStatus | None = None
    timestamp: str | None = None
    idempotency_key: str | None = None
