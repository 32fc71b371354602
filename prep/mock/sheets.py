"""The printed side of a mock interview: an interviewer sheet and a candidate sheet.

A friend playing the interviewer needs the questions, the key points a strong
answer hits and the followups to drill with; the candidate must see only the
questions. Both are plain Markdown so they print, diff and render anywhere.
"""

from __future__ import annotations

from pathlib import Path

from prep.kb.vocab import pick, say
from prep.mock.draw import Draw
from prep.mock.session import RUBRIC, RUBRIC_HELP

# Every word the sheets add around the content, in both languages (the sheet's language
# is the draw's: an English KB gets English sheets).
WORDS = {
    "title": {"zh": "模拟面试 — {title}（{who}）", "en": "Mock interview — {title} ({who})"},
    "interviewer": {"zh": "面试官", "en": "interviewer"},
    "candidate": {"zh": "候选人", "en": "candidate"},
    "line": {
        "zh": "配置 `{profile}` · {n} 题 · {minutes:g} 分钟 · 种子 {seed} · {date}",
        "en": "Profile `{profile}` · {n} questions · {minutes:g} min · seed {seed} · {date}",
    },
    "ask": {
        "zh": "逐题提问，让候选人答完，再按顺序用追问往下挖。",
        "en": "Ask each question, let the candidate answer, then drill down with the followups in order.",
    },
    "score": {"zh": "每题打分：", "en": "Score each answer: "},
    "note": {"zh": "注意", "en": "Note"},
    "min": {"zh": "分钟", "en": "min"},
    "claims": {"zh": "简历条目", "en": "claims"},
    "why": {"zh": "抽到原因", "en": "why drawn"},
    "points": {"zh": "期望要点", "en": "Expected key points"},
    "followups": {"zh": "追问", "en": "Followups"},
    "score_line": {"zh": "评分", "en": "Score"},
    "aloud": {
        "zh": "出声回答：技术题约一分钟，故事约两分钟；准备好被追问。",
        "en": "Answer aloud, about a minute per technical answer and two for a story; expect followups.",
    },
}


def w(key: str, lang: str, **kw: object) -> str:
    return say(WORDS, key, lang, **kw)


def _header(d: Draw, who: str) -> list[str]:
    return [
        "# " + w("title", d.lang, title=d.title, who=w(who, d.lang)),
        "",
        w("line", d.lang, profile=d.profile, n=len(d.questions), minutes=d.minutes, seed=d.seed, date=d.drawn_at[:10]),
        "",
    ]


def _quote(text: str) -> list[str]:
    return ["> " + line if line.strip() else ">" for line in text.strip().splitlines()]


def interviewer(d: Draw) -> str:
    lines = _header(d, "interviewer")
    lang = d.lang
    lines += [w("ask", lang), w("score", lang) + "; ".join(f"**{k}**: {pick(RUBRIC_HELP[k], lang)}" for k in RUBRIC) + ".", ""]
    for warning in d.warnings:
        lines.append(f"*{w('note', lang)}: {warning}*")
    if d.warnings:
        lines.append("")
    for i, q in enumerate(d.questions, 1):
        lines += [f"## {i}. {q.label} · {q.minutes:g} {w('min', lang)}", "", *_quote(q.q), ""]
        ref = (
            f"`{q.item_type}:{q.item_id}`"
            + (f" · {w('claims', lang)}: {', '.join(q.claims)}" if q.claims else "")
            + (f" · {w('why', lang)}: {q.why}" if q.why else "")
        )
        lines += [ref, ""]
        if q.key_points.strip():
            lines += [f"**{w('points', lang)}**", "", q.key_points.strip(), ""]
        if q.followups:
            lines += [f"**{w('followups', lang)}**", ""]
            for j, f in enumerate(q.followups, 1):
                lines += [f"### {i}.{j} {' '.join(f.q.split())}", ""]
                if f.a.strip():
                    lines += [f.a.strip(), ""]
        lines += [f"{w('score_line', lang)}: " + " · ".join(f"[ ] {k}" for k in RUBRIC), "", "---", ""]
    return "\n".join(lines).rstrip() + "\n"


def candidate(d: Draw) -> str:
    lines = _header(d, "candidate")
    lines += [w("aloud", d.lang), ""]
    for i, q in enumerate(d.questions, 1):
        lines += [f"## {i}. {q.label} · {q.minutes:g} {w('min', d.lang)}", "", " ".join(q.q.split()), ""]
    return "\n".join(lines).rstrip() + "\n"


def write(d: Draw, out: Path) -> list[Path]:
    from prep import fsio
    from prep.export.render import neutralize_html
    from prep.kb.marks import LEGEND, MARK_OPEN, markers

    fsio.ensure_folder(out)
    paths = [out / "interviewer.md", out / "candidate.md"]
    # Each sheet whole or not at all (a full disk or read-only folder is one sentence).
    sheet = markers(interviewer(d))  # assumptions stay visible on paper
    if MARK_OPEN in sheet:
        sheet += f"\n*{LEGEND.get(d.lang, LEGEND['en'])}*\n"
    fsio.write_text(paths[0], neutralize_html(sheet))
    fsio.write_text(paths[1], neutralize_html(markers(candidate(d))))
    return paths
