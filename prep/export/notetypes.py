"""The Anki note types prep exports: fields, card templates and CSS.

Kept apart from the exporter because these are a published interface: a user's
collection holds notes of these types, matched by the fixed ids below. Never change
an id or rename a field; append new fields at the end (Anki merges them on import
with `merge_notetypes`).

The note types carry the export time as their mod time (genanki's default), on
purpose: Anki takes a package's note type when it is newer than its own copy, and
an import with `merge_notetypes` re-stamps that copy with the import time. A fixed
mod time would then lose template and CSS fixes for anyone who imported after the
fix was written but before upgrading prep. prep owns these note types: a user who
wants to restyle them copies the note type in Anki.
"""

from __future__ import annotations

import genanki

# Fixed forever: Anki recognises "our" note types by id across exports. (Drawn at
# random once; not genanki's README example id, which many other decks reuse.)
QA_MODEL_ID = 1_162_589_401
STORY_MODEL_ID = 1_162_589_402

# Fields are only ever appended, never reordered: Gist and Legend came after Source.
QA_FIELDS = ["Question", "Answer", "Claims", "Followups", "Source", "Gist", "Legend"]
STORY_FIELDS = ["Title", "Situation", "Task", "Action", "Result", "Followups", "Claims", "Lessons", "Legend"]
LEGEND = {
    "zh": '<span class="assumed">这样标出的</span>是替你写的假设：面试前请确认或改成真实情况。',
    "en": '<span class="assumed">Text marked like this</span> was written for you: confirm or correct it before the interview.',
}


def legend(fields: list[str], lang: str) -> str:
    """The legend field: filled only when the note shows an assumption."""
    return LEGEND.get(lang, LEGEND["en"]) if any('class="assumed' in f for f in fields) else ""


CSS = """\
.card {
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "PingFang SC",
    "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif;
  font-size: 19px;
  line-height: 1.6;
  text-align: left;
  color: #1f2328;
  background-color: #ffffff;
  overflow-wrap: anywhere;
}
.card.nightMode, .nightMode .card { color: #e6edf3; background-color: #1d1f21; }
.prep { max-width: 44em; margin: 0 auto; padding: 0 0.6em; }
.prep .q { font-weight: 600; font-size: 1.08em; }
.prep .q p:first-child, .prep .a p:first-child { margin-top: 0; }
.prep .kicker, .prep .label {
  font-size: 0.72em; letter-spacing: 0.06em; text-transform: uppercase; color: #656d76; margin: 1.1em 0 0.2em;
}
.nightMode .prep .kicker, .nightMode .prep .label { color: #9198a1; }
.prep .title { font-size: 1.25em; font-weight: 600; }
.prep .section { margin-top: 0.8em; }
.prep .section p { margin: 0.3em 0; }
.prep hr#answer { border: 0; border-top: 1px solid #d0d7de; margin: 1em 0; }
.nightMode .prep hr#answer { border-top-color: #3d444d; }
.prep ul, .prep ol { padding-left: 1.4em; margin: 0.4em 0; }
.prep .claims li, .prep .followups li { margin: 0.2em 0; }
.prep .claims .id, .prep .source { font-size: 0.78em; color: #656d76; }
.nightMode .prep .claims .id, .nightMode .prep .source { color: #9198a1; }
.prep .followups .notes { font-size: 0.9em; color: #59636e; }
.nightMode .prep .followups .notes { color: #b0b8c1; }
.prep .source { margin-top: 1.2em; }
.prep .gist { font-weight: 600; margin-bottom: 0.8em; padding: 0.4em 0.6em; border-left: 3px solid #0969da; background: rgba(9, 105, 218, 0.06); }
.prep .assumed { background: #fff3bf; border-bottom: 1px dashed #9a6700; }
.nightMode .prep .assumed { background: #4d3800; border-bottom-color: #d29922; }
.prep .legend { margin-top: 1.2em; font-size: 0.78em; color: #656d76; }
.nightMode .prep .legend { color: #9198a1; }
.prep a { color: #0969da; }
.nightMode .prep a { color: #4493f8; }
.prep code {
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  font-size: 0.86em;
  background: rgba(127, 127, 127, 0.15);
  border-radius: 4px;
  padding: 0.1em 0.3em;
}
.prep pre {
  overflow-x: auto;
  padding: 0.7em 0.9em;
  border-radius: 6px;
  line-height: 1.45;
  background: #f6f8fa;
  color: #1f2328;
  -webkit-overflow-scrolling: touch;
}
.prep pre code { background: none; padding: 0; font-size: 0.84em; }
/* Highlighted code carries pygments' light inline colours; inverting the block (and
   turning the hues back) gives a dark block with matching colours in night mode. */
.nightMode .prep pre.highlight { filter: invert(1) hue-rotate(180deg); }
.nightMode .prep pre:not(.highlight) { background: #2d333b; color: #e6edf3; }
.prep img { max-width: 100%; height: auto; }
.prep table { border-collapse: collapse; margin: 0.5em 0; display: block; overflow-x: auto; }
.prep th, .prep td { border: 1px solid #d0d7de; padding: 0.25em 0.6em; }
.nightMode .prep th, .nightMode .prep td { border-color: #3d444d; }
.prep blockquote { margin: 0.5em 0; padding-left: 0.8em; border-left: 3px solid #d0d7de; color: #59636e; }
.nightMode .prep blockquote { border-left-color: #3d444d; color: #b0b8c1; }
@media (max-width: 600px) {
  .card { font-size: 17px; }
  .prep { padding: 0 0.2em; }
  .prep pre { padding: 0.5em 0.6em; }
  .prep pre code { font-size: 0.8em; }
}
"""

QA_FRONT = '<div class="prep"><div class="q">{{Question}}</div></div>'
QA_BACK = """\
<div class="prep">
<div class="q">{{Question}}</div>
<hr id="answer">
{{#Gist}}<div class="gist">{{Gist}}</div>{{/Gist}}
<div class="a">{{Answer}}</div>
{{#Followups}}<div class="section followups"><div class="label">Follow-ups</div>{{Followups}}</div>{{/Followups}}
{{#Claims}}<div class="section claims"><div class="label">Backs these resume lines</div>{{Claims}}</div>{{/Claims}}
{{#Source}}<div class="source">Source: {{Source}}</div>{{/Source}}
{{#Legend}}<div class="legend">{{Legend}}</div>{{/Legend}}
</div>"""

STORY_FRONT = """\
<div class="prep story">
<div class="kicker">STAR story, tell it aloud</div>
<div class="title">{{Title}}</div>
{{#Claims}}<div class="section claims"><div class="label">Backs these resume lines</div>{{Claims}}</div>{{/Claims}}
</div>"""
STORY_BACK = """\
<div class="prep story">
<div class="kicker">STAR story</div>
<div class="title">{{Title}}</div>
<hr id="answer">
<div class="label">Situation</div><div class="section">{{Situation}}</div>
<div class="label">Task</div><div class="section">{{Task}}</div>
<div class="label">Action</div><div class="section">{{Action}}</div>
<div class="label">Result</div><div class="section">{{Result}}</div>
{{#Followups}}<div class="label">Follow-ups</div><div class="section followups">{{Followups}}</div>{{/Followups}}
{{#Lessons}}<div class="label">Lessons</div><div class="section">{{Lessons}}</div>{{/Lessons}}
{{#Claims}}<div class="label">Backs these resume lines</div><div class="section claims">{{Claims}}</div>{{/Claims}}
{{#Legend}}<div class="legend">{{Legend}}</div>{{/Legend}}
</div>"""


def qa_model() -> genanki.Model:
    return genanki.Model(
        QA_MODEL_ID,
        "prep Q&A",
        fields=[{"name": f} for f in QA_FIELDS],
        templates=[{"name": "Q&A", "qfmt": QA_FRONT, "afmt": QA_BACK}],
        css=CSS,
    )


def story_model() -> genanki.Model:
    return genanki.Model(
        STORY_MODEL_ID,
        "prep STAR story",
        fields=[{"name": f} for f in STORY_FIELDS],
        templates=[{"name": "Story", "qfmt": STORY_FRONT, "afmt": STORY_BACK}],
        css=CSS,
    )
