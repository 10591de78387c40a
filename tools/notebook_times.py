"""Measure how long running all cells of each instructor notebook takes, as a student's run would.

    .venv/bin/python tools/notebook_times.py [ASSIGNMENT ...]      # default: every notebook

Each notebook runs top to bottom in the Colab-like kernel (``devtools/colabenv.py``: Colab's
package versions) on one thread (``OMP_NUM_THREADS=1``), alone on the machine; its time is the sum of
its cells' execution times (kernel start-up not included), recorded with a fingerprint of its code
cells in ``docs/notebook-times.json``. Then ``python -m course release`` writes the sentence into
every introduction (``course/grader/runtime.py``). Run it with nothing else running.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import nbformat  # noqa: E402
from course.grader.client import NotebookClient  # noqa: E402

from course.grader import coursedir, runtime  # noqa: E402
from devtools import colabenv  # noqa: E402


def cell_seconds(cell):
    """A cell's execution time from nbclient's timing metadata."""
    timing = cell.metadata.get("execution", {})
    start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not (start and end):
        return 0.0
    parse = datetime.datetime.fromisoformat
    return (parse(end.replace("Z", "+00:00")) - parse(start.replace("Z", "+00:00"))).total_seconds()


def measure(name):
    path = coursedir.notebook_path(ROOT, "source", name)
    notebook = nbformat.read(str(path), as_version=4)
    fingerprint = runtime.code_fingerprint(notebook)
    NotebookClient(notebook, kernel_name=colabenv.KERNEL_NAME, timeout=1200, record_timing=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = sum(cell_seconds(cell) for cell in notebook.cells if cell.cell_type == "code")
    return {"seconds": round(seconds, 1), "code": fingerprint}


def machine():
    cores = os.cpu_count()
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor() or "a CPU") \
        if Path("/proc/cpuinfo").is_file() else platform.processor()
    return f"a {cores}-core {model} machine"


def main(names):
    for variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[variable] = "1"  # the kernel inherits it: one thread, as on a busy laptop
    os.environ["JUPYTER_PATH"] = colabenv.jupyter_path(colabenv.ensure(ROOT))
    times = runtime.load(ROOT)
    times.update({"machine": machine(), "python": platform.python_version(),
                  "command": "python tools/notebook_times.py", "kernel": "colab-like (colab-versions.txt), one thread"})
    for name in names or coursedir.assignments(ROOT):
        times["notebooks"][name] = {**measure(name), "measured": datetime.date.today().isoformat()}
        print(f"{name}: {times['notebooks'][name]['seconds']} s", flush=True)
    times["notebooks"] = dict(sorted(times["notebooks"].items()))
    (ROOT / runtime.TIMES_FILE).write_text(json.dumps(times, indent=1) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
