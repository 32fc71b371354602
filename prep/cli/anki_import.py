"""`prep import anki`: reviews made in Anki come home to the review log."""

from __future__ import annotations

from pathlib import Path

import click

from prep.cli.base import Ctx, emit_json
from prep.kb.vocab import count, say

WORDS: dict[str, dict[str, str]] = {
    "imported": {
        "zh": "{path}：从 Anki 导入 {added} 次新复习（{already} 次以前已导入），涉及 {items} 项；跳过了不属于本知识库的 {foreign_notes} 条笔记的 {foreign_reviews} 次复习",
        "en": "{path}: {new_reviews} from Anki ({already} already imported) on {item_count}; "
        "skipped {foreign_review_count} of {foreign_note_count} not from this knowledge base",
    },
    "reschedules": {"zh": "和 {n} 条重新排期记录", "en": " and {n} reschedule entries"},
    "end": {"zh": "。", "en": "."},
}


@click.group(name="import")
def import_():
    """Import review history from other tools (Anki)."""


@import_.command(name="anki")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the counts as a JSON object.")
@click.pass_obj
def import_anki(obj: Ctx, path, as_json):
    """Import the reviews of prep's cards from an Anki collection (Anki closed), a .colpkg,
    or an .apkg exported with scheduling. Importing the same file again adds nothing.

    Example: prep import anki ~/.local/share/Anki2/User\\ 1/collection.anki2
    """
    from prep.export.anki_import import import_reviews

    db, _ = obj.synced()
    result = import_reviews(db, Path(path))
    if as_json:
        emit_json(
            {
                "path": str(result.path),
                "reviews_in_file": result.reviews_in_file,
                "added": result.added,
                "already": result.already,
                "items": result.items,
                "foreign_notes": result.foreign_notes,
                "foreign_reviews": result.foreign_reviews,
                "not_answers": result.not_answers,
            }
        )
        return
    lang = obj.lang
    counts = {k: getattr(result, k) for k in ("added", "already", "items", "foreign_notes", "foreign_reviews")}
    counts |= {
        "new_reviews": count(result.added, "new review"),
        "item_count": count(result.items, "item"),
        "foreign_review_count": count(result.foreign_reviews, "review"),
        "foreign_note_count": count(result.foreign_notes, "note"),
    }
    more = say(WORDS, "reschedules", lang, n=result.not_answers) if result.not_answers else ""
    click.echo(say(WORDS, "imported", lang, path=path, **counts) + more + say(WORDS, "end", lang))
