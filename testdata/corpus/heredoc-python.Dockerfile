# syntax=docker/dockerfile:1
FROM python:3.13-slim-trixie
RUN python3 <<EOF
import json, pathlib
pathlib.Path("/etc/app.json").write_text(json.dumps({"debug": False}))
EOF
RUN <<EOF
#!/usr/bin/env python3
print("a heredoc with a Python shebang runs as a script")
EOF
RUN <<EOF
#!/bin/bash
set -euo pipefail
echo "and one with a shell shebang"
EOF
CMD ["python3", "-c", "print(open('/etc/app.json').read())"]
