"""What more than one operation needs, shared by both clients and free of I/O.

`_core` holds what any request needs: the `Call` type, idempotency keys,
JSON encoding (with the path of a value JSON cannot carry) and the call made
of what an endpoint's generated `build_request` returns. `paging` is the
rule every paged iteration follows; `bulk` builds every bulk request and
reads its answer (`execute`, `execute_many` and the span writers); `raw`
the client's own `request` and `ping`. What one operation sends lives in its
generated method in `endpoints/` (scripts/surface.py writes them from
openapi.yaml), not here.
"""
