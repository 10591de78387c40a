"""The course's nbclient (course/grader/client.py): a message whose wake-up was missed is picked up
within a slice, not at the end of the cell's time limit (nbclient issue #312)."""

import asyncio
import queue
import time

from course.grader import client


class MissedWakeUp:
    """A channel holding one message whose arrival the first wait does not notice: that wait lasts its
    whole timeout, as a real one does when the socket's wake-up is lost; the next wait finds it."""

    def __init__(self):
        self.waits = []

    async def get_msg(self, timeout=None):
        self.waits.append(timeout)
        if len(self.waits) == 1:
            await asyncio.sleep(timeout)
            raise queue.Empty
        return {"msg_type": "execute_reply"}


def test_a_missed_wake_up_costs_one_slice_not_the_time_limit():
    channel = MissedWakeUp()
    client._poll_in_slices(channel)
    start = time.monotonic()
    message = asyncio.run(channel.get_msg(timeout=60))
    assert message == {"msg_type": "execute_reply"}
    assert time.monotonic() - start < 5 and channel.waits[0] <= client.SLICE_SECONDS


def test_no_message_still_ends_at_the_time_limit():
    class Silent:
        async def get_msg(self, timeout=None):
            await asyncio.sleep(timeout)
            raise queue.Empty

    channel = Silent()
    client._poll_in_slices(channel)
    start = time.monotonic()
    try:
        asyncio.run(channel.get_msg(timeout=1.2))
    except queue.Empty:
        elapsed = time.monotonic() - start
    else:
        raise AssertionError("a silent channel returned a message")
    assert 1.1 < elapsed < 3


def test_a_lost_reply_tells_the_error_the_outputs_hold():
    ok = {"outputs": [{"output_type": "stream", "name": "stdout", "text": "hi"}]}
    failed = {"outputs": [{"output_type": "error", "ename": "ValueError", "evalue": "bad", "traceback": ["tb"]}]}
    assert client.reply_from_outputs(ok) == {"status": "ok"}
    assert client.reply_from_outputs(failed) == {"status": "error", "ename": "ValueError", "evalue": "bad",
                                                 "traceback": ["tb"]}


def test_nbgrader_autograde_goes_on_after_a_lost_reply(monkeypatch):
    """`nbgrader autograde`'s execute step (preprocessors.Execute): a reply that never comes costs a few
    seconds, not the cell's time limit, and an error the cell printed still counts as one."""
    import nbclient
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    from course.grader.preprocessors import Execute

    async def never_replies(self, *args, **kwargs):
        await asyncio.sleep(3600)

    monkeypatch.setattr(nbclient.NotebookClient, "_async_poll_for_reply", never_replies)
    monkeypatch.setattr(client, "LOST_REPLY_SECONDS", 0.5)
    notebook = new_notebook(cells=[new_code_cell("print('fine')"), new_code_cell("1 / 0")])
    start = time.monotonic()
    executed, _ = Execute(timeout=60).preprocess(nbformat.from_dict(notebook), {"metadata": {"path": "."}})
    assert time.monotonic() - start < 30
    first, second = executed.cells
    assert [o.get("text") for o in first.outputs] == ["fine\n"]
    assert [o.ename for o in second.outputs if o.output_type == "error"] == ["ZeroDivisionError"]
