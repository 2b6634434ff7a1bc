"""Load the LLM prompts: factcheck/engines/llm/chains/NAME/prompt.md, inside the package."""

from __future__ import annotations

from functools import cache
from importlib import resources

from langchain_core.prompts import ChatPromptTemplate

CHAINS = "factcheck.engines.llm.chains"


def prompt_text(name: str) -> str:
    """The raw text of the chain NAME's prompt.md."""
    path = resources.files(CHAINS) / name / "prompt.md"
    if not path.is_file():
        raise FileNotFoundError(f"prompt {name!r} is missing: no chains/{name}/prompt.md")
    return path.read_text(encoding="utf-8")


@cache
def load_prompt(name: str) -> ChatPromptTemplate:
    """A chat prompt from a file with a `[system]` part and a `[user]` part."""
    text = prompt_text(name)
    head, _, user = text.partition("\n[user]\n")
    system = head.removeprefix("[system]\n")
    if not user:
        raise ValueError(f"prompt {name!r} has no [user] part")
    return ChatPromptTemplate.from_messages([("system", system.strip()), ("human", user.strip())])
