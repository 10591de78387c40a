"""The corpus, both ways: every plausible wrong answer loses exactly the points of its own exercise
(one that tampers with a watched library, labelled "tampers:", those of every later exercise too), and every correct alternative (written differently from the reference, within what the exercise
text allows) gets full marks. A plain mistake is seen by the student before grading: it fails the
visible checks of its exercise, whose hint says what is wrong (`HIDDEN_ONLY`: the cases only the hidden
tests need to find). Both run through the fast harness; `test_correct_sample_through_nbgrader`
sends a sample of the correct alternatives through real `nbgrader autograde`.

Each assignment is one job: its set-up and reference run once in one kernel, then every case
re-runs only the cells it can change (`harness.graded_cell_results_many`). Under pytest-xdist the
tests of one assignment form a group (`conftest.group_of`: the first part of their parameters),
so each job runs once, on one worker (one core)."""

import functools

import pytest

from course.grader import coursedir
from devtools import demo
from harness import ROOT, correct_answers, graded_cell_results_many, split_visible, topic, wrong_answers
import pipeline_cases

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
# Wrong answers that only the hidden tests need to find: an edge of the exercise's domain, a library
# function the text does not allow, an attack on the grader, and a target the grader measures
# ("measured:", a speed-up or an accuracy after training, which the notebook's experiment below the
# check shows the student). Every other one is a plain mistake, and the student's own run of the
# visible checks shows its hint.
HIDDEN_ONLY = ("edge: ", "library shortcut: ", "attack: ", "tampers: ", "measured: ")
PLAIN_MISTAKES = [case for case in CASES if not case[2].startswith(HIDDEN_ONLY)]
# The topics whose submission with every exercise wrong the real pipeline grades (test_pipeline.py,
# test_pipeline_topics.py); the harness grades it too, in the topic's kernel.
ALL_WRONG = [a for a in ASSIGNMENTS if a not in pipeline_cases.TRAINING_HEAVY]


def _answers(assignment, replaced=None):
    answers = demo.reference_answers(coursedir.notebook_path(ROOT, "source", assignment))
    answers.update(replaced or {})
    return answers


def _exercises(assignment):
    return {gid.split("-")[1] for gid in _answers(assignment) if gid.endswith("-impl")}


@functools.cache
def outcomes(assignment):
    """{case key: (verdicts, verdicts of the visible checks)} of the reference, every wrong answer
    and every correct alternative of one assignment (and of `ALL_WRONG`'s submission), in one kernel;
    the visible checks run for the `PLAIN_MISTAKES` only (a correct answer that passes the test cell
    passes its visible checks, which the test cell holds)."""
    cases = [(("reference", assignment), _answers(assignment))]
    cases += [((a, exercise, label), _answers(a, {f"{topic(a)}-{exercise}-impl": source}))
              for a, exercise, label, source in CASES + CORRECT_CASES if a == assignment]
    if assignment in ALL_WRONG:
        cases.append((("all wrong", assignment), pipeline_cases.all_wrong(assignment)))
    plain = {(a, exercise, label) for a, exercise, label, _ in PLAIN_MISTAKES}
    verdicts = graded_cell_results_many(assignment, [answers for _, answers in cases],
                                        visible=[key in plain for key, _ in cases])
    return {key: split_visible(verdict) for (key, _), verdict in zip(cases, verdicts)}


def _params(cases):
    """pytest parameters of ``cases``, with ids ``assignment:exercise:label`` (the assignment first:
    it names the xdist group)."""
    return [pytest.param(*case, id=":".join(case[:3])) for case in cases]


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
def test_reference_passes_every_test_cell(assignment):
    results, _ = outcomes(assignment)[("reference", assignment)]
    assert results and all(results.values()), {k: v for k, v in results.items() if not v}


def _expected_failures(assignment, exercise, label):
    """The test cell of the case's exercise; for a case labelled "tampers:" (it patches a library the
    checks watch) also every later test cell: `course.guard` fails every check after tampering."""
    own = f"{topic(assignment)}-{exercise}-test"
    if not label.startswith("tampers: "):
        return {own}
    tests = list(outcomes(assignment)[("reference", assignment)][0])
    return set(tests[tests.index(own):])


@pytest.mark.parametrize("assignment, exercise, label, source", _params(CASES))
def test_wrong_answer_loses_only_its_exercise(assignment, exercise, label, source):
    results, _ = outcomes(assignment)[(assignment, exercise, label)]
    failed = {grade_id for grade_id, passed in results.items() if not passed}
    assert failed == _expected_failures(assignment, exercise, label), f"{label!r} failed the cells {sorted(failed)}"


@pytest.mark.parametrize("assignment, exercise, label, source", _params(CORRECT_CASES))
def test_correct_alternative_gets_full_marks(assignment, exercise, label, source):
    results, _ = outcomes(assignment)[(assignment, exercise, label)]
    failed = sorted(grade_id for grade_id, passed in results.items() if not passed)
    assert results and not failed, f"the correct answer {label!r} failed the cells {failed}"


@pytest.mark.parametrize("assignment, exercise, label, source", _params(PLAIN_MISTAKES))
def test_plain_mistake_fails_the_visible_checks(assignment, exercise, label, source):
    """The student sees the hint before handing in: the release's test cell of the exercise (its
    visible checks, without the hidden tests) fails on the mistake."""
    _, visible = outcomes(assignment)[(assignment, exercise, label)]
    own = f"{topic(assignment)}-{exercise}-test"
    assert visible.get(own) is False, f"{label!r} passes the visible checks of {own}: only grading finds it"


@pytest.mark.parametrize("assignment", ALL_WRONG)
def test_every_exercise_wrong_at_once_fails_every_test_cell(assignment):
    """The fast harness's half of the real pipeline's test of the submission with every exercise
    wrong (`pipeline_cases.all_wrong`; test_pipeline.py and test_pipeline_topics.py assert that
    nbgrader gives each of its test cells 0): the harness fails every test cell too, so the two agree."""
    results, _ = outcomes(assignment)[("all wrong", assignment)]
    assert set(results) == set(pipeline_cases.test_cells(assignment))
    assert [grade_id for grade_id, passed in results.items() if passed] == []
