"""Renderers: each turns the same list of findings into one output format."""

from __future__ import annotations

from . import github, gitlab, json_, junit, sarif, text

FORMATS = {
    "text": text.render, "json": json_.render, "github": github.render,
    "sarif": sarif.render, "junit": junit.render, "gitlab": gitlab.render,
}
