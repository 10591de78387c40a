"""The instructor's grader: what ``python -m course`` runs. Students never import it.

One module per step, in the order a submission travels from its folder to ``grades.csv``:

1. ``coursedir``    the course directory, nbgrader's configuration, the limits (one place)
2. ``release``      generate ``release/`` from ``source/`` (with ``colab``: badge and install line);
                    ``grade`` has nbgrader generate each assignment, so the gradebook knows its cells
3. ``submissions``  find, check and sanitise each submission; ``flags`` for manual review (syntax tree)
4. ``execute``      jobs on Dask workers; each runs one notebook in ``sandbox`` with ``kernel``
5. ``record``       nbgrader records the executed notebooks in the gradebook and writes the feedback
                    (its ``preprocessors``: ``Execute``, ``ReplayExecute``, ``StderrIsNotAFailure``,
                    ``HideHiddenTests``)
6. ``report``       statuses, results, ``grades.csv``, the grade table and the summary

``pipeline.grade`` runs steps 3 to 6 and alone writes each submission's ``result.Result`` (the
steps return what they add; ``state`` remembers what earlier runs did). Around them: ``cli`` (the
command line), ``selfcheck`` (a student's visible score) and ``analytics`` (where a cohort
struggles). The demo, the benchmark and the Colab-like environment of the tests are maintainers'
tools in the repository's ``devtools/``, not in this package.

Nothing here is imported by a notebook, and nothing a Dask worker loads imports nbgrader.
"""
