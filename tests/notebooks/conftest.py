"""The Colab-like environment (`devtools/colabenv.py`) for the tests of this folder."""

import os
from pathlib import Path

import pytest
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

from course.grader import coursedir
from devtools import colabenv


@pytest.fixture(scope="session")
def colab_env():
    """The folder of the Colab-like environment: the one `python -m course test` built and made
    visible (JUPYTER_PATH), used as it is (nbval's kernels may be running from it on another
    worker); built here when the tests run without it."""
    try:
        spec = KernelSpecManager().get_kernel_spec(colabenv.KERNEL_NAME)
        return Path(spec.argv[0]).parent.parent
    except NoSuchKernel:
        path = colabenv.ensure(coursedir.REPO_ROOT, log=lambda *_: None)
        os.environ["JUPYTER_PATH"] = colabenv.jupyter_path(path)
        return path
