"""The resume's skills line: listed in resume.yaml, checked by the audit, drawn by a slot."""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner
from conftest import write

from prep.cli import cli
from prep.index.db import open_db
from prep.index.skills import listed
from prep.index.sync import sync
from prep.mock.draw import DrawOptions, draw
from prep.mock.profiles import Profile

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def skills_kb(root):
    write(
        root,
        "stories/resume.yaml",
        """
        skills: [Terraform, Kafka Streams, Airflow]   # the resume's "Skills:" line
        projects:
          - id: nw
            company: Northwind
            stack: [Python, dbt]
            claims:
              - id: nw.cdc
                text: Built a CDC pipeline
                tech: [dbt]
        """,
    )
    write(
        root,
        "decks/data.yaml",
        """
        name: Data
        cards:
          - id: d.streams
            q: How does a Kafka Streams join work?
            a: A join of two co-partitioned topics.
            tags: [kafka-streams]
            claims: [nw.cdc]
          - id: d.python
            q: What is the GIL?
            a: A lock in CPython.
            tags: [python]
          - id: d.other
            q: What is a DAG?
            a: Mentions Airflow by name.
        """,
    )
    return root


def test_the_audit_names_listed_skills_with_nothing_to_study(tmp_path):
    root = skills_kb(tmp_path / "kb")
    result = CliRunner().invoke(cli, ["--kb", str(root), "audit"])
    assert "Skills: 4 of 5 skills on the resume have cards or claims; nothing to study for: Terraform" in result.output
    data = json.loads(CliRunner().invoke(cli, ["--kb", str(root), "audit", "--json"]).stdout)
    assert data["summary"]["skills"] == {"listed": 5, "covered": 4, "uncovered": ["Terraform"]}


def test_a_skills_slot_draws_only_cards_of_listed_skills(tmp_path):
    root = skills_kb(tmp_path / "kb")
    db = open_db(tmp_path / "t.db")
    sync(db, root, now=NOW)
    assert listed(db) == ["Terraform", "Kafka Streams", "Airflow", "Python", "dbt"]
    profile = Profile.model_validate({"title": "Skills", "slots": [{"kind": "card", "count": 3, "skills": True}]})
    drawn = {q.item_id for seed in range(5) for q in draw(db, profile, DrawOptions(name="skills", seed=seed), now=NOW).questions}
    assert drawn == {"d.streams", "d.python"}
