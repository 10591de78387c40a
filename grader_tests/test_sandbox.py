"""The grading sandbox: student code runs as `nobody`, sees a file system made by allowlist (no course
directory, no checkout around the `course` package, no home), has no network, stays within its
time, memory and output limits, and leaves no process behind."""

import os
import subprocess
import sys
import tempfile
import time

import nbformat
import pytest

from course.grader import sandbox
from course.grader.coursedir import REPO_ROOT, Limits

pytestmark = pytest.mark.sandbox


def _run(cells, tmp_path, **limits):
    course = tmp_path / "course"
    (course / "source").mkdir(parents=True, exist_ok=True)
    (course / "source" / "secret.txt").write_text("the solutions")
    (course / "gradebook.db").write_text("grades")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    report = sandbox.execute(notebook, Limits(hidden=[str(course)], **limits))
    outputs = [" ".join(o.get("text", "") or f"{o.get('ename', '')}: {o.get('evalue', '')}" for o in c.outputs)
               for c in notebook.cells]
    return report, outputs, course


def test_student_code_cannot_see_or_change_the_course(tmp_path):
    course = tmp_path / "course"
    report, outputs, _ = _run([
        "import os; print(os.getuid())",
        f"print(os.listdir(r'{course}'))",
        f"open(r'{course}/source/secret.txt').read()",
        f"open(r'{course}/gradebook.db', 'w').write('full marks')",
        "import socket; socket.create_connection(('127.0.0.1', 22), timeout=2)",
        "import course, torch; print('imports work')",
        "open('scratch.txt', 'w').write('ok'); print(open('scratch.txt').read())",
        f"print([os.path.exists(p) for p in (r'{REPO_ROOT / 'source'}', r'{REPO_ROOT / 'README.md'}', "
        f"r'{REPO_ROOT / 'course' / 'checks.py'}')])",
        "print(sorted(os.listdir('/')))",
    ], tmp_path)
    assert report.status is sandbox.RunStatus.COMPLETED
    assert outputs[0].strip() == "65534"                     # user nobody
    assert "No such file" in outputs[1]                      # the course directory does not exist
    assert "No such file" in outputs[2]
    assert "Read-only file system" in outputs[3] or "No such file" in outputs[3]
    assert "unreachable" in outputs[4] or "refused" in outputs[4]
    assert "imports work" in outputs[5] and "ok" in outputs[6]
    assert outputs[7].strip() == "[False, False, True]", "only the course package of the checkout is there"
    top = set(eval(outputs[8]))
    assert top <= {"usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc", "sys", "dev", "proc", "tmp",
                   *{p.parts[1] for p in sandbox.needed_paths()}}, top
    assert "home" not in top
    assert (course / "gradebook.db").read_text() == "grades"
    assert any(line.startswith("read ") for line in report.audit), report.audit
    assert any(line.startswith("write ") for line in report.audit), report.audit


def test_limits(tmp_path):
    report, outputs, _ = _run([
        "x = bytearray(3 * 1024 ** 3)",
        "while True: pass",
        "for i in range(10 ** 6): print('spam' * 50)",
        "print('still alive')",
        "import os; os._exit(1)",
        "print('never runs')",
    ], tmp_path, cell_timeout=5, notebook_timeout=60, memory_mb=2048, max_output_bytes=20_000)
    assert "MemoryError" in outputs[0], outputs[0]
    assert "CellTimeoutError" in outputs[1] or "KeyboardInterrupt" in outputs[1]
    assert "output cut" in outputs[2]
    assert "still alive" in outputs[3]
    assert report.status is sandbox.RunStatus.KERNEL_DIED and "NotRun" not in outputs[3]
    assert "kernel stopped" in outputs[5]


def test_no_kernel_or_sandbox_outlives_its_notebook(tmp_path, monkeypatch, kill_scratch, processes_mentioning):
    monkeypatch.setattr(tempfile, "tempdir", str(kill_scratch))  # every kernel of this test runs below it
    for cells in (["print(1)"], ["import os; os._exit(1)"], ["while True: pass"],
                  ["import subprocess; p = subprocess.Popen(['sleep', '600'])"]):
        _run(cells, tmp_path, cell_timeout=3, notebook_timeout=8)
    assert processes_mentioning(str(kill_scratch), wait_seconds=0) == []


def test_a_kernel_ends_when_its_graders_end_of_its_standard_input_closes(kill_scratch, processes_mentioning):
    """A kernel's grader killed as the sandbox starts could leave the kernel running for ever:
    bubblewrap's --die-with-parent misses it (the sandbox's inner process asks for the signal after
    the outer one may be gone, bubblewrap issue 633; seen in test_cluster.py's killed worker). The
    kernel also ends when the pipe the grader gives it as standard input closes, which happens
    when the grader's process ends, however it ends. Here the pipe is closed while the process that
    started the kernel lives on: only the kernel's own watch can end it."""
    workdir, sockets = kill_scratch / "work", kill_scratch / "sockets"
    for folder in (workdir, sockets):
        folder.mkdir()
        os.chmod(folder, 0o777)
    limits = Limits().effective()
    kernel = subprocess.Popen(sandbox.kernel_command(workdir, sockets, limits, sockets / "kernel.json"),
                              stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env=sandbox.kernel_environment(workdir, limits), start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (sockets / "kernel.json").exists():  # ipykernel is up
            time.sleep(0.2)
        assert (sockets / "kernel.json").exists() and kernel.poll() is None, "the kernel did not start"
        kernel.stdin.close()
        kernel.wait(timeout=20)
        assert processes_mentioning(str(kill_scratch), wait_seconds=0) == []
    finally:
        if kernel.poll() is None:
            os.killpg(kernel.pid, 9)
            kernel.wait()


def test_a_plot_needs_no_font_listing_in_the_kernel(tmp_path):
    """The kernel gets the machine's matplotlib font list (`sandbox.font_list_cache`): importing
    pyplot in a cell (the course imports it only when it draws) starts no `fc-list`, which the audit
    would report, and the figure is drawn."""
    report, _, _ = _run(["import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()"], tmp_path)
    assert report.status is sandbox.RunStatus.COMPLETED and report.audit == [], report
    font_list = next(sandbox.font_list_cache().glob("fontlist-*.json"))
    assert font_list.stat().st_size > 1000


def test_a_font_list_that_cannot_be_copied_is_skipped(tmp_path, monkeypatch):
    """The copy is only a saving: when it fails (a full disk) the notebook still runs, and no half
    copied list is left for matplotlib to read."""
    def disk_full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sandbox.shutil, "copy", disk_full)
    report, outputs, _ = _run(["print('ran')"], tmp_path)
    assert report.status is sandbox.RunStatus.COMPLETED and outputs == ["ran\n"], (report, outputs)
    sandbox._warm_matplotlib(tmp_path)
    assert not (tmp_path / ".matplotlib").exists()


# Starts the command given (the guarded sandbox), naming itself as its parent, then dies after the
# number of seconds given, without stopping it (as a grader killed with SIGKILL).
_STARTER = """import os, subprocess, sys, time
command = sys.argv[2:]
command[command.index("PARENT")] = str(os.getpid())
subprocess.Popen(command, start_new_session=True)
time.sleep(float(sys.argv[1]))
os._exit(0)"""


@pytest.mark.parametrize("parent_lives_seconds", [0, 0.5])
def test_a_sandbox_ends_with_the_grader_that_started_it(tmp_path, parent_lives_seconds):
    """A grader killed as it starts a kernel (0 s: before the sandbox could ask to end with it) or
    later leaves no sandbox running (`sandbox.orphan_guarded`; bubblewrap's --die-with-parent alone
    left one behind when the grader died first)."""
    marker = tmp_path / "still running"
    command = sandbox.bwrap_prefix(tmp_path, tmp_path, []) + ["sh", "-c", f"sleep 2; touch '{marker}'"]
    subprocess.run([sys.executable, "-c", _STARTER, str(parent_lives_seconds),
                    *sandbox.orphan_guarded(command, parent="PARENT")], check=True, timeout=30)
    time.sleep(3)
    assert not marker.exists(), "the sandbox outlived the process that started it"
