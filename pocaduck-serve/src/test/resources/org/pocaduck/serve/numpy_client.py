"""A Python client of `pocaduck serve`, as a user would write it: urllib and numpy only.

Usage: python3 numpy_client.py CASES.json
CASES.json: {"base": "http://127.0.0.1:PORT", "cases": [{"path": "/api/...", "expected": "file.raw",
"dimensions": ["x", "y", "z", "supervoxel_id"]}, ...], "sizes": {"labels": [...], "counts": [...]}}
Each expected file holds the points Query returned: little-endian int64, N x D, row-major.
Prints one "OK ..." line per check and exits 0, or prints what differs and exits 1.
"""
import io
import json
import sys
import urllib.request

import numpy as np


def fetch(url, data=None):
    with urllib.request.urlopen(urllib.request.Request(url, data=data)) as response:
        return response.read(), dict(response.headers)


def main():
    spec = json.load(open(sys.argv[1]))
    base = spec["base"]
    failures = 0
    for case in spec["cases"]:
        names = case["dimensions"]
        body, headers = fetch(base + case["path"])
        points = np.load(io.BytesIO(body))
        want_dtype = np.dtype([(n, "<i8" if i < 3 else "<u8") for i, n in enumerate(names)])
        raw = np.fromfile(case["expected"], dtype="<i8").reshape(-1, len(names))
        expected = np.empty(raw.shape[0], dtype=want_dtype)
        for i, n in enumerate(names):
            expected[n] = raw[:, i].view(want_dtype[n])
        saved = io.BytesIO()
        np.save(saved, points)
        checks = {
            "dtype": points.dtype == want_dtype,
            "shape": points.shape == expected.shape,
            "values": np.array_equal(np.sort(points), np.sort(expected)),
            "np.save bytes": saved.getvalue() == body,
        }
        bad = [k for k, ok in checks.items() if not ok]
        if bad:
            failures += 1
            print("FAIL %s: %s (dtype %s, shape %s, expected shape %s)" % (case["path"], ", ".join(bad),
                  points.dtype, points.shape, expected.shape))
        else:
            print("OK %s: %d points, dtype %s" % (case["path"], points.shape[0], points.dtype))
    if "sizes" in spec:
        body, _ = fetch(spec["sizes"]["url"], json.dumps(spec["sizes"]["labels"]).encode())
        if json.loads(body) == spec["sizes"]["counts"]:
            print("OK sizes")
        else:
            failures += 1
            print("FAIL sizes: %s" % body)
    if "listlabels" in spec:
        body, _ = fetch(spec["listlabels"]["url"])
        labels = np.frombuffer(body, dtype="<u8")
        if labels.tolist() == [int(x) for x in spec["listlabels"]["labels"]]:
            print("OK listlabels: %d labels" % labels.size)
        else:
            failures += 1
            print("FAIL listlabels: %d labels" % labels.size)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
