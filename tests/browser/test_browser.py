"""A student's session in a real browser: JupyterLab with the nbgrader extensions, headless Chromium.

The blank release notebook is opened and run cell by cell (Shift+Enter): every visible check
reports the ``NotImplementedError`` hint. Then the reference solutions are pasted into the answer
cells through the clipboard, the notebook is saved, the kernel restarted and all cells run: every
visible check passes, and nbgrader's "Validate" button reports success. Screenshots of each stage
go to ``--screenshot-dir`` (default ``build/screenshots``; the README's come from
``python -m course test browser --screenshot-dir docs/screenshots``).

The browser is Debian's ``chromium`` driven by Playwright (nothing is downloaded at run time).
Without it the test is skipped, unless ``COURSE_BROWSER_TEST=required`` (set by ``.ci/run``).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import nbformat
import pytest

from course.grader import coursedir
from labserver import JupyterLab

CHROMIUM = Path(os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium"))
NAME = "01_gradient_descent"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - playwright is in the pinned stack
    sync_playwright = None

if sync_playwright is None or not CHROMIUM.exists():
    reason = "chromium is not installed (Debian's, apt-get install chromium), or Playwright is missing"
    if os.environ.get("COURSE_BROWSER_TEST") == "required":
        raise RuntimeError(f"COURSE_BROWSER_TEST=required, but the browser test {reason}.")
    pytest.skip(reason, allow_module_level=True)

expect.set_options(timeout=60_000)  # a JupyterLab page on a busy 2-core machine takes a while


@pytest.fixture
def screenshots(request):
    folder = Path(request.config.getoption("--screenshot-dir"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def lab(tmp_path):
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    shutil.copy(coursedir.notebook_path(coursedir.REPO_ROOT, "release", NAME), workspace)
    server = JupyterLab(workspace, tmp_path / "jupyter")
    with server:
        yield server
    assert server.process.poll() is not None, "the server is stopped by the test"


@pytest.fixture
def browser_page():
    """A page of headless Chromium, without JupyterLab."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(60_000)
            yield page
        finally:
            browser.close()


@pytest.fixture
def page(lab):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.grant_permissions(["clipboard-read", "clipboard-write"])
            page = context.new_page()
            page.set_default_timeout(60_000)
            yield page
        finally:
            browser.close()


# ---------------------------------------------------------------------------------------------
# Driving the notebook
# ---------------------------------------------------------------------------------------------

def _cells(page):
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell")


def _wait_until_idle(page, timeout=120):
    """Wait until the kernel is idle and no cell is queued or running (prompt ``[*]``)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        busy = page.locator(".jp-InputPrompt", has_text="[*]").count()
        kernel = page.locator("#jp-main-statusbar").inner_text()
        if not busy and "| Idle" in kernel:
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"the notebook was still running after {timeout} s")


def _open_notebook(page, lab, cell_count):
    page.goto(lab.url(f"lab/tree/{NAME}.ipynb"))
    expect(_cells(page)).to_have_count(cell_count)
    _wait_until_idle(page)
    page.keyboard.press("ControlOrMeta+B")  # hide the file browser: more room for the notebook


def _menu(page, menu, item):
    page.locator(".lm-MenuBar-itemLabel", has_text=menu).first.click()
    page.locator(".lm-Menu-itemLabel", has_text=item).first.click()


def _output_text(cell):
    return cell.locator(".jp-OutputArea").inner_text()


def _run_cell_by_cell(page, count):
    _cells(page).first.locator(".jp-InputPrompt").click()  # select the first cell (command mode)
    for index in range(count):  # Shift+Enter runs a cell and moves on; on the last cell it would add one
        page.keyboard.press("Shift+Enter" if index < count - 1 else "ControlOrMeta+Enter")
        _wait_until_idle(page)


def _paste(page, cell, text, markdown=False):
    """Replace the text of ``cell`` by ``text`` the way a student does: select all, paste."""
    if markdown:
        cell.locator(".jp-MarkdownOutput").dblclick()  # a rendered markdown cell opens its editor
    cell.locator(".cm-content").click()
    page.keyboard.press("ControlOrMeta+A")
    page.evaluate("text => navigator.clipboard.writeText(text)", text)
    page.keyboard.press("ControlOrMeta+V")
    expect(cell.locator(".cm-content")).to_contain_text(text.splitlines()[-1].strip())
    page.keyboard.press("ControlOrMeta+Enter" if markdown else "Escape")  # render markdown; leave the editor


WRITTEN_ANSWER = ("A small learning rate creeps towards the nearest minimum; a large one overshoots, "
                  "zig-zags across the valley and can diverge.")


def _reference_solutions():
    """grade_id -> what the test pastes into each answer cell: the reference code of a code cell
    (markers removed), ``WRITTEN_ANSWER`` for a written answer."""
    notebook = nbformat.read(coursedir.notebook_path(coursedir.REPO_ROOT, "source", NAME), as_version=4)
    solutions = {}
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "markdown":
            solutions[meta["grade_id"]] = WRITTEN_ANSWER
        elif meta.get("solution"):
            lines = [line for line in cell.source.splitlines() if "### BEGIN SOLUTION" not in line
                     and "### END SOLUTION" not in line]
            solutions[meta["grade_id"]] = "\n".join(lines)
    return solutions


def _graded_cells():
    """The release notebook's answer cells and test cells, as (index, grade_id, cell type) lists."""
    notebook = nbformat.read(coursedir.notebook_path(coursedir.REPO_ROOT, "release", NAME), as_version=4)
    answers, tests = [], []
    for index, cell in enumerate(notebook.cells):
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            answers.append((index, meta["grade_id"], cell.cell_type))
        elif meta.get("grade") and cell.cell_type == "code":
            tests.append((index, meta["grade_id"], cell.cell_type))
    return answers, tests, len(notebook.cells)


# ---------------------------------------------------------------------------------------------
# The test
# ---------------------------------------------------------------------------------------------

def test_student_session_in_jupyterlab(lab, page, screenshots):
    started = time.monotonic()
    answers, tests, cell_count = _graded_cells()
    assert len(tests) >= 5 and len(answers) >= 5

    # 1. The blank notebook: every visible check explains that the function is not written yet.
    _open_notebook(page, lab, cell_count)
    _run_cell_by_cell(page, cell_count)
    for index, grade_id, _ in tests:
        text = _output_text(_cells(page).nth(index))
        assert "NotImplementedError" in text, f"{grade_id}: no NotImplementedError shown"
        assert "is not written yet" in text and "Shift+Enter" in text, f"{grade_id}: no hint shown"
    first_check = _cells(page).nth(tests[0][0])
    first_check.scroll_into_view_if_needed()
    page.screenshot(path=screenshots / "jupyterlab-blank-hint.png")

    # 2. Paste the reference solutions, save, restart the kernel and run everything.
    solutions = _reference_solutions()
    for index, grade_id, cell_type in answers:
        _paste(page, _cells(page).nth(index), solutions[grade_id], markdown=cell_type == "markdown")
    page.keyboard.press("ControlOrMeta+S")
    expect(page.locator(".lm-TabBar-tab.jp-mod-dirty")).to_have_count(0)  # saved
    _menu(page, "Kernel", "Restart Kernel and Run All Cells")
    page.locator(".jp-Dialog .jp-mod-accept").click()  # "Confirm Kernel Restart"
    page.wait_for_timeout(1000)
    _wait_until_idle(page)
    for index, grade_id, _ in tests:
        text = _output_text(_cells(page).nth(index))
        assert "The visible checks passed." in text, f"{grade_id}: {text[-500:]}"
    assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0, \
        "no warnings or errors printed"
    _cells(page).nth(tests[0][0]).scroll_into_view_if_needed()
    page.screenshot(path=screenshots / "jupyterlab-checks-pass.png")

    # 3. nbgrader's Validate button runs the saved notebook on the server, as the grader does.
    page.get_by_role("button", name="Validate").click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_be_visible(timeout=240_000)
    assert "Success" in dialog.inner_text(), dialog.inner_text()
    page.screenshot(path=screenshots / "jupyterlab-validate.png")
    dialog.get_by_role("button").last.click()

    saved = nbformat.read(lab.workspace / f"{NAME}.ipynb", as_version=4)
    for index, grade_id, _ in answers:
        assert saved.cells[index].source == solutions[grade_id], f"{grade_id} was saved as pasted"
    print(f"browser session: {time.monotonic() - started:.1f} s")


# ---------------------------------------------------------------------------------------------
# The instructor's cohort report
# ---------------------------------------------------------------------------------------------

REPORT_EXERCISES = {"softmax_temperature": 2, "greedy_decode": 2, "sample_next": 1, "top_k_filter": 2,
                    "top_p_filter": 2, "sequence_logprob": 2, "beam_search": 3, "causal_mask": 1, "attention": 2}
REPORT_MISTAKES = {  # exercise: (chance of passing, [(the check's message, its hint)])
    "softmax_temperature": (0.8, [("softmax of [1000, 0]: got [nan, nan], expected [1, 0]", "subtract the largest logit before exp")]),
    "greedy_decode": (0.85, [("greedy_decode(toy, '<s>', 3) has shape (3,), expected (4,)", "return the prompt followed by n new tokens")]),
    "sample_next": (0.9, [("frequencies of 2000 draws are wrong at index [2]: got 0, expected 0.6", "sample with torch.multinomial; do not take the arg-max")]),
    "top_k_filter": (0.7, [("fails for probs=[0.5, 0.25, 0.25], k=2: kept 3 tokens", "keep the k largest; a tie with the k-th may be broken either way")]),
    "top_p_filter": (0.45, [("fails for probs=[0.5, 0.25, 0.25], p=0.5: kept 2 tokens, the smallest set has 1",
                             "keep a token while the mass before it is below p"),
                            ("the kept probabilities of top_p_filter(probs, 0.9) do not sum to 1", "renormalise what you keep")]),
    "sequence_logprob": (0.6, [("sequence_logprob of 600 tokens: got -inf, expected -1401.2", "sum log-probabilities; a product underflows")]),
    "beam_search": (0.5, [("beam_search(n=0) raised IndexError", "with n = 0 return the prompt"),
                          ("the best sequence of width 3 has log-probability -7.1, expected -6.4", "rank by the total log-probability")]),
    "causal_mask": (0.95, [("causal_mask(3) is wrong at index [0, 0]: got 0, expected 1", "a position may see itself: j <= i")]),
    "attention": (0.75, [("attention with scores of several hundred: got nan", "subtract each row's maximum before exp")]),
}


def _report_cohort(root, size=60, seed=7):
    """A cohort of ``size`` students of topic 07 with plausible mistakes (`grader_tests/cohort.py`)."""
    import random

    import cohort

    rng = random.Random(seed)
    answers = {}
    for index in range(size):
        skill = rng.random()
        outcomes = {}
        for exercise, (chance, mistakes) in REPORT_MISTAKES.items():
            draw = rng.random()
            if draw < chance * (0.2 + 1.2 * skill):
                outcomes[exercise] = "passed"
            elif draw < 0.9:
                message, hint = rng.choice(mistakes)
                outcomes[exercise] = (0, f"{message}\nHint: {hint}")
        answers[f"student{index:02d}"] = outcomes
    states = {"student07": {"flags": ["reads files of the course directory"]},
              "student31": {"note": "cell time limit (38 s) in transformer_decoding-beam_search-test", "seconds": 38.5},
              "student44": {"status": "not graded", "reason": "the kernel died (its process is gone)", "stage": None}}
    states.update({f"student{index:02d}": {**states.get(f"student{index:02d}", {}), "seconds": round(rng.uniform(6, 14), 1)}
                   for index in range(size) if f"student{index:02d}" not in ("student31", "student44")})
    return cohort.build(root, REPORT_EXERCISES, answers, written={"decoding": 2}, states=states)


def test_cohort_report_page(tmp_path, browser_page, screenshots):
    from course.grader import analytics

    import cohort

    root = _report_cohort(tmp_path / "course")
    page_path = analytics.write_report(root, cohort.ASSIGNMENT)
    browser_page.goto(page_path.as_uri())
    expect(browser_page.locator("h1")).to_contain_text("where the cohort struggles")
    first_row = browser_page.locator("table").first.locator("tr").nth(1)
    assert "top_p_filter" in first_row.inner_text() or "beam_search" in first_row.inner_text()
    images = browser_page.locator(".figures img")
    expect(images).to_have_count(3)
    assert all(images.nth(i).evaluate("img => img.naturalWidth > 100") for i in range(3)), "the plots are embedded"
    expect(browser_page.get_by_text("keep a token while the mass before it is below p")).to_be_visible()
    browser_page.set_viewport_size({"width": 1280, "height": 1180})
    browser_page.screenshot(path=screenshots / "cohort-report.png")  # the exercises and the plots
