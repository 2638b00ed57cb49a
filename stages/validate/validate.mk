# validate: check each dataset's episodes and keep those that pass every rule.
# Same stamp scheme as the other stages: data/validated/<id>.jsonl.gz and its report
# (data/validated/<id>.report.json) are rewritten only when their bytes change. Dropped episodes
# are data, counted in the report; the recipe fails only on an input it cannot read.

## Keep episodes that pass every rule but are not verified (for DPO and analysis): 'yes' or 'no'.
KEEP_UNVERIFIED ?= no

VALIDATE_SETTINGS := keep-unverified=$(KEEP_UNVERIFIED)

.PHONY: validated
validated: $(DATASETS:%=data/validated/%.jsonl.gz) ## Check every dataset's episodes and keep those that pass (data/validated/<id>.jsonl.gz + .report.json).

data/stamps/validate/%.done: data/stamps/episode-gen/%.sha256 data/stamps/validate.settings \
    $(BIN)/validate $$(call missing,data/validated/$$*.jsonl.gz) | data/validated data/logs data/stamps/validate
	$(LAUNCH) $(BIN)/validate --input data/episodes/$*.jsonl.gz --output data/validated/$*.jsonl.gz --report data/validated/$*.report.json \
	  $(if $(filter yes,$(KEEP_UNVERIFIED)),--keep-unverified) --log-file data/logs/$*.validate.log
	touch $@

data/stamps/validate/%.sha256: data/stamps/validate/%.done
	$(call fingerprint,data/validated/$*.jsonl.gz)

data/validated/%.jsonl.gz: data/stamps/validate/%.sha256 ;

data/validated/%.report.json: data/stamps/validate/%.done ;

data/stamps/validate.settings: FORCE | data/stamps
	@$(call write-if-changed,$(VALIDATE_SETTINGS),$@)
