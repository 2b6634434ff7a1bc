"""The LLM engine's chains: one folder each, holding its schema (schema.py) and the code that reads
its answers; each chain's prompt is the file prompts/NAME.md (shipped in the wheel).

A chain is `prompt | model.with_structured_output(schema)`. Its version is a digest of the prompt
and the schema, and is part of every cached answer's key: editing either never reads old answers.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from langchain_core.messages import BaseMessage
from langchain_core.prompts import ChatPromptTemplate
from pydantic import BaseModel

from factcheck.prompt_files import load_prompt, prompt_text

# Bump when the code's reading of answers changes in a way the prompt and schema do not show.
ANSWER_FORMAT = "2"


@dataclass(frozen=True)
class Chain:
    """A prompt (prompts/NAME.md) and the pydantic model its answer must validate against."""

    name: str
    schema: type[BaseModel]

    @cached_property
    def prompt(self) -> ChatPromptTemplate:
        return load_prompt(self.name)

    @cached_property
    def version(self) -> str:
        digest = hashlib.sha256()
        digest.update(ANSWER_FORMAT.encode())
        digest.update(prompt_text(self.name).encode())
        digest.update(json.dumps(self.schema.model_json_schema(), sort_keys=True).encode())
        return f"{self.name}:{digest.hexdigest()[:12]}"

    def messages(self, inputs: dict[str, Any]) -> list[BaseMessage]:
        return self.prompt.format_messages(**inputs)

    def json_schema(self) -> dict[str, Any]:
        """The schema as a plain JSON schema, references inlined, with a title (the tool's name)."""
        schema = inline(self.schema.model_json_schema())
        schema["title"] = self.schema.__name__
        return schema


def inline(schema: dict[str, Any]) -> dict[str, Any]:
    """A JSON schema without $defs/$ref (simpler for servers that build a grammar from it)."""
    defs = schema.get("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                target = copy.deepcopy(defs[ref.split("/")[-1]])
                return resolve({**target, **{k: v for k, v in node.items() if k != "$ref"}})
            return {k: resolve(v) for k, v in node.items() if k != "$defs"}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    return resolve(schema)
