"""nbgrader configuration of the course (used by `nbgrader ...` and by `python -m course ...`)."""
from course.grader.coursedir import FALLBACK_CELL_TIMEOUT
from course.grader.preprocessors import AUTOGRADE_PREPROCESSORS

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "deep-learning-course"
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"

# The stub students see in place of a solution.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Release notebooks carry no outputs.
c.ClearOutput.enabled = True

# Plain `nbgrader autograde`: a stuck cell is interrupted and counts as an error (`python -m course
# grade` sets its limits from the reference run; both are defined in course/grader/coursedir.py).
c.Execute.timeout = FALLBACK_CELL_TIMEOUT
c.Execute.interrupt_on_timeout = True
# Only an error costs a test cell its points: a warning (or anything else) that a correct answer
# writes to stderr does not (nbgrader alone would give the cell 0; see course/grader/preprocessors.py).
c.Autograde.autograde_preprocessors = AUTOGRADE_PREPROCESSORS
# Long outputs (a print in a loop) are cut in graded notebooks and feedback.
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 100

# Feedback shows each test's result and hint, never the hidden tests (see course/grader/preprocessors.py).
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "course.grader.preprocessors.HideHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
