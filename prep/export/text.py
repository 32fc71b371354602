"""Plain-text rendering of one item for `prep show` (the TUI renders its own)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _stars(n: int) -> str:
    return "*" * n


def show_text(item: Mapping[str, Any]) -> str:
    t = item["type"]
    out: list[str] = []
    if t == "card":
        out += [f"card {item['id']}  ({item['deck']}, {item['kind']}, difficulty {_stars(item['difficulty'])})", f"{item['file']}:{item['line']}", ""]
        out += ["Q: " + item["q"], "", item["a"], ""]
        if item["claims"]:
            out.append("Backs:")
            out += [f"  {c['id']}: {c['text']}" for c in item["claims"]]
        if item["followups"]:
            out.append("The interviewer asks next:")
            out += [f"  {f['id']}: {f['q']}" for f in item["followups"]]
        if item["source"]:
            out.append(f"Source: {item['source']}")
        out += _review(item)
    elif t == "story":
        out += [f"story {item['id']}: {item['title']}  ({item['minutes']:g} min)", f"{item['file']}:{item['line']}", ""]
        for name, text in item["sections"].items():
            if name != "Follow-ups":
                out += [f"## {name}", text, ""]
        if item["followups"]:
            out.append("## Follow-ups")
            for f in item["followups"]:
                out.append(f"- {f['question']}")
                if f["notes"]:
                    out += ["    " + line for line in f["notes"].split("\n")]
        out += [""] + [f"Backs {c['id']}: {c['text']}" for c in item["claims"]]
        out += _review(item)
    elif t == "claim":
        out += [f"claim {item['id']}  ({item['project']}, risk {item['risk']})", f"{item['file']}:{item['line']}", "", item["text"]]
        if item["en"]:
            out.append(item["en"])
        if item["before"]:
            out.append(f"Before: {item['before']}")
        for n in item["numbers"]:
            out.append(f"Figure: {n['value']}" + (f"  (before: {n['before']})" if n.get("before") else ""))
        if item["tech"]:
            out.append("Tech: " + ", ".join(item["tech"]))
        if item["notes"]:
            out += ["", "Notes: " + item["notes"]]
        out += ["", f"Stories ({len(item['stories'])}):"] + [f"  {s['id']}: {s['title']}" for s in item["stories"]]
        out += [f"Cards ({len(item['cards'])}):"] + [f"  {c['id']}: {c['q']}" for c in item["cards"]]
    elif t == "project":
        out += [f"project {item['id']}: {item['company']} — {item['name']}", f"Stack: {', '.join(item['stack'])}", "Claims: " + ", ".join(item["claims"])]
    else:
        out += [f"deck {item['id']}: {item['name']}  ({item['file']})", f"{len(item['cards'])} cards: " + ", ".join(item["cards"])]
    return "\n".join(out).rstrip()


def _review(item: Mapping[str, Any]) -> list[str]:
    r = item.get("review")
    if not r:
        return ["", "Not reviewed yet."]
    lines = ["", f"Due {r['due']}  reps {r['reps']}  lapses {r['lapses']}" + ("  LEECH" if r["leech"] else "")]
    for h in item.get("history", []):
        lines.append(f"  {h['reviewed_at']}  rating {h['rating']}  {h['mode']}")
    return lines
