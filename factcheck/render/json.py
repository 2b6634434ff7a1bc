"""The contract's JSON (schema_version 1)."""

from factcheck.models import Report


def render_json(report: Report) -> str:
    return report.model_dump_json(indent=2) + "\n"
