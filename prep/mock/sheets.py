"""The printed side of a mock interview: an interviewer sheet and a candidate sheet.

A friend playing the interviewer needs the questions, the key points a strong
answer hits and the followups to drill with; the candidate must see only the
questions. Both are plain Markdown so they print, diff and render anywhere.
"""

from __future__ import annotations

from pathlib import Path

from prep.mock.draw import Draw
from prep.mock.session import RUBRIC, RUBRIC_HELP


def _header(d: Draw, who: str) -> list[str]:
    return [
        f"# Mock interview — {d.title} ({who})",
        "",
        f"Profile `{d.profile}` · {len(d.questions)} questions · {d.minutes:g} min · seed {d.seed} · {d.drawn_at[:10]}",
        "",
    ]


def _quote(text: str) -> list[str]:
    return ["> " + line if line.strip() else ">" for line in text.strip().splitlines()]


def interviewer(d: Draw) -> str:
    lines = _header(d, "interviewer")
    lines += ["Ask each question, let the candidate answer, then drill down with the followups in order.",
              "Score each answer: " + "; ".join(f"**{k}**: {RUBRIC_HELP[k]}" for k in RUBRIC) + ".", ""]
    for w in d.warnings:
        lines.append(f"*Note: {w}*")
    if d.warnings:
        lines.append("")
    for i, q in enumerate(d.questions, 1):
        lines += [f"## {i}. {q.label} · {q.minutes:g} min", "", *_quote(q.q), ""]
        ref = f"`{q.item_type}:{q.item_id}`" + (f" · claims: {', '.join(q.claims)}" if q.claims else "") + (f" · why drawn: {q.why}" if q.why else "")
        lines += [ref, ""]
        if q.key_points.strip():
            lines += ["**Expected key points**", "", q.key_points.strip(), ""]
        if q.followups:
            lines += ["**Followups**", ""]
            for j, f in enumerate(q.followups, 1):
                lines += [f"### {i}.{j} {' '.join(f.q.split())}", ""]
                if f.a.strip():
                    lines += [f.a.strip(), ""]
        lines += ["Score: " + " · ".join(f"[ ] {k}" for k in RUBRIC), "", "---", ""]
    return "\n".join(lines).rstrip() + "\n"


def candidate(d: Draw) -> str:
    lines = _header(d, "candidate")
    lines += ["Answer aloud, about a minute per technical answer and two for a story; expect followups.", ""]
    for i, q in enumerate(d.questions, 1):
        lines += [f"## {i}. {q.label} · {q.minutes:g} min", "", " ".join(q.q.split()), ""]
    return "\n".join(lines).rstrip() + "\n"


def write(d: Draw, out: Path) -> list[Path]:
    from prep.export.render import neutralize_html

    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "interviewer.md", out / "candidate.md"]
    paths[0].write_text(neutralize_html(interviewer(d)), encoding="utf-8")
    paths[1].write_text(neutralize_html(candidate(d)), encoding="utf-8")
    return paths
