# question-gen: profile a dataset and write questions about it.
# Included by the top-level Makefile; `%` is the dataset id throughout.
#
# The stage runs when its inputs, its binary, the sandbox's environment (it profiles the table
# there) or its settings change, and touches a stamp; it rewrites data/questions/<id>.jsonl.gz
# only when the questions' bytes change, so a rebuilt binary that writes the same questions does
# not rerun the episodes (see `stage-outputs` in the Makefile).

## Seed for the order of question-gen's column choices (0 keeps the templates' own order).
QUESTION_SEED ?= 0
## Most template questions per dataset.
MAX_QUESTIONS ?= 40

## LLM questions asked for per dataset (LLM path only).
LLM_QUESTIONS ?= 10
## Turns the model explores a table in the sandbox before it proposes questions (LLM path only).
EXPLORATION_TURNS ?= 6

QUESTION_SETTINGS := seed=$(QUESTION_SEED) max=$(MAX_QUESTIONS) \
  $(if $(LLM_ON),llm_questions=$(LLM_QUESTIONS) exploration=$(EXPLORATION_TURNS)) $(LLM_QUESTION_SETTINGS)

.PHONY: questions
questions: $(DATASETS:%=data/questions/%.jsonl.gz) ## Write questions for every dataset (data/questions/<id>.jsonl.gz).

data/stamps/question-gen/%.done: data/datasets/%/data.csv data/datasets/%/dataset.json data/stamps/question-gen.settings \
    $(BIN)/question-gen $(VENV)/.installed $$(call missing,data/questions/$$*.jsonl.gz) | data/questions data/logs data/stamps/question-gen
	$(LAUNCH) $(BIN)/question-gen --dataset data/datasets/$* --output data/questions/$*.jsonl.gz \
	  --seed $(QUESTION_SEED) --max-questions $(MAX_QUESTIONS) \
	  $(if $(LLM_ON),--llm-questions $(LLM_QUESTIONS) --exploration-turns $(EXPLORATION_TURNS)) \
	  --log-file data/logs/$*.question-gen.log
	touch $@

data/stamps/question-gen/%.sha256: data/stamps/question-gen/%.done
	$(call fingerprint,data/questions/$*.jsonl.gz)

data/questions/%.jsonl.gz: data/stamps/question-gen/%.sha256 ;

data/stamps/question-gen.settings: FORCE | data/stamps
	@$(call write-if-changed,$(QUESTION_SETTINGS),$@)
