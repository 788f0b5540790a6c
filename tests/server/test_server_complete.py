"""A full answer carries every property its schema declares, read from the spec the server loads.

The declared properties come from openapi.yaml by walking each answer's schema
(`$ref`, `allOf`, the `oneOf` branch the value fits, objects, list items), so
an answer property added to the spec is checked here, and answered by the
server, without a change to either. Properties added to a copy of the spec
show the second half: the server answers them with a value their schema allows.
"""

from __future__ import annotations

import asyncio
import copy
import json
import re
from typing import Any

import jsonschema
import pytest
from conftest import SPEC, register_body, span_body, started_instance
from test_server_bulk_parity import ACTIONS
from test_server_contract import OPERATIONS, request_for

from prefactor_http import AgentSpan, HttpClientConfig, PrefactorHttpClient
from prefactor_http.server._api import Answer, LocalApi, bulk_actions
from prefactor_http.server._app import LocalServerCore, open_site
from prefactor_http.server._spec import Spec

Schema = dict[str, Any]
TOKEN = "complete-token"
# The server's own `$ref` walk, over the repository's openapi.yaml.
resolve = Spec(SPEC).resolve
SPEC_OPERATIONS = {param.values[2]["operationId"]: param.values[2] for param in OPERATIONS}


def validator(document: dict[str, Any], schema: Schema) -> jsonschema.Draft202012Validator:
    """Validate against `schema` (formats included), with `document`'s components."""
    return jsonschema.Draft202012Validator(
        {**schema, "components": document["components"]},
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


def missing_properties(schema: Schema, value: Any, where: str = "") -> list[str]:
    """The dotted path of every property the schema declares that `value` leaves out.

    Walks `$ref`, every `allOf` branch, the one `oneOf`/`anyOf` branch `value`
    validates against, declared properties and list items. A map's
    `additionalProperties` are not declared properties.
    """
    schema = resolve(schema)
    missing: list[str] = []
    for branch in schema.get("allOf", []):
        missing += missing_properties(branch, value, where)
    choices = schema.get("oneOf", []) + schema.get("anyOf", [])
    fitting = [branch for branch in choices if validator(SPEC, branch).is_valid(value)]
    if len(fitting) == 1:
        missing += missing_properties(fitting[0], value, where)
    if isinstance(value, dict):
        for name, declared in schema.get("properties", {}).items():
            if name not in value:
                missing.append(where + name)
            else:
                missing += missing_properties(declared, value[name], f"{where}{name}.")
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            missing += missing_properties(schema["items"], item, f"{where}{index}.")
    return missing


def answer_schema(operation: Schema, status: int) -> Schema:
    response = resolve(operation["responses"][str(status)])
    schema: Schema = response["content"]["application/json"]["schema"]
    return schema


def test_the_walk_finds_what_an_answer_leaves_out():
    """The checker itself finds a property left out, also under a nullable object."""
    instance = {"details": {"span_counts": {"total": 1}}}
    schema = {"$ref": "#/components/schemas/AgentInstanceEnvelope"}

    missing = missing_properties(schema, instance)

    assert "status" in missing
    assert "details.id" in missing
    assert "details.span_counts.finished" in missing
    assert "details.span_counts.total" not in missing


@pytest.mark.parametrize(("method", "template", "operation"), OPERATIONS)
def test_every_operation_answers_every_declared_property(api, method, template, operation):
    """A success, a 401, a 422 and a 404 (where the operation takes them) carry every property."""
    request = request_for(api, template, operation)
    answers = {
        200: api.request(method, **request),
        401: api.request(method, headers={"Authorization": ""}, **request),
    }
    if "requestBody" in operation:
        answers[422] = api.request(method, request["url"], json=[request["json"]])
    if "{" in template:
        missing = re.sub(r"\{[^}]+\}", "no-such-id", template)
        answers[404] = api.request(method, missing, json=request["json"])

    for status, answer in answers.items():
        assert answer.status_code == status, answer.text
        schema = answer_schema(operation, status)
        validator(SPEC, schema).validate(answer.json())
        assert missing_properties(schema, answer.json()) == [], status


def test_a_span_answer_without_a_stop_signal_says_so_with_null(api):
    """`control` is declared on every span answer: null until the platform terminates the run."""
    instance_id = started_instance(api)

    created = api.post("/api/v1/agent_spans", json=span_body(instance_id)).json()

    assert created["control"] is None


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_every_bulk_output_carries_its_single_answers_properties(api, name):
    """A success output is its action's answer, complete; an error output is a complete error."""
    action = ACTIONS[name]
    params = action.params(action.setup(api))
    items = [
        {"_type": name, "idempotency_key": "bulk-done-1", **params},
        {"_type": name, "idempotency_key": "bulk-bad-01", **params, "colour": "blue"},
    ]

    outputs = api.post("/api/v1/bulk", json={"items": items}).json()["outputs"]

    single = SPEC_OPERATIONS[bulk_actions(Spec())[name].operation]
    assert missing_properties(answer_schema(single, 200), outputs["bulk-done-1"]) == []
    assert outputs["bulk-bad-01"]["status"] == "error"
    error = {"$ref": "#/components/schemas/ErrorEnvelope"}
    assert missing_properties(error, outputs["bulk-bad-01"]) == []


# Properties added to a copy of the spec


class Caller:
    """A `LocalApi` over a changed copy of the spec, called without HTTP."""

    def __init__(self, document: dict[str, Any], *, sparse: bool = False) -> None:
        self.document = document
        self.api = LocalApi(TOKEN, spec=Spec(document), sparse=sparse)

    def __call__(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        raw = b"" if body is None else json.dumps(body).encode()
        answer: Answer = self.api.handle(method, path, {"authorization": f"Bearer {TOKEN}"}, raw)
        # The server checks its answers against the changed spec: a 500 would name a bad value.
        assert answer.status == 200, answer.body
        return answer.body

    def valid(self, component: str, value: Any) -> bool:
        schema = {"$ref": f"#/components/schemas/{component}"}
        return bool(validator(self.document, schema).is_valid(value))


def with_property(component: str, name: str, schema: Schema) -> dict[str, Any]:
    """A copy of the spec whose schema `component` declares one more, optional, property."""
    document = copy.deepcopy(SPEC)
    document["components"]["schemas"][component]["properties"][name] = schema
    return document


def test_a_property_added_to_the_span_schema_is_answered_with_no_server_change():
    """`cost_usd: {type: number}` on AgentSpan: span answers, bulk outputs and the state hold 0."""
    call = Caller(with_property("AgentSpan", "cost_usd", {"type": "number"}))
    instance_id = call("POST", "/api/v1/agent_instance/register", register_body())["details"]["id"]
    call("POST", f"/api/v1/agent_instance/{instance_id}/start", {})

    created = call("POST", "/api/v1/agent_spans", span_body(instance_id))
    finished = call("POST", f"/api/v1/agent_spans/{created['details']['id']}/finish", {})
    item = {"_type": "agent_spans/create", "idempotency_key": "bulk-span-1"}
    item.update(span_body(instance_id)["details"])
    output = call("POST", "/api/v1/bulk", {"items": [item]})["outputs"]["bulk-span-1"]

    for answer in (created, finished, output):
        assert answer["details"]["cost_usd"] == 0
        assert call.valid("AgentSpanEnvelope", answer)
    assert [span["cost_usd"] for span in call.api.state()["spans"].values()] == [0, 0]


def test_a_sparse_server_leaves_an_added_property_out():
    """Sparse answers stay as they were: what the store has no value for is not sent."""
    call = Caller(with_property("AgentSpan", "cost_usd", {"type": "number"}), sparse=True)
    instance_id = call("POST", "/api/v1/agent_instance/register", register_body())["details"]["id"]

    created = call("POST", "/api/v1/agent_spans", span_body(instance_id))

    assert "cost_usd" not in created["details"]
    assert "control" not in created
    assert call.api.state()["spans"][created["details"]["id"]]["cost_usd"] == 0


@pytest.mark.parametrize(
    ("schema", "value"),
    [
        pytest.param({"type": "number"}, 0, id="number"),
        pytest.param({"type": ["string", "null"]}, None, id="nullable by type list"),
        pytest.param(
            {"oneOf": [{"$ref": "#/components/schemas/Timestamp"}, {"type": "null"}]},
            None,
            id="nullable by oneOf",
        ),
        pytest.param(
            {"type": "string", "format": "date-time"}, "1970-01-01T00:00:00+00:00", id="date-time"
        ),
        pytest.param(
            {"$ref": "#/components/schemas/Timestamp"}, "1970-01-01T00:00:00+00:00", id="ref"
        ),
        pytest.param({"type": "string", "enum": ["gold", "silver"]}, "gold", id="enum"),
        pytest.param({"const": "v2"}, "v2", id="const"),
        pytest.param({"type": "string", "minLength": 3}, "xxx", id="minLength"),
        pytest.param(
            {"type": "string", "format": "uuid"}, "00000000-0000-0000-0000-000000000000", id="uuid"
        ),
        pytest.param({"type": "integer", "minimum": 5}, 5, id="minimum"),
        pytest.param({"type": "integer", "exclusiveMinimum": 0}, 1, id="exclusiveMinimum"),
        pytest.param({"type": "number", "maximum": -2}, -2, id="maximum"),
        pytest.param({"type": "integer", "minimum": 1, "multipleOf": 5}, 5, id="multipleOf"),
        pytest.param({"type": "boolean"}, False, id="boolean"),
        pytest.param({"type": "boolean", "default": True}, True, id="default"),
        pytest.param({"type": "array", "items": {"type": "string"}}, [], id="array"),
        pytest.param(
            {"type": "array", "items": {"enum": ["a", "b"]}, "minItems": 2},
            ["a", "a"],
            id="minItems",
        ),
        pytest.param(
            {
                "type": "object",
                "required": ["limit"],
                "properties": {
                    "limit": {"type": "integer", "minimum": 1},
                    "note": {"type": ["string", "null"]},
                    "window": {"type": "object", "properties": {"days": {"type": "integer"}}},
                },
            },
            {"limit": 1, "note": None, "window": {"days": 0}},
            id="nested object",
        ),
        pytest.param(
            {"$ref": "#/components/schemas/AgentAvailableActions"},
            {"update": False, "retire": False, "reinstate": False, "delete": False},
            id="referenced object",
        ),
    ],
)
def test_a_property_added_to_the_agent_schema_gets_a_value_it_allows(schema, value):
    """The value follows the schema: default, else null if allowed, else the plainest fit."""
    call = Caller(with_property("Agent", "added", schema))

    created = call("POST", "/api/v1/agent", {"details": {"name": "bot"}})
    fetched = call("GET", f"/api/v1/agent/{created['details']['id']}")

    assert created["details"]["added"] == fetched["details"]["added"] == value
    assert call.valid("AgentEnvelope", fetched)


def test_a_property_no_plain_value_fits_stays_out():
    """A `pattern` the server cannot satisfy leaves the property out; the answer stays valid."""
    call = Caller(with_property("Agent", "code", {"type": "string", "pattern": "^[A-Z]{3}$"}))

    created = call("POST", "/api/v1/agent", {"details": {"name": "bot"}})

    assert "code" not in created["details"]


def test_a_property_added_to_list_items_and_nested_objects_is_answered():
    """Through `items` (each agent of a list) and `oneOf` (an instance's `span_counts`)."""
    document = with_property("AgentSummary", "label", {"type": "string", "minLength": 1})
    counts = document["components"]["schemas"]["SpanCounts"]["properties"]
    counts["pending"] = {"type": "integer", "default": 0}
    call = Caller(document)
    call("POST", "/api/v1/agent", {"details": {"name": "one"}})
    call("POST", "/api/v1/agent", {"details": {"name": "two"}})

    summaries = call("GET", "/api/v1/agent")["summaries"]
    instance = call("POST", "/api/v1/agent_instance/register", register_body())["details"]

    assert [summary["label"] for summary in summaries] == ["x", "x"]
    assert instance["span_counts"]["pending"] == 0


def kept(stored: Any, answer: Any) -> bool:
    """Whether `answer` holds everything `stored` does, unchanged (it may hold more)."""
    if isinstance(stored, dict):
        return isinstance(answer, dict) and all(
            name in answer and kept(value, answer[name]) for name, value in stored.items()
        )
    return bool(stored == answer)


def test_what_the_store_answers_is_sent_unchanged(monkeypatch):
    """Completion only adds: every field of the store's outcome keeps its value in the answer."""
    call = Caller(copy.deepcopy(SPEC))
    outcomes: list[dict[str, Any]] = []
    perform = call.api.store.perform

    def recording(*args: Any) -> Any:
        outcome = perform(*args)
        outcomes.append(copy.deepcopy(outcome.body))
        return outcome

    monkeypatch.setattr(call.api.store, "perform", recording)
    instance_id = call("POST", "/api/v1/agent_instance/register", register_body())["details"]["id"]
    item = {"_type": "agent_spans/create", "idempotency_key": "bulk-span-1"}
    item.update(span_body(instance_id)["details"])
    answers = [
        call("POST", "/api/v1/agent_spans", span_body(instance_id)),
        call("POST", "/api/v1/agent", {"details": {"name": "bot"}}),
        call("GET", "/api/v1/agent?pagination[offset]=0"),
        call("POST", "/api/v1/bulk", {"items": [item]})["outputs"]["bulk-span-1"],
    ]

    assert len(outcomes) == 5
    for stored, answer in zip(outcomes[1:], answers, strict=True):
        assert kept(stored, answer)
    assert "control" not in outcomes[1]
    assert answers[0]["control"] is None


def test_the_real_spec_gives_answers_nothing_beyond_its_declared_properties(api):
    """Completion adds declared properties only: an instance answer holds exactly those."""
    instance_id = started_instance(api)

    details = api.get(f"/api/v1/agent_instance/{instance_id}").json()["details"]

    declared = SPEC["components"]["schemas"]["AgentInstance"]["properties"]
    assert sorted(details) == sorted(declared)


def test_a_changed_spec_reaches_a_client_over_http():
    """End to end: the client reads the added field (as a field its model does not know)."""
    document = with_property("AgentSpan", "cost_usd", {"type": "number"})

    async def run() -> AgentSpan:
        core = LocalServerCore(LocalApi(TOKEN, spec=Spec(document)))
        runner, url = await open_site(core, "127.0.0.1", 0)
        try:
            async with PrefactorHttpClient(
                HttpClientConfig(api_url=url, api_token=TOKEN)
            ) as client:
                instance = await client.agent_instances.register(
                    agent_version={"name": "bot", "external_identifier": "v1"},
                    agent_schema_version={"external_identifier": "v1"},
                )
                return await client.agent_spans.create(instance.id, "agent:llm", "active", {})
        finally:
            await runner.cleanup()

    span = asyncio.run(run())

    assert span["cost_usd"] == 0
