"""Git worktrees of other revisions, for the benchmarks that compare two of them in one run
(`bench pair`, `bench suite`)."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def checkout(rev: str, into: Path, *, repo: Path = ROOT, mode: str = "pair") -> str:
    """Check `rev` out into a detached worktree at `into`; returns its full commit id."""
    commit = subprocess.run(["git", "-C", str(repo), "rev-parse", "--verify", f"{rev}^{{commit}}"],
                            capture_output=True, text=True)
    if commit.returncode != 0:
        raise SystemExit(f"bench {mode}: no such revision {rev!r} in {repo}")
    subprocess.run(["git", "-C", str(repo), "worktree", "add", "--detach", "--quiet", str(into),
                    commit.stdout.strip()], check=True)
    return commit.stdout.strip()


def remove(tree: Path, *, repo: Path = ROOT) -> None:
    """Remove the worktree and what was made in it (a virtualenv, caches)."""
    subprocess.run(["git", "-C", str(repo), "worktree", "remove", "--force", str(tree)],
                   capture_output=True)
