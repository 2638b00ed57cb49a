"""Python's json + gzip on the records of a gzip JSON Lines file: the baseline of `bench jsonl`.

Usage: jsonl_bench.py INPUT.jsonl.gz OUTPUT.jsonl.gz LEVEL

Loads the records of INPUT (untimed), then times writing them to OUTPUT with json.dumps and
gzip.open(..., compresslevel=LEVEL), and reading OUTPUT back with json.loads per line. Prints one
JSON object: seconds and uncompressed bytes for each phase, the record count and the version.
"""

import gzip
import json
import sys
import time


def main() -> None:
    source, output, level = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with gzip.open(source, "rb") as f:
        records = [json.loads(line) for line in f]

    dumps = json.dumps
    started = time.perf_counter()
    written = 0
    with gzip.open(output, "wb", compresslevel=level) as f:
        for record in records:
            line = (dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
            written += len(line)
            f.write(line)
    write_seconds = time.perf_counter() - started
    del records

    loads = json.loads
    started = time.perf_counter()
    count = 0
    read = 0
    with gzip.open(output, "rb") as f:
        for line in f:
            loads(line)
            read += len(line)
            count += 1
    read_seconds = time.perf_counter() - started

    json.dump(
        {
            "python": sys.version.split()[0],
            "records": count,
            "write_seconds": write_seconds,
            "write_bytes": written,
            "read_seconds": read_seconds,
            "read_bytes": read,
        },
        sys.stdout,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
