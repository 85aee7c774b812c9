"""Speed of `sanctions tag` and of name matching against the full lists.

    python scripts/bench_tag.py [--store DIR] [--articles 20] [--queries 400]
                                [--baseline-queries 60] [--out FILE.json]
    python scripts/bench_tag.py --batch-workers 2 --batch-only [--store DIR]
                                [--batch-articles 52] [--batch-rounds 1] [--batch-outputs FILE.jsonl]
    python scripts/bench_tag.py --hand-check [--store DIR]

1. **Tagging**: English news from the corpus (``news/``, ``news_en/``) cut
   into windows of ~800 words; each window is tagged with
   :func:`nlp.tag.tagging.tag_article` against a store holding every list in
   ``sanctions_lists/`` (nothing is stored: ``store_it=False``). Model
   loading and the matcher build are timed apart, on a warm-up article, and
   so is the rest of :func:`nlp.tag.tagging.warm_up` (what tag-batch workers
   load before their first article).
   The extraction layer alone (:func:`nlp.extract.pipeline.extract_text`)
   is timed on the same windows, to show what tagging adds.
2. **Name matching**: the PERSON/ORG names that the tagger sends to the
   lists (from the same windows) are queried against the full lists with
   ``ListMatcher.search`` (trigram-blocked candidates, then the pair scorer)
   and with ``match_entity`` (the tagging path: guards, Russian nominative).
   Baseline: rapidfuzz ``process.extractOne`` with ``WRatio`` over every
   listed name and alias (ASCII forms), i.e. all pairs.

3. **Hand check** (``--hand-check``): tags the sample read by hand for
   ``docs/tag.md`` (the five policy-tracker articles, the Vlast article, the
   nine Reuters/RUSI/CSIS reposts, and the first 12 Russian Telegram posts of the keyword extract that name one
   of a fixed set of sanctioned parties) and prints, per article, the listed
   entries flagged (score, how, mentions) and the PERSON/ORG names that were
   not flagged. Judging them right or wrong is the reader's part.

Without ``--store`` a temporary store is made and ``sanctions_lists/`` is
ingested into it (about a minute). Prints one JSON report.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlp import settings  # noqa: E402
from nlp.store import Store  # noqa: E402

WORDS_PER_ARTICLE = 800


def machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()}-core CPU ({platform.machine()}), {mem:.0f} GiB RAM, no GPU, shared with other jobs"


def english_windows(corpus: Path, limit: int) -> list[str]:
    """~800-word windows of the corpus's English news, in a fixed order."""
    from nlp.ingest import read_path, walk
    from nlp.ingest.registry import ReadError

    roots = [corpus / "news", corpus / "news_en"]
    windows: list[str] = []
    for path in sorted(walk([r for r in roots if r.exists()])):
        try:
            _, result = read_path(path)
        except ReadError:
            continue
        for doc in result.documents:
            if doc.lang != "en":
                continue
            words = doc.text.split(" ")
            for start in range(0, len(words), WORDS_PER_ARTICLE):
                piece = " ".join(words[start:start + WORDS_PER_ARTICLE])
                if len(piece.split()) >= WORDS_PER_ARTICLE * 0.75:
                    windows.append(piece)
    # Interleave sources rather than take the first long report whole.
    step = max(1, len(windows) // limit)
    return windows[::step][:limit]


def summary_ms(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"mean_ms": round(1000 * statistics.fmean(values), 1),
            "p50_ms": round(1000 * ordered[len(ordered) // 2], 1),
            "p95_ms": round(1000 * ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 1)}


def bench_tagging(store: Store, windows: list[str]) -> tuple[dict, list[tuple[str, str]]]:
    from nlp.extract.pipeline import extract_text
    from nlp.tag.names import list_matcher
    from nlp.tag.tagging import list_schema, tag_article, warm_up

    settings.offline_models()
    started = time.perf_counter()
    list_matcher(store)
    matcher_build = time.perf_counter() - started
    started = time.perf_counter()
    tag_article(windows[0], store, lang="en", published="2025-01-01", store_it=False)
    warmup = time.perf_counter() - started
    # What the first article did not load (rigour's name analyser loads on the
    # first person-name check, seconds): loaded now, as tag-batch workers do.
    started = time.perf_counter()
    warm_up(store)
    rest_of_warm_up = time.perf_counter() - started

    tag_times, extract_times, names, listed = [], [], [], []
    for text in windows:
        started = time.perf_counter()
        tags = tag_article(text, store, lang="en", published="2025-01-01", store_it=False)
        tag_times.append(time.perf_counter() - started)
        listed.append(len(tags["listed"]))
        started = time.perf_counter()
        extract_text(text, "en", "2025-01-01")
        extract_times.append(time.perf_counter() - started)
        for entity in tags["entities"]:
            schema = list_schema(entity)
            if schema:
                names.append((entity["text"], schema))
    words = sum(len(t.split()) for t in windows)
    report = {
        "articles": len(windows), "mean_words": round(words / len(windows)),
        "matcher_build_s": round(matcher_build, 1), "first_article_with_model_load_s": round(warmup, 1),
        "rest_of_warm_up_s": round(rest_of_warm_up, 1),
        "tag": {"per_s": round(len(windows) / sum(tag_times), 2), **summary_ms(tag_times)},
        "extract_only": {"per_s": round(len(windows) / sum(extract_times), 2), **summary_ms(extract_times)},
        "listed_entries_flagged_per_article": round(statistics.fmean(listed), 2),
    }
    return report, names


def bench_names(store: Store, names: list[tuple[str, str]], n_queries: int, n_baseline: int) -> dict:
    from rapidfuzz import fuzz, process

    from nlp.tag.names import ascii_form, list_matcher, rules
    from nlp.tag.tagging import clear_search_memo, match_entity

    matcher = list_matcher(store)
    unique = list(dict.fromkeys(names))
    queries = (unique * (n_queries // max(1, len(unique)) + 1))[:n_queries]
    threshold = rules()["tag_threshold"]

    started = time.perf_counter()
    blocked_top = {}
    for name, schema in queries:
        hits = matcher.search(name, schema=schema, limit=3, threshold=threshold)
        blocked_top.setdefault(name, {ascii_form(h["name"]) for h in hits})
    blocked = time.perf_counter() - started

    # The tagging path memoises searches per matcher: time it cold, on
    # distinct names, so the memo does not flatter it.
    clear_search_memo()
    started = time.perf_counter()
    hits_total = 0
    for name, schema in unique:
        hits_total += bool(match_entity(name, schema, matcher))
    tagging_path = time.perf_counter() - started

    # All pairs: every listed name and alias, ASCII-folded as the matcher does.
    choices = [ascii_form(listed) for _, listed, _ in matcher.names]
    # Spread the baseline sample over names with and without a list hit.
    with_hit = [q for q in unique if blocked_top.get(q[0])]
    without = [q for q in unique if not blocked_top.get(q[0])]
    base_queries = with_hit[:n_baseline // 2] + without[:n_baseline - min(len(with_hit), n_baseline // 2)]
    started = time.perf_counter()
    agree = both = 0
    for name, _ in base_queries:
        best = process.extractOne(ascii_form(name), choices, scorer=fuzz.WRatio, processor=None)
        if best and best[1] >= 90 and blocked_top.get(name):
            both += 1
            # Same party (several lists carry it): compare the primary names.
            agree += ascii_form(matcher.entries[matcher.names[best[2]][0]].name) in blocked_top[name]
    baseline = time.perf_counter() - started

    blocked_qps = len(queries) / blocked
    baseline_qps = len(base_queries) / baseline
    return {
        "listed_names_and_aliases": len(matcher.names), "listed_entries": len(matcher.entries),
        "distinct_query_names": len(unique), "queries": len(queries),
        "trigram_blocked_search_qps": round(blocked_qps, 1),
        "tagging_path_match_entity_qps_cold": round(len(unique) / tagging_path, 1),
        "distinct_names_with_a_hit_in_tagging_path": round(hits_total / len(unique), 3),
        "baseline_rapidfuzz_extractOne_WRatio_all_pairs_qps": round(baseline_qps, 2),
        "baseline_queries": len(base_queries),
        "speedup_blocked_vs_all_pairs": round(blocked_qps / baseline_qps, 1),
        "baseline_top1_same_entry_where_both_hit": f"{agree}/{both}",
    }


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds of these processes so far (Linux ``/proc``; 0 elsewhere)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def bench_batch(store_dir: Path, windows: list[str], workers: int, outputs: Path | None = None) -> dict:
    """``tag_many`` (batched models, ``workers`` processes) over distinct windows, as
    ``sanctions tag-batch`` runs them: the whole run from start, and the steady rate
    once the first results arrive. By then every worker has loaded its models and
    finished about one batch (workers run ahead of the reader), so the rate counts
    the articles after the first batch of each worker over the time after the first
    result. Results can arrive in bunches (a worker finishes batches while an
    earlier one is still on its way), so on a loaded machine that rate can flatter;
    the whole run's CPU seconds (this process, the fork server and the workers,
    start-up included) per article are less sensitive to other jobs on the
    machine. Over the same span as the steady rate it also gives the CPU per
    article and the cores the run kept busy (CPU seconds over wall seconds):
    with N workers on N free cores that is near N; less means the workers
    waited (other jobs, or the last batches: with few articles one worker
    finishes its last, short batch alone, which is why 52 articles and batches
    of 8 let 2 workers reach at most 1.8x one worker's steady rate, so the
    rate is also given up to the end of the last round in which every worker
    tagged a full batch (48 of the 52 articles with 2 workers); the
    corpus has no more distinct windows, so ``--batch-rounds`` repeats them
    to compare worker counts over a longer run). ``outputs`` gets every tags
    record as one JSON line (keys sorted), to compare two versions' output
    byte for byte."""
    from nlp.scale.processes import descendants
    from nlp.tag.batch import BATCH_SIZE, tag_many

    articles = [{"text": w, "lang": "en", "published": "2025-01-01"} for w in windows]
    started = time.perf_counter()
    parent_start = time.process_time()
    arrivals, records = [], []
    pids: list[int] = []
    cpu_first = cpu_last = 0.0
    done = 0
    for tags in tag_many(iter(articles), store_dir, workers=workers):
        arrivals.append(time.perf_counter() - started)
        if len(arrivals) == 1:
            pids = [os.getpid(), *descendants(os.getpid())]
            cpu_first = cpu_seconds(pids)
        cpu_last = cpu_seconds(pids)
        done += "error" not in tags
        records.append(tags)
    # Everything since the start: this process's share of it, and every worker
    # (and a fork server, which loads the models once for them) in full.
    whole_cpu = cpu_last - (cpu_seconds([os.getpid()]) - (time.process_time() - parent_start))
    first = arrivals[0]
    after = len(arrivals) - max(1, workers) * BATCH_SIZE
    span = arrivals[-1] - first
    steady_cpu = cpu_last - cpu_first  # every process, from the first result to the last
    # The same rate up to the end of the last round in which every worker
    # tagged a full batch: without the tail a short run ends on.
    rounds = len(arrivals) // BATCH_SIZE // max(1, workers)
    last_full = rounds * max(1, workers) * BATCH_SIZE - 1
    full_span = arrivals[last_full] - first if rounds > 1 else 0.0
    full_after = last_full + 1 - max(1, workers) * BATCH_SIZE
    if outputs:
        outputs.write_text("".join(json.dumps(r, sort_keys=True, ensure_ascii=False) + "\n" for r in records),
                           encoding="utf-8")
    return {"workers": workers, "articles": len(articles), "tagged": done,
            "mean_words": round(sum(len(w.split()) for w in windows) / len(windows)),
            "whole_run_s": round(arrivals[-1], 1), "whole_run_articles_per_s": round(len(arrivals) / arrivals[-1], 2),
            "first_results_s": round(first, 1),
            "articles_per_s_after_first_batches": round(after / span, 2) if after > 0 and span > 0 else None,
            "articles_per_s_after_first_batches_full_rounds":
                round(full_after / full_span, 2) if full_after > 0 and full_span > 0 else None,
            "cpu_ms_per_article_after_first_batches": round(1000 * steady_cpu / after, 1) if after > 0 else None,
            "cores_busy_after_first_batches": round(steady_cpu / span, 2) if span > 0 else None,
            "whole_run_cpu_s": round(whole_cpu, 1),
            "whole_run_cpu_s_per_article": round(whole_cpu / len(articles), 3)}


# Parties the Telegram sample must name (stems, so any case ending matches).
_SAMPLE_NAMES = re.compile(r"Газпромбанк|Сбербанк|Роснефт|Совкомфлот|Медведев|Шойгу|Лавров|Песков|"
                           r"Дерипаск|Абрамович|Усманов|Фридман|Потанин|Набиуллин|Ротенберг|Альфа-Банк|"
                           r"Костин|Сечин|Кадыров|ВТБ|АФК «Система»")


def hand_check(store: Store, corpus: Path) -> list[dict]:
    from nlp.tag.tagging import tag_article, tag_path

    settings.offline_models()
    out = []

    def row(label: str, tags: dict) -> dict:
        return {"article": label, "lang": tags["lang"],
                "listed": [f"{r['score']:.2f} {r['via']}: {r['name']} [{r['list_name']}] <- {r['mentions']}"
                           for r in tags["listed"]],
                "not_flagged": sorted({e["text"] for e in tags["entities"]
                                       if e["label"] in ("PERSON", "PER", "ORG") and not e["list_matches"]})}

    files = [path for folder in ("en_policytracker_planet", "vlast", "en_reposts_agorahub_pen0")
             for path in sorted((corpus / "news" / folder).glob("*.txt"))]
    for path in files:
        out.append(row(path.name, tag_path(path, store, store_it=False)))
    posts_file = corpus / "news_ru" / "telegram_nktkln_2024" / "DERIVED_sanctions_keyword_posts.jsonl"
    if posts_file.exists():
        posts = [json.loads(line) for line in posts_file.read_text(encoding="utf-8").splitlines() if line.strip()]
        chosen = [p for p in posts if _SAMPLE_NAMES.search(p.get("text") or "")][:12]
        for post in chosen:
            tags = tag_article(post["text"], store, published=post["date"][:10], store_it=False)
            out.append(row(f"telegram {post['channel']} {post['date'][:10]} #{post['message_id']}", tags))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="a store that already holds the lists")
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--baseline-queries", type=int, default=60)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--hand-check", action="store_true", help="print the hand-check sample's tags")
    parser.add_argument("--batch-workers", type=int, default=0,
                        help="also time tag-batch (nlp.tag.batch) with this many worker processes")
    parser.add_argument("--batch-articles", type=int, default=48,
                        help="distinct articles for the tag-batch run (the corpus's English news makes 52 windows: "
                             "a larger number runs all 52)")
    parser.add_argument("--batch-rounds", type=int, default=1,
                        help="tag the batch articles this many times over (repeats: caches help, so the "
                             "rate flatters; for comparing worker counts without the short run's tail)")
    parser.add_argument("--batch-only", action="store_true", help="only the tag-batch run (with --batch-workers)")
    parser.add_argument("--batch-outputs", type=Path,
                        help="write the tag-batch records here (JSON Lines, keys sorted) to compare runs")
    args = parser.parse_args()

    corpus = settings.corpus_dir()
    if not (corpus / "sanctions_lists").is_dir():
        sys.exit(f"corpus not found at {corpus} (set SANCTIONS_SHARED)")
    report: dict = {"machine": machine(), "command": "python scripts/bench_tag.py " + " ".join(sys.argv[1:]),
                    "load_average_before": os.getloadavg()}
    with tempfile.TemporaryDirectory() as tmp:
        store_dir = args.store or Path(tmp) / "store"
        with Store(store_dir) as store:
            if not store.totals()["listings"]:
                from nlp.ingest import ingest

                started = time.perf_counter()
                ingest([corpus / "sanctions_lists"], store)
                report["ingest_lists_s"] = round(time.perf_counter() - started, 1)
            report["listings"] = store.totals()["listings"]
            if args.hand_check:
                report["hand_check"] = hand_check(store, corpus)
                _emit(report, args.out)
                return
            windows = english_windows(corpus, args.articles)
            if not windows:
                sys.exit("no English news of 600+ words found in the corpus")
            if not args.batch_only:
                report["tagging"], names = bench_tagging(store, windows)
                report["name_matching"] = bench_names(store, names, args.queries, args.baseline_queries)
            if args.batch_workers:
                more = english_windows(corpus, args.batch_articles) * max(1, args.batch_rounds)
                report["batch"] = bench_batch(store_dir, more, args.batch_workers, args.batch_outputs)
    _emit(report, args.out)


def _emit(report: dict, out: Path | None) -> None:
    report["load_average_after"] = os.getloadavg()
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if out:
        out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
