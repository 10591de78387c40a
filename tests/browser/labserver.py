"""A JupyterLab server for the browser test: loopback only, free port, own token and settings.

The server runs from this Python environment, so the nbgrader server and lab extensions that the
environment enables are on. It is started in its own process group and stopped by its PID.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

# Settings of the test's JupyterLab: every cell in the page (no windowing, so the test sees all of
# them) and no news or update check (the machine has no internet and the toast hides cells).
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"checkForUpdates": False,
                                                                         "fetchNews": "false"},
}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class JupyterLab:
    """``with JupyterLab(workspace) as lab: page.goto(lab.url("lab/tree/x.ipynb"))``."""

    def __init__(self, workspace, state_dir, start_timeout=90):
        self.workspace, self.state_dir = Path(workspace), Path(state_dir)
        self.start_timeout = start_timeout
        self.port, self.token = free_port(), secrets.token_hex(16)
        self.process = None
        self.log_path = self.state_dir / "jupyterlab.log"

    def url(self, path):
        return f"http://127.0.0.1:{self.port}/{path}?token={self.token}"

    def _environment(self):
        settings = self.state_dir / "lab-settings"
        for name, values in LAB_SETTINGS.items():
            (settings / name).parent.mkdir(parents=True, exist_ok=True)
            (settings / name).write_text(json.dumps(values))
        env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(settings),
                   JUPYTERLAB_WORKSPACES_DIR=str(self.state_dir / "lab-workspaces"),
                   JUPYTER_CONFIG_DIR=str(self.state_dir / "config"),
                   JUPYTER_RUNTIME_DIR=str(self.state_dir / "runtime"),
                   OMP_NUM_THREADS="1", PYTHONWARNINGS="ignore::DeprecationWarning")
        env.pop("JPY_PARENT_PID", None)
        return env

    def start(self):
        command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
                   f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
                   f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.workspace}"]
        if os.geteuid() == 0:  # CI containers run as root
            command.append("--allow-root")
        self.state_dir.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(command, cwd=self.workspace, env=self._environment(), stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with code {self.process.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url("api/status"), timeout=2) as reply:
                    if reply.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"JupyterLab did not answer within {self.start_timeout} s:\n{self.log()}")

    def stop(self):
        """Stop the server (and the kernels it started) by its PID; always safe to call."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # the server shuts its kernels down on SIGTERM
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # its own process group: the server and its kernels
            self.process.wait()

    def log(self):
        return self.log_path.read_text(errors="replace")[-5000:] if self.log_path.exists() else ""

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
