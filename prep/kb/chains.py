"""Follow-up chains must end: the one cycle finder, for the full check and the incremental one.

The loader walks every card's follow-ups; the incremental sync walks a smaller graph of
the edited cards (an edge wherever a chain leads from one to another through cards of
other files). Both need the same depth-first walk, so it lives here once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator


def cycles(nodes: Iterable[str], after: Callable[[str], Iterable[str]]) -> Iterator[tuple[str, list[str]]]:
    """(node, cycle) for each cycle of the graph whose edges are `after(node)`, once each,
    at the node whose edge closes it; `cycle` runs from its first node back to it.
    Edges to nodes outside `nodes` are ignored (a broken link is another check's error)."""
    order = list(nodes)  # walked in the caller's order, so errors come in file order
    known = set(order)
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for start in order:
        if state.get(start):
            continue
        stack = [(start, iter(after(start)))]
        path = [start]
        state[start] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                stack.pop()
                path.pop()
                state[node] = 2
            elif nxt not in known:
                continue
            elif state.get(nxt) == 1:
                yield node, [*path[path.index(nxt) :], nxt]
            elif not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append((nxt, iter(after(nxt))))
