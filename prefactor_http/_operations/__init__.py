"""What more than one operation needs, shared by both clients and free of I/O.

`_core` holds what any request needs: the `Call` type, idempotency keys,
JSON encoding (with the path of a value JSON cannot carry) and the call an
endpoint's generated `build_request` makes. `bulk` builds every bulk request
and reads its answer (`execute`, `execute_many` and the span writers); `raw`
the client's own `request` and `ping`; `agent_details` checks the `details`
and `clear` of agents' create and update. What one operation sends lives in
its method in `endpoints/`, not here.
"""
