"""Progress bars for long steps, shown only to a person at a terminal.

Nothing is drawn in a pipe, in CI logs (the `CI` variable is set), or when
`CLUSTERGRAPH_PROGRESS=0`; then `bar` hands back a no-op and costs nothing.
The bar is click's, already a dependency; click is imported only when one is drawn.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

# Networks from this many nodes on take seconds per analysis: those show their stages.
ANALYSIS_FROM_NODES = 5_000


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


@contextmanager
def stages(label: str, names: Sequence[str], *, show: bool = True) -> Iterator[Callable[[str], None]]:
    """Yield `stage(name)`, called as each of `names` starts: a bar of those steps
    whose line says which one is running (an analysis is a few long calls, not many
    short ones). Drawn only when `show` and on a terminal (see `wanted`).
    """
    if not show or not names or not wanted():
        yield _noop_stage
        return
    import click

    # Steps of unequal length: the count of steps done, not a percentage or an ETA.
    with click.progressbar(
        length=len(names),
        label=label,
        file=sys.stderr,
        show_eta=False,
        show_percent=False,
        show_pos=True,
        item_show_func=lambda item: item,
    ) as pb:
        started = [False]

        def stage(name: str) -> None:
            if started[0]:
                pb.update(1, current_item=name)
            else:  # the first stage starts at step 0, which update() would not draw
                pb.current_item = name
                pb.render_progress()
            started[0] = True

        yield stage
        pb.update(1, current_item="done")


def _noop_stage(name: str) -> None:
    pass
