"""The `govtext` command line: help texts, JSON output, exit codes, the README commands."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent


def govtext(*args, index=None):
    env = dict(os.environ)
    cmd = [sys.executable, "-m", "pipeline.cli", *args]
    if index is not None:
        cmd += ["--index", str(index)]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)


def commands():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    return sorted(sub.choices)


@pytest.mark.parametrize("command", commands())
def test_every_command_has_help(command):
    out = govtext(command, "--help")
    assert out.returncode == 0
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert sub.choices[command].description and sub.choices[command].description in " ".join(out.stdout.split())


def test_missing_index_is_one_clear_line(tmp_path):
    out = govtext("search", "居民自治", index=tmp_path / "nothing")
    assert out.returncode == 2
    assert out.stderr.startswith("govtext: no index at") and "govtext ingest" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_bad_ocr_language_is_one_clear_line(tmp_path):
    out = govtext("ingest", str(tmp_path), "--ocr-lang", "klingon!", index=tmp_path / "idx")
    assert out.returncode == 2
    assert out.stderr.strip() == (
        "govtext: unknown OCR language 'klingon!': use vi, zh, zh-TW or Tesseract codes such as vie+chi_sim"
    )
    assert not (tmp_path / "idx").exists()


@pytest.mark.slow
def test_search_json(demo_library):
    lib, _ = demo_library
    out = govtext("search", "一征三议两公开", "--json", "--k", "3", index=lib.path)
    assert out.returncode == 0, out.stderr
    hits = json.loads(out.stdout)
    assert "zh_erqi" in hits[0]["source"] and "一征三议两公开" in hits[0]["text"]
    for key in ("doc_id", "title", "source", "lang", "score", "text", "start", "end"):
        assert key in hits[0]


@pytest.mark.slow
def test_search_metadata_filters(demo_library):
    lib, _ = demo_library
    out = govtext("search", "居民自治", "--json", "--type", "nghi_quyet", "--place", "Long Biên", index=lib.path)
    hits = json.loads(out.stdout)
    assert out.returncode == 0 and hits and all("giang-bien" in h["source"] for h in hits)
    assert hits[0]["doc_type"] == "nghi_quyet" and hits[0]["issue_date"] == "2021-10-28"
    none = govtext("search", "居民自治", "--json", "--year", "1990", index=lib.path)
    assert none.returncode == 0 and json.loads(none.stdout) == []
    bad = govtext("search", "居民自治", "--year", "soon", index=lib.path)
    assert bad.returncode == 2 and "bad year" in bad.stderr


@pytest.mark.slow
def test_search_text_stats_show(demo_library):
    lib, _ = demo_library
    out = govtext("search", "Ban quản trị nhà chung cư", "--k", "2", index=lib.path)
    lines = out.stdout.splitlines()
    giang_bien = next(d["doc_id"] for d in lib.documents() if "giang-bien" in d["source"])
    assert out.returncode == 0 and "【" in out.stdout and f"[doc {giang_bien}, chars " in lines[3]
    assert lines[1].strip() == "Nghị quyết · 2021-10-28 · ĐẢNG ỦY PHƯỜNG GIANG BIÊN"  # what the document is
    stats = json.loads(govtext("stats", "--json", index=lib.path).stdout)
    assert stats["documents"] == 5
    doc_id = lib.documents()[0]["doc_id"]
    shown = json.loads(govtext("show", doc_id, "--json", index=lib.path).stdout)
    assert shown["doc_id"] == doc_id and shown["chunks"]
    missing = govtext("show", "nope", index=lib.path)
    assert missing.returncode == 2 and "no document" in missing.stderr


@pytest.mark.slow
def test_ingest_json_reports_failures(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "ok.txt").write_text("Nghị quyết về nâng cao chất lượng hoạt động của Ban quản trị nhà chung cư.\n")
    out = govtext("ingest", str(tmp_path), "--json", index=tmp_path / "idx")
    assert out.returncode == 1, out.stderr  # the batch went on, and the exit code says one input failed
    report = json.loads(out.stdout)
    assert report["documents"] == 1 and report["failed"][0]["source"].endswith("bad.txt")


def test_readme_starts_with_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```bash", 1)[1].split("```", 1)[0]
    lines = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert lines == ["scripts/demo.sh", "scripts/test.sh"]
    assert "scripts/test.sh" in (ROOT / ".ci" / "run").read_text()
    for script in lines:
        assert os.access(ROOT / script, os.X_OK)


@pytest.mark.slow
def test_near_duplicates_in_search_stats_and_their_own_command(versions_library):
    lib, ids = versions_library
    lib.close()  # the subprocess opens the same index
    out = govtext("search", "二七新区党建引领居民自治", "--k", "3", index=lib.path)
    assert out.returncode == 0, out.stderr
    first = out.stdout.split("\n\n")[0]
    assert ids["erqi-repost.txt"] in first and "+ 2 similar documents:" in first
    every = govtext("search", "二七新区党建引领居民自治", "--k", "3", "--all-versions", "--json", index=lib.path)
    assert [h["similar_count"] for h in json.loads(every.stdout)] == [0, 0, 0]
    groups = json.loads(govtext("duplicates", "--json", index=lib.path).stdout)
    assert [g["size"] for g in groups] == [3]
    assert {d["doc_id"] for d in groups[0]["documents"]} == {
        ids["erqi.txt"], ids["erqi-repost.txt"], ids["erqi-traditional.txt"]
    }
    text = govtext("duplicates", index=lib.path).stdout
    assert text.startswith(f"group {groups[0]['group']}  3 documents") and "erqi-traditional.txt" in text
    stats = govtext("stats", index=lib.path).stdout
    assert "near-duplicates  3 documents in 1 groups" in stats


# ---------------------------------------------------------------- practices


@pytest.mark.slow
def test_practice_card_command(demo_library):
    lib, _ = demo_library
    out = govtext("practice", "一征三议两公开", index=lib.path)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    for part in ("Definition and components", "征求群众意见", "知晓率、参与率和满意率", "90%以上",
                 "老旧小区整治提升", "智能门禁", "Parts of the formula:", "  - 三议: (not defined in these documents)"):
        assert part in text
    assert "Nearest practices" not in text  # the demo's Vietnamese practices are no nearer than random pairs
    card = json.loads(govtext("practice", "一征三议两公开", "--json", index=lib.path).stdout)
    assert card["canonical"] == "一征三议两公开" and len({u["doc_id"] for u in card["uses"]}) == 1
    assert all(u["citation"] and u["passage_text"] for u in card["uses"])
    missing = govtext("practice", "không có", index=lib.path)
    assert missing.returncode == 2 and missing.stderr.startswith("govtext: no practice named")


@pytest.mark.slow
def test_practices_command_lists_the_erqi_practices_first(demo_library):
    lib, _ = demo_library
    out = govtext("practices", "--lang", "zh", "--json", "--all", index=lib.path)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    top = [r["canonical"] for r in rows[:5]]
    assert "三类组织" in top and "一征三议两公开" in top
    assert all(r["lang"] == "zh" for r in rows)
    text = govtext("practices", "--limit", "3", "--all", index=lib.path).stdout
    assert text.splitlines()[0].startswith("3 of ") and len(text.strip().splitlines()) == 4
    listed = json.loads(govtext("practices", "--lang", "zh", "--json", index=lib.path).stdout)
    assert listed and all(r["listed"] for r in listed) and len(listed) < len(rows)
    assert "一征三议两公开" in [r["canonical"] for r in listed]
    text = govtext("practices", index=lib.path).stdout
    assert "[candidate]" not in text and "more candidate entries are not listed" in text.splitlines()[-1]
    assert "[candidate]" in govtext("practices", "--all", index=lib.path).stdout


@pytest.mark.slow
def test_compare_command_side_by_side(demo_library):
    lib, _ = demo_library
    out = govtext("compare", "居民自治", "--k", "3", "--width", "120", index=lib.path)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    header = next(line for line in lines if "Tiếng Việt" in line)
    assert "│" in header and header.index("Tiếng Việt") < header.index("中文")
    first_row = next(line for line in lines if line.startswith("1. "))
    left, right = first_row.split("│", 1)
    assert "NGHỊ QUYẾT" in left or "Giang Biên" in left
    assert right.strip()
    assert any(line.startswith("glossary:") for line in lines)


@pytest.mark.slow
@pytest.mark.parametrize("args, suffix", [(["居民自治"], "md"), (["--practice", "一征三议两公开"], "docx")])
def test_export_command_writes_a_cited_brief(demo_library, tmp_path, args, suffix):
    lib, _ = demo_library
    path = tmp_path / f"brief.{suffix}"
    out = govtext("export", *args, "--out", str(path), index=lib.path)
    assert out.returncode == 0, out.stderr
    if suffix == "md":
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# Brief: 居民自治") and "## Sources" in text and "\n> " in text
    else:
        import docx

        paragraphs = [p.text for p in docx.Document(path).paragraphs]
        body = "\n".join(paragraphs)
        assert "Definition and components" in body and "“一征三议两公开”工作法" in body
        assert "二七区党建引领居民自治" in body  # the citation names the document
    neither = govtext("export", "--out", str(path), index=lib.path)
    assert neither.returncode == 2 and "QUERY or --practice" in neither.stderr


@pytest.mark.slow
def test_output_piped_into_head_ends_quietly(demo_library):
    lib, _ = demo_library
    cmd = f"{sys.executable} -m pipeline.cli practices --index {lib.path} | head -1"
    out = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0 and out.stdout.count("\n") == 1 and "Traceback" not in out.stderr


@pytest.mark.parametrize("k", ["0", "1001", "1000000000000"])
def test_k_out_of_range_is_one_clear_error(demo_library, k):
    lib, _ = demo_library
    out = govtext("search", "居民自治", "--k", k, index=lib.path)
    assert out.returncode == 2 and out.stderr.startswith("govtext: k must be a whole number from 1 to 1000")


@pytest.mark.slow
def test_serve_on_a_busy_port_is_one_error_and_a_non_zero_exit(demo_library):
    import socket

    lib, _ = demo_library
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        out = govtext("serve", "--port", str(s.getsockname()[1]), index=lib.path)
    assert out.returncode == 2 and "cannot listen on" in out.stderr and "--port" in out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.slow
def test_search_result_list_as_csv_ris_and_csljson(demo_library):
    import csv
    import io

    lib, _ = demo_library
    lib.close()  # the subprocess opens the same index
    table = govtext("search", "一征三议两公开", "--k", "2", "--format", "csv", index=lib.path)
    assert table.returncode == 0, table.stderr
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    assert len(rows) == 2 and "二七区" in rows[0]["title"] and rows[0]["citation"].startswith("news, 《二七区")
    ris = govtext("search", "一征三议两公开", "--k", "2", "--format", "ris", index=lib.path).stdout
    assert ris.startswith("TY  - GOVDOC") and ris.count("ER  - ") == 2
    items = json.loads(govtext("search", "一征三议两公开", "--k", "2", "--format", "csljson", index=lib.path).stdout)
    assert [i["id"] for i in items] == [r["doc_id"] for r in rows]
    shown = govtext("show", rows[0]["doc_id"][:8] + "…", index=lib.path)  # a prefix, as shortened by hand
    assert shown.returncode == 0 and rows[0]["doc_id"] in shown.stdout


@pytest.mark.slow
def test_serve_with_worker_processes_answers_from_each_and_stops_them_all(demo_library):
    """`serve --workers 2`: two processes accept on one port, each with its own Library; SIGTERM to
    the parent stops both."""
    import json as _json
    import signal
    import time
    import urllib.request

    lib, _ = demo_library
    lib.close()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "serve", "--index", str(lib.path), "--port", "0",
                             "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        line = proc.stdout.readline()
        assert "2 worker processes" in line, line + proc.stderr.read()
        url = line.split(" at ", 1)[1].split()[0].rstrip("/")
        children = []
        for _ in range(100):
            children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
            if len(children) == 2:
                break
            time.sleep(0.1)
        assert len(children) == 2
        for _ in range(6):  # answered whichever worker accepts
            with urllib.request.urlopen(f"{url}/api/search?q=%E4%B8%80%E5%BE%81%E4%B8%89%E8%AE%AE&k=2", timeout=120) as r:
                assert r.status == 200 and _json.loads(r.read())["hits"]
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
    assert not [pid for pid in children if Path(f"/proc/{pid}").exists()]
