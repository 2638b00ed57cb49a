# question-gen: profile a dataset and write questions about it.
# Included by the top-level Makefile; `%` is the dataset id throughout.

## Seed for every random choice of question-gen.
QUESTION_SEED ?= 0
## Most template questions per dataset.
MAX_QUESTIONS ?= 40

QUESTION_SETTINGS := seed=$(QUESTION_SEED) max=$(MAX_QUESTIONS)

.PHONY: questions
questions: $(DATASETS:%=data/questions/%.jsonl.gz) ## Write questions for every dataset (data/questions/<id>.jsonl.gz).

data/questions/%.jsonl.gz: data/datasets/%/data.csv data/datasets/%/dataset.json data/stamps/question-gen.settings $(BIN)/question-gen | data/questions data/logs
	$(LAUNCH) $(BIN)/question-gen --dataset data/datasets/$* --output $@ --seed $(QUESTION_SEED) --max-questions $(MAX_QUESTIONS) \
	  --log-file data/logs/$*.question-gen.log

data/stamps/question-gen.settings: FORCE | data/stamps
	@$(call write-if-changed,$(QUESTION_SETTINGS),$@)
