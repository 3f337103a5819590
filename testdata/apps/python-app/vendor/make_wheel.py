"""Builds wheels/greeting-1.0.0-py3-none-any.whl from vendor/greeting.

The wheel is committed: pip cannot build the source tree in CI because the
build backend (setuptools) would have to come from PyPI. A wheel needs no
backend. Run from the app directory: python3 vendor/make_wheel.py
"""

import base64
import hashlib
import pathlib
import zipfile

SRC = pathlib.Path("vendor/greeting/greeting")
DIST = "greeting-1.0.0.dist-info"
OUT = pathlib.Path("wheels/greeting-1.0.0-py3-none-any.whl")

files = {f"greeting/{p.name}": p.read_bytes() for p in sorted(SRC.glob("*.py"))}
files[f"{DIST}/METADATA"] = b"Metadata-Version: 2.1\nName: greeting\nVersion: 1.0.0\nSummary: Tiny vendored dependency\n"
files[f"{DIST}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: make_wheel.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
record = []
for name, data in files.items():
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    record.append(f"{name},sha256={digest},{len(data)}")
record.append(f"{DIST}/RECORD,,")
files[f"{DIST}/RECORD"] = ("\n".join(record) + "\n").encode()

OUT.parent.mkdir(exist_ok=True)
with zipfile.ZipFile(OUT, "w", zipfile.ZIP_DEFLATED) as z:
    for name, data in files.items():
        info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
        info.external_attr = 0o644 << 16
        z.writestr(info, data, zipfile.ZIP_DEFLATED)
print(OUT)
