"""The methods `scripts/surface.py` writes for a paged operation (`x-pages`).

The operation's own method returns the whole page; beside it go the list
of one page's items and the iterator over every page (`ItemPages`), and
one module-level function that checks the arguments and builds the page's
request, which all three share.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from spec_model import Operation, Param, snake

if TYPE_CHECKING:
    from surface import Writer

# The iterator's call options apply to each page's request, not to the whole iteration.
PER_PAGE = {
    "timeout": [
        "    timeout: Seconds for each page's request, retries included (overrides the config)."
    ],
    "max_retries": ["    max_retries: Retries for each page's request (overrides the config)."],
}


def paged(
    self: Writer,
    op: Operation,
    params: list[Param],
    signature: list[str],
    doc: list[str],
    answer: str,
) -> list[str]:
    """The page method, the list of one page's items, the iterator, and their request."""
    pages = op.extra["x-pages"]
    by_wire = {p.wire: p for p in params}
    offset = by_wire[re.sub(r"\W", "", pages["offset"])]
    size = by_wire[re.sub(r"\W", "", pages["page_size"])]
    names = [p.name for p in params]
    base = f"_{snake(op.operation_id)}"
    self.m.use("prefactor_http._operations._core", "Call")
    self.m.use("prefactor_http._operations._core", "request_call")
    self.m.use("prefactor_http._operations._core", "whole")
    self.locals = {}
    call = [
        f"def {base}_call(",
        *(f"    {p.name}: {p.annotation}," for p in params),
        f") -> Call[{answer}]:",
        f'    """The request of one page of `{op.operation_id}`, its arguments checked."""',
        *(f"    {line}" for line in self.checks(op, params)),
        *(f"    {line}" for line in self.request(op, params)),
        f"    return request_call(request, {answer}, whole)",
    ]
    items_prop = self.spec.schemas[op.answer]["properties"][pages["items"]]
    item = self.m.model(self.spec.shape(items_prop["items"]).name or "")
    steps = pages["next"]
    self.readers[f"{base}_items"] = [
        f"def {base}_items(page: {answer}) -> list[{item}]:",
        f"    return page.{pages['items']}",
    ]
    # Each step of `x-pages.next` may be null (None) on the way: no next page then.
    nxt = [f"def {base}_next(page: {answer}) -> int | None:"]
    holder = "page"
    for attribute in steps[:-1]:
        nxt += [
            f"    {attribute} = {holder}.{attribute}",
            f"    if {attribute} is None:",
            "        return None",
        ]
        holder = attribute
    nxt.append(f"    return {holder}.{steps[-1]}")
    self.readers[f"{base}_next"] = nxt
    self.module_functions.append(call)
    arguments = ", ".join(names)  # the module-level function takes every one by position
    # The page method takes keyword-only parameters (not in x-positional) by keyword.
    passed = ", ".join(p.name if p.name in op.positional else f"{p.name}={p.name}" for p in params)
    page_method = [
        f"async def {op.extra['x-method']}(",
        *(f"    {line}" for line in signature),
        f") -> {answer}:",
        *(f"    {line}" for line in doc),
        f"    call = {base}_call({arguments})",
        "    return await self._http._execute(call, timeout, max_retries)",
    ]
    options = "timeout=timeout, max_retries=max_retries"
    args = arg_blocks(doc)
    list_doc = [
        f'"""The `{pages["items"]}` of one page: as `{op.extra["x-method"]}`, which returns '
        "the whole answer.",
        "",
        f"`{pages['iterate']}` walks every page.",
        "",
        "Args:",
        *(line for block in args.values() for line in block),
        '"""',
    ]
    list_method = [
        f"async def {pages['list']}(",
        *(f"    {line}" for line in signature),
        f") -> list[{item}]:",
        *(f"    {line}" for line in list_doc),
        f"    page = await self.{op.extra['x-method']}({passed}, {options})",
        f"    return list({base}_items(page))",
    ]
    iterated = [p for p in params if p not in (offset, size)]
    maximum = self.spec.shape(size.schema).schema.get("maximum")
    size_default = str(maximum) if maximum is not None else "None"
    self.m.use("collections.abc", "AsyncIterator")
    self.m.use("prefactor_http.endpoints._pages", "ItemPages")
    self.m.use("prefactor_http._operations.paging", "moving")
    positional = [p for p in iterated if p.name in op.positional]
    keyword = [p for p in iterated if p.name not in op.positional]
    call_args = ", ".join(p.name if p is not offset else "offset" for p in params)
    iterate = [
        f"def {pages['iterate']}(",
        "    self,",
        *(f"    {p.name}: {p.annotation}{given_default(self, p)}," for p in positional),
        "    *,",
        *(f"    {p.name}: {p.annotation}{given_default(self, p)}," for p in keyword),
        f"    {size.name}: int = {size_default},",
        "    timeout: float | None = None,",
        "    max_retries: int | None = None,",
        f") -> AsyncIterator[{item}]:",
        f'    """Every item of `{pages["list"]}`, page after page '
        f"(`async for x in ...{pages['iterate']}():`).",
        "",
        "    Arguments are checked now; each page is fetched when iteration",
        f"    reaches it, following `{'.'.join(steps)}`. `{size.name}` is the",
        "    largest the API allows unless given; `timeout` and `max_retries`",
        "    apply to each page's request.",
        "",
        "    Args:",
        *(
            f"    {line}"
            for name, block in {**args, **PER_PAGE}.items()
            if name not in (offset.name,)
            for line in block
        ),
        '    """',
        "",
        f"    def page_at(offset: int | None) -> Call[{answer}]:",
        f"        return moving({base}_call({call_args}), offset, {base}_next)",
        "",
        f"    return ItemPages(self._http, page_at, {base}_items, {base}_next, {options})",
    ]
    return [*page_method, "", *list_method, "", *iterate]


def given_default(self: Writer, p: Param) -> str:
    """` = default` as the page method has it; nothing for a required parameter."""
    return "" if p.required and p.name not in self.defaulted else f" = {p.default}"


def arg_blocks(doc: list[str]) -> dict[str, list[str]]:
    """The `Args:` entries of a generated docstring, each with its continuation lines."""
    blocks: dict[str, list[str]] = {}
    start = doc.index("Args:") + 1
    for line in doc[start:-1]:
        if not line.startswith("        "):
            blocks[line.strip().split(":", 1)[0]] = []
        blocks[list(blocks)[-1]].append(line)
    return blocks
