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
import sys

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


def main():
    allowed = [p for p in os.environ.get("COURSE_GRADING_ALLOWED", "").split(os.pathsep) if p]
    hook = make_audit_hook(os.getcwd(), allowed, os.environ.get("COURSE_GRADING_COURSE_ROOT"))
    # In the sandbox's PID namespace the grader is not our parent process: bubblewrap's
    # --die-with-parent ends the kernel with the grader instead of ipykernel's parent poller.
    os.environ.pop("JPY_PARENT_PID", None)
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
