"""`make bench`: run every bench/bench_*.py in turn; each prints its own ratios against a baseline
measured side by side in the same run."""

import glob
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
status = 0
for path in sorted(glob.glob(os.path.join(here, "bench_*.py"))):
    print(f"== {os.path.basename(path)}", flush=True)
    status |= subprocess.call([sys.executable, path])
sys.exit(status)
