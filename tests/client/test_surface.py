"""The generated surface against openapi.yaml: every operation, parameter, doc and bulk item.

Each expectation is read from the spec, so a spec change moves the
expectations with it; the generators are also run on edited copies of the
spec, to see what a contributor's change would produce.
"""

from __future__ import annotations

import ast
import asyncio
import copy
import inspect
import re
import sys
import typing
from pathlib import Path
from typing import Any

import pytest
from conftest import SPEC

import prefactor_http.endpoints.agent_instances as agent_instances_module
import prefactor_http.models.bulk_actions as bulk_actions
from prefactor_http import (
    BulkItem,
    BulkRequest,
    PrefactorHttpClient,
    PrefactorValidationError,
    SyncPrefactorHttpClient,
)
from prefactor_http.endpoints import AgentInstanceClient
from prefactor_http.models import params
from prefactor_http.models.compat import AgentVersionForRegister
from prefactor_http.server._api import BulkAction
from prefactor_http.server._api import bulk_actions as server_bulk_actions
from prefactor_http.server._spec import Spec as ServerSpec

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from drift import explain  # noqa: E402
from spec_model import Spec  # noqa: E402
from surface import group_modules  # noqa: E402

PARAMETERS = SPEC["components"]["parameters"]
SCHEMAS = SPEC["components"]["schemas"]
GROUPS = {tag["name"]: tag for tag in SPEC["tags"] if "x-handwritten" not in tag}
OPERATIONS = [
    (path, method, op)
    for path, operations in SPEC["paths"].items()
    for method, op in operations.items()
    if set(op["tags"]) & GROUPS.keys()
]
CALL_OPTIONS = ["timeout", "max_retries"]


def schema_of(ref_or_schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in ref_or_schema:
        ref_or_schema = SCHEMAS[ref_or_schema["$ref"].rsplit("/", 1)[1]]
    return ref_or_schema


def request_fields(op: dict[str, Any]) -> dict[str, str]:
    """Parameter name -> the spec's description, for every field the operation's request holds."""
    fields: dict[str, str] = {}
    for parameter in op.get("parameters", []):
        if "$ref" in parameter:
            parameter = PARAMETERS[parameter["$ref"].rsplit("/", 1)[1]]
        fields[parameter.get("x-name", parameter["name"])] = parameter.get("description", "")
    body = op.get("requestBody")
    if body is not None:
        schema = schema_of(body["content"]["application/json"]["schema"])
        for name, prop in schema["properties"].items():
            if name == op.get("x-flatten"):
                for inner, sub in schema_of(prop)["properties"].items():
                    fields[inner] = sub.get("description", "")
            else:
                fields[name] = prop.get("description", "")
    return fields


def group_of(client: Any, op: dict[str, Any]) -> Any:
    return getattr(client, op["tags"][0])


@pytest.fixture(params=["async", "sync"], scope="module")
def client(request):
    config = {"api_url": "https://api.invalid", "api_token": "surface-test"}
    from prefactor_http import HttpClientConfig

    cls = PrefactorHttpClient if request.param == "async" else SyncPrefactorHttpClient
    return cls(HttpClientConfig(**config))


@pytest.mark.parametrize(("path", "method", "op"), OPERATIONS, ids=lambda v: str(v)[:40])
def test_every_operation_is_a_method_taking_every_request_field(client, path, method, op):
    bound = getattr(group_of(client, op), op["x-method"])
    parameters = inspect.signature(bound).parameters
    fields = request_fields(op)
    assert set(fields) <= set(parameters), f"{op['operationId']}: {set(fields) - set(parameters)}"
    positional = [
        name
        for name, parameter in parameters.items()
        if parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    ]
    assert positional == op.get("x-positional", positional)
    assert list(parameters)[-2:] == CALL_OPTIONS
    doc = inspect.getdoc(bound) or ""
    assert f"`{method.upper()} {path}`" in doc
    for name, description in fields.items():
        # The first words of the spec's description are the parameter's doc line.
        words = " ".join(description.split()[:6])
        assert re.search(rf"^\s*{re.escape(name)}: .*{re.escape(words)}", doc, re.M), (
            op["operationId"],
            name,
        )


def test_every_paged_operation_has_its_page_list_and_iterator_methods(client):
    for _, _, op in OPERATIONS:
        pages = op.get("x-pages")
        if pages is None:
            continue
        group = group_of(client, op)
        for name in (op["x-method"], pages["list"], pages["iterate"]):
            assert callable(getattr(group, name)), name
        iterate = inspect.signature(getattr(group, pages["iterate"])).parameters
        maximum = next(
            p["schema"]["maximum"] for p in op["parameters"] if p.get("name") == pages["page_size"]
        )
        assert iterate["page_size"].default == maximum


def edited_spec(edit) -> dict[str, Any]:
    spec = copy.deepcopy(SPEC)
    edit(spec)
    return spec


SPAN_FIELDS = SPEC["components"]["schemas"]["AgentSpanDetails"]["properties"]
# A request field the spec does not have yet (tags, unless the spec has grown it).
NEW_FIELD = next(name for name in ("tags", "labels", "markers") if name not in SPAN_FIELDS)


def add_span_tags(spec: dict[str, Any]) -> None:
    spec["components"]["schemas"]["AgentSpanDetails"]["properties"][NEW_FIELD] = {
        "description": "Labels for the span.",
        "type": "array",
        "items": {"type": "string"},
    }


def test_a_new_optional_request_field_becomes_a_parameter_with_its_docs_and_check():
    module = group_modules(edited_spec(add_span_tags))["endpoints/agent_spans.py"]
    assert f"{NEW_FIELD}: Sequence[str] | None = None," in module
    assert f"{NEW_FIELD}: Labels for the span." in module
    assert f'{NEW_FIELD}=_validate.text_list("{NEW_FIELD}", {NEW_FIELD}, optional=True)' in module


def add_instance_spans(spec: dict[str, Any]) -> None:
    """A new paged endpoint: the spans of an instance, paged like the agents' list."""
    agents = spec["paths"]["/api/v1/agent"]["get"]
    paging = [p for p in agents["parameters"] if p["name"].startswith("pagination[")]
    spec["paths"]["/api/v1/agent_instance/{agent_instance_id}/spans"] = {
        "get": {
            "operationId": "listAgentInstanceSpans",
            "tags": ["agent_spans"],
            "summary": "List the spans of an agent instance.",
            "x-method": "list_spans_page",
            "x-positional": ["agent_instance_id", "offset", "page_size"],
            "x-pages": {**agents["x-pages"], "items": "spans"}
            | {"list": "list_spans", "iterate": "iter_spans"},
            "parameters": [{"$ref": "#/components/parameters/AgentInstanceId"}, *paging],
            "responses": {
                "200": {
                    "description": "One page of spans.",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/AgentSpanListEnvelope"}
                        }
                    },
                }
            },
        }
    }
    spec["components"]["schemas"]["AgentSpanListEnvelope"] = {
        "type": "object",
        "required": ["spans"],
        "properties": {
            "spans": {"type": "array", "items": {"$ref": "#/components/schemas/AgentSpan"}},
            "pagination": {
                "oneOf": [{"$ref": "#/components/schemas/Pagination"}, {"type": "null"}]
            },
        },
    }


def test_a_new_paged_endpoint_gets_its_page_list_and_iterator_methods():
    module = group_modules(edited_spec(add_instance_spans))["endpoints/agent_spans.py"]
    tree = ast.parse(module)
    group, raw_group = [node for node in tree.body if isinstance(node, ast.ClassDef)]
    methods = {
        node.name: node
        for node in group.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    assert {"list_spans_page", "list_spans", "iter_spans"} <= set(methods)
    iterate = methods["iter_spans"].args
    # The instance is required and positional; paging is the iterator's own business.
    assert [a.arg for a in iterate.args] == ["self", "agent_instance_id"]
    assert iterate.defaults == []
    assert [a.arg for a in iterate.kwonlyargs] == ["page_size", *CALL_OPTIONS]
    assert "ItemPages(" in ast.unparse(methods["iter_spans"])
    # Its raw twin has the one-request methods, not the iterator.
    raw_source = ast.unparse(raw_group)
    assert "self.list_spans_page = recorded(group.list_spans_page)" in raw_source
    assert "self.list_spans = recorded(group.list_spans)" in raw_source
    assert "iter_spans" not in raw_source


def test_a_keyword_only_filter_of_a_paged_list_reaches_every_page_method():
    def add_filter(spec: dict[str, Any]) -> None:
        spec["paths"]["/api/v1/agent"]["get"]["parameters"].append(
            {
                "name": "name_prefix",
                "in": "query",
                "description": "Only agents whose name starts so.",
                "schema": {"type": "string", "minLength": 1},
            }
        )

    module = group_modules(edited_spec(add_filter))["endpoints/agents.py"]
    methods = {
        node.name: node
        for node in ast.walk(ast.parse(module))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    for name in ("list_page", "list_agents", "iter_agents"):
        assert "name_prefix" in [a.arg for a in methods[name].args.kwonlyargs], name
    # list_agents hands it on to list_page by keyword (by position it would not fit).
    assert "name_prefix=name_prefix" in ast.unparse(methods["list_agents"])


def test_a_parameter_named_like_a_local_of_the_generated_code_is_refused():
    def add_key(spec: dict[str, Any]) -> None:
        spec["paths"]["/api/v1/agent/{agent_id}"]["get"]["parameters"] = [
            {"$ref": "#/components/parameters/AgentId"},
            {"name": "key", "in": "query", "description": "A key.", "schema": {"type": "string"}},
        ]

    with pytest.raises(SystemExit, match=r"getAgent: parameter `key` clashes"):
        group_modules(edited_spec(add_key))


def test_a_required_parameter_after_an_optional_one_is_still_refused_when_none():
    def reorder(spec: dict[str, Any]) -> None:
        operation = spec["paths"]["/api/v1/agent_instance/{agent_instance_id}/record_quality"]
        operation["post"]["x-positional"] = [
            "agent_instance_id",
            "payload",
            "name",
            "idempotency_key",
        ]

    module = group_modules(edited_spec(reorder))["endpoints/agent_instances.py"]
    assert "name: str | None = None," in module  # it takes a default in the signature...
    assert '_validate.required_text("name", name)' in module  # ...and None is still refused


def test_a_required_parameter_after_an_optional_one_is_required_in_the_overloads():
    """Type checkers see it required: positionally after the optional one, or by keyword."""

    def reorder(spec: dict[str, Any]) -> None:
        operation = spec["paths"]["/api/v1/agent_instance/{agent_instance_id}/record_quality"]
        operation["post"]["x-positional"] = ["agent_instance_id", "payload", "name"]

    module = group_modules(edited_spec(reorder))["endpoints/agent_instances.py"]
    tree = ast.parse(module)
    forms = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.AsyncFunctionDef)
        and node.name == "record_quality"
        and any(ast.unparse(d) == "overload" for d in node.decorator_list)
    ]
    assert len(forms) == 2
    positional, by_keyword = forms
    names = [a.arg for a in positional.args.args]
    assert names == ["self", "agent_instance_id", "payload", "name"]
    assert len(positional.args.defaults) == 0  # payload loses its default: name follows it
    assert ast.unparse(positional.args.args[3].annotation) == "str"
    keyword = dict(
        zip([a.arg for a in by_keyword.args.kwonlyargs], by_keyword.args.kw_defaults, strict=True)
    )
    assert keyword["name"] is None  # no default: required
    assert keyword["payload"] is not None


def test_an_also_positional_order_naming_no_parameter_is_refused():
    def misname(spec: dict[str, Any]) -> None:
        spec["x-hooks"]["legacy_register_order"]["also_positional"] = ["agent_versoin"]

    with pytest.raises(
        SystemExit, match=r"registerAgentInstance: also_positional .* agent_versoin"
    ):
        group_modules(edited_spec(misname))


def test_a_stale_group_module_is_named_by_operation_and_field():
    fresh = group_modules(edited_spec(add_span_tags))["endpoints/agent_spans.py"]
    committed = group_modules(SPEC)["endpoints/agent_spans.py"]
    lines = explain(edited_spec(add_span_tags), "endpoints/agent_spans.py", fresh, committed)
    assert any(line.startswith(f"createAgentSpan: `{NEW_FIELD}`") for line in lines), lines


def test_an_operation_of_a_generated_group_without_x_method_is_refused_by_name():
    def drop(spec: dict[str, Any]) -> None:
        del spec["paths"]["/api/v1/agent_spans"]["post"]["x-method"]

    with pytest.raises(SystemExit, match=r"createAgentSpan .*needs x-method"):
        group_modules(edited_spec(drop))


def test_a_parameter_without_a_description_is_refused_by_name():
    def undescribe(spec: dict[str, Any]) -> None:
        del spec["components"]["schemas"]["AgentSpanDetails"]["properties"]["schema_name"][
            "description"
        ]

    with pytest.raises(SystemExit, match="createAgentSpan: give `schema_name` a description"):
        group_modules(edited_spec(undescribe))


def request_schemas(op: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Parameter name -> its schema, for every field of the operation's request."""
    found: dict[str, dict[str, Any]] = {}
    for parameter in op.get("parameters", []):
        if "$ref" in parameter:
            parameter = PARAMETERS[parameter["$ref"].rsplit("/", 1)[1]]
        found[parameter.get("x-name", parameter["name"])] = parameter["schema"]
    body = op.get("requestBody")
    if body is not None:
        schema = schema_of(body["content"]["application/json"]["schema"])
        for name, prop in schema["properties"].items():
            if name == op.get("x-flatten"):
                found.update(schema_of(prop)["properties"])
            else:
                found[name] = prop
    return found


def run(method: Any, **arguments: Any) -> Any:
    """Call `method`; an async client's call is awaited (it checks then, before sending)."""
    result = method(**arguments)
    return asyncio.run(result) if inspect.iscoroutine(result) else result


def sample(schema: dict[str, Any]) -> Any:
    """A valid value of a string or object schema (its required properties), else None."""
    shape = Spec(SPEC).shape(schema).schema
    if shape.get("type") == "string" and "enum" not in shape and "format" not in shape:
        return "x"
    if shape.get("type") == "object":
        properties = shape.get("properties", {})
        return {name: sample(properties[name]) for name in shape.get("required", [])}
    return None


ENUM_PARAMETERS = [
    (op, name, shape.schema["enum"])
    for _, _, op in OPERATIONS
    for name, schema in request_schemas(op).items()
    if (shape := Spec(SPEC).shape(schema)).name and "enum" in shape.schema
]


@pytest.mark.parametrize(("op", "name", "values"), ENUM_PARAMETERS, ids=lambda v: str(v)[:30])
def test_an_enum_parameter_refuses_what_the_spec_does_not_list(client, op, name, values):
    method = getattr(group_of(client, op), op["x-method"])
    parameters = inspect.signature(method).parameters
    required = {
        field: sample(schema)
        for field, schema in request_schemas(op).items()
        if field in parameters and sample(schema) is not None
    }
    with pytest.raises(PrefactorValidationError) as refused:
        run(method, **{**required, name: "not-a-value"})
    assert list(refused.value.errors) == [name]
    # The message lists the spec's values, read from the enum when the code was generated.
    assert all(repr(value) in refused.value.errors[name][0] for value in values)


# -- typed bulk items ----------------------------------------------------------------------

ACTIONS = {
    op["x-bulk-action"]: op
    for _, _, op in [(p, m, o) for p, ops in SPEC["paths"].items() for m, o in ops.items()]
    if "x-bulk-action" in op
}


def item_class(op: dict[str, Any]) -> type[BulkItem]:
    name = op["operationId"][0].upper() + op["operationId"][1:] + "Item"
    return getattr(bulk_actions, name)  # type: ignore[no-any-return]


# How the local server mapped each action before it read them from the spec.
MAPPED_BY_HAND = {
    "agent_instances/register": BulkAction("registerAgentInstance"),
    "agent_instances/start": BulkAction("startAgentInstance", "agent_instance_id"),
    "agent_instances/finish": BulkAction("finishAgentInstance", "agent_instance_id"),
    "agent_spans/create": BulkAction("createAgentSpan", wrap="details", key_inside=True),
    "agent_spans/finish": BulkAction("finishAgentSpan", "agent_span_id"),
    "agents/create": BulkAction("createAgent", wrap="details"),
    "agents/list": BulkAction("listAgents", query=True),
}


def test_every_bulk_action_of_the_spec_has_a_typed_item_and_a_server_action():
    server = server_bulk_actions(ServerSpec(SPEC))
    assert set(ACTIONS) == set(server)
    # Read from the spec, the server maps each action it knew as it did by hand.
    assert {name: server[name] for name in MAPPED_BY_HAND} == MAPPED_BY_HAND
    classes = sorted(item_class(op).__name__ for op in ACTIONS.values())
    assert sorted(bulk_actions.__all__) == classes
    for action, op in ACTIONS.items():
        parameters = inspect.signature(item_class(op)).parameters
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters.values())
        assert set(request_fields(op)) <= set(parameters), action


def test_a_typed_item_sends_what_the_untyped_item_with_the_same_params_sends():
    typed = bulk_actions.CreateAgentSpanItem(
        idempotency_key="span-key-0001",
        agent_instance_id="inst-1",
        schema_name="agent:llm",
        status="active",
        started_at="2026-01-02T03:04:05+00:00",
    )
    untyped = BulkItem(
        _type="agent_spans/create",
        idempotency_key="span-key-0001",
        agent_instance_id="inst-1",
        schema_name="agent:llm",
        status="active",
        started_at="2026-01-02T03:04:05+00:00",
    )
    assert typed == untyped
    assert typed.to_dict() == {**untyped.to_dict(), "payload": {}}
    listed = bulk_actions.ListAgentsItem(idempotency_key="list-key-0001", offset=5, page_size=10)
    assert listed.params == {"pagination": {"offset": 5, "page_size": 10}}
    created = bulk_actions.CreateAgentItem(idempotency_key="agent-key-001", details={"name": "b"})
    assert created.params == {"name": "b"}


def test_a_typed_item_refuses_bad_values_and_missing_params_before_anything_is_sent():
    with pytest.raises(PrefactorValidationError) as refused:
        bulk_actions.CreateAgentSpanItem(
            idempotency_key="span-key-0001", agent_instance_id="i", schema_name="x", status="odd"
        )
    assert "status" in refused.value.errors
    with pytest.raises(PrefactorValidationError) as short:
        bulk_actions.StartAgentInstanceItem(idempotency_key="short", agent_instance_id="i")
    assert "idempotency_key" in short.value.errors
    with pytest.raises(TypeError, match="schema_name"):
        bulk_actions.CreateAgentSpanItem(  # type: ignore[call-arg]
            idempotency_key="span-key-0001", agent_instance_id="i", status="active"
        )
    with pytest.raises(TypeError, match="schema_nmae"):
        bulk_actions.CreateAgentSpanItem(  # type: ignore[call-arg]
            idempotency_key="span-key-0001",
            agent_instance_id="i",
            schema_nmae="agent:llm",
            status="active",
        )


@pytest.mark.parametrize("prefactor_server", ["full", "sparse"], indirect=True)
def test_typed_items_run_on_the_local_server(prefactor_server):
    from prefactor_http import HttpClientConfig

    config = HttpClientConfig(api_url=prefactor_server.url, api_token=prefactor_server.token)
    with SyncPrefactorHttpClient(config) as client:
        instance = client.agent_instances.register(
            agent_version={"name": "bot", "external_identifier": "v1"},
            agent_schema_version={"external_identifier": "s1"},
        )
        answer = client.bulk.execute(
            BulkRequest(
                items=[
                    bulk_actions.StartAgentInstanceItem(
                        idempotency_key="start-key-01", agent_instance_id=instance.id
                    ),
                    bulk_actions.CreateAgentSpanItem(
                        idempotency_key="span-key-001",
                        agent_instance_id=instance.id,
                        schema_name="agent:llm",
                        status="active",
                        payload={"prompt": "hi"},
                    ),
                    bulk_actions.CreateAgentItem(
                        idempotency_key="agent-key-01", details={"name": "typed"}
                    ),
                    bulk_actions.ListAgentsItem(idempotency_key="list-key-001", page_size=1),
                ]
            )
        )
        assert answer.failed is None
        assert answer.succeeded == ["start-key-01", "span-key-001", "agent-key-01", "list-key-001"]
        assert client.agent_instances.get(instance.id).status == "active"
        assert [agent.name for agent in client.agents.iter_agents()] == ["typed"]


def test_each_typed_dict_has_its_schemas_properties_and_required_keys():
    """`models/params.py` follows the spec: every property a key, the required ones Required."""
    checked = []
    for name in params.__all__:
        typed = getattr(params, name)
        schema = SPEC["components"]["schemas"][name.removesuffix("Param")]
        properties = set(schema["properties"])
        assert typed.__required_keys__ == set(schema.get("required", [])), name
        assert typed.__required_keys__ | typed.__optional_keys__ == properties, name
        checked.append(name)
    assert {"AgentVersionParam", "AgentSchemaVersionParam", "SpanTypeSchemaParam"} <= set(checked)


def test_an_object_parameter_is_typed_as_its_model_or_its_typed_dict():
    """register's agent_version takes the model, the TypedDict and 0.4.3's class, no bare dict."""
    hints = inspect.get_annotations(
        AgentInstanceClient.register, eval_str=True, globals=vars(agent_instances_module)
    )
    options = set(typing.get_args(hints["agent_version"]))
    assert {params.AgentVersionParam, AgentVersionForRegister} <= options
    assert not [o for o in options if typing.get_origin(o) is not None]  # no Mapping[str, Any]
