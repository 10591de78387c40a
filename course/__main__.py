import sys

from course.grader.cli import main

sys.exit(main())
