"""The corpus manifest (``corpus/sources.jsonl``): build it, and fetch from it.

One JSON line per file of the shared corpus: ``path`` (relative to the corpus
folder), ``sha256``, ``size``, ``licence``, where it came from (``repository``,
``repo_path``, ``commit`` and a raw ``url`` at that commit, or a page ``url``)
and ``derived`` (true when the file is not a byte copy of an upstream file:
transcriptions, concatenations, excerpts; such files cannot be re-downloaded
byte for byte and come only from a mirror). Project-written samples are lines
with ``"sample": true`` whose ``path`` is relative to the manifest's folder.

* :func:`build_manifest` reads the corpus folder and its ``PROVENANCE.md``
  (Markdown tables; ``same repo`` / ``as above`` rows inherit from the row
  before) — ``scripts/build_sources_manifest.py`` writes the result.
* :func:`fetch_all` copies each file from ``--mirror`` or downloads its URL
  with :mod:`urllib` (stdlib: no extra dependency for one GET per file), checks
  the SHA-256, writes to a temporary file in the destination folder and renames
  it into place (so no partial file is ever left), and skips files already
  present with the right checksum.

It does not crawl, retry, resume partial downloads, or decide licences: the
licence text is PROVENANCE.md's, as stated there.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Iterable

from .errors import FetchError

CHUNK = 1 << 16
TIMEOUT_S = 30
USER_AGENT = "sanctions-nlp-corpus-fetch/1 (python urllib)"

_HEX = re.compile(r"\b[0-9a-f]{7,40}\b")
_REPO = re.compile(r"^(?:github\s+)?([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)\s+`")
_TICKED = re.compile(r"`([^`]+)`")
_COMMIT_IN_SOURCE = re.compile(r"\bcommit\s+([0-9a-f]{7,40})\b")
_URL = re.compile(r"https?://[^\s;,)]+")
_DERIVED = re.compile(r"DERIVED|CONCATENATED|concatenated|excerpts of stored|[Tt]ranscribed|"
                      r"normalised|given with the project request|\*", re.S)


# -- building the manifest -----------------------------------------------------

def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def provenance_rows(markdown: str) -> list[dict[str, str]]:
    """The rows of every table in PROVENANCE.md, keyed by a normalised header."""
    rows: list[dict[str, str]] = []
    header: list[str] | None = None
    for line in markdown.splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if header is None:
            header = [_column(c) for c in cells]
        elif set(line.replace("|", "").strip()) <= set("-: "):
            continue
        else:
            rows.append(dict(zip(header, cells)))
    return rows


def _column(title: str) -> str:
    title = title.lower()
    for key in ("file", "source", "commit", "licence", "size", "contents"):
        if title.startswith(key):
            return key
    return title


def _expand_files(cell: str, corpus: Path) -> list[str]:
    """Corpus paths named in a row's first cell (globs and lists expanded)."""
    out: list[str] = []
    names = _TICKED.findall(cell)
    base = ""
    for name in names:
        name = re.sub(r"\s*\(\d+ files\)$", "", name.strip())
        if "/" not in name and base:
            name = f"{base}/{name}"  # "`dir/a.txt`, `b.txt`": b is in dir
        base = name.rsplit("/", 1)[0] if "/" in name else base
        if any(ch in name for ch in "*?["):
            out.extend(sorted(str(p.relative_to(corpus)) for p in corpus.glob(name) if p.is_file()))
        else:
            out.append(name)
    return out


class _Context:
    """What "same repo" and "as above" refer to: the row before."""

    repo: str | None = None
    last_repo: str | None = None
    commit: str | None = None
    last_commit: str | None = None
    repo_path: str | None = None
    ellipsis_base: str | None = None


def _source_paths(source: str, count: int, ctx: _Context) -> list[str | None]:
    """Upstream paths in the source cell, one per corpus file of the row.

    They are the backticked runs before the first parenthesis outside
    backticks (later ones are commentary, e.g. ``data/LICENCE.md``).
    """
    masked = _TICKED.sub(lambda m: "`" + "x" * len(m[1]) + "`", source)
    cut = masked.find("(") if "(" in masked else len(source)
    paths = [m[1] for m in _TICKED.finditer(source) if m.start() < cut]
    resolved: list[str | None] = []
    for path in paths:
        if path.startswith(".../"):
            rest = path[4:]
            first = rest.split("/", 1)[0]
            previous = ctx.repo_path or ""
            if f"/{first}/" in f"/{previous}":
                ctx.ellipsis_base = previous[: f"/{previous}".index(f"/{first}/")]
            path = (ctx.ellipsis_base or "") + rest
        elif "/" not in path and resolved and resolved[0] and "/" in resolved[0]:
            path = resolved[0].rsplit("/", 1)[0] + "/" + path
        resolved.append(path)
    if len(resolved) < count:
        resolved += [resolved[-1] if resolved else None] * (count - len(resolved))
    return resolved[:count]


def build_manifest(corpus: Path, provenance: Path | None = None) -> list[dict[str, Any]]:
    """One manifest entry per file under ``corpus`` (PROVENANCE.md itself excluded)."""
    provenance = provenance or corpus / "PROVENANCE.md"
    rows = provenance_rows(provenance.read_text(encoding="utf-8")) if provenance.is_file() else []
    info: dict[str, dict[str, Any]] = {}
    ctx = _Context()
    for row in rows:
        files = _expand_files(row.get("file", ""), corpus)
        if not files:
            continue
        source = row.get("source", "")
        repo_match = _REPO.match(source)
        if repo_match:
            ctx.repo = ctx.last_repo = repo_match[1]
        else:
            ctx.repo = ctx.last_repo if source.startswith("same repo") else None
        commit_cell = row.get("commit", "")
        commits = _HEX.findall(commit_cell) or _COMMIT_IN_SOURCE.findall(source)
        if commits:
            ctx.commit = ctx.last_commit = commits[0]
        else:
            ctx.commit = ctx.last_commit if commit_cell.startswith("as above") else None
        derived = (bool(_DERIVED.search(source)) or "not byte-exact" in row.get("contents", "")
                   or any(Path(f).name.startswith("DERIVED_") for f in files))
        is_glob = "<same name>" in source
        upstream = _source_paths(source, len(files), ctx) if ctx.repo else [None] * len(files)
        for file, repo_path in zip(files, upstream):
            if repo_path and is_glob:
                stem = Path(file).stem
                repo_path = repo_path.replace("<same name>", stem)
            entry: dict[str, Any] = {"path": file, "licence": row.get("licence", "").strip() or None,
                                     "derived": derived}
            if ctx.repo:
                entry["repository"] = f"https://github.com/{ctx.repo}"
                entry["repo_path"] = repo_path
                entry["commit"] = ctx.commit
                if repo_path and ctx.commit and not derived and "*" not in repo_path:
                    entry["url"] = (f"https://raw.githubusercontent.com/{ctx.repo}/{ctx.commit}/"
                                    + urllib.parse.quote(repo_path))
            if "url" not in entry:
                page = _URL.search(source)
                if page:
                    entry["url"] = page[0].rstrip(".")
            info[file] = entry
        if ctx.repo and upstream and upstream[-1]:
            ctx.repo_path = upstream[-1]
    manifest: list[dict[str, Any]] = []
    for path in sorted(p for p in corpus.rglob("*") if p.is_file()):
        rel = path.relative_to(corpus).as_posix()
        if rel == "PROVENANCE.md" or any(part.startswith(".") for part in path.parts):
            continue
        described = info.get(rel, {"licence": None, "derived": True,
                                   "note": "not described in PROVENANCE.md"})
        entry = {"name": path.name, "path": rel, "url": described.pop("url", None), **described,
                 "sha256": sha256_file(path), "size": path.stat().st_size}
        manifest.append(entry)
    return manifest


def read_manifest(manifest: Path) -> list[dict[str, Any]]:
    entries = []
    for number, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{manifest}: line {number}: invalid JSON ({exc.msg})") from None
        if not isinstance(entry, dict) or not entry.get("path"):
            raise ValueError(f"{manifest}: line {number}: an entry needs a 'path'")
        entries.append(entry)
    return entries


def write_manifest(entries: Iterable[dict[str, Any]], manifest: Path) -> int:
    lines = [json.dumps(e, ensure_ascii=False, sort_keys=False) for e in entries]
    manifest.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write_text(manifest, "\n".join(lines) + "\n")
    return len(lines)


def _atomic_write_text(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# -- fetching --------------------------------------------------------------------

def _safe_target(dest: Path, rel: str) -> Path:
    """``dest/rel``, refusing paths that climb out of ``dest``."""
    target = (dest / rel).resolve()
    if not target.is_relative_to(dest.resolve()):
        raise FetchError(f"unsafe path {rel!r}")
    return target


def _copy_into(target: Path, write: Any, expected: str | None) -> str:
    """Write via ``write(handle)`` to a temp file next to ``target``; check; rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as handle:
            for chunk in write():
                digest.update(chunk)
                handle.write(chunk)
        actual = digest.hexdigest()
        if expected and actual != expected:
            raise FetchError(f"checksum mismatch: got sha256 {actual[:12]}…, expected {expected[:12]}…")
        os.replace(tmp, target)
        return actual
    finally:
        Path(tmp).unlink(missing_ok=True)


def _file_chunks(path: Path):
    def chunks():
        with path.open("rb") as handle:
            yield from iter(lambda: handle.read(CHUNK), b"")
    return chunks


def _url_chunks(url: str, timeout: float):
    def chunks():
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http/https only)
                while True:
                    chunk = response.read(CHUNK)
                    if not chunk:
                        break
                    yield chunk
        except urllib.error.HTTPError as exc:
            raise FetchError(f"HTTP {exc.code} {exc.reason} for {url}") from None
        except urllib.error.URLError as exc:
            raise FetchError(f"cannot reach {urllib.parse.urlsplit(url).netloc}: {exc.reason}") from None
        except TimeoutError:
            raise FetchError(f"timed out after {timeout:.0f} s: {url}") from None
        except OSError as exc:
            raise FetchError(f"download failed: {exc}") from None
    return chunks


def fetch_one(entry: dict[str, Any], dest: Path, mirror: Path | None, *,
              samples_root: Path | None = None, timeout: float = TIMEOUT_S) -> dict[str, Any]:
    """Fetch one manifest entry; returns ``{"path", "status", "reason"}``."""
    rel = str(entry.get("path") or "")
    expected = entry.get("sha256")
    result: dict[str, Any] = {"path": rel, "status": "failed", "reason": None}
    try:
        if entry.get("sample"):
            # project-written samples live in the repository next to the manifest
            source = _safe_target(samples_root or Path("."), rel)
            if not source.is_file():
                raise FetchError("project sample missing from the repository")
            if expected and sha256_file(source) != expected:
                raise FetchError("project sample differs from its manifest checksum")
            result.update(status="present", reason="project sample")
            return result
        target = _safe_target(dest, rel)
        if target.is_file() and (not expected or sha256_file(target) == expected):
            result.update(status="present", reason=None if expected else "no checksum to verify")
            return result
        if mirror is not None:
            source = _safe_target(mirror, rel)
            if not source.is_file():
                raise FetchError(f"not in mirror {mirror}")
            _copy_into(target, _file_chunks(source), expected)
            result.update(status="copied")
            return result
        url = entry.get("url")
        if entry.get("derived"):
            raise FetchError("derived file (not a byte copy of an upstream file): use --mirror")
        if not url:
            raise FetchError("no download URL in the manifest: use --mirror")
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise FetchError(f"unsupported URL scheme: {url}")
        _copy_into(target, _url_chunks(url, timeout), expected)
        result.update(status="fetched")
    except FetchError as exc:
        result["reason"] = str(exc)
    except OSError as exc:
        result["reason"] = f"{type(exc).__name__}: {exc.strerror or exc}"
    return result


def fetch_all(manifest: Path, dest: Path, mirror: Path | None) -> list[dict]:
    """Fetch every entry of ``manifest`` into ``dest`` (see the module docstring).

    A manifest that cannot be read gives one ``failed`` result rather than an
    exception, so the CLI reports it like any other failure.
    """
    try:
        entries = read_manifest(manifest)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return [{"path": str(manifest), "status": "failed", "reason": f"cannot read manifest: {reason}"}]
    return [fetch_one(entry, dest, mirror, samples_root=manifest.parent) for entry in entries]


__all__ = ["build_manifest", "fetch_all", "fetch_one", "provenance_rows", "read_manifest",
           "sha256_file", "write_manifest", "FetchError"]
