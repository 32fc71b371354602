"""A knowledge base's identity: `prep.toml` at its root.

Review history is kept per knowledge base, so two KBs never archive, count or draw
each other's items. The history has to follow the KB, not the folder it sits in, so
the identity is an id written once by `prep init` (a folder without a manifest falls
back to an id derived from its path, and `prep init` on it pins one). TOML because the
standard library reads it in a millisecond: every command reads the manifest.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import NamedTuple

from prep.errors import PrepError

MANIFEST = "prep.toml"
KB_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
LANGS = ("zh", "en")


class Manifest(NamedTuple):  # a NamedTuple: every command reads one, and it is cheaper to define
    id: str
    title: str
    lang: str | None  # the KB's default language, or None: the content's own
    pinned: bool  # False: no prep.toml, the id follows the folder's path


def _path_id(root: Path) -> str:
    import hashlib  # here, as uuid in new_id: every command reads the manifest, few need these

    digest = hashlib.sha1(str(root.resolve()).encode()).hexdigest()[:12]
    return f"path-{digest}"


def read_manifest(root: Path) -> Manifest:
    """The KB's manifest; a bad one is an error naming the file and the field."""
    path = root / MANIFEST
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Manifest(_path_id(root), root.resolve().name, None, pinned=False)
    except (OSError, UnicodeDecodeError) as e:
        raise PrepError(f"{path}: cannot be read ({e})", zh=f"{path}：无法读取（{e}）") from None
    except tomllib.TOMLDecodeError as e:
        raise PrepError(f"{path}: not valid TOML ({e})", zh=f"{path}：不是合法的 TOML（{e}）") from None
    unknown = sorted(set(data) - {"id", "title", "lang"})
    if unknown:
        raise PrepError(f"{path}: unknown key '{unknown[0]}' (keys: id, title, lang)", zh=f"{path}：没有键 '{unknown[0]}'（可用：id, title, lang）")
    kb_id = data.get("id")
    if not isinstance(kb_id, str) or not KB_ID.match(kb_id):
        raise PrepError(
            f"{path}: id: must be lowercase letters, digits and '-' (at most 64), e.g. id = \"my-interviews-3f2a9c1d\"",
            zh=f"{path}：id：只能用小写字母、数字和 '-'（最多 64 个），例如 id = \"my-interviews-3f2a9c1d\"",
        )
    title = data.get("title", root.resolve().name)
    if not isinstance(title, str):
        raise PrepError(f"{path}: title: must be a string", zh=f"{path}：title：必须是字符串")
    lang = data.get("lang")
    if lang is not None and lang not in LANGS:
        raise PrepError(
            f"{path}: lang: must be one of {', '.join(LANGS)}, not {lang!r}", zh=f"{path}：lang：必须是 {', '.join(LANGS)} 之一，不能是 {lang!r}"
        )
    return Manifest(kb_id, title, lang, pinned=True)


def new_id(title: str) -> str:
    import uuid

    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40] or "kb"
    return f"{slug}-{uuid.uuid4().hex[:8]}"


def _toml_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_manifest(root: Path, title: str, lang: str | None = None, kb_id: str | None = None) -> Manifest:
    """Pin a KB's identity. Never overwrites: the id is what the history is keyed by."""
    path = root / MANIFEST
    if path.exists():
        raise PrepError(
            f"{path}: already exists; the id in it keys this KB's review history, so it is not replaced",
            zh=f"{path}：已存在；其中的 id 关联着这个知识库的复习记录，所以不替换它",
        )
    kb_id = kb_id or new_id(title)
    lines = [
        "# This knowledge base's identity. prep keeps its review history under this id:",
        "# keep the file in git, and never change the id.",
        f"id = {_toml_string(kb_id)}",
        f"title = {_toml_string(title)}",
    ]
    if lang:
        lines.append(f"lang = {_toml_string(lang)}  # default language of prep's output: zh or en")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Manifest(kb_id, title, lang, pinned=True)
