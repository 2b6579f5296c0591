"""Progress bars for long steps, shown only to a person at a terminal.

Nothing is drawn in a pipe, in CI logs (the `CI` variable is set), or when
`CLUSTERGRAPH_PROGRESS=0`; then `bar` hands back a no-op and costs nothing.
The bar is click's, already a dependency; click is imported only when one is drawn.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


def wanted() -> bool:
    """True when stderr is a terminal, not in CI, and progress is not switched off."""
    if os.environ.get("CI") or os.environ.get("CLUSTERGRAPH_PROGRESS", "1") in ("0", "no", "off"):
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed stream
        return False


def _noop(n: int = 1) -> None:
    pass


@contextmanager
def bar(total: int, label: str, *, min_total: int = 1) -> Iterator[Callable[[int], None]]:
    """Yield `advance(n)`, which moves a bar of `total` steps on; the bar is drawn
    only on a terminal and when `total` reaches `min_total` (short work stays quiet).
    """
    if total < min_total or not wanted():
        yield _noop
        return
    import click

    with click.progressbar(length=total, label=label, file=sys.stderr, show_eta=True) as pb:
        yield pb.update
