"""The `govtext` command line: parse arguments, call `pipeline.api`, print."""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time

from .errors import GovtextError, IndexBusy

# Exit codes (README, "Operating an index")
EXIT_OK = 0
EXIT_PARTIAL = 1  # the command ran, but some input failed (ingest) or the stores disagree (check)
EXIT_ERROR = 2  # nothing could run: bad arguments, settings, a missing index
EXIT_BUSY = 3  # another process is writing to the index (use --wait to queue)
EXIT_INTERRUPTED = 130


def _library(args, create: bool = False, readonly: bool = False):
    from .api import Library
    from .config import chroma_server, load_settings

    settings = load_settings(args.config, index=args.index, ocr_lang=getattr(args, "ocr_lang", None),
                             **chroma_server(args.chroma_url))
    return Library(settings=settings, create=create, readonly=readonly)


def _say_waiting(holder) -> None:
    who = holder.describe() if holder else "another process"
    print(f"govtext: waiting for {who} to finish writing to the index ...", file=sys.stderr, flush=True)


def _marks() -> tuple[str, str]:
    return ("\033[1;33m", "\033[0m") if sys.stdout.isatty() else ("【", "】")


def cmd_ingest(args) -> int:
    from tqdm import tqdm

    from .readers import count_inputs

    lib = _library(args, create=True)
    bar = tqdm(total=count_inputs(args.paths), unit="input", disable=args.json or args.quiet, file=sys.stderr)
    shown = [0.0]

    def show(p) -> None:  # the bar counts committed inputs, so its rate and ETA are those of committed work
        bar.n = p.inputs_done
        now = time.monotonic()
        if now - shown[0] >= 0.5:
            shown[0] = now
            bar.set_postfix_str(p.summary(), refresh=True)

    try:
        report = lib.ingest(
            args.paths, progress=show, practices=not args.no_practices,
            wait=args.wait, on_wait=_say_waiting, sync=args.sync, global_ids=args.global_ids,
            max_size=args.max_size, workers=args.workers, ray=args.ray,
        )
    finally:
        bar.close()
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(
            f"{report.documents} documents indexed ({report.replaced} replaced), {report.chunks} chunks, "
            f"{report.unchanged} unchanged, {len(report.skipped)} skipped, {len(report.failed)} failed "
            f"in {report.seconds:.1f} s -> {lib.path}"
        )
        rates = f"{report.documents / report.seconds:.1f} docs/s, " if report.seconds else ""
        if report.tokens and report.seconds:
            rates += f"{report.tokens / report.seconds:,.0f} tokens/s, "
        print(f"  {rates}peak RSS {report.peak_rss_mb:,.0f} MB; stages: {report.stages() or 'none'}")
        if report.removed:
            print(f"  removed {len(report.removed)} documents whose files are gone or unreadable")
        for source, reason in report.skipped:
            print(f"  skipped {source}: {reason}")
        for source, reason in report.repaired:
            print(f"  repaired {source}: {reason}")
        for source, reason in report.kept:
            if (source, reason) not in report.failed:
                print(f"  kept    {source}: {reason}")
        for source, reason in report.failed:
            print(f"  failed  {source}: {reason}")
    lib.close()
    return EXIT_OK if report.ok else EXIT_PARTIAL


def cmd_remove(args) -> int:
    lib = _library(args)
    done = lib.remove(args.targets, wait=args.wait, on_wait=_say_waiting)
    lib.close()
    if args.json:
        print(json.dumps(done, ensure_ascii=False, indent=2))
    else:
        print(f"removed {len(done['removed'])} documents, forgot {len(done['sources'])} sources")
        for doc_id in done["removed"]:
            print(f"  {doc_id}")
    return EXIT_OK


def cmd_check(args) -> int:
    report = _library(args, readonly=True).check()
    print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) if args.json else report.to_text())
    return EXIT_OK if report.ok else EXIT_PARTIAL


def cmd_repair(args) -> int:
    lib = _library(args)
    report = lib.repair(wait=args.wait, on_wait=_say_waiting)
    lib.close()
    print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) if args.json else report.to_text())
    return EXIT_OK if report.after is None or report.after.ok else EXIT_PARTIAL


def cmd_search(args) -> int:
    from .citations import format_results

    lib = _library(args, readonly=True)
    hits = lib.search(
        args.query, k=args.k, mode=args.mode, lang=args.lang, source=args.source, collapse=not args.all_versions,
        doc_type=args.type, year=args.year, place=args.place, issuer=args.issuer,
    )
    if args.format:
        sys.stdout.write(format_results(hits, args.format))
        return 0
    if args.json:
        print(json.dumps(hits.to_dicts(), ensure_ascii=False, indent=2))
        return 0
    if hits.notice:
        print(f"govtext: {hits.notice}", file=sys.stderr)
    print(hits.to_text(_marks(), passages=args.passages))
    return 0


def cmd_stats(args) -> int:
    lib = _library(args, readonly=True)
    stats = lib.stats()
    if args.documents:
        stats["documents_list"] = lib.documents()
    if args.failures:
        stats["failures"] = lib.failures()
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=2))
        return 0
    print(f"index      {stats['index']}  (model {stats['model']})")
    print(f"documents  {stats['documents']}  by language {stats['by_lang']}  pending {stats['pending']}")
    print(f"chunks     {stats['chunks']}  (vectors {stats['vector_chunks']}, lexical {stats['lexical_chunks']})")
    print(f"sources    {stats['sources']}  failed {stats['failed']}")
    print(
        f"near-duplicates  {stats['near_duplicate_documents']} documents in "
        f"{stats['near_duplicate_groups']} groups (see `govtext duplicates`)"
    )
    for d in stats.get("documents_list", []):
        print(f"  {d['doc_id']}  [{d['lang']}] {d['chunks']:>4} chunks  {d['title'][:60]}  ({d['source']})")
    for f in stats.get("failures", []):
        print(f"  {f['status']:<7} {f['source']}: {f['reason']}")
    return 0


def cmd_duplicates(args) -> int:
    lib = _library(args, readonly=True)
    groups = lib.duplicates()
    if args.json:
        print(json.dumps(groups, ensure_ascii=False, indent=2))
        return 0
    if not groups:
        print("no near-duplicates")
    for g in groups:
        print(f"group {g['group']}  {g['size']} documents")
        for d in g["documents"]:
            print(f"  {d['doc_id']}  [{d['lang']}] {d['title'][:60]}  ({d['source']})")
    return 0


def cmd_show(args) -> int:
    lib = _library(args, readonly=True)
    doc = lib.show(args.doc_id)
    if args.json:
        out = doc.to_dict() | {"chunks": [c.to_dict() for c in lib.chunks(doc.id)]}
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    print(doc.to_text())
    return 0


def cmd_eval(args) -> int:
    from .evaluate import write_run

    lib = _library(args, readonly=True)
    modes = ["hybrid", "dense", "lexical"] if args.mode == "all" else [args.mode]
    results = lib.evaluate(args.queries, modes=modes, k=args.k, lang=args.lang)
    if args.run:
        write_run(args.run, results)
    if args.json:
        print(json.dumps([r.to_dict() for r in results], indent=2))
        return 0
    print(f"{'mode':<8} {'queries':>7} {'nDCG@10':>8} {'R@10':>7} {'R@100':>7} {'MRR@10':>7} {'ms/q':>7}")
    for r in results:
        d = r.to_dict()
        print(
            f"{r.mode:<8} {r.queries:>7} {d['ndcg@10']:>8.4f} {d['recall@10']:>7.4f} {d['recall@100']:>7.4f} "
            f"{d['mrr@10']:>7.4f} {d['ms_per_query']:>7.1f}"
        )
    return 0


def _existing(args):
    return _library(args, readonly=True)


def cmd_practices(args) -> int:
    lib = _existing(args)
    catalogue = lib.practices(lang=args.lang, place=args.place, min_mentions=args.min_mentions, rebuild=args.rebuild,
                              include_unlisted=args.all)
    catalogue = catalogue.head(args.limit)
    if args.json:
        print(json.dumps(catalogue.to_dicts(full=args.full), ensure_ascii=False, indent=2))
    else:
        print(catalogue.to_text())
    return 0


def cmd_practice(args) -> int:
    lib = _existing(args)
    card = lib.practice(args.name, nearest=args.nearest)
    if args.json:
        print(json.dumps(card.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(card.to_text(_marks()))
    return 0


def cmd_compare(args) -> int:
    import shutil

    lib = _existing(args)
    comparison = lib.compare(args.query, k=args.k, mode=args.mode)
    if args.json:
        print(json.dumps(comparison.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(comparison.to_text(width=args.width or shutil.get_terminal_size((140, 40)).columns))
    return 0


def cmd_export(args) -> int:
    lib = _existing(args)
    if bool(args.query) == bool(args.practice):
        raise GovtextError("give a QUERY or --practice NAME (one of them)")
    out = lib.export(args.out, query=args.query, practice=args.practice, format=args.format, k=args.k)
    if args.json:
        print(json.dumps({"path": str(out), "format": out.suffix.lstrip(".")}, ensure_ascii=False))
    else:
        print(f"wrote {out}")
    return 0


def cmd_serve(args) -> int:
    from .web import WebServer, WorkerPool

    lib = _existing(args)
    key = args.api_key or os.environ.get("GOVTEXT_API_KEY") or None
    guarded = " (API key required)" if key else ""
    if args.workers > 1:
        pool = WorkerPool(lambda: _existing(args), args.host, args.port, api_key=key,
                          cors_origins=args.cors_origin or (), workers=args.workers)
        lib.close()  # each worker opens its own
        print(f"govtext: serving {lib.path} at {pool.url}/{guarded} ({args.workers} worker processes); "
              "Ctrl-C stops", flush=True)
        pool.run()
        return 0
    server = WebServer(lib, args.host, args.port, api_key=key, cors_origins=args.cors_origin or ())
    engine = lib.warm_up()
    print(f"govtext: serving {lib.path} at {server.url}/{guarded} (query encoder {engine}); Ctrl-C stops", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.socket.close()
    return 0


def cmd_setup_model(args) -> int:
    from .embed import build_model, build_onnx, derive_model_files, model_dir, onnx_path, verify_model

    problem = verify_model()
    if problem or args.force:
        print(f"building {model_dir()} ({problem or 'forced'})", file=sys.stderr)
        build_model()
        problem = verify_model()
    if problem:
        raise GovtextError(f"model check failed after building: {problem}")
    if args.force or not onnx_path().exists():
        print(f"exporting {onnx_path()} (query encoder for warm processes)", file=sys.stderr)
        build_onnx()
    derive_model_files()
    print(f"model ok: {model_dir()}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="govtext", description="Search Vietnamese and Chinese governance documents.")
    parser.add_argument("--config", help="TOML settings file (default govtext.toml if present)")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name, func, help_text):
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        p.add_argument("--index", help="index folder (default indexes/default or $GOVTEXT_INDEX)")
        p.add_argument("--json", action="store_true", help="machine-readable JSON output")
        p.add_argument("--chroma-url", help="the index's vectors on a `chroma run` server, http://HOST:PORT "
                       "(default: in the index folder, or $GOVTEXT_CHROMA_HOST)")
        return p

    p = add("ingest", cmd_ingest, "Read files and folders (txt, md, pdf, jsonl) into the index.")
    p.add_argument("paths", nargs="+", help="files or folders, walked recursively")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--no-practices", action="store_true",
        help="do not rebuild the practice catalogue now (it is built on first use of `govtext practices`)",
    )
    p.add_argument("--wait", action="store_true",
                   help="if another process is writing to the index, wait for it (default: exit 3 at once)")
    p.add_argument("--sync", action="store_true",
                   help="also remove documents whose files under PATHS are gone, unreadable or empty")
    p.add_argument("--global-ids", action="store_true",
                   help="use JSONL record ids as they are (default: scoped by file, corpus:ID)")
    p.add_argument("--max-size", type=int, default=None,
                   help="refuse files over this many bytes (default 200 MB; 0 for no limit)")
    p.add_argument("--workers", type=int, default=None,
                   help="processes preparing documents while the main one embeds and writes "
                        "(default: one per core beyond the two embedding uses, or $GOVTEXT_INGEST_WORKERS; "
                        "1: all in one process; with --ray: actors, default one per CPU of the cluster)")
    p.add_argument("--ray", metavar="ADDRESS",
                   help="prepare and embed on a Ray cluster (auto, HOST:6379, ray://HOST:10001, or local); "
                        "this process alone writes the index (pip install 'govtext[ray]')")
    p.add_argument(
        "--ocr-lang",
        help="language of scanned PDF pages: vi, zh, zh-TW or Tesseract codes such as vie+chi_sim "
        "(default $GOVTEXT_OCR_LANG, else per file: its other pages, then its name)",
    )

    p = add("search", cmd_search, "Search the index; results grouped by document with cited passages.")
    p.add_argument("query")
    p.add_argument("--k", type=int, default=10, help="number of documents, 1 to 1000 (default 10)")
    p.add_argument("--mode", choices=["hybrid", "dense", "lexical"], default="hybrid")
    p.add_argument("--lang", choices=["vi", "zh"], help="only passages in this language")
    p.add_argument("--source", action="append", help="only this source file (repeatable)")
    p.add_argument("--type", help="only this document type: nghi_quyet, ke_hoach, tongzhi, tiaoli, news ... or its name")
    p.add_argument("--year", help="only documents issued in this year or range (2021, 2019-2021)")
    p.add_argument("--place", help="only documents naming this place (Long Biên, 长宁区)")
    p.add_argument("--issuer", help="only documents whose issuing body contains this")
    p.add_argument("--passages", type=int, default=2, help="passages shown per document (default 2)")
    p.add_argument("--format", choices=["csv", "ris", "csljson"],
                   help="print the result list as CSV, RIS or CSL-JSON (for spreadsheets and reference managers)")
    p.add_argument(
        "--all-versions", action="store_true",
        help="show near-duplicates (reposts, other versions) as results of their own instead of collapsed",
    )

    p = add("stats", cmd_stats, "Counts of documents, chunks and failures in the index.")
    p.add_argument("--documents", action="store_true", help="list every document")
    p.add_argument("--failures", action="store_true", help="list every failed or skipped source")

    add("duplicates", cmd_duplicates, "List the groups of near-duplicate documents (reposts, successive versions).")

    p = add("show", cmd_show, "Print a stored document by id.")
    p.add_argument("doc_id")

    p = add("eval", cmd_eval, "Score retrieval on labelled queries: nDCG@10, Recall@10/100, MRR@10.")
    p.add_argument("--queries", required=True, help='queries.jsonl: {"id", "text", "relevant": [doc ids]}')
    p.add_argument("--mode", choices=["hybrid", "dense", "lexical", "all"], default="hybrid")
    p.add_argument("--k", type=int, default=100, help="documents ranked per query (default 100)")
    p.add_argument("--lang", choices=["vi", "zh"], help="only documents in this language (cross-lingual sets)")
    p.add_argument("--run", help='write {"query_id", "mode", "doc_ids"} lines to this file')

    p = add("practices", cmd_practices, "The catalogue of named governance practices, most used first.")
    p.add_argument("--lang", choices=["vi", "zh"], help="only practices named in this language")
    p.add_argument("--place", help="only practices used in documents naming this place (Giang Biên, 长宁区)")
    p.add_argument("--min-mentions", type=int, default=1, help="only practices mentioned at least N times")
    p.add_argument("--limit", type=int, default=0, help="show at most N practices")
    p.add_argument("--full", action="store_true", help="with --json: every use, definition and outcome")
    p.add_argument("--rebuild", action="store_true", help="rebuild the catalogue from the documents")
    p.add_argument("--all", action="store_true",
                   help="also the candidate entries the listing model does not list (marked [candidate])")

    p = add("practice", cmd_practice, "A practice card: definition, actors, outcomes, cited uses, nearest practices.")
    p.add_argument("name", help="the practice's name, any variant or script (一征三议两公开, \"Dân vận khéo\")")
    p.add_argument("--nearest", type=int, default=5, help="nearest practices of the other language (default 5)")

    p = add("compare", cmd_compare, "Vietnamese and Chinese results for a query, side by side.")
    p.add_argument("query")
    p.add_argument("--k", type=int, default=5, help="documents per language (default 5)")
    p.add_argument("--mode", choices=["hybrid", "dense", "lexical"], default="hybrid")
    p.add_argument("--width", type=int, default=0, help="output width in columns (default: the terminal's)")

    p = add("export", cmd_export, "Write a drafting brief of cited passages (Markdown or DOCX) for a query or a practice.")
    p.add_argument("query", nargs="?", help="what to search for (or use --practice)")
    p.add_argument("--practice", help="a practice of the catalogue instead of a query")
    p.add_argument("--format", choices=["md", "docx"], help="default: from the --out suffix")
    p.add_argument("--out", required=True, help="file to write (.md or .docx)")
    p.add_argument("--k", type=int, default=5, help="documents per language for a query (default 5)")

    p = add("serve", cmd_serve, "Serve the web app and JSON API: search, documents, practices, compare and downloads.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 picks a free one)")
    p.add_argument("--api-key", help="require this key on every request (default $GOVTEXT_API_KEY); "
                                     "needed to listen on any address other than loopback")
    p.add_argument("--cors-origin", action="append",
                   help="let pages of this origin call the API (repeatable; default: CORS off)")
    p.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 1),
                   help="server processes sharing the port (default: one per core, at most 4; "
                        "1 serves from this process)")

    p = add("remove", cmd_remove, "Remove documents by id (or unique id prefix) or by source file or folder.")
    p.add_argument("targets", nargs="+", help="document ids, sources (files, folders, path#id)")
    p.add_argument("--wait", action="store_true", help="wait for another writer instead of exiting 3")

    add("check", cmd_check, "Compare the manifest, chroma and tantivy; exit 1 on any mismatch.")

    p = add("repair", cmd_repair, "Bring chroma and tantivy back into agreement with the manifest.")
    p.add_argument("--wait", action="store_true", help="wait for another writer instead of exiting 3")

    p = add("setup-model", cmd_setup_model, "Build (or verify) the embedding model folder under $GOVTEXT_HOME.")
    p.add_argument("--force", action="store_true", help="rebuild even when the model checks out")
    return parser


def _terminated(*_) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    args = build_parser().parse_args(argv)
    # SIGTERM (kill, a service manager, a job scheduler's time limit) stops a command as Ctrl-C does:
    # between two Python steps, so a store write already handed to chroma or tantivy completes
    # (by default the process would die inside it; chroma's HNSW files were seen damaged so)
    signal.signal(signal.SIGTERM, _terminated)
    try:
        return args.func(args)
    except IndexBusy as exc:
        print(f"govtext: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except GovtextError as exc:
        print(f"govtext: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("govtext: interrupted; run the same command again to resume", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
