import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent
# `golden` and other test helpers are plain modules beside the tests; generated packages live in generated/.
for path in (TESTS, ROOT / "generated"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))
