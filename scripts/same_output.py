"""Show that a change leaves communique's output alone: code a corpus, compare with a snapshot.

    python scripts/same_output.py snapshot ../shared/data/bbc before.jsonl
    python scripts/same_output.py snapshot ../shared/data/bbc after.jsonl
    python scripts/same_output.py diff before.jsonl after.jsonl

A snapshot is `communique code DIR --format jsonl` with every version string removed
(``coder_version`` names the code and dictionary versions, which a change may bump on purpose).
`diff` prints the number of articles whose quotes or events differ, and the first few.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any


def _strip_versions(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_versions(v) for k, v in value.items() if k != "coder_version"}
    if isinstance(value, list):
        return [_strip_versions(v) for v in value]
    return value


def snapshot(corpus: str, out: str) -> None:
    """Code every article of ``corpus`` and write one normalised JSON line per article, sorted by source."""
    run = subprocess.run([sys.executable, "-m", "communique", "code", corpus, "--format", "jsonl"],
                         capture_output=True, text=True, check=False)
    rows = []
    for line in run.stdout.splitlines():
        record = _strip_versions(json.loads(line))
        rows.append((record["article"]["source"], json.dumps(record, sort_keys=True)))
    rows.sort()
    Path(out).write_text("".join(r + "\n" for _, r in rows), encoding="utf-8")
    print(f"{len(rows)} articles coded into {out} (exit status {run.returncode})")


def diff(before: str, after: str) -> int:
    """Count articles whose record differs between two snapshots; print the first five."""
    a = Path(before).read_text(encoding="utf-8").splitlines()
    b = Path(after).read_text(encoding="utf-8").splitlines()
    if len(a) != len(b):
        print(f"article counts differ: {len(a)} vs {len(b)}")
    differing = [(x, y) for x, y in zip(a, b) if x != y]
    for x, y in differing[:5]:
        rx, ry = json.loads(x), json.loads(y)
        print(rx["article"]["source"])
        for key in ("quotes", "events"):
            if rx[key] != ry[key]:
                print(f"  {key}: {len(rx[key])} vs {len(ry[key])}")
    print(f"{len(differing)} of {min(len(a), len(b))} articles differ")
    return 1 if differing or len(a) != len(b) else 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "snapshot":
        snapshot(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "diff":
        sys.exit(diff(sys.argv[2], sys.argv[3]))
    else:
        sys.exit(__doc__)
