"""The audit as a person reads it: the coverage matrix, the flags with their sources,
what to confirm, what is unfinished, and the one-line summary the dashboard shows.

In the language of the knowledge base (the report's `lang`): every counted noun goes
through `prep.kb.vocab.count` ('1 claim', '3 个条目'), every sentence through `say`.
The flags' own messages are written by the checks (prep.audit.report).
"""

from __future__ import annotations

from prep.kb.vocab import code_word, count, pad, say

WORDS: dict[str, dict[str, str]] = {
    "no_claims": {"zh": "审计：没有简历条目", "en": "Audit: no claims"},
    "to_confirm": {"zh": " · 待确认 {n} 处", "en": " · {n} to confirm"},
    "unfinished": {"zh": " · 未写完 {items}", "en": " · {n} unfinished"},
    "covered_one": {"zh": "审计：这个条目有支撑，数字一致", "en": "Audit: the claim is covered, figures consistent"},
    "covered_all": {"zh": "审计：{claims}都有支撑，数字一致", "en": "Audit: all {claims} covered, figures consistent"},
    "flagged": {"zh": "审计：{claims}中 {n} 个有问题（{kinds}）", "en": "Audit: {n} of {claims} flagged ({kinds})"},
    "answered": {"zh": "{kind}，笔记里已回答", "en": "{kind}, answered in the notes"},
    "confirm_head": {
        "zh": "待确认（{n} 处）：替你写的细节；换成真实情况并去掉标记",
        "en": "To confirm ({n}): details written for you; replace each with the truth and drop the marker",
    },
    "unfinished_head": {
        "zh": "未写完（{items}）：还是 `prep new` 写的提示；换成真正的内容",
        "en": "Unfinished ({n}): still the hints `prep new` wrote; write the real text",
    },
    "gists": {"zh": "一句话答案：{cards}中 {n} 张有", "en": "Gists: {n} of {cards} {have} one"},
    "skills": {
        "zh": "技能：简历上的 {skills}中 {n} 项有卡片或条目{missing}",
        "en": "Skills: {n} of {skills} on the resume {have} cards or claims{missing}",
    },
    "skills_missing": {"zh": "；没有可学的：{names}（给一张卡打上这个标签）", "en": "; nothing to study for: {names} (tag a card with it)"},
    # the flags the checks write (prep.audit.report)
    "no_story": {"zh": "没有 STAR 故事支撑这个条目", "en": "no STAR story backs this claim"},
    "few_cards": {"zh": "只有 {cards}支撑这个条目；至少要 {min} 张", "en": "backed by {cards}; at least {min} wanted"},
    "missing_backed": {
        "zh": "'{value}'（{interval}）在支撑它的故事和卡片里都找不到",
        "en": "'{value}' ({interval}) is not found in any backing story or card",
    },
    "missing_none": {
        "zh": "'{value}'（{interval}）哪里都找不到：没有东西支撑这个条目",
        "en": "'{value}' ({interval}) is not found anywhere: nothing backs this claim",
    },
    "contradiction": {
        "zh": "{label} 说 {said}，而条目说 {claim}（{source}）",
        "en": "{label} says {said} where the claim says {claim} ({source})",
    },
    "other_version": {
        "zh": "数字 '{value}' 与另一版简历的说法不一致（{said}）",
        "en": "figure '{value}' disagrees with the other version's wording ({said})",
    },
    "text_before": {
        "zh": "条目的数字在投出的文本和旧版说法之间不一致（文本：{after}；旧版：{before}）",
        "en": "the claim's figures differ between the sent text and the before wording (text: {after}; before: {before})",
    },
    "no_figure": {"zh": "没有数字", "en": "no figure"},
}
# A flag's kind is a code (`--json`, `--strict`); the Chinese summary line names it.
KINDS_ZH = {"no-story": "无故事", "few-cards": "卡片不足", "number-missing": "数字无出处", "contradiction": "矛盾", "before-after": "前后不一"}
# The matrix's column heads and widths (negative: left-aligned), padded by terminal
# cells, since a Chinese head is twice as wide as its length.
HEADS = {
    "zh": ("条目", "风险", "故事", "卡", "掌握", "待确认", "问题"),
    "en": ("claim", "risk", "stories", "cards", "ready", "conf.", "flags"),
}
WIDTHS = (-28, -6, 7, 5, 5, 5, 0)


def _have(n: int) -> str:
    return "has" if n == 1 else "have"


def summary_line(report: dict, hint: str = "", lang: str = "en") -> str:
    """One line for the dashboard: 'Audit: 3 of 12 claims flagged (no-story 1, ...) · 5 to confirm',
    in `lang`."""
    s = report["summary"]
    if not s["claims"]:
        return say(WORDS, "no_claims", lang)
    n = s.get("to_confirm")
    tail = say(WORDS, "to_confirm", lang, n=n) if n else ""
    u = s.get("unfinished")
    tail += say(WORDS, "unfinished", lang, n=u, items=count(u, "item", lang)) if u else ""
    claims = count(s["claims"], "claim", lang)
    if not s["flagged"]:
        key = "covered_one" if s["claims"] == 1 else "covered_all"
        return say(WORDS, key, lang, claims=claims) + tail
    names = KINDS_ZH if lang == "zh" else {}
    kinds = ("、" if lang == "zh" else ", ").join(f"{names.get(k, k)} {n}" for k, n in s["by_kind"].items() if n)
    return say(WORDS, "flagged", lang, n=s["flagged"], claims=claims, kinds=kinds) + tail + hint


def _matrix(report: dict, lang: str) -> list[str]:
    heads = [pad(head, width) for head, width in zip(HEADS["zh" if lang == "zh" else "en"], WIDTHS, strict=True)]
    lines = [" ".join(heads[:-1]) + "  " + heads[-1]]
    for c in report["claims"]:
        kinds = ",".join(sorted({f["kind"] for f in c["flags"]})) or "ok"
        risk = pad(code_word("risk", c["risk"], lang), -6)
        lines.append(
            f"{c['id']:<28} {risk} {len(c['stories']):>7} {len(c['cards']):>5} {round(c['readiness'] * 100):>4}% {c.get('to_confirm', 0):>5}  {kinds}"
        )
    return lines


def _details(report: dict, lang: str) -> list[str]:
    lines: list[str] = []
    for c in [c for c in report["claims"] if c["flags"] or c.get("answered")]:
        lines.append(f"{c['file']}:{c['line']}: {c['id']}: {c['text']}")
        for f in c["flags"] + c.get("answered", []):
            tag = f["kind"] if f in c["flags"] else say(WORDS, "answered", lang, kind=f["kind"])
            lines.append(f"  [{tag}] {f['message']}")
            for q in f["quotes"]:
                lines.append(f'      {q["source"]}: "{" ".join(q["text"].split())}"')
    return ["", *lines] if lines else []


def _left(report: dict, lang: str) -> list[str]:
    lines: list[str] = []
    if report.get("to_confirm"):
        lines += ["", say(WORDS, "confirm_head", lang, n=len(report["to_confirm"]))]
        for a in report["to_confirm"]:
            lines.append(f"  {a['file']}:{a['line']}: {a['item']}: {' '.join(a['text'].split())}")
    if left := report.get("unfinished"):
        lines += ["", say(WORDS, "unfinished_head", lang, n=len(left), items=count(len(left), "item", lang))]
        lines += [f"  {u['file']}:{u['line']}: {u['item']}: {', '.join(u['fields'])}" for u in left]
    return lines


def format_text(report: dict, lang: str | None = None) -> str:
    """The coverage matrix, each flag with its quoted sources, then what to confirm, in
    `lang` (default: the language the report was made in)."""
    lang = lang or report.get("lang") or "en"
    lines = _matrix(report, lang) + _details(report, lang) + _left(report, lang) + [""]
    if g := report["summary"].get("gists"):
        lines.append(say(WORDS, "gists", lang, n=g["with_gist"], cards=count(g["cards"], "card", lang), have=_have(g["with_gist"])))
    sk = report["summary"].get("skills")
    if sk and sk["listed"]:
        missing = say(WORDS, "skills_missing", lang, names=", ".join(sk["uncovered"])) if sk["uncovered"] else ""
        skills = count(sk["listed"], "skill", lang)
        lines.append(say(WORDS, "skills", lang, n=sk["covered"], skills=skills, have=_have(sk["covered"]), missing=missing))
    lines.append(summary_line(report, lang=lang))
    return "\n".join(lines)
