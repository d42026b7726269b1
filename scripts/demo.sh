#!/usr/bin/env bash
# Set up, ingest the demo corpus into the default index and run example searches.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
G=.venv/bin/govtext
$G ingest corpora/
$G stats
for q in "Ban quản trị nhà chung cư" "一征三议两公开" "cải tạo chung cư cũ"; do
    echo "=== govtext search \"$q\" --k 3"
    $G search "$q" --k 3 --passages 1
done
echo "=== cross-lingual: govtext search \"居民自治\" --lang vi --k 3"
$G search "居民自治" --lang vi --k 3 --passages 1
echo "=== cross-lingual: govtext search \"tự quản của cư dân trong khu chung cư\" --lang zh --k 3"
$G search "tự quản của cư dân trong khu chung cư" --lang zh --k 3 --passages 1
echo "=== practices: govtext practices --limit 10"
$G practices --limit 10
echo "=== a practice card: govtext practice 一征三议两公开"
$G practice 一征三议两公开
echo "=== side by side: govtext compare \"居民自治\" --k 2"
$G compare "居民自治" --k 2
echo "=== a cited brief: govtext export --practice 一征三议两公开 --out indexes/brief-yizheng.docx"
$G export --practice 一征三议两公开 --out indexes/brief-yizheng.docx
