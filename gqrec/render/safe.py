"""Text from records shown to a terminal or a CI log: control characters escaped, never raw."""

from __future__ import annotations

import unicodedata


def printable(text: str) -> str:
    """Replace control and format characters (ANSI escapes, bidi overrides…) by visible escapes."""
    out = []
    for char in text:
        if char == "\t":
            out.append("\\t")
        elif unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co") :
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)
