"""Loads every training format that `convert` wrote with Hugging Face `datasets` and checks the
column types Arrow gives them.

Usage: check_training_data.py DIR [--code-style tool-calls|fenced]

For each folder DIR/<format>/ it loads the non-empty split files together, exactly as the
dataset card says (`load_dataset("json", data_files={...})`), and compares every column's
feature type with the one expected below. Prints one JSON object (format -> rows per split and
the feature types found) on stdout; exits 1 with one line per problem on stderr, 0 when every
format loads with the expected types. Runs offline, with a private cache.
"""

import argparse
import gzip
import json
import os
import sys
import tempfile

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

SPLITS = {"train": "train", "val": "validation", "test": "test"}

IDS = {
    "id": "string",
    "dataset_id": "string",
    "question_id": "string",
    "episode_id": "string",
    "source": "string",
    "difficulty": "string",
}
TRACE = {"trace_index": "int64", "trace_role": "string"}
PLAIN = "list<{role: string, content: string}>"
CALL = "{id: string, type: string, function: {name: string, arguments: {code: string}}}"
TOOL_MESSAGE = (
    "list<{role: string, content: string, tool_calls: list<" + CALL + ">, tool_call_id: string, name: string}>"
)
TOOLS = (
    "list<{type: string, function: {name: string, description: string, parameters: {type: string, "
    "properties: {code: {type: string, description: string}}, required: list<string>}}}>"
)


def expected(code_style):
    tool_calls = code_style == "tool-calls"
    message = TOOL_MESSAGE if tool_calls else PLAIN
    tools = {"tools": TOOLS} if tool_calls else {}
    return {
        "sft": {"messages": message, **tools, **IDS, **TRACE},
        # Role-specific keys: datasets >= 4 types the heterogeneous messages as Json.
        "sft-openai": {"messages": "list<json>", "tools": TOOLS, "parallel_tool_calls": "bool"},
        "sft-interleaved": {"messages": PLAIN, **IDS, **TRACE},
        "prm": {
            "prompt": "string",
            "completions": "list<string>",
            "labels": "list<bool>",
            "scores": "list<float64>",
            "trace_correct": "bool",
            "first_bad_step": "int64",
            **IDS,
            **TRACE,
            "mistake": "string",
        },
        "prm-openrlhf": {
            "input": "string",
            "value": "list<string>",
            "first_bad_step": "int64",
            **IDS,
            **TRACE,
            "mistake": "string",
        },
        "dpo": {
            "prompt": PLAIN,
            "chosen": message,
            "rejected": message,
            **tools,
            **IDS,
            "chosen_trace_index": "int64",
            "rejected_trace_index": "int64",
            "chosen_answer": "string",
            "rejected_answer": "string",
        },
        "kto": {"prompt": PLAIN, "completion": message, "label": "bool", **tools, **IDS, **TRACE, "answer": "string"},
        "orm": {"prompt": "string", "completion": "string", "label": "bool", **IDS, **TRACE, "answer": "string"},
        "rl": {
            "prompt": PLAIN,
            "ground_truth": "string",
            "accepted_answers": "string",
            "output_schema": "string",
            "tolerance": "float64",
            **IDS,
        },
    }


def describe(feature):
    """A compact, version-independent description of a `datasets` feature type."""
    from datasets import Value

    name = type(feature).__name__
    if isinstance(feature, dict):
        return "{" + ", ".join(f"{key}: {describe(value)}" for key, value in feature.items()) + "}"
    if isinstance(feature, list):
        return "list<" + describe(feature[0]) + ">"
    if isinstance(feature, Value):
        return {"large_string": "string"}.get(feature.dtype, feature.dtype)
    if name in ("List", "Sequence", "LargeList"):
        inner = feature.feature
        return "list<" + describe(inner) + ">"
    if name == "Json":
        return "json"
    return name


def non_empty(path):
    with gzip.open(path, "rb") as handle:
        return any(line.strip() for line in handle)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder")
    parser.add_argument("--code-style", choices=["tool-calls", "fenced"], default="tool-calls")
    arguments = parser.parse_args()

    from datasets import load_dataset

    wanted = expected(arguments.code_style)
    problems = []
    report = {}
    with tempfile.TemporaryDirectory(prefix="hf-cache-") as cache:
        for format_name in sorted(os.listdir(arguments.folder)):
            folder = os.path.join(arguments.folder, format_name)
            if not os.path.isdir(folder):
                continue
            if format_name not in wanted:
                problems.append(f"{folder}: unknown format folder")
                continue
            files = {}
            for stem, split in SPLITS.items():
                path = os.path.join(folder, stem + ".jsonl.gz")
                if not os.path.exists(path):
                    problems.append(f"{path}: missing split file")
                elif non_empty(path):
                    files[split] = path
            if not files:
                report[format_name] = {"rows": {}, "features": {}}
                continue
            try:
                loaded = load_dataset("json", data_files=files, cache_dir=cache)
            except Exception as error:  # noqa: BLE001 - every failure is a finding
                problems.append(f"{folder}: load_dataset failed: {type(error).__name__}: {error}")
                continue
            rows = {split: loaded[split].num_rows for split in files}
            found = {}
            for split in files:
                features = {column: describe(feature) for column, feature in loaded[split].features.items()}
                found = found or features
                if list(features) != list(wanted[format_name]):
                    problems.append(
                        f"{folder} ({split}): columns {list(features)}; expected {list(wanted[format_name])}"
                    )
                for column, kind in wanted[format_name].items():
                    if column in features and features[column] != kind:
                        problems.append(f"{folder} ({split}): '{column}' is {features[column]}; expected {kind}")
            report[format_name] = {"rows": rows, "features": found}
    json.dump(report, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
