"""`tools/probe_answers.py`: new wrong answers sent through the fast harness, one exercise each
(the harness itself is proven in grader_tests/test_harness.py)."""

import pytest

from tools_loader import load_tool


def test_each_probe_replaces_only_its_own_exercise(tmp_path):
    tool = load_tool("probe_answers")
    probes = tmp_path / "probes.py"
    probes.write_text('PROBES = {"mse": {"sum": "def mse(y, y_hat):\\n    return 0.0"},\n'
                      '          "gd_step": {"sign": "A", "lr ignored": "B"}}\n')
    cases = tool.answer_sets("01_gradient_descent", tool.load_probes(probes))
    assert [(exercise, label) for exercise, label, _ in cases] == [("mse", "sum"), ("gd_step", "sign"), ("gd_step", "lr ignored")]
    reference = cases[0][2] | {"gradient_descent-mse-impl": cases[1][2]["gradient_descent-mse-impl"]}
    for exercise, _, answers in cases:
        changed = {grade_id for grade_id in answers if answers[grade_id] != reference[grade_id]}
        assert changed == {f"gradient_descent-{exercise}-impl"}
    with pytest.raises(SystemExit, match="no exercise 'msee'"):
        tool.answer_sets("01_gradient_descent", {"msee": {"typo": "pass"}})


def test_the_report_says_which_answers_got_through_and_what_else_failed():
    cases = [("mse", "sum instead of mean", {}), ("gd_step", "a correct alternative", {}), ("mse", "an edge", {})]
    verdicts = [{"gradient_descent-mse-test": False, "gradient_descent-fit_line-test": False, "gradient_descent-gd_step-test": True,
                 "gradient_descent-mse-test (visible checks)": False},
                {"gradient_descent-mse-test": True, "gradient_descent-fit_line-test": True, "gradient_descent-gd_step-test": True,
                 "gradient_descent-gd_step-test (visible checks)": True},
                {"gradient_descent-mse-test": False, "gradient_descent-fit_line-test": True, "gradient_descent-gd_step-test": True,
                 "gradient_descent-mse-test (visible checks)": True}]
    lines, through = load_tool("probe_answers").report("01_gradient_descent", cases, verdicts)
    assert through == 1
    assert lines[0].startswith("caught ") and "hidden only" not in lines[0]
    assert lines[0].endswith("(also fails: gradient_descent-fit_line-test)")
    assert lines[1].startswith("GETS THROUGH") and "gd_step: a correct alternative" in lines[1] and "also" not in lines[1]
    assert lines[2].startswith("caught (hidden only)") and "also" not in lines[2]
