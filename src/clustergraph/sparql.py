"""The text of a SPARQL query: a small tokenizer, the read-only policy, parameter binding, prefixes.

Everything here reads or rewrites query text without an engine: which form a
query has, whether it would update or reach the network, where its WHERE group
opens (to bind parameters there as a VALUES block of serialised terms), and
which of our prefixes it leaves undeclared (added before it goes to a server).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

import pyoxigraph as ox

from . import vocab
from .errors import UsageError

if TYPE_CHECKING:
    from .namedquery import NamedQuery

# Enough of SPARQL's lexer to tell keywords from the same letters inside strings,
# IRIs, comments, prefixed names and variables.
_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
    |(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
    |(?P<iri><[^<>"{}|^`\\\s]*>)
    |(?P<var>[?$][A-Za-z0-9_]+)
    |(?P<lang>@[A-Za-z][A-Za-z0-9-]*)
    |(?P<pname>(?:[A-Za-z_][\w.-]*)?:[^\s{}()<>,;"'\[\]=!|&*/+^]*)
    |(?P<word>[A-Za-z_]\w*)
    |(?P<brace>[{}])
    |(?P<other>\S)""",
    re.VERBOSE | re.DOTALL,
)
_UPDATE_WORDS = {"INSERT", "DELETE", "DROP", "CLEAR", "CREATE", "COPY", "MOVE", "ADD", "WITH", "LOAD"}
_FORMS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}


def tokens(text: str) -> Iterator[tuple[str, str, int]]:
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind != "comment":
            yield kind, m.group(), m.start()


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def check_read_only(q: NamedQuery, local: bool = True) -> None:
    """Refuse updates everywhere, and SERVICE, LOAD and FROM on a local engine (a usage error, exit 2).

    FROM and FROM NAMED name the dataset to query; rdflib's engine answers them by
    downloading each IRI, and the local graph holds only its default graph anyway.
    """
    for kind, tok, pos in tokens(q.text):
        word = tok.upper()
        if kind != "word" or (word not in _UPDATE_WORDS and word not in ("SERVICE", "FROM")):
            continue
        line, col = _line_col(q.text, pos)
        where = f"{q.path}:{line}:{col}"
        if word == "SERVICE" and local:
            raise UsageError(
                f"{where}: SERVICE is refused on the local engine (it would fetch data over the network); "
                "query the remote endpoint itself with --endpoint"
            )
        if word == "FROM" and local:
            raise UsageError(
                f"{where}: FROM is refused on the local engine (rdflib would download the graph; the local "
                "graph is the default graph): leave FROM out, or query a server with --endpoint"
            )
        if word in _UPDATE_WORDS:
            raise UsageError(f"{where}: {word} is a SPARQL update; `clustergraph query` only reads the graph")


def query_form(text: str) -> str:
    """'select', 'ask' or 'graph' (CONSTRUCT / DESCRIBE), from the first query keyword."""
    for kind, tok, _ in tokens(text):
        if kind == "word" and tok.upper() in _FORMS:
            return _FORMS[tok.upper()]
    return "select"


def _where_brace(text: str) -> int | None:
    """Offset just after the `{` that opens the outermost WHERE group."""
    depth = 0
    seen_where = False
    form = None
    for kind, tok, pos in tokens(text):
        if kind == "word" and depth == 0:
            word = tok.upper()
            form = form or _FORMS.get(word)
            seen_where = seen_where or word == "WHERE"
        elif kind == "brace":
            if tok == "{":
                if depth == 0 and (seen_where or form in ("select", "ask")):
                    return pos + 1
                depth += 1
            else:
                depth -= 1
    return None


# ---------------------------------------------------------------- binding and prefixes


def values_block(bindings: Sequence[Mapping[str, ox.NamedNode | ox.Literal]]) -> str:
    """A SPARQL VALUES block of serialised terms (pyoxigraph escapes them as N-Triples does)."""
    names = list(bindings[0]) if bindings else []
    head = " ".join("?" + n for n in names)
    rows = " ".join("(" + " ".join(str(b[n]) for n in names) + ")" for b in bindings)
    return f"VALUES ({head}) {{ {rows} }}"


def with_values(q: NamedQuery, bound: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """The query text with the parameters as a VALUES block opening its WHERE group.

    A VALUES block at the start of the group joins before anything else is
    evaluated, so it means what binding the variable beforehand means, for
    variables the SELECT does not project too. The values are serialised terms,
    never the user's text.
    """
    if not bound:
        return q.text
    at = _where_brace(q.text)
    if at is None:
        raise UsageError(f"{q.path}: cannot find the WHERE group to bind the parameters in")
    return q.text[:at] + " " + values_block([bound]) + " " + q.text[at:]


def with_prefixes(text: str, base: str = vocab.DEFAULT_BASE) -> str:
    """The query text with our standard prefixes declared where it does not declare them itself."""
    toks = list(tokens(text))
    declared = {
        tok[:-1]
        for (k1, w, _), (k, tok, _) in itertools.pairwise(toks)
        if k1 == "word" and w.upper() == "PREFIX" and k == "pname"
    }
    missing = " ".join(f"PREFIX {p}: <{ns}>" for p, ns in vocab.prefixes(base).items() if p not in declared)
    # Added on the first line, so line numbers in the endpoint's messages stay right.
    return (missing + " " if missing else "") + text
