"""`prefactor_http.models.base`: 0.4.3's envelopes, built and dumped as 0.4.3 did."""

from __future__ import annotations

import pytest
from conftest import instance_json

from prefactor_http.models import base
from prefactor_http.models.agent_instance import AgentInstance
from tests.support.public_client import run_public

PAGINATION = {
    "item_count": 3,
    "item_end": 2,
    "item_start": 1,
    "next_page_offset": 2,
    "page_count": 2,
    "page_index": 0,
    "page_offset": 0,
    "page_size": 2,
    "previous_page_offset": None,
}
# Each envelope's keyword arguments; nested envelopes are given by name.
EXAMPLES = [
    ("ApiError", {"code": "not_found", "message": "No such instance"}),
    (
        "DetailedApiError",
        {"code": "invalid", "message": "Bad input", "errors": {"name": ["is required"]}},
    ),
    ("PaginationOutput", PAGINATION),
    ("Sorting", {"field": "name", "direction": "asc"}),
    ("ApiResponse", {"status": "success", "details": {"id": "inst-1"}}),
]

PUBLIC_DUMPS = """
from prefactor_http.models import base
print(json.dumps([getattr(base, name)(**args).model_dump() for name, args in json.load(sys.stdin)]))
"""


@pytest.mark.slow
def test_envelopes_dump_as_0_4_3s_do():
    """Same required fields and defaults (`status="error"`), same model_dump()."""
    theirs = run_public(PUBLIC_DUMPS, EXAMPLES)
    ours = [getattr(base, name)(**args).model_dump() for name, args in EXAMPLES]
    assert ours == theirs


def test_a_list_envelope_round_trips_with_its_page():
    """model_validate() takes the fields; nested envelopes dump as dicts."""
    page = base.ListResponse(
        status="success",
        summaries=[{"id": "a"}],
        pagination=base.PaginationOutput(**PAGINATION),
        sorting=base.Sorting(field="name", direction="asc"),
    )
    dumped = page.model_dump()
    assert dumped["pagination"] == PAGINATION
    assert dumped["sorting"] == {"field": "name", "direction": "asc"}
    assert base.ListResponse.model_validate(dumped).summaries == [{"id": "a"}]
    with pytest.raises(ValueError, match="ListResponse"):
        base.ListResponse.model_validate({"status": "success"})


def test_an_answer_in_an_envelope_dumps_with_its_own_model_dump():
    instance = AgentInstance.model_validate(instance_json())
    envelope = base.ApiResponse(status="success", details=instance)
    assert envelope.model_dump() == {"status": "success", "details": instance.model_dump()}
