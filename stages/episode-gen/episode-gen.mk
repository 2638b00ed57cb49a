# episode-gen: solve each question in the sandbox, several times, and verify the answers.

## Seed for the teacher's sampling and the sandbox workers.
EPISODE_SEED ?= 0
## Sandbox workers per dataset.
WORKERS ?= 4

EPISODE_SETTINGS := seed=$(EPISODE_SEED)

.PHONY: episodes
episodes: $(DATASETS:%=data/episodes/%.jsonl.gz) ## Produce verified episodes for every dataset (data/episodes/<id>.jsonl.gz).

data/episodes/%.jsonl.gz: data/questions/%.jsonl.gz data/datasets/%/data.csv data/stamps/episode-gen.settings $(BIN)/episode-gen $(VENV)/.installed | data/episodes data/logs
	$(LAUNCH) $(BIN)/episode-gen --questions $< --dataset data/datasets/$* --output $@ --seed $(EPISODE_SEED) --workers $(WORKERS) \
	  --log-file data/logs/$*.episode-gen.log

data/stamps/episode-gen.settings: FORCE | data/stamps
	@$(call write-if-changed,$(EPISODE_SETTINGS),$@)
