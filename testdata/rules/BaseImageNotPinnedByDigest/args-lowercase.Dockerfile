# options: pin_digest=true
arg PY=3.13
# want +1 "python:3.13-slim-trixie is pulled by tag only"
from python:${PY}-slim-trixie as base
from base
user 65532
