# episode-gen: solve each question in the sandbox and verify the answers.
# Same stamp scheme as question-gen: data/episodes/<id>.jsonl.gz changes only with its content.

## Seed of 'random' and NumPy in the sandbox, set again before every question.
EPISODE_SEED ?= 0
## Sandbox workers per dataset: traces run at once (more with an LLM, whose calls mostly wait).
WORKERS ?= $(if $(LLM_ON),8,2)
## Consistency traces per difficulty on the LLM path, e.g. easy=2,medium=2,hard=4,very_hard=6 (empty: those defaults).
CONSISTENCY ?=
## Flawed traces per template question (program teacher): a catalogued mistake carried on to a wrong answer.
NEGATIVES ?= 2
## Self-correcting traces per template question (program teacher): a mistake, a check that reveals it, the fix.
RECOVERIES ?= 1

EPISODE_SETTINGS := seed=$(EPISODE_SEED) consistency=$(CONSISTENCY) negatives=$(NEGATIVES) recoveries=$(RECOVERIES) $(LLM_TEACHER_SETTINGS)

.PHONY: episodes
episodes: $(DATASETS:%=data/episodes/%.jsonl.gz) ## Produce verified episodes for every dataset (data/episodes/<id>.jsonl.gz).

data/stamps/episode-gen/%.done: data/stamps/question-gen/%.sha256 data/datasets/%/data.csv data/stamps/episode-gen.settings \
    $(BIN)/episode-gen $(VENV)/.installed $$(call missing,data/episodes/$$*.jsonl.gz) | data/episodes data/logs data/stamps/episode-gen
	$(LAUNCH) $(BIN)/episode-gen --questions data/questions/$*.jsonl.gz --dataset data/datasets/$* --output data/episodes/$*.jsonl.gz \
	  --seed $(EPISODE_SEED) --workers $(WORKERS) $(if $(CONSISTENCY),--consistency $(CONSISTENCY)) \
	  --negatives $(NEGATIVES) --recoveries $(RECOVERIES) \
	  --log-file data/logs/$*.episode-gen.log
	touch $@

data/stamps/episode-gen/%.sha256: data/stamps/episode-gen/%.done
	$(call fingerprint,data/episodes/$*.jsonl.gz)

data/episodes/%.jsonl.gz: data/stamps/episode-gen/%.sha256 ;

data/stamps/episode-gen.settings: FORCE | data/stamps
	@$(call write-if-changed,$(EPISODE_SETTINGS),$@)
