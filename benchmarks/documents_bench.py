"""Time to build each stage document, against bare reportlab laying out the same flowables in the same run.

    .venv/bin/python benchmarks/documents_bench.py [--repeat 15]

"pledgeflow" is documents.pdf.build_pdf: the story plus the shared page template
(header with titles, QR code on page 1, footer with numbers, page X of Y and
the hash note, drawn by a canvas that holds every page until the count is
known). "bare" is SimpleDocTemplate building the same flowables with reportlab's
own canvas and no page decoration. Both use the already registered CJK font,
so the ratio is what the shared template costs; the one-off font load is
printed apart (a Celery worker pays it as each process starts, see documents/tasks.py). Fastest of --repeat interleaved runs (the least disturbed by
other load); machines differ, ratios travel.

WeasyPrint is the second baseline, for the valuation report only: the same content (every
paragraph, table, the chart and the page template, in the same face) written as HTML + CSS by
benchmarks/weasy_html.py and rendered to PDF, interleaved with the other two. WeasyPrint is not
a dependency of the service and neither `make test` nor CI installs it; without it the
benchmark says so and skips that line. To get it (it needs Pango; Debian:
`apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0`):

    .venv/bin/pip install -e '.[bench]'        # or: .venv/bin/pip install weasyprint
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.platypus import SimpleDocTemplate  # noqa: E402

from documents.pdf import KINDS, build_pdf, build_story  # noqa: E402
from documents.pdf.fonts import register_fonts  # noqa: E402
from documents.pdf.layout import MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, stylesheet  # noqa: E402
from documents.pdf.samples import sample_content  # noqa: E402


try:  # the optional second baseline; OSError: installed but Pango is missing
    import weasyprint
except (ImportError, OSError) as error:
    weasyprint = None
    WEASYPRINT_MISSING = f"{type(error).__name__}: {error}".splitlines()[0]

WEASYPRINT_KIND = "valuation_report"
WEASYPRINT_GOAL = 10  # times faster


def accelerated() -> bool:
    from reportlab.lib import rl_accel

    return type(rl_accel.fp_str).__name__ == "builtin_function_or_method"  # C, not reportlab's _py_fp_str


def bare_reportlab(kind: str, content) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, invariant=1
    )
    doc.build(build_story(kind, content))
    return buffer.getvalue()


def best_ms(actions, repeat: int) -> list[float]:
    """Fastest of `repeat` runs of each action, interleaved so that both see the same load."""
    times: list[list[float]] = [[] for _ in actions]
    for _ in range(repeat):
        for index, action in enumerate(actions):
            started = time.perf_counter()
            action()
            times[index].append((time.perf_counter() - started) * 1000)
    return [min(t) for t in times]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    started = time.perf_counter()
    register_fonts()
    stylesheet()
    font_ms = (time.perf_counter() - started) * 1000
    print(f"font load (once per process): {font_ms:.0f} ms")
    print(f"reportlab's C accelerator (rl_accel, from reportlab[accel]): {'on' if accelerated() else 'OFF: pure-Python fallbacks'}")
    print(f"{'kind':28} {'pages':>5} {'pledgeflow ms':>14} {'bare ms':>9} {'ratio':>6}")
    totals = [0.0, 0.0]
    weasy_line = None
    for kind in KINDS:
        content = sample_content(kind)
        build_pdf(kind, content)  # warm: first use of each glyph subset
        bare_reportlab(kind, content)
        actions = [lambda: build_pdf(kind, content), lambda: bare_reportlab(kind, content)]
        if weasyprint is not None and kind == WEASYPRINT_KIND:
            from weasy_html import story_html  # beside this file; imports documents.pdf

            html = story_html(kind, content)  # made once, out of the timing: a template's job
            weasy_pages = len(weasyprint.HTML(string=html).render().pages)
            actions.append(lambda: weasyprint.HTML(string=html).write_pdf())
        ours, bare, *weasy = best_ms(actions, args.repeat)
        pages = build_pdf(kind, content).page_count
        totals[0] += ours
        totals[1] += bare
        print(f"{kind:28} {pages:>5} {ours:>14.1f} {bare:>9.1f} {ours / bare:>6.2f}")
        if weasy:
            weasy_line = (
                f"{kind.replace('_', ' ')}: pledgeflow {ours:.0f} ms ({pages} pages), WeasyPrint {weasy[0]:.0f} ms "
                f"({weasy_pages} pages), {weasy[0] / ours:.1f}x faster (goal >= {WEASYPRINT_GOAL}x)"
            )
    label = f"all {len(KINDS)} kinds"
    print(f"{label:28} {'':>5} {totals[0]:>14.1f} {totals[1]:>9.1f} {totals[0] / totals[1]:>6.2f}")
    if weasy_line:
        print(weasy_line)
    else:
        print(
            f"WeasyPrint baseline skipped ({WEASYPRINT_MISSING}): .venv/bin/pip install -e '.[bench]' "
            "(or .venv/bin/pip install weasyprint; Debian needs libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)"
        )


if __name__ == "__main__":
    main()
