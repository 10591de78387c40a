"""The maintainers' tools, in the repository only: not part of the ``course`` package that students
and instructors install.

* ``demo``      fictional students and submissions built from answers (``python -m course demo``,
                the benchmark and the tests);
* ``bench``     the grader against plain sequential nbgrader on a generated cohort
                (``python -m course bench-grade``);
* ``colabenv``  the Colab-like environment the notebooks are tested in (``python -m course test``, ``make``).

``python -m course`` loads them from the checkout it belongs to.
"""
