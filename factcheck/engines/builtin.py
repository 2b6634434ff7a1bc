"""The built-in roles and engines, registered through the same hook a plugin uses."""

from __future__ import annotations

from factcheck.engines.registry import BuildOptions, EngineSpec, Registry


def _local_extractor(options: BuildOptions):
    from factcheck.engines.local import LocalClaimExtractor

    return LocalClaimExtractor()


def _nli_judge(options: BuildOptions):
    from factcheck.engines.nli_judge import NLIJudge

    return NLIJudge()


def _rules_judge(options: BuildOptions):
    from factcheck.engines.local import RulesJudge

    return RulesJudge()


def _local_summarizer(options: BuildOptions):
    from factcheck.summary import LocalSummarizer

    return LocalSummarizer(max_words=options.summary_words)


def _llm(options: BuildOptions):
    """One LLM client fills all three LLM roles of an engine (one cache, one usage count)."""

    def build():
        from factcheck.engines.llm import LLMEngine

        return LLMEngine(
            model=options.model,
            base_url=options.base_url,
            timeout=options.llm_timeout,
            max_concurrency=options.llm_concurrency,
            cache=None if options.llm_cache else False,
        )

    return options.once("llm", build)


def _llm_name(options: BuildOptions) -> str:
    return _llm(options).name


def register(registry: Registry) -> None:
    registry.add_extractor("local", _local_extractor)
    registry.add_extractor("llm", _llm)
    registry.add_judge("nli", _nli_judge)
    registry.add_judge("rules", _rules_judge)
    registry.add_judge("llm", _llm)
    registry.add_summarizer("local", _local_summarizer)
    registry.add_summarizer("llm", _llm)
    registry.add_engine(
        EngineSpec(
            "local", "local", "nli", "local", "offline: spaCy claims, the bundled entailment judge"
        )
    )
    registry.add_engine(
        EngineSpec(
            "local-rules",
            "local",
            "rules",
            "local",
            "offline, value rules and embedding alignment only (the judge before the entailment model)",
        )
    )
    registry.add_engine(
        EngineSpec(
            "llm", "llm", "llm", "llm", "an OpenAI-compatible chat model", name_for=_llm_name
        )
    )
