"""A drawn mock-interview set, and the wording of the questions a round asks.

Kept apart from the drawing logic (prep.mock.draw) because sessions (prep.mock.session) and
sheets (prep.mock.sheets) store and print a set without needing to know how it was drawn.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# Texts are {zh, en} like content, read with prep.kb.models.pick.
PROMPTS = {
    "ownership": {"zh": "讲一个你从头到尾负责一件事的经历。", "en": "Tell me about a time you owned something end to end."},
    "design": {"zh": "讲一个你做过的关键技术设计决策，以及为什么这样选。", "en": "Tell me about a technical design decision you made, and why."},
    "failure": {
        "zh": "讲一次你失败或做错决定的经历。你学到了什么？",
        "en": "Tell me about a time you failed or got something wrong. What did you learn?",
    },
    "incident": {"zh": "讲一次你处理线上事故的经历。", "en": "Walk me through a production incident you handled."},
    "oncall": {"zh": "讲一次 oncall 中印象最深的报警处理。", "en": "Tell me about a memorable on-call page and how you handled it."},
    "conflict": {
        "zh": "讲一次你和同事或其他团队意见不合的经历，最后怎么解决的？",
        "en": "Tell me about a disagreement with a colleague or another team. How was it resolved?",
    },
    "ambiguity": {"zh": "讲一次需求不清楚时你是怎么推进的。", "en": "Tell me about moving forward when the requirements were unclear."},
    "performance": {
        "zh": "讲一次性能优化：怎么找到瓶颈，怎么证明优化有效？",
        "en": "Tell me about a performance problem you fixed: how did you find the bottleneck and prove the fix?",
    },
    "scaling": {"zh": "讲一次系统需要扩容以应对增长的经历。", "en": "Tell me about a time a system had to scale for growth."},
    "learning": {"zh": "讲一次你快速学会一项新技术的经历。", "en": "Tell me about a time you had to learn a new technology quickly."},
    "leadership": {"zh": "讲一次你带着别人把一件事做成的经历。", "en": "Tell me about a time you led others to get something done."},
    "communication": {
        "zh": "讲一次你向非技术人员解释技术问题的经历。",
        "en": "Tell me about explaining something technical to a non-technical audience.",
    },
    "delivery": {"zh": "讲一次你在很紧的期限内交付的经历。", "en": "Tell me about delivering under a tight deadline."},
    "mentoring": {"zh": "讲一次你指导新人或同事的经历。", "en": "Tell me about a time you mentored someone."},
    "prioritization": {"zh": "讲一次你必须在几件事之间取舍的经历。", "en": "Tell me about prioritizing between competing demands."},
    "quality": {"zh": "讲一次你提升代码或系统质量的经历。", "en": "Tell me about a time you raised the quality of code or a system."},
}
GENERIC_PROMPT = {"zh": "讲一个你最有成就感的项目经历。", "en": "Tell me about a project you are proud of."}
DEEP_DIVE = {
    "zh": "简历上写着：“{text}”。展开讲讲：背景、你具体做了什么、数字是怎么来的。",
    "en": 'Your resume says: "{text}". Walk me through it: the context, what you did yourself, and where the numbers come from.',
}
SLOT_LABELS = {
    "deep-dive": {"zh": "简历深挖", "en": "Resume deep-dive"},
    "story": {"zh": "行为面", "en": "Behavioural"},
    "card": {"zh": "技术问题", "en": "Technical"},
}
# Why a slot came back short, in the draw's language.
SHORT_SLOT = {
    "zh": "{label}：只抽到 {got}/{count} 题（按筛选条件、本套已选和最近几次已问过的题排除后，匹配的题不够）",
    "en": "{label}: drew {got} of {count} (too few matching questions once filters, this set and the last sessions are left out)",
}
NO_RISK_CLAIM = {
    "zh": "没有可用于深挖的 {risk} 风险简历条目（筛选条件、最近几次已问过）；改抽了其它条目",
    "en": "no {risk}-risk claim available for the deep-dive (filters, recent sessions); drew another claim",
}


@dataclass
class Followup:
    q: str
    a: str = ""
    card: str | None = None  # the card id, when the followup is a card


@dataclass
class Question:
    slot: str  # deep-dive | story | card
    label: str
    item_type: str  # claim | story | card
    item_id: str
    q: str
    key_points: str  # Markdown, for the interviewer
    followups: list[Followup] = field(default_factory=list)
    minutes: float = 5.0
    project: str | None = None
    claims: list[str] = field(default_factory=list)
    why: str = ""  # why it was likely: "never rehearsed; high-risk claim"


@dataclass
class Draw:
    profile: str
    title: str
    seed: int
    lang: str
    minutes: float
    drawn_at: str
    questions: list[Question] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> Draw:
        qs = [Question(**{**q, "followups": [Followup(**f) for f in q["followups"]]}) for q in d["questions"]]
        return cls(**{**d, "questions": qs})
