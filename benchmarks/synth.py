"""Synthetic knowledge bases for benchmarks: N cards over 100 decks, with CJK text,
code fences, claims, followups and stories, shaped like the real content."""

from __future__ import annotations

import random
import sys
from pathlib import Path

WORDS = [
    "时间轮",
    "调度",
    "分布式",
    "租约",
    "选主",
    "幂等",
    "对账",
    "账户",
    "索引",
    "分片",
    "缓存",
    "一致性",
    "可用性",
    "负载均衡",
    "重试",
    "退避",
    "死信",
    "队列",
]
EN = ["timer", "wheel", "lease", "leader", "shard", "replica", "cache", "quorum", "retry", "backoff", "queue", "index", "ledger", "balance"]


def _text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(WORDS) for _ in range(n)) + " " + " ".join(rng.choice(EN) for _ in range(n))


def generate(root: Path, cards: int, decks: int = 100, seed: int = 1) -> Path:
    rng = random.Random(seed)
    (root / "decks").mkdir(parents=True, exist_ok=True)
    (root / "stories").mkdir(parents=True, exist_ok=True)
    n_claims = max(5, cards // 100)
    claims = [f"p{i % 4}.claim-{i}" for i in range(n_claims)]
    lines = ["projects:"]
    for p in range(4):
        lines += [f"  - id: p{p}", f"    company: {{zh: 公司{p}, en: Company {p}}}", "    claims:"]
        for c in claims:
            if c.startswith(f"p{p}."):
                lines += [
                    f"      - id: {c}",
                    f"        text: 支持{rng.randint(100, 9999)}个后台任务{_text(rng, 2)}",
                    "        numbers: [2000 tasks]",
                    "        risk: high",
                ]
    (root / "stories/resume.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    per_deck = -(-cards // decks)
    made = 0
    for d in range(decks):
        out = [f"name: {{zh: 主题{d}, en: Topic {d}}}", "cards:"]
        for i in range(per_deck):
            if made >= cards:
                break
            cid = f"d{d}.c{i}"
            follow = f"\n    followups: [d{d}.c{i + 1}]" if i + 1 < per_deck and made + 1 < cards else ""
            out.append(
                f"  - id: {cid}\n"
                f"    q: {{zh: '{_text(rng, 3)}？', en: 'Question {made} about {rng.choice(EN)}?'}}\n"
                f"    a: |\n      {_text(rng, 12)}\n      - 要点一 {rng.choice(EN)}\n      - 要点二\n"
                f"      ```go\n      for i := 0; i < {rng.randint(1, 99)}; i++ {{ wheel.Tick() }}\n      ```\n"
                f"    claims: [{rng.choice(claims)}]\n    tags: [t{d % 7}, bench]\n    kind: concept\n    difficulty: {rng.randint(1, 5)}{follow}"
            )
            made += 1
        (root / f"decks/deck-{d:03d}.yaml").write_text("\n".join(out) + "\n", encoding="utf-8")
    for s in range(max(3, cards // 500)):
        (root / f"stories/story-{s}.md").write_text(
            f"---\nid: story-{s}\ntitle: {{zh: 故事{s}, en: Story {s}}}\nclaims: [{rng.choice(claims)}]\ncompetencies: [ownership]\n---\n"
            + "".join(f"## {sec}\n{_text(rng, 8)}\n" for sec in ("Situation", "Task", "Action", "Result")),
            encoding="utf-8",
        )
    return root


if __name__ == "__main__":
    generate(Path(sys.argv[1]), int(sys.argv[2]))
