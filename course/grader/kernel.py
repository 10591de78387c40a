"""Part of step 4 (execute): the Jupyter kernel that runs a submission (started by ``sandbox``).

Before any student cell runs it

* imports ``course.checks``, so the check helpers take their pristine references to numpy, torch and the
  builtins, and registers the guard that restores them before every cell (see ``course.checks``);
* installs a Python audit hook (it cannot be removed by later code) that reports attempts to read
  the course's files, to write outside the working directory, to start programs or to open
  databases, as ``AUDIT <event> <detail>`` lines on the kernel's original standard error, which the
  grader reads to flag the submission for manual review.

The sandbox (bubblewrap) is what actually stops those reads and writes; the hook only reports them.
"""

from __future__ import annotations

import os
import stat
import sys
import threading

WATCHED_EVENTS = {"open", "os.remove", "os.rename", "shutil.rmtree", "subprocess.Popen", "os.system",
                  "os.exec", "os.posix_spawn", "sys.addaudithook", "sqlite3.connect"}
# (ctypes is not watched at run time: torch and transformers load libraries with it; the static scan
# of the student's code flags `ctypes` instead.)
# Prefixes of paths a notebook legitimately reads: the Python installation, system libraries and data.
_QUIET_READ_PREFIXES = ("/usr/", "/lib", "/etc/", "/proc/", "/sys/", "/dev/", "/tmp/", "/opt/", "/root/.pyenv/")


ARMED_EVENT = "course.grader.armed"  # raised after the kernel's own start-up, before the first cell
_REPORT_FD = os.dup(2)  # the kernel's original stderr: ipykernel later sends fd 2 to the notebook


def _report(event, detail):
    try:
        os.write(_REPORT_FD, f"\nAUDIT {event} {detail}\n".encode("utf-8", "replace"))
    except OSError:
        pass


def make_audit_hook(workdir, allowed_prefixes, course_root):
    """An audit hook that reports suspicious events (see the module docstring)."""
    workdir = os.path.realpath(workdir)
    allowed = tuple(os.path.realpath(p) for p in allowed_prefixes)
    course_root = os.path.realpath(course_root) if course_root else None
    armed = [False]  # start-up of the kernel itself is not reported

    def hook(event, args):
        if event == ARMED_EVENT:
            armed[0] = True
        if event not in WATCHED_EVENTS or not armed[0]:
            return
        if event == "open":
            path, mode = args[0], args[1]
            if not isinstance(path, (str, bytes)):
                return
            path = os.path.realpath(os.fsdecode(path))
            writing = isinstance(mode, str) and any(flag in mode for flag in "wax+")
            if isinstance(args[2], int) and args[2] & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
                writing = True
            if path.startswith(allowed):
                return
            inside_course = course_root is not None and (path + os.sep).startswith(course_root + os.sep)
            if writing and (inside_course or not path.startswith((workdir, "/tmp/", "/dev/"))):
                _report("write", path)
            elif not writing and (inside_course or not path.startswith(_QUIET_READ_PREFIXES + (workdir,))):
                _report("read", path)
        elif event in ("os.remove", "os.rename", "shutil.rmtree"):
            path = os.path.realpath(os.fsdecode(args[0])) if isinstance(args[0], (str, bytes)) else str(args[0])
            if not path.startswith((workdir, "/tmp/")):
                _report(event, path)
        elif event == "sqlite3.connect":
            _report(event, os.fsdecode(args[0]) if isinstance(args[0], (str, bytes)) else repr(args[0]))
        else:
            _report(event, repr(args[0])[:200] if args else "")

    return hook


def end_with_the_grader():
    """End this kernel when the grader that started it is gone, however it died. The grader gives the
    kernel a pipe as standard input and keeps the other end open (`sandbox.execute`), so reading it
    ends when the grader's process ends. (In the sandbox's PID namespace the grader is not our
    parent, so ipykernel's parent poller cannot see it; bubblewrap's --die-with-parent misses a
    grader killed while the sandbox starts: its inner process asks for the signal after the outer
    one may be gone, bubblewrap issue 633, and such a kernel ran for ever.) Exiting ends the
    sandbox: the kernel is its first process."""
    try:
        if not stat.S_ISFIFO(os.fstat(0).st_mode):
            return  # not started by a grader (a terminal, /dev/null): nothing to watch
    except OSError:
        return

    def watch():
        try:
            while os.read(0, 4096):
                pass
        except OSError:
            return  # the notebook closed it: that student's kernel stays as it is
        os._exit(1)

    threading.Thread(target=watch, name="end-with-the-grader", daemon=True).start()


def main():
    allowed = [p for p in os.environ.get("COURSE_GRADING_ALLOWED", "").split(os.pathsep) if p]
    hook = make_audit_hook(os.getcwd(), allowed, os.environ.get("COURSE_GRADING_COURSE_ROOT"))
    # In the sandbox's PID namespace the grader is not our parent process: the kernel ends with the
    # grader through its standard input (`end_with_the_grader`), not ipykernel's parent poller.
    os.environ.pop("JPY_PARENT_PID", None)
    end_with_the_grader()
    from ipykernel.kernelapp import IPKernelApp

    # The check helpers take their pristine references now, before any student code; the kernel
    # guard needs the shell, so it is installed by the first line the shell runs.
    import course.checks  # noqa: F401
    first_lines = ["import course.checks as _checks; _checks.install_kernel_guard(); del _checks",
                   f"__import__('sys').audit('{ARMED_EVENT}')"]
    argv = sys.argv[1:] + [f"--IPKernelApp.exec_lines={first_lines!r}"]
    sys.addaudithook(hook)
    IPKernelApp.launch_instance(argv=argv)


if __name__ == "__main__":
    main()
