"""Every plausible wrong answer loses exactly the points of its own exercise, and no others."""

from concurrent.futures import ProcessPoolExecutor

import pytest

from course.grader import coursedir, demo
from harness import ROOT, run_batch, topic, wrong_answers

ASSIGNMENTS = [a for a in coursedir.assignments(ROOT) if (ROOT / "grader_tests" / "corpus" / f"{a}.py").is_file()]
CASES = [(assignment, exercise, label, source)
         for assignment in ASSIGNMENTS
         for exercise, answers in wrong_answers(assignment).items()
         for label, source in answers.items()]


def _answers(assignment, replaced=None):
    answers = demo.reference_answers(coursedir.notebook_path(ROOT, "source", assignment))
    answers.update(replaced or {})
    return answers


@pytest.fixture(scope="session")
def outcomes():
    """The reference and every wrong answer of the corpus, in two worker kernels per assignment."""
    keys, jobs = [], []
    for assignment in ASSIGNMENTS:
        cases = [(("reference", assignment), _answers(assignment))]
        cases += [((a, exercise, label), _answers(a, {f"{topic(a)}-{exercise}-impl": source}))
                  for a, exercise, label, source in CASES if a == assignment]
        for half in (cases[0::2], cases[1::2]):
            keys.append([key for key, _ in half])
            jobs.append((assignment, [answers for _, answers in half]))
    with ProcessPoolExecutor(max_workers=2) as pool:
        verdicts = list(pool.map(run_batch, jobs))
    return {key: verdict for batch_keys, batch in zip(keys, verdicts) for key, verdict in zip(batch_keys, batch)}


def test_corpus_covers_every_exercise_twice():
    for assignment in ASSIGNMENTS:
        exercises = {gid.split("-")[1] for gid in _answers(assignment) if gid.endswith("-impl")}
        corpus = wrong_answers(assignment)
        assert set(corpus) == exercises, f"{assignment}: corpus and exercises differ"
        assert all(len(v) >= 2 for v in corpus.values()), f"{assignment}: fewer than two wrong answers"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_reference_passes_every_test_cell(outcomes, assignment):
    results = outcomes[("reference", assignment)]
    assert results and all(results.values()), {k: v for k, v in results.items() if not v}


@pytest.mark.parametrize("assignment, exercise, label, source", CASES,
                         ids=[f"{a}:{e}:{l}" for a, e, l, _ in CASES])
def test_wrong_answer_loses_only_its_exercise(outcomes, assignment, exercise, label, source):
    results = outcomes[(assignment, exercise, label)]
    failed = {grade_id for grade_id, passed in results.items() if not passed}
    assert failed == {f"{topic(assignment)}-{exercise}-test"}, f"{label!r} failed the cells {sorted(failed)}"
