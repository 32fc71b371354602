"""Every key of the TUI, read from the screens' own bindings: the help screen (`?`) and
the README's key list are generated from here, so neither can miss or misname a key."""

from __future__ import annotations

from textual.binding import Binding

from prep.kb.models import pick
from prep.tui.words import binding_label

# Key names as a person types them.
_KEY_NAMES = {"escape": "Esc", "space": "Space", "enter": "Enter", "question_mark": "?", "tab": "Tab"}

# Each screen's title and what to know beyond its keys, in the order a learner meets them.
_NOTES: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "PrepApp": ({"zh": "任何界面", "en": "Everywhere"}, {"zh": "", "en": ""}),
    "DashboardScreen": (
        {"zh": "仪表盘", "en": "Dashboard"},
        {"zh": "在卡组上按 Enter 学这一组，在简历条目上按 Enter 突击它的卡。", "en": "Enter on a deck studies it, on a claim crams its cards."},
    ),
    "ReviewScreen": (
        {"zh": "复习", "en": "Review"},
        {
            "zh": "底栏显示每个评分多久后再出现；每个回答立即保存。",
            "en": "The footer shows when each rating brings the card back; every answer is saved at once.",
        },
    ),
    "BrowseScreen": (
        {"zh": "浏览", "en": "Browse"},
        {"zh": "输入即搜索（中文子串可用）；Enter 打开结果。", "en": "Type to search (Chinese substrings work); Enter opens a result."},
    ),
    "DetailScreen": ({"zh": "条目详情", "en": "An item"}, {"zh": "在链接上按 Enter 打开它。", "en": "Enter on a link opens it."}),
    "StoryListScreen": (
        {"zh": "故事列表", "en": "Stories"},
        {"zh": "Enter 开始讲光标所在的故事。", "en": "Enter rehearses the story under the cursor."},
    ),
    "RehearseScreen": (
        {"zh": "讲故事", "en": "Rehearsing a story"},
        {
            "zh": "对着计时器讲出来，逐节揭晓核对，再给自己打分。",
            "en": "Tell it aloud against the timer, reveal it section by section, then rate your telling.",
        },
    ),
    "MockScreen": (
        {"zh": "模拟面试", "en": "Mock interview"},
        {"zh": "在面试类型上按 Enter 抽题并开始计时。", "en": "Enter on a profile draws the questions and starts the timer."},
    ),
    "MockSessionScreen": (
        {"zh": "模拟面试进行中", "en": "Mock session"},
        {"zh": "大声作答；1-4 勾选评分项，Enter 保存得分。", "en": "Answer aloud; 1-4 tick the rubric, Enter saves the score."},
    ),
}


def _screens() -> list[type]:
    from prep.tui.app import PrepApp
    from prep.tui.screens.browse import BrowseScreen
    from prep.tui.screens.dashboard import DashboardScreen
    from prep.tui.screens.detail import DetailScreen
    from prep.tui.screens.mock import MockScreen, MockSessionScreen
    from prep.tui.screens.rehearse import RehearseScreen, StoryListScreen
    from prep.tui.screens.review import ReviewScreen

    return [PrepApp, DashboardScreen, ReviewScreen, BrowseScreen, DetailScreen, StoryListScreen, RehearseScreen, MockScreen, MockSessionScreen]


def key_name(key: str) -> str:
    return _KEY_NAMES.get(key, key)


def screen_keys(cls: type, lang: str = "en") -> list[tuple[str, str]]:
    """(keys, what they do) for one screen; keys bound to the same action share a line."""
    out: dict[tuple[str, str], list[str]] = {}
    for b in cls.BINDINGS:  # type: ignore[attr-defined]
        if not isinstance(b, Binding):
            continue
        names = [b.key_display] if b.key_display else [key_name(k.strip()) for k in b.key.split(",")]
        out.setdefault((b.action, b.description), []).extend(names)
    return [("/".join(f"`{n}`" for n in keys), binding_label(desc, lang)) for (_, desc), keys in out.items()]


def help_markdown(lang: str = "en", *, title: bool = True) -> str:
    """Every screen's keys as Markdown (under a `# prep: keys` title, unless `title` is False)."""
    lines = ["# prep: keys", ""] if title else []
    for cls in _screens():
        title_text, note_text = _NOTES.get(cls.__name__, ({"en": cls.__name__}, {"en": ""}))
        name, note = pick(title_text, lang), pick(note_text, lang)
        keys = " · ".join(f"{k} {desc}" for k, desc in screen_keys(cls, lang))
        lines += [f"**{name}**: {keys}" + (f" — {note}" if note else ""), ""]
    return "\n".join(lines).rstrip() + "\n"
