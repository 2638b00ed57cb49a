# episode-gen: solve each question in the sandbox and verify the answers.
# Same stamp scheme as question-gen: data/episodes/<id>.jsonl.gz changes only with its content.

## Seed of 'random' and NumPy in the sandbox, set again before every question.
EPISODE_SEED ?= 0
## Sandbox workers (questions solved at once) per dataset.
WORKERS ?= 2

EPISODE_SETTINGS := seed=$(EPISODE_SEED)

.PHONY: episodes
episodes: $(DATASETS:%=data/episodes/%.jsonl.gz) ## Produce verified episodes for every dataset (data/episodes/<id>.jsonl.gz).

data/stamps/episode-gen/%.done: data/stamps/question-gen/%.sha256 data/datasets/%/data.csv data/stamps/episode-gen.settings \
    $(BIN)/episode-gen $(VENV)/.installed $$(call missing,data/episodes/$$*.jsonl.gz) | data/episodes data/logs data/stamps/episode-gen
	$(LAUNCH) $(BIN)/episode-gen --questions data/questions/$*.jsonl.gz --dataset data/datasets/$* --output data/episodes/$*.jsonl.gz \
	  --seed $(EPISODE_SEED) --workers $(WORKERS) --log-file data/logs/$*.episode-gen.log
	touch $@

data/stamps/episode-gen/%.sha256: data/stamps/episode-gen/%.done
	$(call fingerprint,data/episodes/$*.jsonl.gz)

data/episodes/%.jsonl.gz: data/stamps/episode-gen/%.sha256 ;

data/stamps/episode-gen.settings: FORCE | data/stamps
	@$(call write-if-changed,$(EPISODE_SETTINGS),$@)
