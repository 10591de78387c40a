"""The corpus, both ways: every plausible wrong answer loses exactly the points of its own exercise,
and every correct alternative (written differently from the reference, within what the exercise
text allows) gets full marks. Both run through the fast harness; `test_correct_sample_through_nbgrader`
sends a sample of the correct alternatives through real `nbgrader autograde`."""

from concurrent.futures import ProcessPoolExecutor

import pytest

from course.grader import coursedir, demo
from harness import ROOT, correct_answers, run_batch, topic, wrong_answers

ASSIGNMENTS = [a for a in coursedir.assignments(ROOT) if (ROOT / "grader_tests" / "corpus" / f"{a}.py").is_file()]
CASES = [(assignment, exercise, label, source)
         for assignment in ASSIGNMENTS
         for exercise, answers in wrong_answers(assignment).items()
         for label, source in answers.items()]
CORRECT_CASES = [(assignment, exercise, label, source)
                 for assignment in ASSIGNMENTS
                 for exercise, answers in correct_answers(assignment).items()
                 for label, source in answers.items()]
MIN_CORRECT = 3  # correct alternatives per exercise


def _answers(assignment, replaced=None):
    answers = demo.reference_answers(coursedir.notebook_path(ROOT, "source", assignment))
    answers.update(replaced or {})
    return answers


def _exercises(assignment):
    return {gid.split("-")[1] for gid in _answers(assignment) if gid.endswith("-impl")}


@pytest.fixture(scope="session")
def outcomes():
    """The reference, every wrong answer and every correct alternative, in two worker kernels per assignment."""
    keys, jobs = [], []
    for assignment in ASSIGNMENTS:
        cases = [(("reference", assignment), _answers(assignment))]
        cases += [((a, exercise, label), _answers(a, {f"{topic(a)}-{exercise}-impl": source}))
                  for a, exercise, label, source in CASES + CORRECT_CASES if a == assignment]
        for half in (cases[0::2], cases[1::2]):
            keys.append([key for key, _ in half])
            jobs.append((assignment, [answers for _, answers in half]))
    with ProcessPoolExecutor(max_workers=2) as pool:
        verdicts = list(pool.map(run_batch, jobs))
    return {key: verdict for batch_keys, batch in zip(keys, verdicts) for key, verdict in zip(batch_keys, batch)}


def test_corpus_covers_every_exercise_both_ways():
    for assignment in ASSIGNMENTS:
        exercises = _exercises(assignment)
        wrong, correct = wrong_answers(assignment), correct_answers(assignment)
        assert set(wrong) == exercises, f"{assignment}: wrong answers and exercises differ"
        assert all(len(v) >= 2 for v in wrong.values()), f"{assignment}: fewer than two wrong answers"
        assert set(correct) == exercises, f"{assignment}: correct alternatives and exercises differ"
        short = {e: len(v) for e, v in correct.items() if len(v) < MIN_CORRECT}
        assert not short, f"{assignment}: fewer than {MIN_CORRECT} correct alternatives for {short}"


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


@pytest.mark.parametrize("assignment, exercise, label, source", CORRECT_CASES,
                         ids=[f"{a}:{e}:{l}" for a, e, l, _ in CORRECT_CASES])
def test_correct_alternative_gets_full_marks(outcomes, assignment, exercise, label, source):
    results = outcomes[(assignment, exercise, label)]
    failed = sorted(grade_id for grade_id, passed in results.items() if not passed)
    assert results and not failed, f"the correct answer {label!r} failed the cells {failed}"
