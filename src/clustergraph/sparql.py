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
from .errors import DataError, DataErrors, Loc, UsageError
from .namedquery import normalize_newlines

if TYPE_CHECKING:
    from .namedquery import NamedQuery

# The terminals of the SPARQL 1.1 grammar (section 19.8), written out exactly, so keywords are
# told from the same letters inside strings, IRIs, comments, prefixed names and variables the way
# the engines tell them. A token never swallows more than the grammar's terminal does: where the
# text matches no terminal, one character is taken and scanning goes on, so a keyword can only be
# seen more often than an engine sees it, never less.
_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_PN_PREFIX = f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PN_LOCAL = f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"
_VARNAME = f"[{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"
_ECHAR = r"\\[tbnrf\\\"']"
_SQ, _DQ = "'", '"'
_STRING = "|".join(
    (
        f"{_SQ * 3}(?:(?:{_SQ}|{_SQ * 2})?(?:[^{_SQ}\\\\]|{_ECHAR}))*{_SQ * 3}",
        f"{_DQ * 3}(?:(?:{_DQ}|{_DQ * 2})?(?:[^{_DQ}\\\\]|{_ECHAR}))*{_DQ * 3}",
        f"{_SQ}(?:[^{_SQ}\\\\\\n\\r]|{_ECHAR})*{_SQ}",
        f"{_DQ}(?:[^{_DQ}\\\\\\n\\r]|{_ECHAR})*{_DQ}",
    )
)
_TOKEN = re.compile(
    "|".join(
        (
            r"(?P<comment>\#[^\r\n]*)",
            f"(?P<string>{_STRING})",
            r"(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)",
            f"(?P<var>[?$]{_VARNAME})",
            f"(?P<bnode>_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)",
            r"(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)",
            f"(?P<pname>(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?)",
            r"(?P<word>[A-Za-z_][A-Za-z0-9_]*)",
            r"(?P<brace>[{}])",
            r"(?P<other>\S)",
        )
    ),
    re.DOTALL,
)
_UPDATE_WORDS = ("INSERT", "DELETE", "DROP", "CLEAR", "CREATE", "COPY", "MOVE", "ADD", "WITH", "LOAD")
_LOCAL_ONLY = ("SERVICE", "FROM")
# A keyword glued to the word before it is still a keyword to a PEG parser such as Oxigraph's
# (`?s ?p trueSERVICE <…> {…}` is `true`, then SERVICE), so a refused word is looked for inside
# every bare word; no SPARQL keyword or function name holds one of them.
_REFUSED = re.compile("|".join(_UPDATE_WORDS + _LOCAL_ONLY), re.IGNORECASE)
# rdflib (and Jena) expand \uXXXX and \UXXXXXXXX everywhere before parsing, as SPARQL 1.1 says
# (19.2); Oxigraph only inside strings and IRIs. The check reads the text both ways.
_CODEPOINT = re.compile(r"\\u([0-9a-f]{4}(?:[0-9a-f]{4})?)", re.IGNORECASE)
_FORMS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}
MAX_DEPTH = 200
"""Deepest nesting of `{ ( [` (or longest run of prefix operators) a query may have.

Oxigraph's recursive parser overflows the stack (SIGSEGV) at a few thousand levels of groups,
parentheses or `!`; real queries stay under 20. Checked before any parser sees the text."""


def tokens(text: str) -> Iterator[tuple[str, str, int]]:
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind != "comment":
            yield kind, m.group(), m.start()


def _expanded(text: str) -> str:
    def expand(m: re.Match[str]) -> str:
        code = int(m.group(1), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"

    return _CODEPOINT.sub(expand, text)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def check_depth(text: str, path: str = "-e") -> None:
    """Refuse a query nested deeper than MAX_DEPTH: a DataErrors at the place (exit 1)."""
    depth = run = 0
    for kind, tok, pos in tokens(text):
        if kind in ("brace", "other") and tok in "{([})]":
            depth += 1 if tok in "{([" else -1
        run = run + 1 if tok in ("!", "^", "-", "+") else 0
        if depth > MAX_DEPTH or run > MAX_DEPTH:
            line, col = _line_col(text, pos)
            message = f"the query is nested more than {MAX_DEPTH} levels deep"
            raise DataErrors([DataError(Loc(path, line, col), message, "flatten it")])


def check_read_only(q: NamedQuery, local: bool = True) -> None:
    """Refuse updates everywhere, and SERVICE and FROM on a local engine (a usage error, exit 2);
    refuse a query nested deeper than MAX_DEPTH (exit 1). Runs before any parser sees the text.

    The text is read as the grammar says (`tokens`), after `normalize_newlines` (the engines
    are given the same text), and once more with codepoint escapes expanded, as rdflib reads
    it. FROM and FROM NAMED name the dataset to query; rdflib's engine answers them by
    downloading each IRI, and the local graph holds only its default graph anyway. rdflib's
    parsed algebra is checked once more before it is evaluated (`check_algebra`).
    """
    text = normalize_newlines(q.text)
    check_depth(text, q.path)
    seen = [text]
    if _CODEPOINT.search(text):
        seen.append(_expanded(text))
        check_depth(seen[1], q.path)
    for version, text in enumerate(seen):
        for kind, tok, pos in tokens(text):
            if kind != "word":
                continue
            for m in _REFUSED.finditer(tok):
                word = m.group().upper()
                if word in _LOCAL_ONLY and not local:
                    continue
                line, col = _line_col(text, pos + m.start())
                _refuse(word, f"{q.path}:{line}:{col}", " (written with \\u escapes)" if version else "")


def _refuse(word: str, where: str, spelled: str = "") -> None:
    if word == "SERVICE":
        raise UsageError(
            f"{where}: SERVICE{spelled} is refused on the local engine (it would fetch data over the "
            "network); query the remote endpoint itself with --endpoint"
        )
    if word == "FROM":
        raise UsageError(
            f"{where}: FROM{spelled} is refused on the local engine (rdflib would download the graph; "
            "the local graph is the default graph): leave FROM out, or query a server with --endpoint"
        )
    raise UsageError(
        f"{where}: {word}{spelled} is a SPARQL update; `clustergraph query` only reads the graph"
    )


def check_algebra(q: NamedQuery, algebra: object) -> None:
    """The second wall, for rdflib: refuse a SERVICE or a dataset clause anywhere in its algebra.

    This is rdflib's own reading of the query, so it cannot disagree with rdflib's evaluation;
    it runs after `prepareQuery` and before anything is evaluated or any binding is sent.
    """
    stack, seen = [algebra], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if getattr(node, "name", None) == "ServiceGraphPattern":
            _refuse("SERVICE", q.path)
        if isinstance(node, dict):
            if dict.get(node, "datasetClause"):  # CompValue.get answers the key itself when absent
                _refuse("FROM", q.path)
            stack.extend(node.values())
        elif isinstance(node, list | tuple):
            stack.extend(node)


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
    text = _long_construct(q.text)
    at = _where_brace(text)
    if at is None:
        raise UsageError(f"{q.path}: cannot find the WHERE group to bind the parameters in")
    return text[:at] + " " + values_block([bound]) + " " + text[at:]


def _long_construct(text: str) -> str:
    """`CONSTRUCT WHERE { T }` written as `CONSTRUCT { T } WHERE { T }`, which may hold a VALUES block.

    The short form allows only triples in its group; everything else is returned as it is.
    """
    toks = list(tokens(text))
    for i, (kind, tok, _) in enumerate(toks[:-2]):
        if kind != "word" or tok.upper() != "CONSTRUCT":
            continue
        nxt, brace = toks[i + 1], toks[i + 2]
        if nxt[0] != "word" or nxt[1].upper() != "WHERE" or brace[1] != "{":
            return text
        depth = 0
        for kind2, tok2, pos2 in toks[i + 2 :]:
            if kind2 == "brace":
                depth += 1 if tok2 == "{" else -1
                if depth == 0:
                    template = text[brace[2] : pos2 + 1]
                    return text[: nxt[2]] + template + " " + text[nxt[2] :]
        return text
    return text


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
