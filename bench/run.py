"""`make bench`: run every bench/bench_*.py in turn; each prints its ratios against a baseline measured
side by side in the same run. A script that exits non-zero has missed its target; that is reported at the
end, but does not fail the make target (these machines are shared and noisy)."""

import glob
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
missed = []
for path in sorted(glob.glob(os.path.join(here, "bench_*.py"))):
    print(f"== {os.path.basename(path)}", flush=True)
    if subprocess.call([sys.executable, path]) != 0:
        missed.append(os.path.basename(path))
print("== over target: " + (", ".join(missed) if missed else "none"))
