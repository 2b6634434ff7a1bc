"""The default terminal view: colour when the terminal has it (rich), plain text otherwise."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from factcheck.models import Report
from factcheck.redact import printable_model

STYLE = {"agreement": "green", "discrepancy": "bold red", "unsupported": "yellow"}
LABEL = {"agreement": "AGREES", "discrepancy": "DIFFERS", "unsupported": "ONLY HERE"}
ORDER = ("discrepancy", "unsupported", "agreement")


def build(report: Report) -> Group:
    report = printable_model(report)  # article text may hold escape sequences; never replay them
    s = report.stats
    parts: list = []
    head = Text()
    head.append("Sources: ", style="bold")
    head.append(
        ", ".join(src.id + (f" ({src.title})" if src.title else "") for src in report.sources)
    )
    head.append(f"\nEngine: {report.engine} · {s.claims} claims · ")
    head.append(f"{s.agreement} agreements", style=STYLE["agreement"])
    head.append(" · ")
    head.append(f"{s.discrepancy} discrepancies", style=STYLE["discrepancy"])
    head.append(" · ")
    head.append(f"{s.unsupported} unsupported", style=STYLE["unsupported"])
    head.append(f" · {s.seconds:.1f} s")
    parts.append(head)
    summary = Text("\n".join(f"• {x.text}" for x in report.summary.sentences))
    parts.append(Panel(summary, title="Neutral summary", title_align="left"))
    for status in ORDER:
        for check in report.claims_with(status):  # type: ignore[arg-type]
            line = Text()
            line.append(f"[{LABEL[status]}] ", style=STYLE[status])
            line.append(f"{check.source}", style="bold")
            who = f", {check.speaker}" if check.speaker else ""
            line.append(f" ({check.kind}{who}): {check.text}")
            for ev in check.evidence:
                line.append(f"\n    {ev.source} {ev.verdict.replace('_', ' ')}", style="dim")
                if ev.quote:
                    line.append(f": “{ev.quote}”", style="italic")
                if ev.reason and ev.verdict == "contradicts":
                    line.append(f" — {ev.reason}", style=STYLE["discrepancy"])
            parts.append(line)
    return Group(*parts)


def render_text(report: Report, *, color: bool = False, width: int = 100) -> str:
    """The terminal view as a string; ANSI colour only when asked for."""
    console = Console(
        record=True, width=width, force_terminal=color, color_system="auto" if color else None
    )
    with console.capture() as capture:
        console.print(build(report))
    return capture.get()
