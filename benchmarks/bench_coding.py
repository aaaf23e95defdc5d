"""Coding throughput on a generated corpus with a realistic, wide vocabulary.

The corpus is generated with a fixed seed from the paragraphs of the shipped transcripts,
drawn into interviews of 25 paragraphs each, with 3 % of the words replaced by inflected
forms drawn from simplemma's Latvian dictionary, so that the vocabulary grows the way real
speech of that length would (the analysis of every new distinct token costs a lemma and two
stems). A few words are also upper-cased, so lower-casing is not a no-op.

Each run is a fresh process that times ``segment_transcripts`` and ``code_segments`` end to
end on one core (MB = 10**6 bytes of UTF-8 text). Runs are made on a quarter of the corpus and
on the whole of it, so that the cost per MB of both can be compared (linear cost means the
same seconds per MB). Goal: the whole corpus, 100 MB by default, coded in under 60 seconds.

Usage: ``python benchmarks/bench_coding.py [--mb 100] [--runs 3]``.
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ruralplan.interviews import io as files  # noqa: E402
from ruralplan.interviews.codebook import ThemeCodebook  # noqa: E402
from ruralplan.interviews.coder import code_segments  # noqa: E402
from ruralplan.interviews.segments import segment_transcripts  # noqa: E402

SEED = 2024
PARAGRAPHS_PER_INTERVIEW = 25
NEW_WORD_SHARE = 0.03
UPPER_SHARE = 0.01
GOAL_MB, GOAL_SECONDS = 100, 60
CODEBOOK = ROOT / "data" / "codebooks" / "interviews.yaml"


def dictionary_forms() -> list[str]:
    """Return the inflected Latvian forms simplemma knows, sorted (for seeded draws)."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    forms = DefaultDictionaryFactory().get_dictionary("lv").keys()
    return sorted(form.decode() if isinstance(form, bytes) else form for form in forms)


def _word(word: str, forms: list[str], rng: random.Random) -> str:
    draw = rng.random()
    if draw < NEW_WORD_SHARE:
        return rng.choice(forms)
    return word.upper() if draw < NEW_WORD_SHARE + UPPER_SHARE else word


def build_corpus(codebook: ThemeCodebook, target_bytes: int) -> dict[str, str]:
    """Return generated transcripts totalling at least ``target_bytes`` of UTF-8 text."""
    sources = files.read_transcripts(ROOT / "data" / "raw" / "interviews")
    segments = segment_transcripts(sources, speakers=codebook.speakers)
    label = {role: speaker for speaker, role in codebook.speakers.items()}
    paragraphs = [(label[r.role], r.text) for r in segments.itertuples(index=False)]
    forms = dictionary_forms()
    rng = random.Random(SEED)
    corpus, size, number = {}, 0, 0
    while size < target_bytes:
        number += 1
        lines = [f"# Intervija g{number:05d}"]
        for _ in range(PARAGRAPHS_PER_INTERVIEW):
            speaker, text = rng.choice(paragraphs)
            text = " ".join(_word(word, forms, rng) for word in text.split(" "))
            lines.append(f"{speaker}: {text}")
        text = "\n".join(lines) + "\n"
        corpus[f"g{number:05d}"] = text
        size += len(text.encode("utf-8"))
    return corpus


def time_once(corpus_file: Path) -> dict[str, float]:
    """Segment and code a pickled corpus in this process; return sizes and timings."""
    codebook = files.read_interview_codebook(CODEBOOK)
    corpus = pickle.loads(corpus_file.read_bytes())
    start, cpu_start = time.perf_counter(), time.process_time()
    segments = segment_transcripts(corpus, speakers=codebook.speakers)
    coded = code_segments(segments, codebook)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    coded_texts = segments.loc[segments["role"] == "respondent", "text"]
    tokens = {token for text in coded_texts for token in re.findall(r"\w+", text.lower())}
    return {
        "segments": len(segments),
        "rows": len(coded),
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "words": len(tokens),
    }


def run_once(corpus_file: Path) -> dict[str, float]:
    """Time one run in a fresh process; stop with the run's error output if it fails."""
    command = [sys.executable, __file__, "--once", str(corpus_file)]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode:
        sys.exit(f"coding benchmark run failed:\n{completed.stderr}")
    return json.loads(completed.stdout)


def measure(corpus: dict[str, str], folder: Path, runs: int, name: str) -> tuple[float, float]:
    """Time ``runs`` fresh runs on ``corpus``, print the figures, return (CPU) seconds per MB."""
    size = sum(len(text.encode("utf-8")) for text in corpus.values()) / 1e6
    corpus_file = folder / f"{name}.pickle"
    corpus_file.write_bytes(pickle.dumps(corpus))
    results = [run_once(corpus_file) for _ in range(runs)]
    seconds = statistics.median(result["seconds"] for result in results)
    cpu_seconds = statistics.median(result["cpu_seconds"] for result in results)
    print(f"{name}_corpus_mb: {size:.1f}")
    print(f"{name}_segments: {results[0]['segments']}")
    print(f"{name}_coded_rows: {results[0]['rows']}")
    print(f"{name}_distinct_tokens: {results[0]['words']}")
    each = ", ".join(f"{result['seconds']:.1f}" for result in results)
    print(f"{name}_seconds: {each}")
    print(f"{name}_mb_per_second_median: {size / seconds:.2f}")
    print(f"{name}_mb_per_cpu_second_median: {size / cpu_seconds:.2f}")
    return seconds / size, cpu_seconds / size


def main() -> None:
    """Build the corpus, time a quarter of it and all of it, and say whether the goal holds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=GOAL_MB, help="corpus size in MB")
    parser.add_argument("--runs", type=int, default=3, help="fresh runs per corpus size")
    args = parser.parse_args()
    codebook = files.read_interview_codebook(CODEBOOK)
    corpus = build_corpus(codebook, int(args.mb * 1e6))
    quarter = dict(list(corpus.items())[: len(corpus) // 4])
    with tempfile.TemporaryDirectory() as folder:
        per_mb_quarter, cpu_per_mb_quarter = measure(quarter, Path(folder), args.runs, "quarter")
        per_mb, cpu_per_mb = measure(corpus, Path(folder), args.runs, "whole")
    # 1.0 for a cost linear in corpus size; wall clock moves with the load of a shared machine
    print(f"seconds_per_mb_whole_over_quarter: {per_mb / per_mb_quarter:.2f}")
    print(f"cpu_seconds_per_mb_whole_over_quarter: {cpu_per_mb / cpu_per_mb_quarter:.2f}")
    projected = per_mb * GOAL_MB
    verdict = "holds" if projected < GOAL_SECONDS else "fails"
    print(f"projected_seconds_for_{GOAL_MB}_mb: {projected:.1f}")
    print(f"goal_{GOAL_MB}_mb_in_{GOAL_SECONDS}_s: {verdict}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--once"]:
        print(json.dumps(time_once(Path(sys.argv[2]))))
    else:
        main()
