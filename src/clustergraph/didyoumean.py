"""Did-you-mean over many choices in bounded time: an index of near spellings.

`errors.did_you_mean` compares a word with every choice (difflib), which is right for a
closed set of a few dozen values but quadratic when thousands of references dangle into
thousands of ids (2,000 of them took 82 s). `Suggester` indexes the choices once by every
spelling one character shorter (a "symmetric delete" index), so a word is compared only
with the choices one or two edits away; small sets keep the plain comparison, so their
hints do not change.
"""

from __future__ import annotations

from collections.abc import Iterable

from .errors import did_you_mean

SMALL = 300
"""Up to this many choices, every choice is compared (the hints `did_you_mean` gives)."""


def _shorter(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class Suggester:
    """`hint(word)`: 'did you mean …?' naming the closest of `choices`, or ''.

    Building costs O(total length of the choices); each hint costs O(len(word)) look-ups
    plus a comparison with the few choices found, so N dangling references cost O(N).
    """

    def __init__(self, choices: Iterable[str]) -> None:
        self.choices = list(dict.fromkeys(choices))
        self._index: dict[str, list[str]] | None = None
        if len(self.choices) > SMALL:
            index: dict[str, list[str]] = {}
            for choice in self.choices:
                for key in {choice, *_shorter(choice)}:
                    index.setdefault(key, []).append(choice)
            self._index = index
        self._memo: dict[str, str] = {}

    def hint(self, word: str) -> str:
        if word in self._memo:
            return self._memo[word]
        if self._index is None:
            found = did_you_mean(word, self.choices)
        else:
            near: dict[str, None] = {}
            for key in {word, *_shorter(word)}:
                near.update(dict.fromkeys(self._index.get(key, ())))
            found = did_you_mean(word, near) if near else ""
        self._memo[word] = found
        return found
