"""The command line, ``python -m course {release,grade,demo,bench-grade,lab,check,test}``.

Each command imports what it needs when it runs, so ``python -m course --help`` loads neither
torch nor matplotlib nor nbgrader.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import traceback
from pathlib import Path

from course.grader import coursedir
from course.grader.coursedir import DEFAULT_LIMITS, REPO_ROOT, Limits, assignments, notebook_path

# `python -m course test PART ...`: the parts of the suite, by what they test.
TEST_PARTS = {
    "unit": ["tests/unit"],                    # the runtime helpers, packaging, the sandbox
    "grader": ["grader_tests"],                # release, pipeline, wrong answers, hostile submissions
    "notebooks": ["tests/notebooks", "source"],  # conventions, Colab, every instructor notebook (nbval)
    "browser": ["tests/browser"],              # JupyterLab in headless Chromium
}


def cmd_release(args):
    from course.grader import release

    if args.check:
        drift = release.release_drift(args.root)
        if drift:
            print("release/ differs from a fresh generation of source/:")
            print("\n".join(f"  {line}" for line in drift))
            print("Run `python -m course release` (or `make release`) and commit the result.")
            return 1
        print("release/ is up to date with source/.")
        return 0
    names = release.generate_release(args.root, args.assignment)
    print(f"Generated the student version of {len(names)} assignment(s) in {Path(args.root) / 'release'}:")
    print("\n".join(f"  {name}" for name in names))
    return 0


def _limits(args):
    return Limits(cell_timeout=args.cell_timeout, notebook_timeout=args.notebook_timeout,
                  memory_mb=args.memory_mb, sandbox=not args.no_sandbox)


def _grade_and_report(root, names, args, limits=None):
    from course.grader import pipeline, report

    start = time.perf_counter()
    try:
        results = pipeline.grade(root, names, workers=args.workers, scheduler=args.scheduler,
                                 limits=limits or _limits(args), feedback=not args.no_feedback,
                                 progress=not args.no_progress, force=args.force)
    except pipeline.GraderFault as error:  # the grader cannot work here: the message says why
        print(f"error: {error}", file=sys.stderr)
        return None
    except Exception as error:  # noqa: BLE001 - a fault of the grader before anything was recorded
        traceback.print_exc()
        print(f"error: the grader failed before grading anything ({type(error).__name__}: {error}); "
              "nothing was recorded: fix the cause and run `grade` again.", file=sys.stderr)
        return None
    print(report.format_table(results))
    print()
    print(report.format_summary(results, time.perf_counter() - start))
    _write_cohort_reports(root, sorted({r.assignment for r in results}))
    return results


def _write_cohort_reports(root, assignments):
    """The per-assignment analytics (``analytics``) after grading; a failure here costs no grade."""
    from course.grader import analytics

    try:
        pages = analytics.write_reports(root, assignments, log=lambda message: None)
    except Exception as error:  # noqa: BLE001 - the grades are written; only the report is missing
        print(f"warning: the cohort report could not be written ({type(error).__name__}: {error}); "
              "the grades are not affected. Run `python -m course report` to try again.", file=sys.stderr)
        return []
    for page in pages:
        print(f"Cohort report: {page}")
    return pages


def cmd_report(args):
    from course.grader import analytics

    names = args.assignment or analytics.default_assignments(args.root)
    if not names:
        print(f"Nothing graded in {args.root} yet: run `python -m course grade` first.", file=sys.stderr)
        return 1
    start = time.perf_counter()
    pages = analytics.write_reports(args.root, names)
    for page in pages:
        print(f"Cohort report: {page} (CSV files next to it)")
    print(f"{len(pages)} report(s) in {time.perf_counter() - start:.1f} s.")
    return 0 if pages else 1


EXIT_CODES = """exit status: 0 every submission has a grade (graded, or failed: the submission's own fault);
2 nothing was graded (the grader cannot work here: the message says why);
3 some submissions are "not graded" because of a fault of the grader (run `grade` again after fixing it)."""


def _exit_code(results):
    from course.grader.result import EXIT_NOT_GRADED, Status

    if results is None:
        return 2
    return EXIT_NOT_GRADED if any(r.status is Status.NOT_GRADED for r in results) else 0


def cmd_grade(args):
    from course.grader.pipeline import CSV_NOT_WRITTEN

    results = _grade_and_report(args.root, args.assignment, args)
    if results is not None and not any(CSV_NOT_WRITTEN in r.reason for r in results):
        print(f"Grades: {Path(args.root) / 'grades.csv'}; feedback: {Path(args.root) / 'feedback'}/")
    return _exit_code(results)


def demo_limits(args, log=print):
    """The demo's limits: its fictional students are the course's own code, so without bubblewrap
    they are graded unsandboxed, with a notice (real submissions never are, unless --no-sandbox)."""
    from course.grader import sandbox

    limits = _limits(args)
    if limits.sandbox and not sandbox.bwrap_available():
        log("Notice: bubblewrap is not installed, so the demo grades its fictional students without the "
            "sandbox (`apt-get install bubblewrap` for the sandboxed grading real submissions need).")
        limits.sandbox = False
    return limits


def _devtool(name):
    """A module of ``devtools/`` (the demo, the benchmark, the Colab-like environment), which lives in
    the repository next to the ``course`` package, not in the installed package."""
    import importlib

    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    try:
        return importlib.import_module(f"devtools.{name}")
    except ModuleNotFoundError as error:
        if error.name not in ("devtools", f"devtools.{name}"):
            raise
        raise SystemExit(f"This command needs a checkout of the course repository (its devtools/ folder); "
                         f"{REPO_ROOT} has none.") from None


def cmd_demo(args):
    from course.grader import release
    demo = _devtool("demo")

    start = time.perf_counter()
    print("Generating the student versions from source/ ...")
    release.generate_release(args.root)
    work = Path(args.root) / "build" / "demo"
    print(f"Setting up a demo course in {work} with fictional students ...")
    work, names = demo.prepare_demo(work, args.root)
    print(f"Autograding {', '.join(names)} ...")
    results = _grade_and_report(work, names, args, demo_limits(args))
    if results is None:
        return 2
    print(f"\nDone in {time.perf_counter() - start:.0f} s.")
    print(f"  grades CSV:      {work / 'grades.csv'}")
    print(f"  feedback (HTML): {work / 'feedback'}/<student>/<assignment>/")
    print(f"  graded copies:   {work / 'autograded'}/")
    print(f"  cohort reports:  {work / 'reports'}/<assignment>/report.html")
    return _exit_code(results)


def cmd_bench_grade(args):
    """Plain sequential nbgrader against the parallel grader on the same generated cohort."""
    bench = _devtool("bench")

    measurements = bench.run(size=args.size, names=args.assignment or None, workers=args.workers or 2,
                             hostile=args.hostile, baseline=not args.no_baseline)
    print(bench.report(measurements))
    return 0 if measurements["identical_scores"] and not measurements["not_graded"] else 1


def cmd_lab(args):
    """Copy the student notebooks to workspace/ (never overwriting work) and open JupyterLab there."""
    workspace = Path(args.root) / "workspace"
    for name in assignments(args.root):
        source = notebook_path(args.root, "release", name)
        target = notebook_path(workspace, "", name)
        if source.is_file() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
    print(f"Your notebooks are in {workspace}/ (release/ stays untouched).")
    if args.no_browser_launch:
        return 0
    return subprocess.call([sys.executable, "-m", "jupyter", "lab", str(workspace)])


def cmd_check(args):
    """A student's automatic score on the visible checks of one notebook."""
    from course.grader import selfcheck

    try:
        reports = selfcheck.check_notebook(args.notebook)
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(selfcheck.format_reports(args.notebook, reports))
    return 0 if all(r.status in ("passed", "graded by hand") for r in reports) else 1


def test_paths(root, parts):
    """The folders or files of ``parts`` (names of ``TEST_PARTS`` or paths); all parts when empty."""
    paths = []
    for part in parts or TEST_PARTS:
        paths += TEST_PARTS.get(part, [part])
    return [str(Path(root) / path) for path in paths]


def cmd_test(args):
    """The test suite, or parts of it, on `TEST_WORKERS` pytest-xdist workers. The instructor
    notebooks (nbval) and the blank student notebooks run in a kernel that has only Colab's packages,
    at Colab's versions, and the course (``colabenv``), made ready when ``source/`` or
    ``tests/notebooks/`` is among the paths."""
    root = Path(args.root)
    paths = test_paths(root, args.parts)
    env = dict(os.environ)
    if any(Path(p).resolve().is_relative_to(root / folder) for p in paths for folder in ("source", "tests/notebooks")):
        colabenv = _devtool("colabenv")

        env["JUPYTER_PATH"] = colabenv.jupyter_path(colabenv.ensure(root))
    parallel = parallel_options(args.pytest_args)
    if parallel:  # one thread per process: the workers already fill the two cores
        env.update({v: env.get(v, "1") for v in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")})
    command = [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-kernel-name=colab-like",
               *parallel, *paths, *args.pytest_args]
    return subprocess.call(command, cwd=root, env=env)


# pytest-xdist processes on the 2-core CI machine: a third keeps the cores busier while a test waits on
# a kernel's start, a sleep or a time limit (measured from a clean clone: two workers 15.3 to 17.3 min,
# three 14.2 min, four 16.0 min).
TEST_WORKERS = 3


def parallel_options(pytest_args):
    """pytest-xdist's options: `TEST_WORKERS` workers, each test file (or group, see conftest.py)
    on one worker; none when the caller chose (``-n``, ``-p no:xdist``) or debugs (``--pdb``)."""
    chosen = any(a in ("--pdb", "no:xdist", "-pno:xdist") or a.startswith(("-n", "--numprocesses"))
                 for a in pytest_args)
    return [] if chosen else ["-n", str(TEST_WORKERS), "--dist", "loadscope", "--no-loadscope-reorder"]


def _grading_options(parser):
    d = DEFAULT_LIMITS
    parser.add_argument("--workers", type=int, default=None, help="parallel kernels on this machine (default: one per core)")
    parser.add_argument("--scheduler", default=None, help="address of a Dask scheduler (default: a local cluster)")
    from_reference = f"{coursedir.REFERENCE_MULTIPLE} x the reference run's + {coursedir.REFERENCE_MARGIN} s"
    parser.add_argument("--cell-timeout", type=int, default=None,
                        help=f"seconds per cell (default: {from_reference}, for its slowest cell)")
    parser.add_argument("--notebook-timeout", type=int, default=None,
                        help=f"seconds per notebook (default: {from_reference})")
    parser.add_argument("--memory-mb", type=int, default=d.memory_mb,
                        help=f"memory limit per kernel in MB (default: {d.memory_mb})")
    parser.add_argument("--no-sandbox", action="store_true", help="run student code without bubblewrap (not recommended)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--no-feedback", action="store_true", help="skip the feedback HTML")
    parser.add_argument("--force", action="store_true",
                        help="grade every submission again, also those an earlier run graded unchanged")


def build_parser():
    parser = argparse.ArgumentParser(prog="python -m course", description="The deep-learning course: release, grade and check notebooks, run the tests.")
    parser.add_argument("--root", default=str(REPO_ROOT), help="course directory (default: this repository)")
    sub = parser.add_subparsers(dest="command", required=True)

    release = sub.add_parser("release", help="generate every student version (release/) with nbgrader")
    release.add_argument("assignment", nargs="*", help="assignment names (default: all)")
    release.add_argument("--check", action="store_true", help="fail when release/ differs from a fresh generation")
    release.set_defaults(func=cmd_release)

    grade = sub.add_parser("grade", help="autograde submitted/<student>/<assignment>/ in parallel, "
                                          "write grades.csv and feedback", epilog=EXIT_CODES)
    grade.add_argument("assignment", nargs="*", help="assignment names (default: all)")
    _grading_options(grade)
    grade.set_defaults(func=cmd_grade)

    demo = sub.add_parser("demo", help="release, then grade the bundled fictional students and print the table")
    _grading_options(demo)
    demo.set_defaults(func=cmd_demo)

    report_ = sub.add_parser("report", help="per-exercise analytics of a graded cohort: reports/<assignment>/ "
                                             "(an HTML page and CSV files)")
    report_.add_argument("assignment", nargs="*", help="assignment names (default: every one with graded submissions)")
    report_.set_defaults(func=cmd_report)

    bench = sub.add_parser("bench-grade", help="time plain nbgrader against `grade` on a generated cohort")
    bench.add_argument("assignment", nargs="*", help="assignments of the cohort (default: all)")
    bench.add_argument("--size", type=int, default=40, help="number of submissions (default: 40)")
    bench.add_argument("--workers", type=int, default=2, help="parallel kernels (default: 2)")
    bench.add_argument("--hostile", type=float, default=0.0, metavar="FRACTION",
                       help="make this fraction of the submissions hostile (e.g. 0.1)")
    bench.add_argument("--no-baseline", action="store_true",
                       help="time `grade` alone (all topics in one run), without plain nbgrader")
    bench.set_defaults(func=cmd_bench_grade)

    lab = sub.add_parser("lab", help="copy the student notebooks to workspace/ and open JupyterLab there")
    lab.add_argument("--no-browser-launch", action="store_true", help="only prepare workspace/")
    lab.set_defaults(func=cmd_lab)

    check = sub.add_parser("check", help="run a notebook and show its automatic score on the visible checks")
    check.add_argument("notebook", help="path to your .ipynb")
    check.set_defaults(func=cmd_check)

    test = sub.add_parser("test", help="run the test suite, or parts of it",
                          usage="python -m course test [PART or PATH ...] [pytest options ...]",
                          description=f"PART: {', '.join(TEST_PARTS)} (default: all of them). Parts and paths "
                                      "come first; everything from the first option on goes to pytest.")
    test.set_defaults(func=cmd_test, parts=[], pytest_args=[])
    return parser


def split_test_arguments(arguments):
    """``(parts, pytest arguments)``: leading non-options are parts or paths; the rest is for pytest
    (``unit grader -x -k mse`` -> ``(["unit", "grader"], ["-x", "-k", "mse"])``; ``--`` also ends the parts)."""
    for index, argument in enumerate(arguments):
        if argument == "--":
            return arguments[:index], arguments[index + 1:]
        if argument.startswith("-"):
            return arguments[:index], arguments[index:]
    return list(arguments), []


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command == "test":  # e.g. `python -m course test unit -x --durations=20`
        args.parts, args.pytest_args = split_test_arguments(argv[argv.index("test") + 1:])
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
