"""nbclient's ``NotebookClient``, without its random stall after cells that display widgets.

After a cell that displays ipywidgets (``interact``), the asyncio ZMQ socket sometimes misses the
wake-up of the execute reply, and nbclient then waits for it until the cell's time limit (nbclient
issue #312; on a busy machine often, for example one minute for notebook 01's learning-rate widget).
``NotebookClient`` here polls both channels in half-second slices and, once the kernel has reported
"idle" for the cell and no reply came within a few seconds, takes the reply as lost and the cell as
finished: its outputs, errors included, are already recorded, and the reply put in its place says
"error" when they hold one. Every notebook the course runs goes through it: the grading sandbox,
``python -m course check``, plain ``nbgrader autograde`` (``preprocessors.Execute``) and the tests.
"""

from __future__ import annotations

import asyncio
import queue
import time

import nbclient

SLICE_SECONDS = 0.5  # how long one wait for a message lasts
LOST_REPLY_SECONDS = 3  # how long after "idle" a missing execute reply is taken as lost


def _poll_in_slices(channel):
    """Make ``channel.get_msg`` wait in short slices, so that a message whose wake-up was missed is
    picked up within half a second."""
    original = channel.get_msg

    async def get_msg(timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            step = SLICE_SECONDS if deadline is None else max(0.0, min(SLICE_SECONDS, deadline - time.monotonic()))
            try:
                return await original(timeout=step)
            except queue.Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise

    channel.get_msg = get_msg


def reply_from_outputs(cell):
    """The content of a lost execute reply, as the cell's recorded outputs tell it."""
    errors = [output for output in cell.get("outputs", []) if output.get("output_type") == "error"]
    if not errors:
        return {"status": "ok"}
    error = errors[-1]
    return {"status": "error", "ename": error.get("ename", ""), "evalue": error.get("evalue", ""),
            "traceback": list(error.get("traceback", []))}


class NotebookClient(nbclient.NotebookClient):
    """``nbclient.NotebookClient`` with messages polled in slices and a way out of a lost reply."""

    async def _async_poll_for_reply(self, msg_id, cell, timeout, task_poll_output_msg, task_poll_kernel_alive):
        reply = asyncio.ensure_future(super()._async_poll_for_reply(
            msg_id, cell, timeout, task_poll_output_msg, task_poll_kernel_alive))
        idle_since = None
        while True:
            done, _ = await asyncio.wait({reply}, timeout=SLICE_SECONDS)
            if done:
                return reply.result()
            if task_poll_output_msg.done():
                idle_since = idle_since or time.monotonic()
                if time.monotonic() - idle_since > LOST_REPLY_SECONDS:
                    reply.cancel()
                    task_poll_kernel_alive.cancel()
                    self.log.warning("No execute reply after the kernel went idle; going on.")
                    return {"parent_header": {"msg_id": msg_id}, "content": reply_from_outputs(cell)}

    async def async_start_new_kernel_client(self):
        client = await super().async_start_new_kernel_client()
        _poll_in_slices(client.shell_channel)
        _poll_in_slices(client.iopub_channel)
        return client
