"""Process trees on Linux, read from ``/proc``.

Used to find the worker processes a Ray node or a pool started below a
process (to measure their memory or to stop them). Does not use psutil and
does nothing on systems without ``/proc`` (the result is then empty).
"""

from __future__ import annotations

from pathlib import Path


def descendants(root: int) -> list[int]:
    """Process ids below ``root``, children before grandchildren."""
    children: dict[int, list[int]] = {}
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    for entry in proc.iterdir():
        if entry.name.isdigit():
            try:
                # The command name in field 2 may hold spaces or ")", so split after the last ")".
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out: list[int] = []
    stack = [root]
    while stack:
        for child in children.get(stack.pop(), []):
            out.append(child)
            stack.append(child)
    return out
