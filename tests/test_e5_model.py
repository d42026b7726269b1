"""The model folder (`pipeline.e5_model`): built from the bundled weights, checked, and rebuilt when damaged."""
import shutil

import pytest

from pipeline.e5_model import WEIGHTS_SHA256, build_model, ensure_model, verify_model

pytestmark = pytest.mark.slow


def test_build_is_deterministic_and_checked(tmp_path):
    folder = build_model(tmp_path / "e5")
    assert verify_model(folder) is None
    manifest = (folder / "govtext-model.json").read_text()
    assert WEIGHTS_SHA256 in manifest
    # a flipped byte in the weights is caught, and ensure_model rebuilds the folder
    with open(folder / "model.safetensors", "r+b") as f:
        f.seek(10_000_000)
        byte = f.read(1)
        f.seek(10_000_000)
        f.write(bytes([byte[0] ^ 0xFF]))
    assert "checksum mismatch" in verify_model(folder)
    ensure_model(folder)
    assert verify_model(folder) is None
    (folder / "tokenizer.json").unlink()
    assert "missing tokenizer.json" == verify_model(folder)
    shutil.rmtree(folder)
    assert verify_model(folder).startswith("no model")
