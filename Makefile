# The pipeline as a dependency graph: download → question-gen → episode-gen → validate → convert.
# `make help` lists the targets; README.md explains the settings.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
.SECONDARY:
.SUFFIXES:
.SECONDEXPANSION:
MAKEFLAGS += --warn-undefined-variables --no-builtin-rules
.DEFAULT_GOAL := help

# ---------------------------------------------------------------------------------------------
# Settings (override on the command line: `make episodes SEED=7`).

## Swift build configuration of the stage binaries.
CONFIG ?= release
## Prefix for every stage command, e.g. LAUNCH='srun -n1 -c2' to run each recipe as a Slurm step.
LAUNCH ?=
## Interpreter the sandbox's virtual environment is built from (Debian's CPython 3.11).
SYSTEM_PYTHON ?= /usr/bin/python3.11
## Datasets to process: the folders of data/datasets that hold a dataset.json.
DATASETS ?= $(sort $(patsubst data/datasets/%/dataset.json,%,$(wildcard data/datasets/*/dataset.json)))

# The LLM paths (README "With an LLM"). The stages read the LLM_* variables from the environment
# themselves; Make only needs those that change a result, to record them in the settings stamps
# (so changing the teacher model reruns the episodes but not the questions). The API key is never
# written anywhere.
## OpenAI-compatible endpoint, e.g. https://api.openai.com/v1; set, it switches the LLM paths on.
LLM_BASE_URL ?=
## Model for both roles (LLM_TEACHER_MODEL and LLM_QUESTION_MODEL override it per role).
LLM_MODEL ?=
LLM_TEACHER_MODEL ?=
LLM_QUESTION_MODEL ?=
## 'replay' answers every LLM call from data/cache and never uses the network.
LLM_CACHE ?=
LLM_TEMPERATURE ?=
LLM_TOP_P ?=
LLM_MAX_TOKENS ?=
LLM_SEED ?=
LLM_EXTRA_BODY ?=
LLM_ON := $(if $(strip $(LLM_BASE_URL))$(filter replay,$(LLM_CACHE)),yes,)
LLM_SAMPLING := temperature=$(LLM_TEMPERATURE) top_p=$(LLM_TOP_P) max_tokens=$(LLM_MAX_TOKENS) seed=$(LLM_SEED) extra=$(LLM_EXTRA_BODY)
LLM_QUESTION_SETTINGS := $(if $(LLM_ON),llm=$(LLM_BASE_URL) model=$(or $(LLM_QUESTION_MODEL),$(LLM_MODEL)) $(LLM_SAMPLING),llm=off)
LLM_TEACHER_SETTINGS := $(if $(LLM_ON),llm=$(LLM_BASE_URL) model=$(or $(LLM_TEACHER_MODEL),$(LLM_MODEL)) $(LLM_SAMPLING),llm=off)

BIN   := .build/$(CONFIG)
VENV  := .venv
# The test-only environment with Hugging Face `datasets` (the convert end-to-end test finds it
# at this path; without it, that test's load check is skipped and says why).
TEST_VENV := .venv-test
STAGE_BINARIES := $(addprefix $(BIN)/,download question-gen episode-gen validate convert sandbox bench)
APT_PACKAGES := bubblewrap python3-seccomp python3-venv zlib1g-dev pkg-config

# $(call write-if-changed,TEXT,FILE): rewrite FILE only when its content would change, so that
# settings stamps keep their mtime (and their dependents stay up to date) across runs. TEXT goes
# to the shell in single quotes, so its own single quotes are written as '\''.
shell-quoted = '$(subst ','\'',$(1))'
write-if-changed = printf '%s\n' $(call shell-quoted,$(1)) | cmp -s - $(2) || printf '%s\n' $(call shell-quoted,$(1)) > $(2)

# $(call missing,FILE): FORCE when FILE does not exist. A stage's stamp lists its output this
# way, so deleting an output reruns exactly the stage (and dataset) that makes it.
missing = $(if $(wildcard $(1)),,FORCE)

# stage-outputs: each stage rule runs its command and touches data/stamps/<stage>/<id>.done.
# The stage rewrites its output only when the bytes change, and a fingerprint,
# data/stamps/<stage>/<id>.sha256, is rewritten only then too: the next stage depends on the
# fingerprint, so it reruns exactly when its input's content changed (a rebuilt binary that
# writes the same questions does not rerun the episodes). The output file itself hangs off the
# fingerprint, so `make data/episodes/<id>.jsonl.gz` works.
#
# $(call fingerprint,FILE): a recipe line writing FILE's SHA-256 to $@ when it differs.
fingerprint = @sum=$$(sha256sum < $(1)); printf '%s\n' "$$sum" | cmp -s - $@ || printf '%s\n' "$$sum" > $@

include $(sort $(wildcard stages/*/*.mk))

STAGE_DIRECTORIES := data/questions data/episodes data/validated data/train data/logs data/stamps \
  $(addprefix data/stamps/,question-gen episode-gen validate convert)
$(STAGE_DIRECTORIES):
	mkdir -p $@

# ---------------------------------------------------------------------------------------------
# Setup.

.PHONY: help setup system-packages venv test-venv build test bench clean FORCE

help: ## List the targets and the settings, with one line each.
	@echo "Targets:"
	@grep -hE '^[a-zA-Z0-9_%/.-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([^:]+):.*## (.*)/\1\t\2/' | sort -u | \
	  awk -F '\t' '{ printf "  %-20s %s\n", $$1, $$2 }'
	@echo "Settings (make TARGET NAME=value):"
	@awk '/^## / { doc = substr($$0, 4); next } /^[A-Z_]+ \?=/ && doc != "" { printf "  %-20s %s\n", $$1, doc } { doc = "" }' $(MAKEFILE_LIST)

setup: system-packages venv build ## Install the system packages and the sandbox's Python environment, and build the stages.

system-packages: ## Install the Debian packages the pipeline needs (bubblewrap, seccomp, zlib, venv).
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  sudo=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi

venv: $(VENV)/.installed ## Build the sandbox's Python environment from stages/sandbox/requirements.txt.

$(VENV)/.installed: stages/sandbox/requirements.txt | system-packages
	rm -rf $(VENV)
	$(SYSTEM_PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --no-cache-dir --disable-pip-version-check --no-deps -r $<
	$(VENV)/bin/pip check
	$(VENV)/bin/python -m compileall -q -j 0 $(VENV)/lib >/dev/null
	touch $@

test-venv: $(TEST_VENV)/.installed ## Build the test-only Python environment (.venv-test) with pinned Hugging Face datasets.

$(TEST_VENV)/.installed: stages/convert/test-requirements.txt | system-packages
	rm -rf $(TEST_VENV)
	$(SYSTEM_PYTHON) -m venv $(TEST_VENV)
	$(TEST_VENV)/bin/pip install --quiet --no-cache-dir --disable-pip-version-check --no-deps -r $<
	$(TEST_VENV)/bin/pip check
	touch $@

build: $(STAGE_BINARIES) ## Build the release binaries of every stage.

# Building needs zlib's headers, found through pkg-config. `build` installs nothing: without
# them it stops and names the target that installs them.
NEED_ZLIB := [ "$$(uname -s)" != Linux ] || pkg-config --exists zlib 2>/dev/null || { echo "error: building needs zlib's headers and pkg-config \
  (Debian packages zlib1g-dev pkg-config); run 'make setup' or 'make system-packages' first" >&2; exit 1; }

# One SwiftPM invocation builds every product when a source changed; without a change Make runs
# nothing at all (a no-op rerun). The binaries are then touched together, so every stage sees
# the rebuild; the fingerprints keep stages downstream of an unchanged output from rerunning.
SWIFT_SOURCES := Package.swift $(shell find Sources -type f)
$(STAGE_BINARIES) &: $(SWIFT_SOURCES)
	@$(NEED_ZLIB)
	swift build -c $(CONFIG)
	touch $(STAGE_BINARIES)

# Suites whose tests wait on time (an in-process loopback server answering, a signal cancelling
# a sleep) run in a second pass. No test blocks a thread of Swift's cooperative pool any more,
# but on two cores the pool has two threads, and in one pass the CPU-bound suites (sandbox runs,
# differential decoding) queue every resumed task behind them for tens of seconds: the fetcher's
# and the client's own timeouts then fire and they retry (CI saw this on the single pass).
TIMED_SUITES := LoopbackHTTPServerTests|ScriptedChatServerTests|LLMClientTests|LLMServiceTests|HTTPFetcherTests|KaggleClientTests|DownloadStageTests|LLMEpisodeTests|LLMQuestionGenTests|DownloadCommandTests|InterruptTests

test: system-packages venv test-venv ## Run the whole test suite: unit, sandbox integration and end-to-end tests.
	@$(NEED_ZLIB)
	swift build --build-tests
	swift test --skip-build --skip '$(TIMED_SUITES)'
	swift test --skip-build --filter '$(TIMED_SUITES)'

bench: build venv ## Measure throughput and memory (figures and ratios, printed; nothing asserted).
	$(BIN)/bench jsonl --python $(SYSTEM_PYTHON)
	$(BIN)/bench sandbox --python $(VENV)/bin/python
	$(BIN)/bench episodes --python $(VENV)/bin/python
	$(BIN)/bench llm

clean: ## Remove derived data (questions, episodes, validated, train, logs); never the datasets.
	rm -rf data/questions data/episodes data/validated data/train data/logs data/stamps

FORCE:
