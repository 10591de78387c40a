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
