# Thin wrappers around `python -m course`; each target creates .venv when it is missing.
# No target deletes what an instructor owns (submitted/, gradebook.db, grades.csv, feedback/, autograded/).
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: demo test release lab clean

# The course's environment, then the Colab-like one its notebooks are tested in (build/colab-env:
# Colab's package versions, downloaded once; see devtools/colabenv.py).
$(STAMP): pyproject.toml requirements.lock colab-versions.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[grader,dev]"
	$(VENV)/bin/python -m devtools.colabenv
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/python -m course demo

test: $(STAMP)
	$(VENV)/bin/python -m course test

release: $(STAMP)
	$(VENV)/bin/python -m course release

lab: $(STAMP)
	$(VENV)/bin/python -m course lab

# Build artefacts only (the demo, the benchmark, the Colab-like environment, screenshots, caches).
# Never an instructor's submitted/, gradebook.db, grades.csv, feedback/ or autograded/.
clean:
	rm -rf build course.egg-info
	find . -path ./.venv -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
