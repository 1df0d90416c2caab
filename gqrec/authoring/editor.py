"""Schemas for editors, so a coordinator's editor completes field names and underlines mistakes as they type.

Editors' YAML support (VS Code's YAML extension, yaml-language-server) reads JSON Schema draft-07, where
keywords beside a `$ref` are ignored; the copy written here says draft-07 and wraps such a `$ref` in
`allOf`, so each field keeps its own French title and description on hover while validating the same.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..fsio import make_folder, write_atomic
from ..kinds import YAML_KINDS
from ..layout import path_of
from ..schemas import schema_files

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
EDITOR_KINDS = YAML_KINDS  # the kinds an editor completes: every YAML one (feedback is CSV)


def editor_schema(schema: Any) -> Any:
    """The same schema for a draft-07 reader: a `$ref` with siblings becomes `allOf: [{$ref}]` + siblings."""
    if isinstance(schema, list):
        return [editor_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: editor_schema(value) for key, value in schema.items()}
    if "$schema" in out:
        out["$schema"] = DRAFT_07
    if "$ref" in out and len(out) > 1:
        ref = out.pop("$ref")
        out["allOf"] = [{"$ref": ref}, *out.get("allOf", [])]
    return out


def export_schemas(dest: Path) -> list[Path]:
    """Write the editor copy of every schema into dest (created if needed); return the files written."""
    make_folder(dest)
    written = []
    for source in schema_files():
        target = dest / source.name
        schema = editor_schema(json.loads(source.read_text("utf-8")))
        write_atomic(target, json.dumps(schema, ensure_ascii=False, indent=2) + "\n")
        written.append(target)
    return written


def schema_globs(records_prefix: str) -> dict[str, str]:
    """Each YAML kind's file glob (from the layout), as seen from the repository root."""
    prefix = records_prefix.strip("/")
    prefix = f"/{prefix}/" if prefix else "/"
    return {kind: prefix + path_of(kind, "*", "*", "*", "*") for kind in EDITOR_KINDS}


def vscode_settings(records_prefix: str, schema_dir: str) -> dict:
    """`.vscode/settings.json`: each layout glob mapped to its schema (VS Code's YAML extension)."""
    schemas = {
        f"{schema_dir.rstrip('/')}/{kind}.schema.json": [glob]
        for kind, glob in schema_globs(records_prefix).items()
    }
    return {
        "yaml.schemas": schemas,
        "yaml.yamlVersion": "1.2",
        "[yaml]": {"editor.tabSize": 2, "editor.insertSpaces": True},
        "files.encoding": "utf8",
    }


VSCODE_EXTENSIONS = {"recommendations": ["redhat.vscode-yaml"]}
