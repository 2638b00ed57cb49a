"""Baseline for `bench sandbox`: one independent interpreter doing what a sandbox worker does.

Imports the same libraries as the zygote, loads the CSV given as argv[1] with pandas, prints
"ready", then for each line "cells" on stdin runs the benchmark's analysis cells and prints
"done". Exits at end of input. Run with OPENBLAS_NUM_THREADS=1 like the sandbox.
"""

import sys

import numpy as np  # noqa: F401
import pandas as pd
import scipy  # noqa: F401
import scipy.stats  # noqa: F401
import sklearn  # noqa: F401
import sklearn.cluster  # noqa: F401
import sklearn.ensemble  # noqa: F401
import sklearn.linear_model
import sklearn.preprocessing  # noqa: F401
import statsmodels.api  # noqa: F401

df = pd.read_csv(sys.argv[1])
print("ready", flush=True)
for line in sys.stdin:
    if line.strip() == "cells":
        for _ in range(2):
            df.groupby("region")[["price", "qty"]].mean()
            df.describe()
            df["product"].value_counts()
            sklearn.linear_model.LinearRegression().fit(df[["qty", "discount", "x1", "x2"]], df["price"])
        print("done", flush=True)
