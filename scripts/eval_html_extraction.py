"""Measure boilerplate removal of the HTML news reader (nlp.ingest.html).

The corpus has no news pages as HTML with a known main text, so this builds
them: every plain-text news article under ``corpus/news`` (real article text,
read with nlp.ingest.text) is wrapped into web-page chrome: navigation,
cookie banner, "most read" sidebar, related links, newsletter box, comments,
footer, scripts, in one of four page layouts (semantic <article>, div soup
with content classes, table layout, bare <body>). The chrome is generated
text unrelated to the article. Scored per page, token multisets (lower-cased
words):

* recall    = article tokens found in the extracted text / article tokens
* precision = extracted tokens that are article tokens / extracted tokens
* chrome    = share of chrome sentences that leak into the extracted text

for trafilatura's default, ``favor_precision`` and ``favor_recall``.
Usage: ``python scripts/eval_html_extraction.py [--limit N] [--json]``.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import statistics
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlp import settings  # noqa: E402
from nlp.ingest import html as html_reader  # noqa: E402
from nlp.ingest.text import read_text_document  # noqa: E402

CHROME_SENTENCES = [
    "Subscribe to our newsletter and get the top stories every morning",
    "We use cookies to improve your experience and for analytics and advertising",
    "Most read this week across all sections of the site",
    "Sign in or create an account to leave a comment below",
    "Follow us on social media for breaking updates and live coverage",
    "Advertise with us and reach millions of engaged readers worldwide",
    "Terms of use privacy policy and contact information for the editorial team",
    "Related stories you might have missed from our archive",
    "This reader comment reflects only the views of its author and not the site",
    "Download our mobile app to read offline on the go",
    "Share this article on Facebook Twitter LinkedIn or by email",
    "Read also the analysis of how the central bank responded to the crisis",
    "About the author she covers energy markets and has reported from Brussels for many years",
    "Teaser the minister said on Monday that talks with neighbouring countries would continue next month",
]
HEADLINES = ["Markets close higher as investors weigh rate outlook", "Weather warning issued for the weekend",
             "Football club announces new coach", "Ten recipes for a quick dinner", "Travel tips for the summer",
             "Tech company unveils new phone", "City council debates parking fees", "Local museum reopens"]
WORD = re.compile(r"\w+", re.U)


def tokens(text: str) -> Counter:
    return Counter(w.lower() for w in WORD.findall(text))


def chrome(rng: random.Random) -> dict[str, str]:
    pick = lambda n: rng.sample(CHROME_SENTENCES, n)  # noqa: E731
    links = "".join(f'<li><a href="/s/{i}">{h}</a></li>' for i, h in enumerate(rng.sample(HEADLINES, 5)))
    return {
        "nav": '<nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>'
               '<li><a href="/business">Business</a></li><li><a href="/sport">Sport</a></li></ul></nav>',
        "cookie": f'<div class="cookie-banner"><p>{pick(1)[0]}.</p><button onclick="ok()">Accept</button></div>',
        "sidebar": f'<aside class="sidebar"><h3>Most read</h3><ul>{links}</ul><p>{pick(1)[0]}.</p></aside>',
        "related": f'<div class="related"><h3>Related</h3><p>{pick(1)[0]}.</p><ul>{links}</ul></div>',
        "newsletter": f'<div class="newsletter"><p>{pick(1)[0]}.</p><form><input name="e"></form></div>',
        "comments": '<section id="comments" class="comments"><h3>Comments</h3>' + "".join(
            f'<div class="comment"><p>{s}.</p></div>' for s in pick(2)) + "</section>",
        "footer": f'<footer><p>{pick(1)[0]}.</p><p>© 2024 Example Media</p></footer>',
        "script": '<script>var dataLayer=[];function track(e){dataLayer.push(e)}</script>',
    }


def page(title: str, paragraphs: list[str], layout: int, rng: random.Random) -> str:
    c = chrome(rng)
    # In-article chrome, as real pages have it: a share bar, a "read also"
    # link between paragraphs, an author box and teasers after the text.
    body = (f'<div class="share"><a href="#">{CHROME_SENTENCES[10]}</a></div>'
            + "".join(f"<p>{html.escape(p)}</p>" + (f'<p class="read-also"><a href="/a">{CHROME_SENTENCES[11]}</a></p>'
                                                   if i == 1 else "") for i, p in enumerate(paragraphs))
            + f'<div class="author-bio"><p>{CHROME_SENTENCES[12]}.</p></div>'
            + f'<div class="teaser"><h4>More news</h4><p>{CHROME_SENTENCES[13]}.</p></div>')
    head = f'<head><meta charset="utf-8"><title>{html.escape(title)} | Example Media</title>{c["script"]}</head>'
    h1 = f"<h1>{html.escape(title)}</h1>"
    if layout == 0:
        main = f'<main><article>{h1}{body}</article>{c["related"]}{c["comments"]}</main>'
    elif layout == 1:
        main = (f'<div id="wrapper"><div class="col-8"><div class="post-title">{h1}</div>'
                f'<div class="entry-content post-body">{body}</div>{c["newsletter"]}</div>'
                f'<div class="col-4">{c["sidebar"]}</div></div>{c["comments"]}')
    elif layout == 2:
        main = (f'<table><tr><td class="left">{c["sidebar"]}</td><td class="content">{h1}{body}'
                f'</td></tr></table>{c["related"]}')
    else:
        main = f"{h1}{body}{c['newsletter']}"
    return f"<!DOCTYPE html><html>{head}<body>{c['nav']}{c['cookie']}{main}{c['footer']}</body></html>"


def articles(limit: int) -> list[tuple[str, str, list[str]]]:
    from nlp.ingest.records_json import read_json_records

    found = []
    for path in sorted(settings.corpus_dir().glob("news_*/web_excerpts/*.jsonl")):
        for doc in read_json_records(path, path.read_bytes()).documents:
            paragraphs = [p.strip() for p in re.split(r"\n\s*\n|(?<=[.!?])\s+(?=[A-ZА-Я])", doc.text) if p.strip()]
            paragraphs = [p for p in paragraphs if len(p) > 40 and p != doc.title]
            if len(paragraphs) >= 2:
                found.append((f"{path.name}#{doc.source_id}", doc.title or paragraphs[0][:80], paragraphs))
    for path in sorted((settings.corpus_dir() / "news").rglob("*.txt")):
        doc = read_text_document(path, path.read_bytes())
        paragraphs = [b.text.lstrip("# ").strip() for b in doc.blocks if b.kind in ("paragraph", "heading")]
        paragraphs = [p for p in paragraphs if len(p) > 40 and p != doc.title]
        if doc.kind == "news" and len(paragraphs) >= 2:
            found.append((path.name, doc.title or paragraphs[0][:80], paragraphs))
    return found[:limit]


def score(extracted: str, truth: str) -> tuple[float, float, float]:
    got, want = tokens(extracted), tokens(truth)
    overlap = sum((got & want).values())
    recall = overlap / max(1, sum(want.values()))
    precision = overlap / max(1, sum(got.values()))
    leaked = sum(1 for s in CHROME_SENTENCES if s.lower() in extracted.lower())
    return precision, recall, leaked / len(CHROME_SENTENCES)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=1000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    corpus = articles(args.limit)
    if not corpus:
        sys.exit(f"no news .txt files under {settings.corpus_dir() / 'news'}")
    configs = {"default": (False, False), "favor_precision": (True, False), "favor_recall": (False, True)}
    results = {}
    for name, (precision_flag, recall_flag) in configs.items():
        html_reader.FAVOR_PRECISION, html_reader.FAVOR_RECALL = precision_flag, recall_flag
        rows, failures = [], 0
        for i, (file_name, title, paragraphs) in enumerate(corpus):
            rng = random.Random(i)
            data = page(title, paragraphs, i % 4, rng).encode("utf-8")
            try:
                doc = html_reader.read_html_document(Path(file_name + ".html"), data)
            except Exception:  # counted as an empty extraction
                failures += 1
                rows.append((0.0, 0.0, 0.0))
                continue
            rows.append(score(doc.text, title + "\n" + "\n".join(paragraphs)))
        p = statistics.mean(r[0] for r in rows)
        r = statistics.mean(r[1] for r in rows)
        results[name] = {"pages": len(rows), "failed": failures, "precision": round(p, 3), "recall": round(r, 3),
                         "f1": round(2 * p * r / (p + r) if p + r else 0.0, 3),
                         "chrome_leak": round(statistics.mean(r[2] for r in rows), 3)}
    if args.json:
        print(json.dumps(results))
    else:
        print(f"{'config':<16} pages failed precision recall   f1  chrome_leak")
        for name, m in results.items():
            print(f"{name:<16} {m['pages']:>5} {m['failed']:>6} {m['precision']:>9} {m['recall']:>6} {m['f1']:>5}"
                  f" {m['chrome_leak']:>11}")


if __name__ == "__main__":
    main()
