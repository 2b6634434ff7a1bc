"""Render the examples' HTML report and save a screenshot of it (eval/html_report.png).

Re-run from the repository root: `python eval/html_screenshot.py` (needs Debian's chromium and the
`test` extra for Playwright). It selects the first discrepancy so the evidence panel shows.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from factcheck import compare_with_articles
from factcheck.render.html import render_html

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = [ROOT / "examples" / "witkoff_report_a.txt", ROOT / "examples" / "witkoff_report_b.txt"]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "eval" / "html_report.png")
    parser.add_argument("--html", type=Path, help="also keep the HTML report here")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=1300)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        report, articles = compare_with_articles(EXAMPLES, engine="local", store=Path(tmp) / "s")
        page_path = args.html or Path(tmp) / "report.html"
        page_path.write_text(render_html(report, articles), encoding="utf-8")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
            page = browser.new_page(
                viewport={"width": args.width, "height": args.height}, device_scale_factor=1
            )
            page.goto(page_path.resolve().as_uri())
            first = report.claims_with("discrepancy") or report.claims
            if first:
                page.locator(f'.seg[data-opens~="{first[0].id}"]').first.click()
            page.screenshot(path=str(args.out))
            browser.close()
    print(
        f"wrote {args.out}: {report.stats.claims} claims, {report.stats.agreement} agreements, "
        f"{report.stats.discrepancy} discrepancies, {report.stats.unsupported} unsupported"
    )


if __name__ == "__main__":
    main()
