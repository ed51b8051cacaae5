"""Run every benchmark module (bench/bench_*.py) and print one JSON object.

Each module exposes `run() -> dict` returning JSON-serialisable numbers, with its baseline
measured in the same run where a comparison is asked for. Speed is measured here, never
asserted in tests. Usage: `python bench/run.py [name ...]` (names without the bench_ prefix).
"""

from __future__ import annotations

import importlib.util
import json
import platform
import sys
import time
import traceback
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def discover(selected: list[str]) -> list[Path]:
    modules = sorted(HERE.glob("bench_*.py"))
    if selected:
        modules = [m for m in modules if m.stem.removeprefix("bench_") in selected]
    return modules


def run_module(path: Path) -> dict[str, Any]:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    if spec is None or spec.loader is None:
        return {"error": f"cannot load {path.name}"}
    module = importlib.util.module_from_spec(spec)
    # Registered before running: dataclasses and pickling look modules up by name.
    sys.modules[spec.name] = module
    started = time.perf_counter()
    try:
        spec.loader.exec_module(module)
        result: dict[str, Any] = module.run()
    except Exception:  # one broken benchmark must not hide the others' numbers
        return {"error": traceback.format_exc(limit=3)}
    result["wall_seconds"] = round(time.perf_counter() - started, 3)
    return result


def main(argv: list[str]) -> int:
    results = {p.stem.removeprefix("bench_"): run_module(p) for p in discover(argv)}
    print(json.dumps({
        "machine": {"python": platform.python_version(), "cpu": platform.machine()},
        "results": results,
    }, indent=2))  # fmt: skip
    return 1 if any("error" in r for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
