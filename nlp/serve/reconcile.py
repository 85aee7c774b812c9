"""Matching APIs that existing clients speak: W3C Reconciliation and a yente-style ``/match``.

Both sit on the project's list matcher (:func:`nlp.tag.names.list_matcher`)
over the stored sanctions lists; ids are the FollowTheMoney ids that
``sanctions export --format ftm`` gives the listed entries, so a match here
points at the same entity in an FtM export, in Aleph, or (for entries read
from OpenSanctions) on opensanctions.org.

Reconciliation Service API 0.2 (what OpenRefine speaks; yente serves the
same protocol):

==============================================  ================================================
GET  /reconcile                                 service manifest (or ``?queries=`` as below)
POST /reconcile                                 form field ``queries`` (JSON batch) → results
GET  /reconcile/suggest/entity?prefix=          listed names starting with / close to the prefix
GET  /reconcile/suggest/type?prefix=            Person, Company, Organization, Vessel, ...
GET  /reconcile/suggest/property?prefix=        FtM properties used in scoring
GET  /entities/{id}                             the listed entry as an FtM entity (``view``)
==============================================  ================================================

A query is ``{"query": name, "type": schema, "limit": n, "properties":
[{"pid": "birthDate", "v": "1955"}, ...]}``. Candidates carry ``id``,
``name``, ``type``, ``description`` (list, programme, listing date),
``score`` (0–100), ``features`` (the name score and each property check)
and ``match``: true only for the best candidate when its score is at least
``MATCH_SCORE`` and no other candidate comes within ``MATCH_MARGIN`` of it,
so OpenRefine's "auto-match" never picks between two near-equal entries.

yente-shaped matching: ``POST /match/{dataset}`` with ``{"queries": {"q1":
{"schema": "Person", "properties": {"name": [...], "birthDate": [...],
"nationality": [...]}}}}`` → ``{"responses": {"q1": {"status": 200,
"results": [{"id", "caption", "schema", "properties", "datasets", "score",
"match", "features", ...}], "total": {...}, "query": {...}}}, "limit": n}``,
scores 0–1 as yente gives them. Datasets: ``default`` and ``sanctions``
(all stored lists).

Scoring: the name score is the matcher's (best of primary name and
aliases); properties adjust it: a birth date that agrees (same day, month
or year, to the precision both give) adds ``AGREE_BONUS``, one that
disagrees subtracts ``DISAGREE_PENALTY``; the same for nationality/country;
an identifier equal to a listed one (IMO, INN, passport, registration
number...) adds ``IDENTIFIER_BONUS``. Scores are clamped to [0, 1].

What it does not do: data extension (``extend``) or HTML previews (the app
forbids framing, which OpenRefine's preview needs); JSONP (clients of 0.2
use CORS, which the read-only routes here allow).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from ..errors import ApiError

MATCH_SCORE = 0.90
MATCH_MARGIN = 0.05
CANDIDATE_FLOOR = 0.50
AGREE_BONUS = 0.05
DISAGREE_PENALTY = 0.15
IDENTIFIER_BONUS = 0.15
MAX_BATCH = 100
MAX_LIMIT = 50
DATASETS = ("default", "sanctions")
TYPES = ("Person", "Company", "Organization", "LegalEntity", "Vessel", "Asset")
SCORED_PROPERTIES = {
    "birthDate": "Birth date", "nationality": "Nationality", "country": "Country",
    "idNumber": "ID number", "registrationNumber": "Registration number", "imoNumber": "IMO number",
    "innCode": "INN", "ogrnCode": "OGRN", "passportNumber": "Passport number", "taxNumber": "Tax number",
    "swiftBic": "SWIFT/BIC", "unscId": "UN SC identifier",
}
IDENTIFIER_PROPERTIES = frozenset(SCORED_PROPERTIES) - {"birthDate", "nationality", "country"}
CORS = {"Access-Control-Allow-Origin": "*"}
PATH_PREFIXES = ("/reconcile", "/match/", "/entities/")  # machine APIs: errors as JSON


# -- scoring ----------------------------------------------------------------------

@dataclass
class Candidate:
    entry: Any
    ftm_id: str
    schema: str
    name_score: float
    score: float          # reported: name score with property adjustments, within 0..1
    rank_score: float     # the same before clipping: an agreeing date lifts a perfect name above its namesake
    features: list[dict[str, Any]]
    matched_name: str

    def description(self) -> str:
        return self.describe(self.entry)

    @staticmethod
    def describe(entry: Any) -> str:
        parts = [entry.list_name, entry.programme, f"listed {entry.listing_date}" if entry.listing_date else None]
        return " · ".join(p for p in parts if p)


def _norm_id(value: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", value.upper()).removeprefix("IMO")


def _country(value: str) -> str | None:
    from followthemoney.types import registry

    return registry.country.clean(value, fuzzy=True)


def _dates_agree(query: str, listed: str) -> bool:
    width = min(len(query), len(listed), 10)
    return width >= 4 and query[:width] == listed[:width]


def property_features(entry: Any, properties: dict[str, list[str]]) -> tuple[float, list[dict[str, Any]]]:
    """Score adjustment and features from the query's non-name properties."""
    adjust = 0.0
    features: list[dict[str, Any]] = []
    births = [str(v).strip() for v in properties.get("birthDate", []) if str(v).strip()]
    if births and entry.birth_dates:
        agree = any(_dates_agree(q, d) for q in births for d in entry.birth_dates)
        adjust += AGREE_BONUS if agree else -DISAGREE_PENALTY
        features.append({"id": "birthDate", "value": agree})
    wanted = {c for key in ("nationality", "country") for v in properties.get(key, [])
              if (c := _country(str(v)))}
    listed = {c for v in entry.nationalities if (c := _country(str(v)))}
    if wanted and listed:
        agree = bool(wanted & listed)
        adjust += AGREE_BONUS if agree else -DISAGREE_PENALTY
        features.append({"id": "country", "value": agree})
    ids = {_norm_id(str(v)) for key in IDENTIFIER_PROPERTIES for v in properties.get(key, []) if str(v).strip()}
    if ids:
        listed_ids = {_norm_id(v) for values in entry.identifiers.values() for v in values}
        agree = bool(ids & listed_ids)
        adjust += IDENTIFIER_BONUS if agree else 0.0  # lists often lack the number: no penalty
        features.append({"id": "identifier", "value": agree})
    return adjust, features


def _schema_filter(schema: str | None) -> str | None:
    """The matcher's schema argument for an FtM type (it tells persons from the rest)."""
    if not schema or schema in ("Thing", "LegalEntity"):
        return None
    return "Person" if schema == "Person" else "Organization"


def _type_fits(schema: str | None, listed_schema: str) -> bool:
    if not schema or schema in ("Thing", "LegalEntity"):
        return True
    if schema in ("Company", "Organization"):
        return listed_schema in ("Company", "Organization")
    return schema == listed_schema


def candidates(matcher: Any, name: str, schema: str | None, properties: dict[str, list[str]],
               limit: int) -> list[Candidate]:
    """Listed entries for one query, best first, with ``match`` decided by :func:`decide`."""
    from ..export.ftm import listing_id, listing_schema

    found = matcher.search(name, schema=_schema_filter(schema), limit=max(limit * 3, 10),
                           threshold=CANDIDATE_FLOOR)
    entries = _entries_by_id(matcher)
    out: list[Candidate] = []
    for hit in found:
        entry = entries.get(hit["entry_id"])
        if entry is None:
            continue
        listed_schema = listing_schema(entry)
        if not _type_fits(schema, listed_schema):
            continue
        adjust, features = property_features(entry, properties)
        score = max(0.0, min(1.0, hit["score"] + adjust))
        out.append(Candidate(entry=entry, ftm_id=listing_id(entry), schema=listed_schema,
                             name_score=hit["score"], score=score, rank_score=hit["score"] + adjust,
                             matched_name=hit["matched_name"],
                             features=[{"id": "name", "value": round(hit["score"], 4)}, *features]))
    out.sort(key=lambda c: -c.rank_score)
    return out[:limit]


def suggest_entities(matcher: Any, prefix: str, limit: int) -> list[dict[str, Any]]:
    """Listed entries whose name or alias starts with ``prefix`` (case-insensitive), then close names."""
    from ..export.ftm import listing_id, listing_schema

    low = prefix.casefold()
    picked: dict[str, Any] = {}
    for position, name, _ in matcher.names:
        if name.casefold().startswith(low):
            entry = matcher.entries[position]
            picked.setdefault(entry.entry_id, entry)
            if len(picked) >= limit:
                break
    if len(picked) < limit:
        for cand in candidates(matcher, prefix, None, {}, limit):
            picked.setdefault(cand.entry.entry_id, cand.entry)
    return [{"id": listing_id(e), "name": e.name, "description": Candidate.describe(e),
             "notable": [{"id": listing_schema(e), "name": listing_schema(e)}]}
            for e in list(picked.values())[:limit]]


def decide(found: list[Candidate]) -> list[bool]:
    """``match`` flags: only a clear best candidate above MATCH_SCORE, ahead of the
    next by MATCH_MARGIN. When another listed entry carries as good a name (a
    namesake), the name alone does not decide: the best needs a property that
    agrees (a date, country or identifier), so a namesake ruled out by its birth
    date does not make the entry without a date a match."""
    flags = [False] * len(found)
    if not found or found[0].score < MATCH_SCORE:
        return flags
    top, rest = found[0], found[1:]
    if rest and top.rank_score - rest[0].rank_score < MATCH_MARGIN:
        return flags
    namesakes = any(c.name_score >= top.name_score - MATCH_MARGIN for c in rest)
    agrees = any(f["value"] is True for f in top.features if f["id"] != "name")
    flags[0] = agrees or not namesakes
    return flags


_ENTRY_INDEX: dict[int, dict[str, Any]] = {}


def _entries_by_id(matcher: Any) -> dict[str, Any]:
    """entry_id -> entry, built once per matcher object."""
    key = id(matcher)
    if key not in _ENTRY_INDEX:
        _ENTRY_INDEX.clear()
        _ENTRY_INDEX[key] = {e.entry_id: e for e in matcher.entries}
    return _ENTRY_INDEX[key]


def _entries_by_ftm_id(matcher: Any) -> dict[str, Any]:
    from ..export.ftm import listing_id

    key = -id(matcher)
    if key not in _ENTRY_INDEX:
        _ENTRY_INDEX[key] = {listing_id(e): e for e in matcher.entries}
    return _ENTRY_INDEX[key]


# -- request parsing ---------------------------------------------------------------

def parse_batch(raw: Any) -> dict[str, dict[str, Any]]:
    """A reconciliation query batch (JSON text or dict) -> {key: query}; ApiError when malformed."""
    if isinstance(raw, (str, bytes)):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ApiError(400, f"queries is not valid JSON ({exc.msg})") from None
    if not isinstance(raw, dict) or not raw:
        raise ApiError(400, "queries must be a non-empty JSON object of {key: query}")
    if len(raw) > MAX_BATCH:
        raise ApiError(400, f"too many queries in one batch ({len(raw)}; limit {MAX_BATCH})")
    for key, query in raw.items():
        if not isinstance(query, dict):
            raise ApiError(400, f"query {str(key)[:40]!r} must be an object with a 'query' string")
        if len(str(query["query"])) > 300:
            raise ApiError(400, f"query {str(key)[:40]!r} is over 300 characters")
    return raw


def query_properties(query: dict[str, Any]) -> dict[str, list[str]]:
    """Reconciliation ``properties`` ([{pid, v}]) -> {FtM property: [values]}."""
    out: dict[str, list[str]] = {}
    for item in query.get("properties") or []:
        if not isinstance(item, dict):
            continue
        pid = str(item.get("pid") or "").split(":")[-1]  # "Person:birthDate" qnames too
        values = item.get("v")
        values = values if isinstance(values, list) else [values]
        for value in values:
            if isinstance(value, dict):  # {"id": ..., "name": ...} entity values
                value = value.get("id") or value.get("name")
            if value not in (None, ""):
                out.setdefault(pid, []).append(str(value))
    return out


def _query_type(query: dict[str, Any]) -> str | None:
    kind = query.get("type")
    if isinstance(kind, list):
        kind = kind[0] if kind else None
    if isinstance(kind, dict):
        kind = kind.get("id")
    if kind and kind not in TYPES + ("Thing",):
        raise ApiError(400, f"unknown type {str(kind)[:40]!r}; known: {', '.join(TYPES)}")
    return kind or None


def _limit(value: Any, default: int = 5) -> int:
    try:
        limit = int(value if value is not None else default)
    except (TypeError, ValueError):
        raise ApiError(400, "limit must be a whole number") from None
    return max(1, min(MAX_LIMIT, limit))


# -- responses ---------------------------------------------------------------------

def reconcile_batch(matcher: Any, batch: dict[str, dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, query in batch.items():
        if not str(query.get("query") or "").strip():
            out[key] = {"result": []}  # one blank cell in a column answers empty, not the whole batch
            continue
        found = candidates(matcher, str(query["query"]).strip(), _query_type(query),
                           query_properties(query), _limit(query.get("limit")))
        out[key] = {"result": [
            {"id": c.ftm_id, "name": c.entry.name, "type": [{"id": c.schema, "name": c.schema}],
             "description": c.description(), "score": round(c.score * 100, 2), "match": flag,
             "features": c.features}
            for c, flag in zip(found, decide(found))]}
    return out


def manifest(base_url: str) -> dict[str, Any]:
    base = base_url.rstrip("/")
    return {
        "versions": ["0.2"],
        "name": "sanctions-nlp: stored sanctions lists",
        "identifierSpace": "https://followthemoney.tech/explorer/#entity",
        "schemaSpace": "https://followthemoney.tech/explorer/schemata/",
        "documentation": f"{base}/docs",
        "view": {"url": f"{base}/entities/{{{{id}}}}"},
        "defaultTypes": [{"id": t, "name": t} for t in ("Person", "Company", "Organization", "Vessel")],
        "batchSize": 10,
        "suggest": {
            "entity": {"service_url": base, "service_path": "/reconcile/suggest/entity"},
            "type": {"service_url": base, "service_path": "/reconcile/suggest/type"},
            "property": {"service_url": base, "service_path": "/reconcile/suggest/property"},
        },
    }


def entity_dict(entry: Any) -> dict[str, Any]:
    """The listed entry and its sanction as FtM dicts (yente's nested shape)."""
    from ..export.ftm import listing_entities

    party, sanction = listing_entities(entry)
    data = party.to_dict()
    data["caption"] = party.caption
    data["datasets"] = [entry.list_name]
    data["target"] = True
    data["properties"]["sanctions"] = [sanction.to_dict()]
    return data


def match_query(matcher: Any, key: str, query: Any, limit: int, threshold: float) -> dict[str, Any]:
    """One yente-style match query -> its response block."""
    if not isinstance(query, dict):
        return {"status": 400, "error": f"query {key[:40]!r} must be an object", "results": []}
    schema = query.get("schema") or "LegalEntity"
    if schema not in TYPES + ("Thing",):
        return {"status": 400, "error": f"schema {str(schema)[:40]!r} cannot be matched here", "results": []}
    props = query.get("properties") or {}
    if not isinstance(props, dict):
        return {"status": 400, "error": "properties must be an object of lists", "results": []}
    properties = {k: [str(x) for x in (v if isinstance(v, list) else [v]) if x not in (None, "")]
                  for k, v in props.items()}
    names = [n for n in properties.get("name", []) + properties.get("alias", []) if n.strip()]
    if not names:
        return {"status": 400, "error": "a query entity needs at least one name", "results": []}
    best: dict[str, Candidate] = {}
    for name in names[:10]:
        for cand in candidates(matcher, name[:300], schema, properties, limit):
            if cand.ftm_id not in best or best[cand.ftm_id].rank_score < cand.rank_score:
                best[cand.ftm_id] = cand
    ranked = sorted(best.values(), key=lambda c: -c.rank_score)
    flags = decide(ranked)
    results = []
    for cand, flag in zip(ranked[:limit], flags):
        data = entity_dict(cand.entry)
        data.update(score=round(cand.score, 4), match=flag and cand.score >= threshold,
                    features={f["id"]: float(f["value"]) for f in cand.features})
        results.append(data)
    return {"status": 200, "results": results, "total": {"value": len(ranked), "relation": "eq"},
            "query": {"id": query.get("id"), "schema": schema, "properties": properties}}


# -- routes ------------------------------------------------------------------------

def router(backend: Any) -> APIRouter:
    """The routes above, over ``backend``'s store."""
    api = APIRouter()

    def matcher():
        from ..tag.names import list_matcher

        return list_matcher(backend.store)

    def answer(data: Any) -> JSONResponse:
        return JSONResponse(data, headers=CORS)

    async def batch_from(request: Request) -> Any:
        if request.method == "GET":
            return request.query_params.get("queries")
        content_type = request.headers.get("content-type", "")
        if content_type.startswith("application/json"):
            try:
                body = await request.json()
            except (json.JSONDecodeError, UnicodeDecodeError):
                raise ApiError(400, "request body is not valid JSON") from None
            return body.get("queries") if isinstance(body, dict) else None
        form = await request.form()
        return form.get("queries")

    @api.get("/reconcile", tags=["reconciliation"])
    async def reconcile_get(request: Request) -> JSONResponse:
        """W3C Reconciliation Service API 0.2: the manifest, or results for ``?queries=``."""
        return await reconcile(request)

    @api.post("/reconcile", tags=["reconciliation"])
    async def reconcile_post(request: Request) -> JSONResponse:
        """W3C Reconciliation Service API 0.2: results for the form field (or JSON key) ``queries``."""
        return await reconcile(request)

    async def reconcile(request: Request) -> JSONResponse:
        from fastapi.concurrency import run_in_threadpool

        raw = await batch_from(request)
        if raw in (None, ""):
            return answer(manifest(str(request.base_url)))
        batch = parse_batch(raw)
        return answer(await run_in_threadpool(lambda: reconcile_batch(matcher(), batch)))

    @api.get("/reconcile/suggest/entity", tags=["reconciliation"])
    def suggest_entity(prefix: str = "", limit: int = 10) -> JSONResponse:
        prefix = prefix.strip()[:300]
        if not prefix:
            return answer({"result": []})
        return answer({"result": suggest_entities(matcher(), prefix, _limit(limit, 10))})

    @api.get("/reconcile/suggest/type", tags=["reconciliation"])
    def suggest_type(prefix: str = "") -> JSONResponse:
        low = prefix.strip().casefold()
        return answer({"result": [{"id": t, "name": t} for t in TYPES if t.casefold().startswith(low)]})

    @api.get("/reconcile/suggest/property", tags=["reconciliation"])
    def suggest_property(prefix: str = "") -> JSONResponse:
        low = prefix.strip().casefold()
        return answer({"result": [{"id": pid, "name": label} for pid, label in SCORED_PROPERTIES.items()
                                  if pid.casefold().startswith(low) or label.casefold().startswith(low)]})

    @api.get("/entities/{entity_id}", tags=["reconciliation"])
    def entity(entity_id: str) -> JSONResponse:
        """A listed entry as an FtM entity (the manifest's ``view``)."""
        entry = _entries_by_ftm_id(matcher()).get(entity_id)
        if entry is None:
            raise ApiError(404, f"no listed entity {entity_id[:64]!r}")
        return answer(entity_dict(entry))

    @api.post("/match/{dataset}", tags=["reconciliation"])
    async def match(dataset: str, request: Request, limit: int = 5, threshold: float = MATCH_SCORE) -> JSONResponse:
        """yente-style matching: FtM-shaped query entities in, scored listed entities out."""
        from fastapi.concurrency import run_in_threadpool

        if dataset not in DATASETS:
            raise ApiError(404, f"no dataset {dataset[:40]!r}; known: {', '.join(DATASETS)}")
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise ApiError(400, "request body is not valid JSON") from None
        queries = body.get("queries") if isinstance(body, dict) else None
        if not isinstance(queries, dict) or not queries:
            raise ApiError(400, "body needs 'queries': {key: {schema, properties}}")
        if len(queries) > MAX_BATCH:
            raise ApiError(400, f"too many queries in one batch ({len(queries)}; limit {MAX_BATCH})")
        limit = _limit(limit)

        def run() -> dict[str, Any]:
            m = matcher()
            return {"responses": {str(k): match_query(m, str(k), q, limit, threshold) for k, q in queries.items()},
                    "matcher": {"name": "sanctions-nlp list matcher", "match_score": MATCH_SCORE,
                                "match_margin": MATCH_MARGIN}, "limit": limit}

        return answer(await run_in_threadpool(run))

    return api
