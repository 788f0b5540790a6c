"""Render the local server's state (`LocalServer.state()`, `GET /_control/state`) as a tree.

Each instance is a root, each span hangs under its parent, in the order they
were created; payloads are shown as compact JSON so a reader sees at a glance
what the agent reported.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

PAYLOAD_WIDTH = 60


def _compact(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return text if len(text) <= PAYLOAD_WIDTH else text[: PAYLOAD_WIDTH - 1] + "…"


def _instance_line(instance: Mapping[str, Any]) -> str:
    counts = instance["span_counts"]
    name = instance.get("external_identifier") or instance["id"]
    return (
        f"agent instance {name} [{instance['status']}] "
        f"spans: {counts['total']} total, {counts['finished']} finished"
    )


def _span_line(span: Mapping[str, Any]) -> str:
    line = f"{span['schema_name']} [{span['status']}] {_compact(span['payload'])}"
    if span.get("result_payload") is not None:
        line += f" → {_compact(span['result_payload'])}"
    return line


def render_tree(state: Mapping[str, Any], instance_ids: Iterable[str] | None = None) -> str:
    """The instances (all, or those named) with their spans nested under their parents.

    Quality payloads recorded on an instance follow its spans.

    Args:
        state: The server's state, from `LocalServer.state()` or `GET /_control/state`.
        instance_ids: The instances to show, in this order (None: all).
    """
    instances = state["instances"]
    chosen = list(instances) if instance_ids is None else list(instance_ids)
    children: dict[str | None, list[Mapping[str, Any]]] = {}
    for span in state["spans"].values():
        children.setdefault(span["parent_span_id"], []).append(span)

    lines: list[str] = []

    def branch(nodes: list[tuple[str, str | None]], prefix: str) -> None:
        """Each node is its line and, for a span, its id (whose children follow it)."""
        for index, (line, span_id) in enumerate(nodes):
            last = index == len(nodes) - 1
            lines.append(f"{prefix}{'└── ' if last else '├── '}{line}")
            below = children.get(span_id, []) if span_id is not None else []
            branch([(_span_line(s), s["id"]) for s in below], prefix + ("    " if last else "│   "))

    for instance_id in chosen:
        lines.append(_instance_line(instances[instance_id]))
        roots = [s for s in children.get(None, []) if s["agent_instance_id"] == instance_id]
        quality = state.get("quality", {}).get(instance_id, {})
        nodes = [(_span_line(s), s["id"]) for s in roots]
        nodes += [
            (f"quality {name}: {_compact(payload)}", None) for name, payload in quality.items()
        ]
        branch(nodes, "")
    return "\n".join(lines)
