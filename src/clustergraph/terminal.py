"""Text that is safe to show on a terminal: no character from the data can drive it.

Labels from an RDF file, keys of a YAML file, the body of a server's error page all reach
the person at the terminal. A control character there is a command to the terminal (ESC
sequences set the title, move the cursor, erase lines; CR overwrites a line; bidi overrides
reorder what is read), so every message and every table, CSV and TSV cell is passed through
`safe_text` first: such characters are shown as escapes (`\\x1b`, `\\r`, `\\u202e`), which
a person can read and no terminal acts on.
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls, DEL, C1 controls, and the bidi embeddings, overrides and isolates
# (plus the invisible marks that steer them).
_BEYOND_C0 = "\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x1f{_BEYOND_C0}]")
_UNSAFE_BUT_NEWLINE = re.compile(f"[\x00-\x09\x0b-\x1f{_BEYOND_C0}]")
_UNSAFE_IN_JSON = re.compile(f"[{_BEYOND_C0}]")  # json.dumps escapes C0 itself


def _escape(m: re.Match[str]) -> str:
    return m.group().encode("unicode_escape").decode("ascii")


def safe_text(text: str, *, newlines: bool = False) -> str:
    """`text` with every control and bidi character written as an escape (`ESC` -> `\\x1b`).

    `newlines` keeps LF as a line break (for messages of several lines); otherwise it is
    shown as `\\n` too.
    """
    return (_UNSAFE_BUT_NEWLINE if newlines else _UNSAFE).sub(_escape, text)


def safe_json(text: str) -> str:
    """A JSON text with the controls JSON leaves raw (DEL, C1, bidi) as `\\uXXXX`: the same data."""
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def width(text: str) -> int:
    """Columns `text` takes on a terminal: wide (East Asian) characters take two, combining marks none."""
    if text.isascii():
        return len(text)
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


def truncate(text: str, columns: int) -> str:
    """`text` cut to `columns` terminal columns, ending in an ellipsis when it was cut."""
    if width(text) <= columns:
        return text
    out, used = [], 0
    for ch in text:
        w = width(ch)
        if used + w > columns - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def fit_widths(widths: list[int], total: int, gap: int = 2, floor: int = 8) -> list[int]:
    """Column widths that fit `total` columns with `gap` between them, narrowing the widest first.

    No column is made narrower than `floor` (or its own width); a table that cannot fit even
    then is left wider than the terminal.
    """
    out = list(widths)
    while sum(out) + gap * (len(out) - 1) > total:
        widest = max(range(len(out)), key=lambda i: out[i])
        if out[widest] <= floor:
            break
        out[widest] -= 1
    return out
