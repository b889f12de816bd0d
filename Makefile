# Every target sets itself up: `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
ASSIGNMENT ?= random_initialization
WORKERS ?= $(shell nproc)
SCHEDULER ?=
K ?= 60
# nbgrader runs `alembic` when it creates a gradebook, so the venv's tools must be on PATH
export PATH := $(BIN):$(PATH)

.PHONY: install lock release demo check test autograde bench feedback report export gradescope clean

install: $(VENV)/.runtime

# The floor is the one pyproject.toml declares; the lock files install on every Python from it to 3.13.
$(VENV)/.runtime: requirements/runtime.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (nbgrader 0.9.6 requires it): make PYTHON=python3.11 ..."; exit 1; }
	@$(PYTHON) -c 'import ensurepip' 2>/dev/null || \
		{ echo "$(PYTHON) cannot create virtual environments; on Debian or Ubuntu: apt-get install python3-venv"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==25.3"
	$(BIN)/python -m pip install --quiet -r requirements/runtime.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.test: $(VENV)/.runtime requirements/test.txt
	$(BIN)/python -m pip install --quiet -r requirements/test.txt
	touch $@

# Regenerate the lock files from pyproject.toml, for the oldest Python it supports and every platform.
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml --python-version 3.11.0 --universal --fork-strategy fewest --no-header --quiet
lock: $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet "uv==0.13.8"
	$(UV_COMPILE) --extra cluster -o requirements/runtime.txt
	$(UV_COMPILE) --extra cluster --extra test -c requirements/runtime.txt -o requirements/test.txt

release: install
	nbgrader generate_assignment $(ASSIGNMENT) --force

# A sample class from the test corpus, graded with plain `nbgrader autograde` in demo/.
demo: install
	rm -rf demo && mkdir demo && cp -r source nbgrader_config.py demo/
	cd demo && nbgrader generate_assignment $(ASSIGNMENT) --log-level=WARN
	cd demo && PYTHONPATH=$(CURDIR)/tests $(BIN)/python -m support.classroom $(ASSIGNMENT)
	cd demo && nbgrader autograde $(ASSIGNMENT) --log-level=WARN
	cd demo && nbgrader export --log-level=WARN
	cd demo && nbgrader generate_feedback $(ASSIGNMENT) --force --log-level=WARN
	cd demo && initgrader report $(ASSIGNMENT)
	cd demo && initgrader scores $(ASSIGNMENT)
	@echo "grades:   demo/grades.csv"
	@echo "feedback: demo/feedback/<student>/$(ASSIGNMENT)/random_initialization.html"
	@echo "report:   demo/reports/$(ASSIGNMENT)/index.html"

# Many tests wait on sandbox time limits: one process more than cores keeps the cores busy.
TEST_PROCESSES ?= $(shell expr $$(nproc) + 1)

# The fast loop: unit tests only, in well under a minute.
check: $(VENV)/.test
	$(BIN)/python -m pytest -q -m "not slow" -n $(TEST_PROCESSES) -p no:cacheprovider

test: $(VENV)/.test
	$(BIN)/python -m pytest -q -n $(TEST_PROCESSES) --dist loadgroup

autograde: install
	initgrader autograde $(ASSIGNMENT) --workers $(WORKERS) $(if $(SCHEDULER),--scheduler $(SCHEDULER))

# Beside the tests: it plants its class from the test corpus.
bench: install
	PYTHONPATH=$(CURDIR)/tests $(BIN)/python -m support.bench $(ASSIGNMENT) --count $(K) --workers $(WORKERS)

feedback: install
	nbgrader generate_feedback $(ASSIGNMENT) --force

report: install
	initgrader report $(ASSIGNMENT)

export: install
	nbgrader export
	initgrader export $(ASSIGNMENT)

# Gradescope's autograder: upload this zip on the assignment's "Configure Autograder" page.
gradescope: install
	$(BIN)/python gradescope/build.py gradescope/autograder.zip

clean:
	rm -rf demo bench
