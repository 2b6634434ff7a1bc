"""Load the LLM prompts: prompts/NAME.md, one file per chain's prompt.

They live in the repository's top-level `prompts/` folder, for reviewers, and ship inside the wheel
as `factcheck/prompts/`; each chain's schema and answer-reading code is in
`factcheck/engines/llm/chains/NAME/`.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from langchain_core.prompts import ChatPromptTemplate

from factcheck.version import REPO_PROMPTS


def prompt_text(name: str) -> str:
    """The raw text of prompts/NAME.md: from the installed wheel, or the checkout's folder."""
    packaged = resources.files("factcheck") / "prompts" / f"{name}.md"
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    path = REPO_PROMPTS / f"{name}.md"
    if not path.is_file():
        raise FileNotFoundError(f"prompt {name!r} is missing from the package and from {path}")
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
