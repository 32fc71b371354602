"""Skills the resume lists, and whether anything in the knowledge base lets you study them.

A resume's "Skills:" line ("Go, Kafka, Terraform") invites "tell me about Terraform". A
skill is covered when a live card is tagged with it, a claim lists it in `tech`, or a
card's question or answer names it; a project's `stack` counts as listed skills too.
"""

from __future__ import annotations

import re

from prep.index.conn import Database
from prep.index.skills import listed, norm


def coverage(db: Database) -> dict:
    """{'listed': n, 'covered': n, 'uncovered': [names]}."""
    names = listed(db)
    known = {
        norm(t)
        for (t,) in db.execute(
            """SELECT j.value FROM cards, json_each(cards.tags) j WHERE cards.archived = 0
           UNION SELECT j.value FROM claims, json_each(claims.tech) j WHERE claims.archived = 0"""
        )
    }
    texts = [(q or "") + "\n" + (a or "") for q, a in db.execute("SELECT q, a FROM cards WHERE archived = 0")]
    uncovered = []
    for name in names:
        if norm(name) in known:
            continue
        word = re.compile(rf"(?<![A-Za-z0-9]){re.escape(name)}(?![A-Za-z0-9])", re.I)
        if not any(word.search(t) for t in texts):
            uncovered.append(name)
    return {"listed": len(names), "covered": len(names) - len(uncovered), "uncovered": uncovered}
