# convert: derive the training formats from every dataset's validated episodes, split by dataset.
# Included by the top-level Makefile. One run reads all of data/validated/*.jsonl.gz; each output
# file (data/train/<format>/{train,val,test}.jsonl.gz and data/train/README.md) is rewritten only
# when its bytes change, so a rerun with nothing new leaves data/train untouched.

## Training formats convert writes: comma-separated names (sft,sft-openai,sft-interleaved,prm,prm-openrlhf,dpo,kto,orm,rl) or 'all'.
FORMATS ?= all
## Train, validation and test ratios, by number of datasets (no dataset is in two splits).
SPLIT ?= 0.8,0.1,0.1
## Seed of the dataset-to-split assignment.
SPLIT_SEED ?= 0
## How code appears in the sft, dpo and kto formats: 'tool-calls' or 'fenced'.
CODE_STYLE ?= tool-calls
## Whether the sft formats include self-correcting traces: 'yes' or 'no' (flawed traces never are).
SFT_RECOVERIES ?= no

CONVERT_SETTINGS := formats=$(FORMATS) split=$(SPLIT) seed=$(SPLIT_SEED) code-style=$(CODE_STYLE) sft-recoveries=$(SFT_RECOVERIES)

.PHONY: train-data
train-data: data/train/README.md ## Validate every dataset's episodes and convert them to training formats (data/train/<format>/{train,val,test}.jsonl.gz, data/train/README.md).

data/stamps/convert.done: $(DATASETS:%=data/stamps/validate/%.sha256) data/stamps/convert.settings $(BIN)/convert \
    $(call missing,data/train/README.md) | data/train data/logs data/stamps
	$(LAUNCH) $(BIN)/convert --input data/validated --output data/train --datasets data/datasets \
	  --formats $(FORMATS) --split $(SPLIT) --seed $(SPLIT_SEED) --code-style $(CODE_STYLE) $(if $(filter yes,$(SFT_RECOVERIES)),--sft-recoveries) --log-file data/logs/convert.log
	touch $@

data/train/README.md: data/stamps/convert.done ;

data/stamps/convert.settings: FORCE | data/stamps
	@$(call write-if-changed,$(CONVERT_SETTINGS),$@)
