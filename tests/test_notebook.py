"""The drafting notebook runs top to bottom against a fresh index (nbclient, a real kernel)."""
import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "drafting.ipynb"


def test_drafting_notebook_runs_and_shows_what_it_promises(tmp_path, monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("GOVTEXT_INDEX", str(tmp_path / "index"))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH")))))  # this checkout's pipeline
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    outputs, images = [], 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", out
            outputs.append(out.get("text", "") + str(out.get("data", {}).get("text/html", "")))
            images += "image/png" in out.get("data", {})
    text = "\n".join(outputs)
    assert images >= 1  # the chart is shown inline, not drawn off screen
    assert "the whole document" in text  # a hit opened as its document, the passage marked
    assert "brief-yizheng.docx</a>" in text  # the brief offered as a link
    assert "ingested 5 documents" in text
    assert "<mark>" in text  # highlighted search hits
    assert 'class="spans"' in text and "formula" in text and "district" in text  # displaCy: practices and places
    assert "一征三议两公开" in text and "二七区" in text  # the practice card
    assert "Tiếng Việt" in text and "中文" in text  # the comparison
    assert "mentions;" in text  # the chart cell ran
    assert (tmp_path / "brief-yizheng.docx").stat().st_size > 5000
    assert "> " in (tmp_path / "brief-cai-tao.md").read_text(encoding="utf-8")
