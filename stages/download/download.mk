# download: fetch datasets from Kaggle, URLs and local files into data/datasets/<id>/.
# Included by the top-level Makefile; `%` is the dataset id throughout.
#
# A dataset folder is made once and then left alone: the download binary is an order-only
# prerequisite, so rebuilding it never refetches (and never reruns the stages downstream), and
# the bundled datasets, which have no source entry, are never touched. `make download` fetches
# every entry of SOURCES whose folder is missing; `make data/datasets/<id>/dataset.json` fetches
# the one entry of SOURCES with that id. DOWNLOAD_FLAGS=--force refetches (a folder whose
# content did not change is still left untouched).

## Source list for `make download` (one entry per line, see data/sources/).
SOURCES ?= data/sources/kaggle-curated.txt
## Extra flags for the download command, e.g. '--force' or '--max-bytes 100000000'.
DOWNLOAD_FLAGS ?=

.PHONY: download
download: | $(BIN)/download data/logs ## Fetch every dataset of SOURCES that is missing (Kaggle entries need credentials).
	$(LAUNCH) $(BIN)/download --sources $(SOURCES) --output data/datasets $(DOWNLOAD_FLAGS) --log-file data/logs/download.log

data/datasets/%/dataset.json data/datasets/%/data.csv: | $(BIN)/download data/logs
	$(LAUNCH) $(BIN)/download --sources $(SOURCES) --only $* --output data/datasets $(DOWNLOAD_FLAGS) \
	  --log-file data/logs/$*.download.log
