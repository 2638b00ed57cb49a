"""Regenerate the bundled tables under data/datasets/ from pinned PyPI packages.

Each table is copied from a CSV file that ships inside a Python package (palmerpenguins,
scikit-learn, statsmodels, vega_datasets), lightly normalised, and written as
data/datasets/<id>/data.csv with its data/datasets/<id>/dataset.json record (the Swift
`Dataset` type in Sources/AnalysisTraces/Records/Dataset.swift). The script also writes
data/datasets/README.md.

How to run (from the repository root; needs PyPI once, nothing else):

    /usr/bin/python3 -m venv /tmp/bundle-venv
    /tmp/bundle-venv/bin/pip install -r stages/download/bundle-requirements.txt
    /tmp/bundle-venv/bin/python stages/download/bundle_datasets.py

Options: --out DIR writes somewhere other than data/datasets/ (for comparing two runs).

What the script guarantees:
- it refuses to run unless the installed package versions equal the pins below, and unless
  every upstream file has the SHA-256 recorded below, so a rerun reads the same bytes;
- values are copied as the upstream text, never re-formatted (no float rounding); the only
  changes are the ones each table's description states (missing-value tokens written as
  empty fields, dates rewritten as ISO YYYY-MM-DD, category codes decoded with the labels the
  upstream file itself gives, column names in snake_case);
- output is deterministic: UTF-8, comma-separated, header row, LF line endings, minimal
  quoting, fixed `fetched_at`; running it twice gives byte-identical files;
- no output cell equals a loader NA token unless it is meant to be missing.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import hashlib
import importlib.metadata
import io
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

# When these tables were generated (provenance). Fixed so that reruns give identical files.
FETCHED_AT = "2026-11-29T13:40:00Z"

# The package versions the tables come from (must match bundle-requirements.txt).
PINS = {
    "palmerpenguins": "0.1.6",
    "scikit-learn": "1.9.1",
    "statsmodels": "0.15.0",
    "vega-datasets": "0.9.0",
}

# LoaderSettings.defaultNAValues in Sources/AnalysisTraces/Records/Dataset.swift, same order.
NA_VALUES = [
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
]

REPO_ROOT = Path(__file__).resolve().parents[2]

Table = tuple[list[str], list[list[str]]]


class BundleError(Exception):
    pass


@dataclass(frozen=True)
class Spec:
    id: str
    title: str
    description: str
    dist: str  # PyPI distribution name, a key of PINS
    path: str  # the file's path inside the installed distribution (relative to site-packages)
    upstream_sha256: str
    license: dict
    transform: Callable[[list[list[str]]], Table]
    kinds: dict  # column -> "num" | "int" | "date" | "text": checked after the transform

    @property
    def file(self) -> str:
        return self.path.rsplit("/", 1)[-1]


# ----------------------------------------------------------------------------- transforms

def snake(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def keep_as_is(rows: list[list[str]]) -> Table:
    return rows[0], rows[1:]


def r_na_to_empty(rows: list[list[str]]) -> Table:
    """palmerpenguins writes R's NA for missing values; the bundle writes empty fields."""
    return rows[0], [["" if cell == "NA" else cell for cell in row] for row in rows[1:]]


def sklearn_table(loader_name: str, target_column: str) -> Callable[[list[list[str]]], Table]:
    """scikit-learn's CSVs start with `n_samples,n_features,label_0,label_1,...` instead of
    column names; the last column holds integer target codes. Column names come from
    scikit-learn's own `feature_names`, codes are decoded with the labels on line one."""

    def transform(rows: list[list[str]]) -> Table:
        import sklearn.datasets

        bunch = getattr(sklearn.datasets, loader_name)()
        features = [snake(str(n)) for n in bunch.feature_names]
        first, body = rows[0], rows[1:]
        n_samples, n_features, labels = int(first[0]), int(first[1]), first[2:]
        if labels != [str(n) for n in bunch.target_names]:
            raise BundleError(f"{loader_name}: labels {labels} differ from target_names")
        if n_samples != len(body) or n_features != len(features):
            raise BundleError(f"{loader_name}: header says {n_samples}x{n_features}, "
                              f"found {len(body)} rows and {len(features)} feature names")
        out = []
        for row in body:
            if len(row) != n_features + 1:
                raise BundleError(f"{loader_name}: row of {len(row)} fields")
            out.append(row[:n_features] + [labels[int(row[n_features])]])
        return features + [target_column], out

    return transform


def strip_names(rows: list[list[str]]) -> Table:
    """statecrime writes three state names with a trailing space ("Kansas "); strip them."""
    return rows[0], [[row[0].strip()] + row[1:] for row in rows[1:]]


def co2_dates(rows: list[list[str]]) -> Table:
    header, body = rows[0], rows[1:]
    if header != ["date", "co2"]:
        raise BundleError(f"co2: unexpected header {header}")
    out = []
    for date, value in body:
        iso = datetime.datetime.strptime(date, "%Y%m%d").date().isoformat()
        out.append([iso, value])
    return header, out


def macro_quarter_dates(rows: list[list[str]]) -> Table:
    header, body = rows[0], rows[1:]
    if header[:2] != ["year", "quarter"]:
        raise BundleError(f"macrodata: unexpected header {header}")
    out = []
    for row in body:
        year, quarter = int(row[0]), int(float(row[1]))
        if str(quarter) != row[1] and f"{quarter}.0" != row[1]:
            raise BundleError(f"macrodata: quarter {row[1]!r}")
        start = datetime.date(year, 3 * (quarter - 1) + 1, 1).isoformat()
        out.append([start, str(year), str(quarter)] + row[2:])
    return ["date"] + header, out


def slash_dates(rows: list[list[str]]) -> Table:
    header, body = rows[0], rows[1:]
    if header[0] != "date":
        raise BundleError(f"seattle-weather: unexpected header {header}")
    out = []
    for row in body:
        iso = datetime.datetime.strptime(row[0], "%Y/%m/%d").date().isoformat()
        out.append([iso] + row[1:])
    return header, out


# ----------------------------------------------------------------------------- the tables

CC0_PENGUINS = {
    "spdx": "CC0-1.0",
    "name": "CC-0 (\"Data are available by CC-0 license\", palmerpenguins 0.1.6 package "
            "description; the package's code is MIT)",
    "url": "https://creativecommons.org/share-your-work/public-domain/cc0/",
}
SKLEARN_BSD = {
    "spdx": "BSD-3-Clause",
    "name": "BSD-3-Clause (scikit-learn's licence, under which the file is distributed with "
            "scikit-learn; the data originate from the UCI Machine Learning Repository)",
    "url": "https://github.com/scikit-learn/scikit-learn/blob/main/COPYING",
}


def statsmodels_pd(copyright_text: str) -> dict:
    return {
        "spdx": None,
        "name": f"Public domain (statsmodels 0.15.0 COPYRIGHT: \"{copyright_text}\"; "
                "statsmodels itself is BSD-3-Clause)",
        "url": None,
    }


SPECS = [
    Spec(
        id="penguins",
        title="Palmer penguins",
        description=(
            "One row per adult penguin (Adelie, Chinstrap or Gentoo) studied near Palmer "
            "Station, Antarctica, in 2007-2009. Columns: species, island, bill_length_mm and "
            "bill_depth_mm (millimetres), flipper_length_mm (millimetres), body_mass_g (grams), "
            "sex (male or female) and year of observation. Missing measurements and unknown "
            "sex are empty fields (the upstream file writes them as NA). Data collected by "
            "Dr. Kristen Gorman and the Palmer Station LTER program (Gorman, Williams and "
            "Fraser 2014), taken from the palmerpenguins Python package."
        ),
        dist="palmerpenguins",
        path="palmerpenguins/data/penguins.csv",
        upstream_sha256="f204db2c753b0937caac3cb35258562c14f073e4bbc76be24b4c51ce22767a93",
        license=CC0_PENGUINS,
        transform=r_na_to_empty,
        kinds={"species": "text", "island": "text", "bill_length_mm": "num",
               "bill_depth_mm": "num", "flipper_length_mm": "int", "body_mass_g": "int",
               "sex": "text", "year": "int"},
    ),
    Spec(
        id="iris",
        title="Iris flowers (Fisher 1936)",
        description=(
            "One row per iris flower: Fisher's iris data, 50 flowers of each of three species. "
            "Columns: sepal_length_cm, sepal_width_cm, petal_length_cm and petal_width_cm "
            "(centimetres) and species (setosa, versicolor or virginica). Taken from the copy "
            "bundled with scikit-learn (originally from the UCI Machine Learning Repository); "
            "column names are scikit-learn's feature names in snake_case and the integer "
            "target codes are decoded with the species labels on the file's first line."
        ),
        dist="scikit-learn",
        path="sklearn/datasets/data/iris.csv",
        upstream_sha256="f13ffa8fdd56fd8e6c8d16d4081a3fbd3114bcd0aae4256c43205169cd9d1449",
        license=SKLEARN_BSD,
        transform=sklearn_table("load_iris", "species"),
        kinds={"sepal_length_cm": "num", "sepal_width_cm": "num", "petal_length_cm": "num",
               "petal_width_cm": "num", "species": "text"},
    ),
    Spec(
        id="wine",
        title="Wine recognition (chemical analysis of Italian wines)",
        description=(
            "One row per wine: a chemical analysis of 178 wines grown in the same region of "
            "Italy from three cultivars (Forina et al., UCI wine recognition data). Thirteen "
            "numeric measurements (alcohol, malic_acid, ash, alcalinity_of_ash, magnesium, "
            "total_phenols, flavanoids, nonflavanoid_phenols, proanthocyanins, "
            "color_intensity, hue, od280_od315_of_diluted_wines, proline; the source gives no "
            "units) and cultivar (class_0, class_1 or class_2). Taken from the copy bundled "
            "with scikit-learn; column names are scikit-learn's feature names in snake_case "
            "and the integer target codes are decoded with the class labels on the file's "
            "first line."
        ),
        dist="scikit-learn",
        path="sklearn/datasets/data/wine_data.csv",
        upstream_sha256="10e8a802908b34f86e5da8ce962f3c806694bc98450a18f61851af59f324bede",
        license=SKLEARN_BSD,
        transform=sklearn_table("load_wine", "cultivar"),
        kinds={"alcohol": "num", "malic_acid": "num", "ash": "num", "alcalinity_of_ash": "num",
               "magnesium": "int", "total_phenols": "num", "flavanoids": "num",
               "nonflavanoid_phenols": "num", "proanthocyanins": "num",
               "color_intensity": "num", "hue": "num", "od280_od315_of_diluted_wines": "num",
               "proline": "int", "cultivar": "text"},
    ),
    Spec(
        id="mauna_loa_co2",
        title="Mauna Loa weekly atmospheric CO2, 1958-2001",
        description=(
            "One row per week: the weekly average atmospheric CO2 concentration (co2, parts "
            "per million by volume) at Mauna Loa Observatory, Hawaii, from March 1958 to "
            "December 2001. date is the sample date as ISO YYYY-MM-DD, rewritten from the "
            "upstream YYYYMMDD number; weeks without a valid measurement have an empty co2. "
            "Source: Keeling and Whorf (2004), Carbon Dioxide Information Analysis Center, Oak "
            "Ridge National Laboratory, as shipped in statsmodels' co2 dataset."
        ),
        dist="statsmodels",
        path="statsmodels/datasets/co2/co2.csv",
        upstream_sha256="16695fa2786e53414e5a6b54767a3fdf5de99cfbc68617f69d1362d92776a92f",
        license=statsmodels_pd("This is public domain."),
        transform=co2_dates,
        kinds={"date": "date", "co2": "num"},
    ),
    Spec(
        id="us_macro_quarterly",
        title="US macroeconomic data, 1959Q1-2009Q3",
        description=(
            "One row per quarter of US macroeconomic data from 1959Q1 to 2009Q3. date is the "
            "first day of the quarter (ISO YYYY-MM-DD), derived from the upstream year and "
            "quarter columns, which are kept. realgdp, realcons, realinv, realgovt and realdpi "
            "are real GDP, consumption, investment, federal government spending and disposable "
            "income in billions of chained 2005 US dollars (seasonally adjusted annual rates); "
            "cpi is the end-of-quarter consumer price index (1982-84 = 100), m1 the M1 money "
            "stock, tbilrate the 3-month treasury bill rate, unemp the unemployment rate (%), "
            "pop the population (millions), infl the annualised inflation rate "
            "(ln(cpi_t/cpi_t-1) * 400) and realint the real interest rate (tbilrate - infl); the "
            "upstream gives 0 for both in 1959Q1, which has no previous quarter. "
            "Compiled by Skipper Seabold from FRED (Federal Reserve Bank of St. Louis) and the "
            "Bureau of Labor Statistics, as shipped in statsmodels' macrodata dataset."
        ),
        dist="statsmodels",
        path="statsmodels/datasets/macrodata/macrodata.csv",
        upstream_sha256="d93c0d3a7a77ef83c3af14e46032bb1d02ae3a512b22ab94159a8ca226fcf708",
        license=statsmodels_pd("This is public domain."),
        transform=macro_quarter_dates,
        kinds={"date": "date", "year": "int", "quarter": "int", "realgdp": "num",
               "realcons": "num", "realinv": "num", "realgovt": "num", "realdpi": "num",
               "cpi": "num", "m1": "num", "tbilrate": "num", "unemp": "num", "pop": "num",
               "infl": "num", "realint": "num"},
    ),
    Spec(
        id="grunfeld_investment",
        title="Grunfeld investment data for 11 US firms, 1935-1954",
        description=(
            "One row per firm and year: Grunfeld's (1950) investment data, a balanced panel of "
            "11 US firms over the 20 years 1935-1954. invest is gross investment, value the "
            "market value as of 31 December and capital the stock of plant and equipment, all "
            "in 1947 dollars; firm is the company name and year the calendar year. Source: the "
            "original 11-firm data from Grunfeld's thesis as recreated by Kleiber and Zeileis "
            "(2008), as shipped in statsmodels' grunfeld dataset."
        ),
        dist="statsmodels",
        path="statsmodels/datasets/grunfeld/grunfeld.csv",
        upstream_sha256="6f6ca138e645eeee6ff3e54fe5b9b498f7ddb5c484237d2a8489c524b3c94098",
        license=statsmodels_pd("This is public domain."),
        transform=keep_as_is,
        kinds={"invest": "num", "value": "num", "capital": "num", "firm": "text",
               "year": "int"},
    ),
    Spec(
        id="us_state_crime_2009",
        title="US state crime and demographics, 2009",
        description=(
            "One row per US state (the 50 states and the District of Columbia), 2009. state is "
            "the state name (unique per row); violent and murder are crimes per 100,000 "
            "population (the violent-crime figures for Illinois and Minnesota exclude forcible "
            "rape); hs_grad is the percentage of the population with at least a high-school "
            "diploma, poverty the percentage below the poverty line, single the percentage of "
            "family households headed by a householder with no spouse present, white the "
            "percentage who are white only and urban the percentage living in urbanized areas "
            "(2010 Census). Source: the American Statistical Abstract and the American "
            "Community Survey, as shipped in statsmodels' statecrime dataset (three state "
            "names lose a trailing space)."
        ),
        dist="statsmodels",
        path="statsmodels/datasets/statecrime/statecrime.csv",
        upstream_sha256="73c8aaa12272cbd33a09d0ffcda01a835f2f0916a16aaed54732efa312430688",
        license=statsmodels_pd("Public domain."),
        transform=strip_names,
        kinds={"state": "text", "violent": "num", "murder": "num", "hs_grad": "num",
               "poverty": "num", "single": "num", "white": "num", "urban": "num"},
    ),
    Spec(
        id="seattle_weather",
        title="Seattle daily weather, 2012-2015",
        description=(
            "One row per day in Seattle from 2012-01-01 to 2015-12-31: precipitation total, "
            "daily maximum and minimum temperature (temp_max, temp_min), wind speed and a "
            "weather type (drizzle, fog, rain, snow or sun). The package does not state units; "
            "the values are consistent with millimetres, degrees Celsius and metres per "
            "second. date is ISO YYYY-MM-DD, rewritten from the upstream YYYY/MM/DD. Drawn "
            "from public-domain NOAA data and transformed by the vega datasets project, as "
            "shipped in the vega_datasets package."
        ),
        dist="vega-datasets",
        path="vega_datasets/_data/seattle-weather.csv",
        upstream_sha256="62f0609f787158128aa2bd102967173a4953122dd4f872bf1d502cae1037df0b",
        license={
            "spdx": None,
            "name": "Public domain (\"drawn from public-domain NOAA data\", vega_datasets "
                    "0.9.0 dataset_info.json; the vega_datasets package itself is MIT)",
            "url": "https://www.weather.gov/disclaimer",
        },
        transform=slash_dates,
        kinds={"date": "date", "precipitation": "num", "temp_max": "num", "temp_min": "num",
               "wind": "num", "weather": "text"},
    ),
]


# ----------------------------------------------------------------------------- checks and output

def check_versions() -> None:
    for dist, want in PINS.items():
        have = importlib.metadata.version(dist)
        if have != want:
            raise BundleError(f"{dist}: installed {have}, pinned {want}; "
                              "install stages/download/bundle-requirements.txt")


def read_upstream(spec: Spec) -> list[list[str]]:
    located = Path(str(importlib.metadata.distribution(spec.dist).locate_file(spec.path)))
    data = located.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != spec.upstream_sha256:
        raise BundleError(f"{spec.path}: sha256 {digest}, expected {spec.upstream_sha256}")
    text = data.decode("utf-8")
    return [row for row in csv.reader(io.StringIO(text, newline=""))]


def check_table(spec: Spec, header: list[str], body: list[list[str]]) -> None:
    if list(spec.kinds) != header:
        raise BundleError(f"{spec.id}: columns {header}, expected {list(spec.kinds)}")
    if len(set(header)) != len(header) or not all(re.fullmatch(r"[a-z][a-z0-9_]*", h) for h in header):
        raise BundleError(f"{spec.id}: column names must be unique snake_case: {header}")
    for line, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise BundleError(f"{spec.id}:{line}: {len(row)} fields, expected {len(header)}")
        for column, cell in zip(header, row):
            if cell == "":
                continue  # missing
            if cell in NA_VALUES or cell != cell.strip():
                raise BundleError(f"{spec.id}:{line}: {column} value {cell!r} would load as "
                                  "missing or carries whitespace")
            kind = spec.kinds[column]
            if kind == "int" and not re.fullmatch(r"-?[0-9]+", cell):
                raise BundleError(f"{spec.id}:{line}: {column} {cell!r} is not an integer")
            if kind == "num" and not re.fullmatch(r"-?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?", cell):
                raise BundleError(f"{spec.id}:{line}: {column} {cell!r} is not a number")
            if kind == "date":
                if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", cell):
                    raise BundleError(f"{spec.id}:{line}: {column} {cell!r} is not YYYY-MM-DD")
                datetime.date.fromisoformat(cell)


def render_csv(header: list[str], body: list[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=",", quotechar='"', quoting=csv.QUOTE_MINIMAL,
                        lineterminator="\n")
    writer.writerow(header)
    writer.writerows(body)
    return buffer.getvalue().encode("utf-8")


def record(spec: Spec, data: bytes, header: list[str]) -> dict:
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    if parsed[0] != header:
        raise BundleError(f"{spec.id}: written header does not read back")
    return {
        "schema_version": 1,
        "id": spec.id,
        "title": spec.title,
        "description": spec.description,
        "source": {
            "kind": "bundled",
            "ref": f"{spec.dist}=={PINS[spec.dist]}:{spec.path}",
            "version": PINS[spec.dist],
            "file": spec.file,
        },
        "license": {"spdx": spec.license["spdx"], "name": spec.license["name"],
                    "url": spec.license["url"]},
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
        "rows": len(parsed) - 1,
        "columns": header,
        "fetched_at": FETCHED_AT,
        "loader": {"delimiter": ",", "encoding": "utf-8", "na_values": list(NA_VALUES)},
    }


def licence_label(lic: dict) -> str:
    if lic["spdx"]:
        return lic["spdx"]
    return "Public domain"


def render_readme(records: list[dict]) -> str:
    lines = [
        "# Bundled datasets",
        "",
        "Small real tables shipped with the repository, one folder per table: `data.csv` (UTF-8,",
        "comma-separated, header row, LF line endings, missing values as empty fields) and",
        "`dataset.json` (the `Dataset` record: source, licence, SHA-256 and size of `data.csv`,",
        "row count, columns, loader settings). Every table is copied from a CSV file that ships",
        "inside a pinned PyPI package; values are the upstream text, unchanged, except for the",
        "normalisations each `description` states (missing-value tokens, ISO dates, decoded",
        "category codes, snake_case column names).",
        "",
        "This file is generated by `stages/download/bundle_datasets.py`; do not edit it by hand.",
        "",
        "| id | title | rows × columns | licence | upstream source |",
        "|---|---|---|---|---|",
    ]
    for r in records:
        lines.append(f"| `{r['id']}` | {r['title']} | {r['rows']} × {len(r['columns'])} | "
                     f"{licence_label(r['license'])} | `{r['source']['ref']}` |")
    lines += [
        "",
        "## Licences and provenance",
        "",
        "- `penguins`: the palmerpenguins package description states \"Data are available by",
        "  CC-0 license in accordance with the Palmer Station LTER Data Policy and the LTER Data",
        "  Access Policy for Type I data\"; the package's code is MIT. Cite Gorman, Williams and",
        "  Fraser (2014), PLoS ONE 9(3): e90081.",
        "- `iris`, `wine`: copied from the files distributed inside scikit-learn, whose licence is",
        "  BSD-3-Clause; scikit-learn states no separate licence for these files. Both tables",
        "  originate from the UCI Machine Learning Repository, whose dataset pages (to our",
        "  knowledge; not re-checked offline) label them CC BY 4.0, which asks for attribution:",
        "  cite Fisher (1936) for iris and Forina et al. / Aeberhard, Coomans and de Vel (1992)",
        "  for wine, as scikit-learn's dataset descriptions do.",
        "- `mauna_loa_co2`, `us_macro_quarterly`, `grunfeld_investment`, `us_state_crime_2009`:",
        "  each statsmodels dataset module states its terms in a `COPYRIGHT` string; these four say",
        "  \"This is public domain.\" or \"Public domain.\". Only public-domain statsmodels datasets",
        "  were taken (several others say \"Used with express permission ... who retains all",
        "  rights\" and are excluded). statsmodels itself is BSD-3-Clause.",
        "- `seattle_weather`: vega_datasets 0.9.0 (MIT) describes the table as \"drawn from",
        "  public-domain NOAA data\" (https://www.weather.gov/disclaimer), transformed by the vega",
        "  datasets project.",
        "",
        "Public domain has no SPDX identifier, so those records carry `\"spdx\": null` and state the",
        "terms in `license.name`.",
        "",
        "## Regenerating",
        "",
        "```sh",
        "/usr/bin/python3 -m venv /tmp/bundle-venv",
        "/tmp/bundle-venv/bin/pip install -r stages/download/bundle-requirements.txt",
        "/tmp/bundle-venv/bin/python stages/download/bundle_datasets.py",
        "```",
        "",
        "The script checks the installed package versions and the SHA-256 of every upstream file",
        "before writing, and its output is byte-identical from run to run (`fetched_at` is fixed",
        "in the script).",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "data" / "datasets",
                        help="output folder (default: data/datasets under the repository root)")
    args = parser.parse_args(argv)
    try:
        check_versions()
        records = []
        for spec in SPECS:
            header, body = spec.transform(read_upstream(spec))
            check_table(spec, header, body)
            data = render_csv(header, body)
            rec = record(spec, data, header)
            folder = args.out / spec.id
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "data.csv").write_bytes(data)
            text = json.dumps(rec, indent=2, ensure_ascii=False) + "\n"
            (folder / "dataset.json").write_bytes(text.encode("utf-8"))
            records.append(rec)
            print(f"{spec.id}: {rec['rows']} rows x {len(header)} columns, {rec['bytes']} bytes",
                  file=sys.stderr)
        (args.out / "README.md").write_bytes(render_readme(records).encode("utf-8"))
    except (BundleError, OSError, ValueError, importlib.metadata.PackageNotFoundError) as error:
        print(f"bundle_datasets: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
