"""Write the method groups of the async client from openapi.yaml.

One module per tag (`prefactor_http/endpoints/<tag>.py`), one method per
operation: parameters named and typed from the request schema, docs from
the spec's descriptions, checks from its constraints, the request built by
the operation's generated `build_request` (so mypy sees its signature).
The blocking twin is written from these by scripts/unasync.py.

What OpenAPI cannot say comes from `x-` extensions (CONTRIBUTING.md lists
them). Behaviour no schema describes lives in `prefactor_http/_hooks.py`,
which the generated code calls by the name the spec gives.
"""

from __future__ import annotations

import textwrap
from typing import Any

from spec_model import (
    Module,
    Operation,
    Param,
    Spec,
    body_model,
    classify,
    null_clears,
    read_operation,
    snake,
)
from surface_pages import paged

# What every generated method takes after its own parameters.
CALL_OPTIONS = [
    ("timeout", "Seconds for the whole call, retries included (overrides the config)."),
    ("max_retries", "Retries for this call (overrides the config)."),
]


class Writer:
    def __init__(self, spec: Spec, module: Module, tag: str) -> None:
        self.spec = spec
        self.m = module
        self.tag = tag
        self.defaulted: set[str] = set()
        self.locals: dict[str, str] = {}
        self.readers: dict[str, list[str]] = {}
        self.module_functions: list[list[str]] = []

    # -- the method ---------------------------------------------------------------------

    def signature(self, op: Operation) -> tuple[list[Param], list[str]]:
        """The parameters in the method's order, and the lines of its signature."""
        by_name = {p.name: p for p in op.params}
        hook = self.spec.hooks.get(op.extra.get("x-after", ""), {})
        if hook:
            by_name[hook["parameter"]] = Param(
                hook["parameter"], "", "hook", {}, False, hook["description"]
            )
            by_name[hook["parameter"]].annotation = hook["type"]
            self.m.use("prefactor_http._hooks", hook["type"].split(" |")[0])
            by_name[hook["parameter"]].annotation += " | None"
        ordered = [by_name[n] for n in op.positional]
        # A required parameter after an optional one takes None too; its check refuses it.
        self.defaulted = set()
        seen_optional = False
        for p in ordered:
            if not p.required or "x-default" in p.schema:
                seen_optional = True
            elif seen_optional:
                self.defaulted.add(p.name)
        keyword = [p for p in op.params if p.name not in op.positional]
        extra = by_name.get(hook.get("parameter", ""))
        if extra is not None and extra.name not in op.positional:
            keyword.append(extra)  # the hook's parameter, keyword-only unless x-positional has it
        clears, _ = self.clearable(op)
        for p in op.params:
            classify(self.spec, self.m, p, self.defaulted)
        lines = ["self,"]
        for p in ordered:
            default = "" if p.required and p.name not in self.defaulted else f" = {p.default}"
            if "x-default" in p.schema:
                default = " = None"
                p.annotation += " | None"
            lines.append(f"{p.name}: {p.annotation}{default},")
        lines.append("*,")
        for p in keyword:
            default = "" if p.required else f" = {p.default}"
            lines.append(f"{p.name}: {p.annotation}{default},")
        if clears:
            literal = self.m.use("prefactor_http._generated.limits", clears)
            self.m.use("collections.abc", "Collection")
            lines.append(f"clear: Collection[{literal}] | None = None,")
        lines += ["timeout: float | None = None,", "max_retries: int | None = None,"]
        return ordered + keyword, lines

    def clearable(self, op: Operation) -> tuple[str, Param | None]:
        """The body's object parameter with fields marked x-null-clears, and their Literal."""
        for p in op.params:
            shape = self.spec.shape(p.schema)
            if shape.name and null_clears(shape.schema):
                return f"{shape.name}Clearable", p
        return "", None

    def docstring(self, op: Operation, params: list[Param], title: str) -> list[str]:
        out = [f'"""{title}.', "", f"Sends `{op.method} {op.path}`."]
        raw = self.spec.raw["paths"][op.path][op.method.lower()]
        if raw.get("description"):
            out += raw["description"].strip().splitlines()
        docs = [(p.name, p.doc) for p in params]
        literal, _ = self.clearable(op)
        if literal:
            fields = null_clears(self.spec.schemas[literal.removesuffix("Clearable")])
            docs.append(("clear", f"Fields to empty (sent as null): {', '.join(fields)}."))
        docs += CALL_OPTIONS
        out += ["", "Args:"]
        for name, doc in docs:
            text = " ".join(doc.split())
            if not text:
                raise SystemExit(f"{op.operation_id}: give `{name}` a description in openapi.yaml")
            # Within 100 columns once indented in its class, continuation lines 4 deeper.
            out += [
                f"    {line}"
                for line in textwrap.wrap(f"{name}: {text}", 84, subsequent_indent="    ")
            ]
        out.append('"""')
        return out

    def checks(self, op: Operation, params: list[Param]) -> list[str]:
        """Check every argument, in signature order, into a local of the same name."""
        lines = []
        if any(p.check == "key" for p in params):
            lines.append("key = call_key(idempotency_key)")
            self.m.use("prefactor_http._operations._core", "call_key")
        before = op.extra.get("x-before")
        if before:
            names = [p.name for p in op.params]
            args = ", ".join(f"{n}={n}" for n in names)
            targets = ", ".join(self.spec.hooks[before]["returns"])
            lines.append(f"{targets} = _hooks.{before}({args})")
        one_of = op.extra.get("x-exactly-one-of")
        if one_of:
            args = ", ".join(f"{n}={n}" for n in one_of)
            lines.append(f"_validate.exactly_one({args})")
        for p in params:
            if p.check not in ("key", "") and p.annotation == "str":
                lines.append(f"{p.name} = {p.checked()}")  # a str stays a str: in place
        return lines

    def value(self, p: Param) -> str:
        """What the request gets for `p`: the checked local or the check inline."""
        if p.check == "key":
            return "key"
        if p.annotation == "str" or p.name in self.locals:
            return self.locals.get(p.name, p.name)
        return p.checked()

    def request(self, op: Operation, params: list[Param]) -> list[str]:
        """`request = <op>.build_request(...)`, the body model filled from the checked locals."""
        module = self.m.use(f"prefactor_http._generated.api.{self.tag}", snake(op.operation_id))

        value = self.value
        args = [value(p) for p in params if p.where == "path"]
        for p in params:
            if p.where != "query":
                continue
            if p.flag:
                args.append(f'{p.wire}="true" if {value(p)} else UNSET')
                self.m.use("prefactor_http._generated.types", "UNSET")
            else:
                args.append(f"{p.wire}=given({value(p)})")
                self.m.use("prefactor_http._operations._core", "given")
        lines = []
        if op.body:
            lines.append(f"body = {body_model(self.m, op, params, value)}")
            args.append("body=body")
        lines.append(f"request = {module}.build_request({', '.join(args)})")
        return lines

    def method(self, op: Operation) -> list[str]:
        params, signature = self.signature(op)
        clears, target = self.clearable(op)
        answer = self.m.model(op.answer)
        unwrap, returns = self.unwrapper(op, answer)
        if op.extra.get("x-after"):  # the hook reads the whole answer and returns `returns`
            self.readers.pop(unwrap, None)
            unwrap = self.m.use("prefactor_http._operations._core", "whole")
        pages = op.extra.get("x-pages")
        raw = self.spec.raw["paths"][op.path][op.method.lower()]
        title = raw["summary"].rstrip(".")
        body = self.docstring(op, params, title)
        if pages:
            # The checks and the request are shared by the page methods: one function.
            return paged(self, op, params, signature, body, answer)
        self.locals: dict[str, str] = {}
        body += self.checks(op, params)
        if target is not None:
            body.append(f"checked_{target.name} = {target.checked()}")
            self.locals[target.name] = f"checked_{target.name}"
            body.append(f"nulls = _hooks.nulls_to_send(clear, checked_{target.name}, {clears})")
        body += self.request(op, params)
        key = "key=key" if any(p.check == "key" for p in params) else ""
        nulls = ", nulls=nulls" if clears else ""
        self.m.use("prefactor_http._operations._core", "request_call")
        options = (", key=key" if key else "") + nulls
        body.append(f"call = request_call(request, {answer}, {unwrap}{options})")
        after = op.extra.get("x-after")
        if after:
            hook = self.spec.hooks[after]
            body.append("answer = await self._http._execute(call, timeout, max_retries)")
            body.append(f"return _hooks.{after}(answer, {hook['parameter']})")
        else:
            body.append("return await self._http._execute(call, timeout, max_retries)")
        overloads = self.overloads(op, params, signature, returns)  # may widen `signature`
        return [
            *overloads,
            f"async def {op.extra['x-method']}(",
            *(f"    {line}" for line in signature),
            f") -> {returns}:",
            *(f"    {line}" for line in body),
        ]

    def overloads(
        self, op: Operation, params: list[Param], signature: list[str], returns: str
    ) -> list[str]:
        """The typed call forms, when the signature itself must let a required parameter be None.

        A required parameter after an optional positional one takes None in the
        signature (its check refuses it); the overloads make a type checker
        require it: positionally, by keyword with the optional ones left out,
        and in each order the `x-before` hook also reads (`also_positional`,
        positional-only, with the keyword-only parameters: the hook cannot tell
        the other positional ones from keywords).
        """
        alternative = self.spec.hooks.get(op.extra.get("x-before", ""), {}).get("also_positional")
        if not self.defaulted and not alternative:
            return []
        by_name = {p.name: p for p in params}
        positional = [by_name[n] for n in op.positional]
        tail = signature[signature.index("*,") + 1 :]  # keyword-only, clear, call options

        def typed(p: Param) -> str:
            required = p.name in self.defaulted
            return p.annotation.removesuffix(" | None") if required else p.annotation

        def needed(p: Param) -> bool:
            return p.name in self.defaulted or (p.required and "x-default" not in p.schema)

        def line(p: Param, required: bool) -> str:
            default = "None" if "x-default" in p.schema else p.default
            return f"{p.name}: {typed(p)}" + ("," if required else f" = {default},")

        last = max((i for i, p in enumerate(positional) if needed(p)), default=-1)
        forms = [[line(p, i <= last) for i, p in enumerate(positional)] + ["*,", *tail]]
        if self.defaulted:
            first = [line(p, True) for p in positional if needed(p)]
            rest = [line(p, False) for p in positional if not needed(p)]
            forms.append(["*,", *first, *rest, *tail])
        if alternative:
            unknown = [n for n in alternative if n not in by_name]
            if unknown:
                raise SystemExit(
                    f"{op.operation_id}: also_positional of {op.extra['x-before']} names "
                    f"{', '.join(unknown)}, not a parameter"
                )
            order = [by_name[n] for n in alternative]
            forms.append([*(line(p, needed(p)) for p in order), "/,", "*,", *tail])
            # The implementation takes, at each position, what any form passes there.
            for p, other in zip(positional, order, strict=False):
                parts = dict.fromkeys(p.annotation.split(" | ") + other.annotation.split(" | "))
                union = " | ".join([part for part in parts if part != "None"] + ["None"])
                at = next(i for i, text in enumerate(signature) if text.startswith(f"{p.name}: "))
                signature[at] = signature[at].replace(p.annotation, union, 1)
        overload = self.m.use("typing", "overload")
        lines: list[str] = []
        for form in forms:
            lines += [f"@{overload}", f"async def {op.extra['x-method']}(", "    self,"]
            lines += [f"    {item}" for item in form]
            lines.append(f") -> {returns}: ...")
            lines.append("")
        return lines

    def unwrapper(self, op: Operation, answer: str) -> tuple[str, str]:
        """The function giving what the method returns from the answer model, and its type."""
        if op.returns is None:
            self.m.use("prefactor_http._operations._core", "whole")
            return "whole", answer
        prop = self.spec.schemas[op.answer]["properties"][op.returns]
        inner = self.spec.shape(prop).name
        assert inner, f"{op.operation_id}: x-returns {op.returns} is not a model"
        model = self.m.model(inner)
        name = f"_{snake(op.answer)}_{op.returns}"
        self.readers[name] = [
            f"def {name}(answer: {answer}) -> {model}:",
            f"    return answer.{op.returns}",
        ]
        return name, model


def group_module(spec: Spec, tag: dict[str, Any]) -> str:
    """The async module of one tag: its class, a method per operation, their readers."""
    module = Module()
    writer = Writer(spec, module, tag["name"])
    methods: list[list[str]] = []
    raw_names: list[str] = []
    for path, operations in spec.raw["paths"].items():
        for method, op in operations.items():
            if tag["name"] not in op.get("tags", []):
                continue
            if "x-method" not in op:
                raise SystemExit(
                    f"{op['operationId']} ({method.upper()} {path}): tag {tag['name']!r} is "
                    "generated, so the operation needs x-method (see CONTRIBUTING.md)"
                )
            methods.append(writer.method(read_operation(spec, path, method, op)))
            # One request each; a page iterator makes many, so it has no raw variant.
            raw_names += [op["x-method"], *([op["x-pages"]["list"]] if "x-pages" in op else [])]
    description = tag["description"].strip().splitlines()
    if "x-class" not in tag:
        raise SystemExit(f"tag {tag['name']!r}: give it x-class (or x-handwritten)")
    cls = tag["x-class"]
    raw_cls = cls.removesuffix("Client") + "RawClient"
    module.use("functools", "cached_property")
    module.use("prefactor_http._metadata", "recorded")
    out = [
        f'"""{description[0]}',
        "",
        "Generated by scripts/surface.py from openapi.yaml: do not edit.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import TYPE_CHECKING",
        "",
        "from prefactor_http import _hooks, _validate",
        module.header(),
        "",
        "if TYPE_CHECKING:",
        "    from prefactor_http.client import PrefactorHttpClient",
        "",
        f'__all__ = ["{cls}", "{raw_cls}"]',
        "",
        "",
        f"class {cls}:",
        f'    """{description[0]}',
        *(f"    {line}".rstrip() for line in description[1:]),
        "",
        "    Every method also takes `timeout` (seconds for the whole call, retries",
        "    included) and `max_retries`, which override the config for that one call.",
        '    """',
        "",
        "    def __init__(self, http_client: PrefactorHttpClient) -> None:",
        f'        """Made by the client as its `{tag["name"]}` attribute; not built by hand.',
        "",
        "        Args:",
        "            http_client: The client whose config, pools and retries every call uses.",
        '        """',
        "        self._http = http_client",
        "",
        "    @cached_property",
        f"    def with_raw_response(self) -> {raw_cls}:",
        '        """Each method answering a `RawResponse` (status, headers, request id, ...).',
        "",
        "        Page iterators have none: they make a request per page.",
        '        """',
        f"        return {raw_cls}(self)",
    ]
    for lines in methods:
        out += ["", *(f"    {line}".rstrip() for line in lines)]
    out += [
        "",
        "",
        f"class {raw_cls}:",
        f'    """The methods of `{cls}`, each answering a `RawResponse`.',
        "",
        "    Args:",
        "        group: The group whose methods these are; made by its `with_raw_response`.",
        '    """',
        "",
        f"    def __init__(self, group: {cls}) -> None:",
        *(f"        self.{name} = recorded(group.{name})" for name in raw_names),
    ]
    for lines in [*writer.module_functions, *writer.readers.values()]:
        out += ["", "", *lines]
    return "\n".join(out) + "\n"


def group_modules(raw: dict[str, Any]) -> dict[str, str]:
    """`endpoints/<tag>.py` -> source, for every tag the spec does not mark x-handwritten."""
    spec = Spec(raw)
    return {
        f"endpoints/{tag['name']}.py": group_module(spec, tag)
        for tag in raw["tags"]
        if "x-handwritten" not in tag
    }
