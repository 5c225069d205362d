"""Reading YAML that comes from other people: import specifications and report templates.

PyYAML's safe loader never builds Python objects, but it still expands aliases (a 1 KB
"billion laughs" file grows to gigabytes), recurses once per nesting level (a file nested a
few thousand deep ends in RecursionError) and lets a repeated key silently replace the first.
Specs and templates never need any of that, so this loader refuses it while composing, before
anything is built: an alias or anchor, nesting deeper than MAX_DEPTH, and a key given twice
in one mapping are each reported with their line, in one line of text.
"""

from __future__ import annotations

from typing import Any

import yaml

#: Deeper than any spec or template needs (they nest five or six levels) and far below
#: Python's recursion limit.
MAX_DEPTH = 64


class YamlError(ValueError):
    """YAML that cannot be read, or that uses what these files may not; one line of text
    starting with the file's name and the line, as every caller shows it as it is."""


class UnsafeYaml(yaml.MarkedYAMLError):
    """Raised inside the loader for a construct we refuse; carries the line like PyYAML's
    own errors, so a caller that already reports those with their line needs no new case."""


class SafeLoader(yaml.SafeLoader):
    """yaml.SafeLoader without aliases, anchors, deep nesting or repeated keys."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise UnsafeYaml(problem=f"alias *{event.anchor} refused: anchors and aliases "
                             "(&name, *name) are not allowed in this file; write the value out",
                             problem_mark=event.start_mark)
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise UnsafeYaml(problem=f"anchor &{anchor} refused: anchors and aliases "
                             "(&name, *name) are not allowed in this file; write the value out",
                             problem_mark=event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise UnsafeYaml(problem=f"nested more than {MAX_DEPTH} levels deep",
                                 problem_mark=event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def fetch_flow_collection_start(self, token_class: type) -> None:
        """Stop at the 65th '[' or '{' already while scanning: the scanner looks up to 1,024
        characters ahead for each open bracket (it might start a key), which makes a line of
        thousands of brackets take seconds before the composer ever sees the depth."""
        if self.flow_level >= MAX_DEPTH:
            raise UnsafeYaml(problem=f"nested more than {MAX_DEPTH} levels deep",
                             problem_mark=self.get_mark())
        super().fetch_flow_collection_start(token_class)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        check_unique_keys(self, node)
        return super().construct_mapping(node, deep=deep)


def check_unique_keys(loader: yaml.constructor.BaseConstructor,
                      node: yaml.MappingNode) -> None:
    """Refuse a mapping that gives one key twice, naming the key and both lines: YAML says
    keys are unique, and taking the last one silently hides a mistake in a shared file."""
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node, deep=True)
        try:
            first = seen.get(key)
        except TypeError:  # a list or mapping as a key: the caller decides what it means
            continue
        line = key_node.start_mark.line + 1
        if first is not None:
            raise UnsafeYaml(problem=f"duplicate key {key!r} (first given on line {first})",
                             problem_mark=key_node.start_mark)
        seen[key] = line


def describe(exc: yaml.YAMLError, name: str) -> str:
    """One line for a YAML error: "NAME (line N): what is wrong"."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = f" (line {mark.line + 1})" if mark is not None else ""
    problem = getattr(exc, "problem", None) or str(exc)
    if not isinstance(exc, UnsafeYaml):
        problem = f"not valid YAML: {problem}"
    return f"{name}{where}: {' '.join(str(problem).split())}"


def load_yaml(text: str, name: str, loader: type[SafeLoader] = SafeLoader) -> Any:
    """The data of one YAML document read with ``loader``; YamlError with one line if the
    text is not YAML or uses what SafeLoader refuses."""
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        raise YamlError(describe(exc, name)) from None
