"""Every word the TUI adds around the content, in zh and en.

The app's language comes from the CLI (`--lang`, PREP_LANG, `prep config lang`, the KB's
default, the content's own), so an English KB gets English screens and the built-in
Chinese KB Chinese ones. Footer keys are translated from their English description, so
a screen declares its bindings once, in English, and `binding_label` does the rest.
"""

from __future__ import annotations

from prep.kb.vocab import CODE_WORDS, say

WORDS: dict[str, dict[str, str]] = {
    # dashboard
    "summary": {
        "zh": "待复习 {due} · 新卡 {new} · 待讲故事 {stories} · 连续 {streak} 天 · 顽固卡 {leeches} · 共 {cards} 张",
        "en": "Due {due} · New {new} · Stories due {stories} · Streak {streak}d · Leeches {leeches} · {cards} cards",
    },
    "dashboard_loading": {"zh": "正在读取…", "en": "Loading…"},
    "decks_title": {"zh": "卡组（Enter 学这一组）", "en": "Decks  (Enter: study deck)"},
    "claims_title": {"zh": "简历条目准备度（Enter 突击）", "en": "Claim readiness  (Enter: cram claim)"},
    "col_deck": {"zh": "卡组", "en": "deck"},
    "col_new": {"zh": "新", "en": "new"},
    "col_due": {"zh": "到期", "en": "due"},
    "col_claim": {"zh": "条目", "en": "claim"},
    "col_risk": {"zh": "风险", "en": "risk"},
    "col_ready": {"zh": "掌握", "en": "ready"},
    "col_cards": {"zh": "卡", "en": "cards"},
    "col_stories": {"zh": "故事", "en": "st."},
    "planning": {"zh": "{line} · 规划中…", "en": "{line} · planning…"},
    "plan_readiness": {
        "zh": "相关简历条目的准备度  今天 {today_bar} {today}  →  面试当天 {day_bar} {day}  （最弱 {weakest} {weakest_pct}）",
        "en": "Readiness of its claims  today {today_bar} {today}  →  on the day {day_bar} {day}  (weakest {weakest} {weakest_pct})",
    },
    "not_saved": {"zh": "没有保存：{why}。再打一次分即可重试。", "en": "Not saved: {why}. Rate again to retry."},
    "audit_checking": {"zh": "审计：检查中…", "en": "Audit: checking…"},
    "audit_hint": {"zh": " — 详情见 prep audit", "en": " — run prep audit for details"},
    "forecast": {"zh": "未来 14 天到期  {bars}  （共 {total} 张；今天 {today}）", "en": "Due next 14 days  {bars}  ({total} cards; today {today})"},
    "heatmap": {"zh": "近 12 周复习（每列一周）：", "en": "Reviews, last 12 weeks (a column a week):"},
    "weekly": {"zh": "每周复习          {bars}  （12 周共 {total} 次）", "en": "Reviews by week    {bars}  ({total} in 12 weeks)"},
    # review
    "status": {"zh": "{n}/{total} · {deck} · {kind} · {stars}{mode}", "en": "{n}/{total} · {deck} · {kind} · {stars}{mode}"},
    "cram_mode": {"zh": " · 突击（不改排期）", "en": " · CRAM (schedule unchanged)"},
    "backs": {"zh": "支撑 {id}：{text}", "en": "Backs {id}: {text}"},
    "backs_none": {"zh": "（不支撑任何简历条目）", "en": "(backs no claim)"},
    "asks_next": {"zh": "面试官接着问：", "en": "The interviewer asks next:"},
    "take_first": {"zh": "（f：下一张就练第一个追问）", "en": "(f: take the first one next)"},
    "session_done": {"zh": "本轮结束：答了 {n} 张。", "en": "Session complete: {n} answered."},
    "nothing_more": {
        "zh": "现在没有要学的了。\n\n按 q 返回仪表盘，u 撤销上一个回答。",
        "en": "Nothing more to study now.\n\nPress q for the dashboard, u to undo the last answer.",
    },
    "empty_title": {"zh": "现在没有可复习的卡片。", "en": "Nothing to review now."},
    "empty_none": {"zh": "所选范围里没有卡片。", "en": "No card matches the selection."},
    "empty_next": {
        "zh": "学过的 {n} 张卡都已排好期：下一张 {when} 后到期。",
        "en": "The {cards} you have studied {are} scheduled: the next is due in {when}.",
    },
    "empty_later": {"zh": "学过的 {n} 张卡都已排好期。", "en": "The {cards} you have studied {are} scheduled for later."},
    "empty_new_limit": {
        "zh": "还有 {n} 张新卡，但今天的新卡上限（new_per_day）已用完。",
        "en": "{new_cards} {wait}: today's new_per_day limit is used up.",
    },
    "empty_review_limit": {
        "zh": "还有到期卡，但今天的复习上限（max_reviews_per_day）已用完。",
        "en": "Due cards wait: today's max_reviews_per_day limit is used up.",
    },
    "empty_offer": {
        "zh": "按 q 打开仪表盘（b 浏览、r 讲故事、m 模拟面试），或用 prep study --cram 现在就突击。",
        "en": "Press q for the dashboard (b browse, r stories, m mock), or run prep study --cram to cram now.",
    },
    "undid": {"zh": "已撤销对 {id} 的回答", "en": "Undid the answer to {id}"},
    "next_followup": {"zh": "下一张：{q}", "en": "Next: {q}"},
    "leave_review": {
        "zh": "还剩 {left} 张，确定离开？已答的 {n} 张都已保存。",
        "en": "Leave with {cards_left} left? Your {answers} {are} saved.",
    },
    # browse
    "search_placeholder": {
        "zh": "搜索卡片、故事、简历条目（支持中文子串：时间轮）；留空列出全部条目",
        "en": "Search cards, stories, claims (Chinese works: 时间轮); empty lists the claims",
    },
    "browse_info": {"zh": "{n} 条结果 · 类型：{type}（ctrl+t 切换） · Enter 打开", "en": "{results} · type: {type} (ctrl+t) · Enter opens"},
    "browse_first": {
        "zh": "前 {n} 条，共 {total} 条（输入以搜索） · 类型：{type}（ctrl+t 切换） · Enter 打开",
        "en": "first {n} of {total} (type to search) · type: {type} (ctrl+t) · Enter opens",
    },
    "browse_searching": {"zh": "搜索中… · 类型：{type}", "en": "searching… · type: {type}"},
    "col_type": {"zh": "类型", "en": "type"},
    "col_text": {"zh": "内容", "en": "text"},
    "type_all": {"zh": "全部", "en": "all"},
    "type_card": {"zh": "卡片", "en": "card"},
    "type_story": {"zh": "故事", "en": "story"},
    "type_claim": {"zh": "条目", "en": "claim"},
    "type_project": {"zh": "项目", "en": "project"},
    "type_deck": {"zh": "卡组", "en": "deck"},
    "type_fact": {"zh": "事实", "en": "fact"},
    "linked": {"zh": "关联（Enter 打开）", "en": "Linked (Enter opens)"},
    "no_item": {"zh": "没有 `{id}` 这一项。", "en": "No item `{id}`."},
    # stories
    "stories_title": {"zh": "STAR 故事：到期的在前（Enter 开始讲）", "en": "STAR stories: due first (Enter rehearses)"},
    "col_story": {"zh": "故事", "en": "story"},
    "col_min": {"zh": "分钟", "en": "min"},
    "col_title": {"zh": "标题", "en": "title"},
    "story_new": {"zh": "新", "en": "new"},
    "story_due": {"zh": "已到期（{ago}）", "en": "due ({ago})"},
    "story_interview": {"zh": "面试", "en": "interview"},
    "tell_aloud": {
        "zh": "先出声讲一遍（情境、任务、行动、结果），再逐节揭晓来核对。",
        "en": "Tell this story aloud (Situation, Task, Action, Result), then reveal to check.",
    },
    "backs_title": {"zh": "支撑的简历条目：", "en": "Backs:"},
    "all_revealed": {"zh": "已全部揭晓：给这次讲述打分（1-4）。", "en": "All revealed: rate how well you told it (1-4)."},
    "over_time": {"zh": " — 超时了，收尾吧！", "en": " — over time, wrap up!"},
    "rehearsal_saved": {"zh": "已保存这次讲述：{rating}", "en": "Rehearsal saved: {rating}"},
    "story_gone": {"zh": "故事 '{id}' 已不存在。", "en": "No story '{id}' any more."},
    "sec_Situation": {"zh": "情境", "en": "Situation"},
    "sec_Task": {"zh": "任务", "en": "Task"},
    "sec_Action": {"zh": "行动", "en": "Action"},
    "sec_Result": {"zh": "结果", "en": "Result"},
    "sec_Lessons": {"zh": "收获", "en": "Lessons"},
    "sec_Follow-ups": {"zh": "追问", "en": "Follow-ups"},
    # mock
    "mock_title": {
        "zh": "模拟面试：选一个面试配置（Enter 抽题并开始计时）",
        "en": "Mock interview: pick a profile (Enter draws the questions and starts the timer)",
    },
    "profile_errors": {
        "zh": "面试配置文件有 {n} 处错误，先用内置配置。{first}",
        "en": "{errors} in profile files; showing the built-in ones. {first}",
    },
    "col_profile": {"zh": "配置", "en": "profile"},
    "col_questions": {"zh": "题数", "en": "questions"},
    "recent": {"zh": "最近的模拟面试：", "en": "Recent sessions:"},
    "answered": {"zh": "答了 {n} 题", "en": "{n} answered"},
    "session_score": {"zh": "，得分 {pct}%", "en": ", score {pct}%"},
    "no_sessions": {"zh": "还没有模拟面试记录。", "en": "No mock sessions yet."},
    "nothing_to_draw": {"zh": "抽不出题：{why}", "en": "Nothing to draw: {why}"},
    "mock_total": {"zh": "总计 {spent} / {budget}", "en": "total {spent} / {budget}"},
    "mock_status": {
        "zh": "模拟 · {title} · 第 {n}/{total} 题 · {label} · ⏱ {spent} / {budget} · {all}{over}",
        "en": "Mock · {title} · Q {n}/{total} · {label} · ⏱ {spent} / {budget} · {all}{over}",
    },
    "mock_status_done": {"zh": "模拟 · {title} · 结束", "en": "Mock · {title} · done"},
    "drills_down": {"zh": "面试官追问：", "en": "The interviewer drills down:"},
    "followups_left": {"zh": "（f：下一个追问，还剩 {n} 个）", "en": "(f: next followup, {n} left)"},
    "rubric_correct": {"zh": "正确", "en": "correct"},
    "rubric_complete": {"zh": "完整", "en": "complete"},
    "rubric_concise": {"zh": "简洁", "en": "concise"},
    "rubric_confident": {"zh": "自信", "en": "confident"},
    "verdict_1": {"zh": "不通过，重新到期", "en": "fail, due again"},
    "verdict_2": {"zh": "通过（困难）", "en": "pass (Hard)"},
    "verdict_3": {"zh": "通过（良好）", "en": "pass (Good)"},
    "self_score": {"zh": "自评：{marks}  → {verdict}", "en": "Self-score: {marks}  → {verdict}"},
    "no_key_points": {"zh": "（没有写要点）", "en": "(no key points written)"},
    "no_notes": {"zh": "（没有笔记）", "en": "(no notes)"},
    "followup_n": {"zh": "追问 {n}：", "en": "Followup {n}: "},
    "mock_done": {"zh": "模拟结束：{n} 题通过 {passed} 题，得分 {pct}%。", "en": "Session complete: {passed}/{n} passed, score {pct}%."},
    "pass": {"zh": "通过", "en": "pass"},
    "fail": {"zh": "未过", "en": "FAIL"},
    "failed_due": {"zh": "没通过的题会重新出现在复习里。", "en": "Failed questions are due again in review."},
    "press_q": {"zh": "按 q 返回。", "en": "Press q to go back."},
    "leave_mock": {
        "zh": "在第 {n}/{total} 题离开模拟面试？已打的 {scores} 个分都已保存；这次面试记为中途放弃。",
        "en": "Leave the mock at question {n}/{total}? Your {score_count} {are} saved; the session is marked abandoned.",
    },
    # to confirm (assumptions)
    "confirm_title": {
        "zh": "待确认 {n} 处{scope}（t：按原文确认属实；要换成实情请编辑文件）",
        "en": "{n} to confirm{scope} (t: true as written; edit the file to replace)",
    },
    "col_where": {"zh": "位置", "en": "where"},
    "col_item": {"zh": "所在", "en": "item"},
    "col_assumed": {"zh": "待确认的内容", "en": "assumed"},
    "confirm_claim_line": {
        "zh": "*{facts} 条事实 · **待确认 {n} 处**（c：逐条确认）*",
        "en": "*{fact_count} · **{n} to confirm** (c: walk them)*",
    },
    "session_running": {"zh": "进行中", "en": "running"},
    "session_finished": {"zh": "已完成", "en": "finished"},
    "session_abandoned": {"zh": "中途放弃", "en": "abandoned"},
    # confirm
    "yes": {"zh": "是 (y)", "en": "Yes (y)"},
    "no": {"zh": "否 (n)", "en": "No (n)"},
}

# Footer and help labels, keyed by the English description a binding is declared with.
LABELS_ZH: dict[str, str] = {
    **{w["en"]: w["zh"] for w in CODE_WORDS["rating"].values()},  # the rating keys: Again, Hard, Good, Easy
    "To confirm": "待确认",
    "True as written": "属实",
    "Help": "帮助",
    "Quit": "退出",
    "Back": "返回",
    "Study": "学习",
    "Browse": "浏览",
    "Stories": "故事",
    "Mock": "模拟",
    "Study selection": "学所选",
    "Reveal": "揭晓",
    "Undo": "撤销",
    "Followup": "追问",
    "Type filter": "类型",
    "Study this": "学这个",
    "Reveal next section": "揭晓下一节",
    "Key points": "要点",
    "Score": "打分",
    "Close": "关闭",
    "Reveal all": "全部揭晓",
    "Yes": "是",
    "No": "否",
    "Correct": "正确",
    "Complete": "完整",
    "Concise": "简洁",
    "Confident": "自信",
}


def t(key: str, lang: str, **kw: object) -> str:
    return say(WORDS, key, lang, **kw)


def item_label(item: str, lang: str) -> str:
    """ "card perf.p99" (as the audit names an item) with its kind in `lang`."""
    kind, _, rest = item.partition(" ")
    return f"{t(f'type_{kind}', lang)} {rest}" if rest and f"type_{kind}" in WORDS else item


def binding_label(description: str, lang: str) -> str:
    return LABELS_ZH.get(description, description) if lang == "zh" else description
