"""What each call sends and how its answer is read, shared by both clients.

`_core` holds what any request needs: the `Call` type, idempotency keys,
JSON encoding (with the path of a value JSON cannot carry) and the call an
endpoint's generated `build_request` makes. Each other module mirrors one
module of `endpoints/` (and `raw` the client's own `request` and `ping`):
what that group's operations send, checked before any I/O, and how their
answers are read. Builders take keyword arguments only, so a swapped
argument is a type error rather than a wrong body.
"""
