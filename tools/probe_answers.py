"""Probe a topic's hidden tests with wrong answers the corpus does not hold yet: which get through?

    python tools/probe_answers.py 07_transformer_decoding probes.py

``probes.py`` defines ``PROBES = {exercise: {label: source}}``, written like a corpus's ``WRONG``
(grader_tests/corpus/<assignment>.py). Each answer replaces the reference solution of its exercise
and runs through the fast harness (grader_tests/harness.py: the topic's set-up and reference once,
in one kernel, then for each answer only the cells it can change), so a dozen answers take seconds
after the reference. Each is reported as ``caught`` (the test cell of its exercise fails) or
``GETS THROUGH``, with the other test cells it makes fail; a caught answer that passes the visible
checks (the student's version of the test cell) is marked ``hidden only``. An answer that gets through
is a hole in the hidden tests or a correct answer the text allows: read the text before writing an
edge test, then add the answer to the corpus (``edge:`` label) or to ``CORRECT``. A plain mistake
caught by the hidden tests only needs a visible check with a hint (test_wrong_answers.py asks for
it). Exits with 1 when one gets through.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [path for path in (str(ROOT), str(ROOT / "grader_tests")) if path not in sys.path]

from course.grader import coursedir  # noqa: E402
from devtools import demo  # noqa: E402
from harness import graded_cell_results_many, split_visible, topic  # noqa: E402  (grader_tests/harness.py)


def load_probes(path):
    """{exercise: {label: source}} from the file's ``PROBES``."""
    spec = importlib.util.spec_from_file_location("probes", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.PROBES


def answer_sets(assignment, probes):
    """[(exercise, label, answers)]: the reference with one exercise's solution replaced by the probe."""
    reference = demo.reference_answers(coursedir.notebook_path(ROOT, "source", assignment))
    prefix = topic(assignment)
    cases = []
    for exercise, answers in probes.items():
        grade_id = f"{prefix}-{exercise}-impl"
        if grade_id not in reference:
            raise SystemExit(f"{assignment} has no exercise {exercise!r} (no cell {grade_id})")
        cases += [(exercise, label, {**reference, grade_id: source}) for label, source in answers.items()]
    return cases


def report(assignment, cases, verdicts):
    """(lines, number of answers that got through) for the harness's ``verdicts`` of ``cases``
    (with the visible checks' verdicts, `split_visible`, where they ran)."""
    prefix = topic(assignment)
    lines, through = [], 0
    for (exercise, label, _), both in zip(cases, verdicts):
        verdict, visible = split_visible(both)
        own = f"{prefix}-{exercise}-test"
        others = sorted(cell for cell, passed in verdict.items() if not passed and cell != own)
        through += verdict[own]
        caught = "caught (hidden only)" if visible.get(own) else "caught"
        line = f"{'GETS THROUGH' if verdict[own] else caught:<20}  {exercise}: {label}"
        lines.append(line + (f"  (also fails: {', '.join(others)})" if others else ""))
    return lines, through


def main(argv):
    if len(argv) != 2:
        raise SystemExit(__doc__)
    assignment, path = argv
    cases = answer_sets(assignment, load_probes(path))
    verdicts = graded_cell_results_many(assignment, [answers for _, _, answers in cases], visible=True)
    lines, through = report(assignment, cases, verdicts)
    print("\n".join(lines))
    print(f"{through} of {len(cases)} answers got through the hidden tests of {assignment}")
    return 1 if through else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
