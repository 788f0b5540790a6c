"""0.4.3's model methods work on our answers and give what 0.4.3 gives for the same answer.

The answers are real ones from the local server, in both its modes (full:
every field, null where unset; sparse: optional nulls left out). 0.4.3 reads
each in the compat venv (`Model.model_validate(answer)`) and reports its
`model_dump` (JSON mode, and which fields are datetimes in Python mode),
`model_dump_json`, `exclude_none` and `.type`; ours must give the same.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from conftest import registered_instance, span_body

from prefactor_http.models.agent import Agent, AgentSummary
from prefactor_http.models.agent_instance import AgentInstance
from prefactor_http.models.agent_span import AgentSpan
from tests.support.public_client import run_public

pytestmark = [
    pytest.mark.slow,
    pytest.mark.parametrize("prefactor_server", ["full", "sparse"], indirect=True),
]

MODELS = {"AgentInstance": AgentInstance, "AgentSpan": AgentSpan, "Agent": Agent}
MODELS["AgentSummary"] = AgentSummary

# 0.4.3 reads each answer and reports what its methods give.
PUBLIC_READING = """
import datetime
from prefactor_http.models import AgentInstance, AgentSpan, Agent, AgentSummary
models = {"AgentInstance": AgentInstance, "AgentSpan": AgentSpan, "Agent": Agent,
          "AgentSummary": AgentSummary}
out = []
for name, answer in json.load(sys.stdin):
    model = models[name].model_validate(answer)
    python = model.model_dump()
    out.append({
        "json": model.model_dump(mode="json"),
        "dump_json": json.loads(model.model_dump_json()),
        "exclude_none": model.model_dump(mode="json", exclude_none=True),
        "datetimes": sorted(k for k, v in python.items() if isinstance(v, datetime.datetime)),
        "type": model.type,
    })
print(json.dumps(out))
"""


def _answers(api: Any) -> list[tuple[str, dict[str, Any]]]:
    """An instance, a span, an agent (with its counts) and an agent summary, as the server sent."""
    instance_id = registered_instance(api)
    assert api.post(f"/api/v1/agent_instance/{instance_id}/start", json={}).status_code == 200
    quality = {"name": "helpfulness", "payload": {"score": 0.9}}
    recorded = api.post(f"/api/v1/agent_instance/{instance_id}/record_quality", json=quality)
    assert recorded.status_code == 200
    instance = api.get(f"/api/v1/agent_instance/{instance_id}").json()["details"]
    span = api.post("/api/v1/agent_spans", json=span_body(instance_id)).json()["details"]
    agent_id = api.post("/api/v1/agent", json={"details": {"name": "Bot"}}).json()["details"]["id"]
    shown = {"agent_id": agent_id, "include_counts": "true"}
    agent = api.get("/api/v1/agent/show", params=shown).json()
    summary = api.get("/api/v1/agent").json()["summaries"][0]
    return [
        ("AgentInstance", instance),
        ("AgentSpan", span),
        ("Agent", agent["details"]),
        ("AgentSummary", summary),
    ]


def test_model_dump_and_type_give_what_0_4_3_gives(prefactor_server, api):
    answers = _answers(api)
    readings = run_public(PUBLIC_READING, answers)
    for (name, answer), theirs in zip(answers, readings, strict=True):
        model = MODELS[name].model_validate(answer)
        assert model.model_dump(mode="json") == theirs["json"], name
        assert json.loads(model.model_dump_json()) == theirs["dump_json"], name
        assert model.model_dump(mode="json", exclude_none=True) == theirs["exclude_none"]
        python = model.model_dump()
        times = sorted(key for key, value in python.items() if isinstance(value, datetime))
        assert times == theirs["datetimes"], name
        assert all(python[key].tzinfo is not None for key in times)
        assert model.type == theirs["type"] == answer["type"]


def test_model_validate_builds_what_the_client_reads(prefactor_server, api):
    """`model_validate(answer)` equals `from_dict(answer)`, the client's own reading."""
    for name, answer in _answers(api):
        model = MODELS[name]
        assert model.model_validate(answer) == model.from_dict(answer)
        built = model.model_validate(answer)
        assert model.model_validate(built) is built
        # What model_dump gives, in either mode, reads back as the same answer.
        assert model.model_validate(built.model_dump()) == built
        assert model.model_validate(built.model_dump(mode="json")) == built
