"""Text from records shown to a terminal, a CI log or a Markdown page: control characters escaped,
markup made inert, never raw."""

from __future__ import annotations

import re
import unicodedata

# Control (Cc), format (Cf: bidi overrides, zero-width…), surrogate (Cs: undecodable bytes of a file
# name), private use (Co) and line/paragraph separators (Zl, Zp): none may reach a terminal raw.
_ESCAPED_CATEGORIES = frozenset(("Cc", "Cf", "Cs", "Co", "Zl", "Zp"))


def _noncharacter(code: int) -> bool:
    """U+FFFE, U+FFFF (and their copies in every plane), U+FDD0–U+FDEF: never text, and U+FFFE/U+FFFF
    are not allowed in XML (a JUnit or SARIF file holding one is invalid)."""
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def printable(text: str) -> str:
    """Replace control and format characters (ANSI escapes, bidi overrides…) by visible escapes.

    `\\x1b` for an ASCII or Latin-1 control, `\\u202e` for the others, `\\t` for a tab. Idempotent: an
    escaped text contains no character left to escape.
    """
    if text.isprintable():  # the common case, no copy (isprintable() is False for tabs, newlines…)
        return text
    out = []
    for char in text:
        if char == "\t":
            out.append("\\t")
        elif unicodedata.category(char) in _ESCAPED_CATEGORIES or _noncharacter(ord(char)):
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(char)
    return "".join(out)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def markdown_text(text: str) -> str:
    """Record text made inert in Markdown, for every Markdown renderer (bilan, feedback profiles…): on
    one line, printable, with no markup, no raw HTML (`</title><script>`, `<img onerror>`) and no table
    break (`|`)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", printable(" ".join(str(text).split())))
