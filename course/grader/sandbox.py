"""Part of step 4 (execute): one notebook in a fresh grading kernel, with limits, in a sandbox.

``execute(notebook, limits)`` runs every cell of an (already sanitised) notebook in a fresh
``course.grader.kernel`` and returns a report (the notebook is changed in place). It enforces

* a time limit per cell (the kernel is interrupted, the cell gets a ``CellTimeoutError``) and one
  per notebook (the kernel is killed; cells that did not run get an error output, so they earn
  no points);
* a memory limit (``prlimit --as``: an allocation beyond it raises ``MemoryError`` in the cell);
* an output limit per cell (a print in an endless loop cannot fill the grader's memory);
* with ``Limits.sandbox`` (the default where ``bwrap`` exists): bubblewrap runs the kernel as user
  ``nobody`` in new user, PID, IPC, UTS and network namespaces, and shows it a file system made
  by allowlist: the system's programs and libraries (``/usr`` and the few files of ``/etc`` a
  dynamic linker and matplotlib read), the Python installation, the ``course`` package's own
  folder, all read-only, a private ``/tmp`` and a writable working directory of its own. Nothing
  else exists for it: no home or project directory, no course directory (instructor notebooks,
  gradebook, other students' work), wherever they are.

The kernel's home and matplotlib folder are fresh; the machine's matplotlib font list, built once
outside the sandbox, is copied in (``font_list_cache``), so a first plot lists no fonts.

When the notebook is done, whatever it did, its kernel and every process of its sandbox are gone.

The kernel talks to the grader over Unix sockets in a directory shared with the sandbox, so the
network can be switched off entirely.
"""

from __future__ import annotations

import enum
import functools
import importlib.metadata
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode

from course.grader.client import NotebookClient
from course.grader.coursedir import Limits

COURSE_PACKAGE = Path(__file__).resolve().parents[1]  # the runtime package `course`, grader included
KERNEL_MODULE = "course.grader.kernel"


class RunStatus(enum.Enum):
    """How a notebook's run ended; ``Report.reason`` explains anything but ``COMPLETED``."""

    COMPLETED = "completed"
    TIME_LIMIT = "time limit"
    KERNEL_DIED = "kernel died"          # its process is gone: the submission's doing (exit, crash, memory)
    COULD_NOT_START = "could not start"  # the grader's fault
    GRADER_FAULT = "grader fault"        # our code failed while the kernel was alive: the grader's fault

    @property
    def graders_fault(self):
        return self in (RunStatus.COULD_NOT_START, RunStatus.GRADER_FAULT)


@dataclass
class Report:
    status: RunStatus = RunStatus.COMPLETED
    reason: str = ""
    audit: list = field(default_factory=list)  # "event detail" lines from the kernel's audit hook
    seconds: float = 0.0


def bwrap_available():
    return shutil.which("bwrap") is not None


def _within(path, parent):
    path, parent = Path(path).resolve(), Path(parent).resolve()
    return path == parent or parent in path.parents


# The system part of the allowlist: programs and libraries (some of these are symbolic links to
# /usr on merged-/usr systems), what the dynamic linker, fontconfig and user lookups read, and the
# CPU topology torch reads at import.
SYSTEM_PATHS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc/ld.so.cache",
                "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives", "/etc/fonts", "/etc/localtime",
                "/etc/passwd", "/etc/group", "/etc/nsswitch.conf", "/sys/devices/system/cpu")


def needed_paths():
    """What the kernel must read besides the system: the Python installation (its prefixes and every
    site-packages folder on the grader's path) and the ``course`` package's own folder."""
    site_packages = [Path(entry) for entry in sys.path if Path(entry).name in ("site-packages", "dist-packages")
                     and Path(entry).is_dir()]
    paths = {p.resolve() for p in (Path(sys.prefix), Path(sys.base_prefix), Path(sys.executable).resolve().parent,
                                   COURSE_PACKAGE, *site_packages)}
    return sorted(p for p in paths if not any(p != other and _within(p, other) for other in paths))


def _system_mounts():
    mounts = []
    for path in SYSTEM_PATHS:
        if os.path.islink(path):
            mounts += ["--symlink", os.readlink(path), path]
        elif os.path.exists(path):
            mounts += ["--ro-bind", path, path]
    return mounts


def bwrap_prefix(workdir, socket_dir, hidden):
    """The bubblewrap command line that wraps the kernel (see the module docstring).

    ``hidden`` paths (the course directory) are covered again if they lie inside what the
    allowlist shows (a course directory inside the Python installation, say)."""
    command = ["bwrap", "--unshare-user", "--uid", "65534", "--gid", "65534", "--unshare-pid", "--unshare-ipc",
               "--unshare-uts", "--unshare-net", "--die-with-parent", "--new-session",
               "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", *_system_mounts()]
    shown = needed_paths()
    for path in shown:
        command += ["--ro-bind", str(path), str(path)]
    for path in (Path(h).resolve() for h in hidden):
        if any(_within(path, visible) for visible in [*shown, *map(Path, SYSTEM_PATHS)]) and path.exists():
            command += ["--tmpfs", str(path), "--remount-ro", str(path)] if path.is_dir() else \
                ["--ro-bind", "/dev/null", str(path)]
    command += ["--bind", str(workdir), str(workdir), "--bind", str(socket_dir), str(socket_dir),
                "--chdir", str(workdir), "--"]
    return command


# Run first in the process that becomes the kernel's sandbox: it asks Linux to kill it when the
# grader's process that starts it dies (PR_SET_PDEATHSIG), checks that this process is still its
# parent (the grader may have died before the request: bubblewrap's own --die-with-parent has that
# gap, and a grader killed just as it started a kernel left the kernel running for ever), then
# becomes the command.
_ORPHAN_GUARD = ("import ctypes, os, sys\n"
                 "ctypes.CDLL(None).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL\n"
                 "if os.getppid() != int(sys.argv[1]):\n"
                 "    sys.exit('the grader is gone')\n"
                 "os.execvp(sys.argv[2], sys.argv[2:])")


def orphan_guarded(command, parent=None):
    """``command``, ended by Linux when the process ``parent`` (this one) that starts it dies."""
    return [sys.executable, "-S", "-c", _ORPHAN_GUARD, str(parent or os.getpid()), *command]


def kernel_command(workdir, socket_dir, limits, connection_file):
    inner = ["prlimit", f"--as={limits.memory_mb * 1024 * 1024}", "--",
             sys.executable, "-m", KERNEL_MODULE, "-f", str(connection_file)]
    if limits.sandbox:
        return orphan_guarded(bwrap_prefix(workdir, socket_dir, limits.hidden) + inner)
    return orphan_guarded(inner)


# What nbgrader's autograde puts in the kernel's environment, and so do we: a notebook may read it
# (`course.smaller_while_grading` runs the experiments smaller while graded).
AUTOGRADE = "autograde"


def kernel_environment(workdir, limits, execution=AUTOGRADE):
    """The grading kernel's whole environment; NBGRADER_EXECUTION is ``execution`` (left out when
    None: the notebook runs as its student runs it)."""
    allowed = [str(p) for p in needed_paths()] + [str(workdir)]
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(COURSE_PACKAGE.parent),  # the kernel imports the very `course` the grader runs
        "HOME": str(workdir),
        "MPLCONFIGDIR": str(Path(workdir) / ".matplotlib"),
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "PYTHONDONTWRITEBYTECODE": "1",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "COURSE_GRADING_ALLOWED": os.pathsep.join(allowed),
        "COURSE_GRADING_COURSE_ROOT": str(limits.hidden[0]) if limits.hidden else "",
    }
    for variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env[variable] = str(limits.threads)
    if execution:
        env["NBGRADER_EXECUTION"] = execution
    return env


class _LimitedClient(NotebookClient):
    """The course's nbclient (``client.py``: no stall after widget cells) with an output limit per cell."""

    max_output_bytes = 200_000

    def output(self, outs, msg, display_id, cell_index):
        size = getattr(self, "_output_size", {}).get(cell_index, 0) + len(str(msg.get("content", "")))
        self._output_size = {**getattr(self, "_output_size", {}), cell_index: size}
        if size > self.max_output_bytes:
            if cell_index not in getattr(self, "_truncated", set()):
                self._truncated = getattr(self, "_truncated", set()) | {cell_index}
                outs.append(nbformat.v4.new_output(
                    "stream", name="stderr",
                    text=f"\n[grader: output cut after {self.max_output_bytes} bytes]\n"))
            return None
        return super().output(outs, msg, display_id, cell_index)


def _record_reply_error(cell, reply):
    """Make sure a cell whose reply is an error (a timeout included) carries an error output."""
    content = reply.get("content", {}) if reply else {}
    if content.get("status") == "error" and not any(
            o.output_type == "error" and o.ename == content.get("ename") for o in cell.outputs):
        cell.outputs.append(nbformat.v4.new_output(
            "error", ename=content.get("ename", "Error"), evalue=content.get("evalue", ""),
            traceback=content.get("traceback") or [f"{content.get('ename', 'Error')}"]))


def _not_run(cell, reason):
    cell.outputs = [nbformat.v4.new_output("error", ename="NotRun", evalue=reason,
                                           traceback=[f"NotRun: {reason}"])]


def _audit_lines(text):
    return [line[len("AUDIT "):] for line in text.splitlines() if line.startswith("AUDIT ")]


def _process_tree(manager):
    """The sandbox's processes (bubblewrap and the kernel inside), as psutil processes."""
    import psutil

    try:
        root = psutil.Process(manager.provisioner.process.pid)
        return [root, *root.children(recursive=True)]
    except Exception:  # noqa: BLE001 - no process: nothing to wait for
        return []


def _stop(manager, tree=()):
    """Kill the sandbox (bubblewrap; its PID namespace takes the kernel and any child with it) if a
    path through nbclient left it running, and wait until every process of ``tree`` is gone, so
    that a notebook's kernel never outlives its run."""
    import psutil

    try:
        process = manager.provisioner.process if manager.provisioner is not None else None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    except Exception:  # noqa: BLE001 - it is gone already
        pass
    alive = _wait_until_ended(tree, timeout=5)
    for leftover in alive:
        try:
            leftover.kill()
        except psutil.Error:
            pass
    _wait_until_ended(alive, timeout=5)


def _running(process):
    """True while ``process`` exists and is not a zombie (a zombie runs nothing and holds no memory;
    when bubblewrap is gone, its children's zombies wait for the system's init to reap them)."""
    import psutil

    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _wait_until_ended(processes, timeout):
    """Wait up to ``timeout`` seconds for every process to end; return those still running."""
    deadline = time.monotonic() + timeout
    alive = [p for p in processes if _running(p)]
    while alive and time.monotonic() < deadline:
        time.sleep(0.02)
        alive = [p for p in alive if _running(p)]
    return alive


class _OursFailed(Exception):
    """An error of the grader's own code while the kernel was alive (kept in ``error``)."""

    def __init__(self, error):
        super().__init__(str(error))
        self.error = error


class _KernelEnded(Exception):
    """An error while a cell ran, after which the kernel's process was found gone (kept in ``error``)."""

    def __init__(self, error):
        super().__init__(str(error))
        self.error = error


def _kernel_gone(manager):
    """True when the kernel's process (the sandbox around it) has ended: its exit status is known."""
    try:
        process = manager.provisioner.process if manager.provisioner is not None else None
        return process is None or process.poll() is not None
    except Exception:  # noqa: BLE001 - no provisioner left: nothing runs
        return True


def _explain(report, limits, cell_number):
    """The reason of a run that did not complete, in plain words."""
    if report.status is RunStatus.GRADER_FAULT:
        return f"the grader failed while running cell {cell_number} ({report.reason})"
    if report.status is RunStatus.TIME_LIMIT:
        return f"the notebook ran longer than {limits.notebook_timeout} s (stopped in cell {cell_number})"
    if report.status is RunStatus.KERNEL_DIED:
        return (f"the kernel stopped while running cell {cell_number} (sys.exit/os._exit, a crash, or more "
                f"than {limits.memory_mb} MB of memory)")
    return "the grading kernel could not start" + (f": {report.reason}" if report.reason else "")


def font_list_cache():
    """A folder with matplotlib's font list for this Python, built once per machine and matplotlib
    version, outside any sandbox (``~/.cache/course-grader``); None when it cannot be built. Every
    grading kernel gets a copy (``_warm_matplotlib``): otherwise each one lists the system's fonts
    (``fc-list``) and builds the list again, in its fresh home, when matplotlib is first imported."""
    try:
        folder = _font_list_folder()
        if not any(folder.glob("fontlist-*.json")):
            folder.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(dir=folder.parent) as building:
                subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], timeout=120, check=True,
                               env={**os.environ, "MPLCONFIGDIR": building}, capture_output=True)
                folder.mkdir(exist_ok=True)
                for built in Path(building).glob("fontlist-*.json"):
                    os.replace(built, folder / built.name)  # atomic: another worker may build at the same time
        return folder if any(folder.glob("fontlist-*.json")) else None
    except (OSError, subprocess.SubprocessError, importlib.metadata.PackageNotFoundError):
        return None


@functools.cache
def _font_list_folder():
    version = importlib.metadata.version("matplotlib")
    return Path.home() / ".cache" / "course-grader" / f"matplotlib-{version}-{sys.implementation.cache_tag}"


def _warm_matplotlib(workdir):
    """Put the machine's matplotlib font list into the kernel's own configuration folder (writable
    by the kernel's user, like the rest of its working directory). Only a saving: when the copy
    fails (a full disk), the kernel builds the list itself on its first plot."""
    cache = font_list_cache()
    if cache is None:
        return
    target = Path(workdir) / ".matplotlib"
    try:
        target.mkdir(exist_ok=True)
        os.chmod(target, 0o777)
        for font_list in cache.glob("fontlist-*.json"):
            shutil.copy(font_list, target / font_list.name)
            os.chmod(target / font_list.name, 0o666)
    except OSError:
        shutil.rmtree(target, ignore_errors=True)  # no half-written list for matplotlib to read


def execute(notebook: NotebookNode, limits: Limits, execution=AUTOGRADE):
    """Run every code cell of ``notebook`` (modified in place) under ``limits``; return a ``Report``.
    ``execution``: the kernel's NBGRADER_EXECUTION (`kernel_environment`)."""
    limits = limits.effective()
    report = Report()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="course-grading-") as tmp:
        workdir, socket_dir = Path(tmp) / "work", Path(tmp) / "sockets"
        workdir.mkdir()
        socket_dir.mkdir()
        os.chmod(tmp, 0o755)
        for path in (workdir, socket_dir):  # the kernel runs as `nobody`
            os.chmod(path, 0o777)
        _warm_matplotlib(workdir)
        connection_file = socket_dir / "kernel.json"
        manager = AsyncKernelManager(transport="ipc", ip=str(socket_dir / "kernel"), connection_file=str(connection_file))
        manager._kernel_spec = KernelSpec(
            argv=kernel_command(workdir, socket_dir, limits, "{connection_file}"),
            display_name="grading", language="python", interrupt_mode="message")
        client = _LimitedClient(notebook, km=manager, timeout=limits.cell_timeout, allow_errors=True,
                                interrupt_on_timeout=True, startup_timeout=120, shutdown_kernel="immediate",
                                error_on_timeout={"ename": "CellTimeoutError", "evalue": "",
                                                  "traceback": [f"CellTimeoutError: the cell ran longer than "
                                                                f"{limits.cell_timeout} s"]},
                                resources={"metadata": {"path": str(workdir)}})
        client.max_output_bytes = limits.max_output_bytes
        client.on_cell_executed = lambda cell, execute_reply, **_: _record_reply_error(cell, execute_reply)
        stderr_path = Path(tmp) / "kernel-stderr.log"
        deadline_hit = threading.Event()

        def kill_at_deadline():
            deadline_hit.set()
            try:
                if manager.has_kernel:
                    manager.provisioner.process.send_signal(signal.SIGKILL)
            except Exception:  # the kernel may be gone already
                pass

        timer = threading.Timer(limits.notebook_timeout, kill_at_deadline)
        code_cells = [(i, c) for i, c in enumerate(notebook.cells) if c.cell_type == "code"]
        done, started, tree = 0, False, []
        try:
            # The kernel's standard input: a pipe whose other end only this process holds, so the
            # kernel ends with this process however it ends (`kernel.end_with_the_grader`).
            kernel_input, grader_end = os.pipe()
            with open(stderr_path, "wb") as stderr, open(grader_end, "wb"), open(kernel_input, "rb"):
                # cleanup_kc: nbclient shuts down a kernel whose manager it was given only when asked
                with client.setup_kernel(cleanup_kc=True, stderr=stderr, stdout=subprocess.DEVNULL, stdin=kernel_input,
                                         cwd=str(workdir), env=kernel_environment(workdir, limits, execution)):
                    started = True
                    tree = _process_tree(manager)
                    timer.start()
                    try:
                        for index, cell in code_cells:
                            client.execute_cell(cell, index, store_history=True)
                            done += 1
                    except DeadKernelError:
                        raise
                    except Exception as error:  # noqa: BLE001 - judged while the kernel may still live
                        if _kernel_gone(manager):
                            raise _KernelEnded(error) from error
                        raise _OursFailed(error) from error  # the kernel lives: the error is ours
        except _OursFailed as failure:
            report.status = RunStatus.GRADER_FAULT
            report.reason = f"{type(failure.error).__name__}: {failure.error}"[:300]
        except DeadKernelError:
            report.status = RunStatus.TIME_LIMIT if deadline_hit.is_set() else RunStatus.KERNEL_DIED
        except _KernelEnded as ended:  # its process is gone: the submission's doing
            report.status = RunStatus.TIME_LIMIT if deadline_hit.is_set() else RunStatus.KERNEL_DIED
            report.reason = f"{type(ended.error).__name__}: {ended.error}"[:300]
        except Exception as error:  # noqa: BLE001 - anything else must not stop a grading run
            if deadline_hit.is_set():
                report.status = RunStatus.TIME_LIMIT
            else:  # before the kernel started, or our code around the cells while it lived
                report.status = RunStatus.COULD_NOT_START if not started else RunStatus.GRADER_FAULT
            report.reason = f"{type(error).__name__}: {error}"[:300]
        finally:
            timer.cancel()
            _stop(manager, tree)
        if report.status is not RunStatus.COMPLETED:
            report.reason = _explain(report, limits, code_cells[done][0] + 1 if done < len(code_cells)
                                     else len(notebook.cells))
            for _, cell in code_cells[done:]:
                _not_run(cell, report.reason)
        log = stderr_path.read_text(errors="replace") if stderr_path.exists() else ""
        report.audit = _audit_lines(log)
        if report.status is RunStatus.COULD_NOT_START:
            report.reason += "\n" + "\n".join(log.splitlines()[-15:])
    report.seconds = time.perf_counter() - start
    return report
