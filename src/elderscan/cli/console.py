"""Where the commands print: results to standard output, progress and errors to standard error
(so `elderscan scan … > summary.txt` keeps the errors on the screen)."""

from __future__ import annotations

from rich.console import Console

err = Console(stderr=True)
out = Console()


def line(text: str) -> None:
    """One line on stderr as it is: no Rich markup or highlighting, long lines not folded."""
    err.print(text, markup=False, highlight=False, soft_wrap=True)
