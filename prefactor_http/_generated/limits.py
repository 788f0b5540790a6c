"""Limits stated in openapi.yaml, for the checks made before sending.

Written by scripts/generate.py (`make generate`); do not edit.
"""

from typing import Literal

IDEMPOTENCY_KEY_MIN_LENGTH = 1  # components.schemas.IdempotencyKey.minLength
IDEMPOTENCY_KEY_MAX_LENGTH = 64  # components.schemas.IdempotencyKey.maxLength
BULK_KEY_MIN_LENGTH = 8  # components.schemas.BulkItem.properties.idempotency_key.minLength
BULK_KEY_MAX_LENGTH = 64  # components.schemas.BulkItem.properties.idempotency_key.maxLength
AGENT_PAGE_SIZE_MAX = 100  # paths./api/v1/agent.get.parameters.[name=pagination[page_size]].schema.maximum
# components.schemas.AgentForUpdate: the properties marked x-null-clears
AgentForUpdateClearable = Literal["owner_person_id", "risk_profile_id", "team_id"]
# Per request schema: the string properties of `minLength` 1 or more
NON_EMPTY: dict[str, frozenset[str]] = {
    'RegisterAgentInstanceRequest': frozenset(['agent_id', 'environment_id', 'id', 'external_identifier', 'idempotency_key']),
    'StartAgentInstanceRequest': frozenset(['idempotency_key']),
    'FinishAgentInstanceRequest': frozenset(['idempotency_key']),
    'RecordQualityRequest': frozenset(['name', 'idempotency_key']),
    'AgentSpanDetails': frozenset(['agent_instance_id', 'schema_name', 'id', 'parent_span_id', 'idempotency_key']),
    'FinishAgentSpanRequest': frozenset(['idempotency_key']),
    'AgentForCreate': frozenset(['name', 'external_identifier', 'id', 'owner_person_id', 'risk_profile_id', 'team_id']),
    'CreateAgentRequest': frozenset(['idempotency_key']),
    'AgentForUpdate': frozenset(['name', 'owner_person_id', 'risk_profile_id', 'team_id']),
    'UpdateAgentRequest': frozenset(['idempotency_key']),
    'AgentActionRequest': frozenset(['idempotency_key']),
}
