"""Property: every reader, given a damaged or hostile file, either reads it or
refuses it with a one-line reason, inside the per-file limits; it never
crashes the worker and never runs over a limit.

Cases: mutated real corpus files (the smallest seed of each reader family,
found through SANCTIONS_SHARED) and hostile files generated from scratch.
Each case runs in the killable reader worker (20 s, 1 GiB per file).
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp.fuzzing import check_file, generated_files, mutate, seed_files
from nlp.ingest.isolation import Limits

pytestmark = [pytest.mark.slow]
LIMITS = Limits(seconds=20, memory_mb=1024)
FUZZ = settings(max_examples=1500, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))


_SEEDS: list = []


@pytest.fixture(scope="module")
def seeds(corpus):
    if not _SEEDS:
        _SEEDS.extend(seed_files(corpus))
    assert len({family for family, _, _ in _SEEDS}) >= 20, "expected seeds for most reader families"
    return _SEEDS


@pytest.fixture(scope="module")
def scratch():
    with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
        yield Path(folder)


FAILURES = Path(tempfile.gettempdir()) / "sanctions-fuzz-failures"


def _assert_bounded(outcome, what: str, name: str = "", data: bytes = b"") -> None:
    if outcome.kind not in ("ok", "failed") and data:
        FAILURES.mkdir(exist_ok=True)  # keep the input, so the failure can be replayed
        kept = FAILURES / f"{len(data)}-{name}"
        kept.write_bytes(data)
        what += f" (kept as {kept})"
    assert outcome.kind in ("ok", "failed"), f"{what}: {outcome.kind}: {outcome.reason}"


@pytest.mark.corpus
@pytest.mark.timeout(1800)
def test_seeds_read_or_fail_cleanly(seeds, scratch):
    for family, name, data in seeds:
        _assert_bounded(check_file(scratch, name, data, LIMITS), f"seed {family} {name}")


@pytest.mark.corpus
@pytest.mark.timeout(1800)
def test_mutated_corpus_files_read_or_fail_cleanly(seeds, scratch):
    @FUZZ
    @given(choice=st.integers(min_value=0), rng=st.randoms(use_true_random=False), rounds=st.integers(1, 6))
    def run(choice, rng, rounds):
        family, name, data = seeds[choice % len(seeds)]
        damaged = mutate(data, rng, rounds)
        _assert_bounded(check_file(scratch, name, damaged, LIMITS), f"{family} {name} ({len(damaged)} bytes)",
                        name, damaged)

    run()


@pytest.mark.timeout(900)
def test_generated_hostile_files_read_or_fail_cleanly(scratch):
    @settings(max_examples=15, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(rng=st.randoms(use_true_random=False))
    def run(rng):
        for name, data in generated_files(rng):
            _assert_bounded(check_file(scratch, name, data, LIMITS), f"generated {name} ({len(data)} bytes)",
                            name, data)

    run()


def test_generated_files_are_varied():
    names = [name for name, _ in generated_files(random.Random(0))]
    assert len(names) == len(set(names)) >= 10
