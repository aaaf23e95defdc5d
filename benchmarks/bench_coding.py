"""Coding throughput: segment, lemmatise and match generated corpora of at least 50 MB.

Two corpora are generated with a fixed seed from the paragraphs of the shipped transcripts,
drawn into interviews of 25 paragraphs each:

``resampled``
    the paragraphs as they are: the vocabulary stays that of the 16 transcripts (about
    3,000 distinct tokens in the coded segments), so analysing each distinct token once
    costs little and the rest is array work.
``wide``
    the same with a share of the words replaced by inflected forms drawn from simplemma's
    Latvian dictionary, so that the vocabulary grows to the size real text of this length
    would have. The analysis of each new token (lemma, stems, rule lookups) then adds a cost
    per distinct token that the first corpus hides.

Each run is a fresh process that times ``segment_transcripts`` and ``code_segments`` (end to
end, one core). Throughput varies with the load of a shared machine, so several runs are made
and their median, minimum and maximum printed (MB = 10**6 bytes of UTF-8 text). Goal: at least
10 MB/s on the ``resampled`` corpus.
"""

from __future__ import annotations

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

from ruralplan import coding  # noqa: E402
from ruralplan.io import interviews as files  # noqa: E402

TARGET_BYTES = 50_000_000
SEED = 2024
PARAGRAPHS_PER_INTERVIEW = 25
RUNS = {"resampled": 5, "wide": 3}
NEW_WORD_SHARE = {"resampled": 0.0, "wide": 0.03}
CODEBOOK = ROOT / "data" / "codebooks" / "interviews.yaml"


def dictionary_forms() -> list[str]:
    """Return the inflected Latvian forms simplemma knows, sorted (for seeded draws)."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    forms = DefaultDictionaryFactory().get_dictionary("lv").keys()
    return sorted(form.decode() if isinstance(form, bytes) else form for form in forms)


def build_corpus(codebook: coding.ThemeCodebook, new_word_share: float) -> dict[str, str]:
    """Return generated transcripts totalling at least TARGET_BYTES of UTF-8 text."""
    sources = files.read_transcripts(ROOT / "data" / "raw" / "interviews")
    segments = coding.segment_transcripts(sources, speakers=codebook.speakers)
    label = {role: speaker for speaker, role in codebook.speakers.items()}
    paragraphs = [(label[r.role], r.text) for r in segments.itertuples(index=False)]
    forms = dictionary_forms() if new_word_share else []
    rng = random.Random(SEED)
    corpus, size, number = {}, 0, 0
    while size < TARGET_BYTES:
        number += 1
        lines = [f"# Intervija g{number:05d}"]
        for _ in range(PARAGRAPHS_PER_INTERVIEW):
            speaker, text = rng.choice(paragraphs)
            if new_word_share:
                text = " ".join(
                    rng.choice(forms) if rng.random() < new_word_share else word
                    for word in text.split(" ")
                )
            lines.append(f"{speaker}: {text}")
        text = "\n".join(lines) + "\n"
        corpus[f"g{number:05d}"] = text
        size += len(text.encode("utf-8"))
    return corpus


def distinct_tokens(corpus: dict[str, str], codebook: coding.ThemeCodebook) -> int:
    r"""Count the distinct lower-cased ``\w+`` tokens of the segments that are coded."""
    segments = coding.segment_transcripts(corpus, speakers=codebook.speakers)
    coded = segments.loc[segments["role"] == "respondent", "text"]
    return len({token for text in coded for token in re.findall(r"\w+", text.lower())})


def time_once(corpus_file: Path) -> dict[str, float]:
    """Segment and code a pickled corpus in this process; return sizes and timings."""
    codebook = files.read_interview_codebook(CODEBOOK)
    corpus = pickle.loads(corpus_file.read_bytes())
    start, cpu_start = time.perf_counter(), time.process_time()
    segments = coding.segment_transcripts(corpus, speakers=codebook.speakers)
    segmented = time.perf_counter()
    coded = coding.code_segments(segments, codebook)
    return {
        "segments": len(segments),
        "rows": len(coded),
        "segmenting_seconds": segmented - start,
        "seconds": time.perf_counter() - start,
        "cpu_seconds": time.process_time() - cpu_start,
    }


def run_once(corpus_file: Path) -> dict[str, float]:
    """Time one run in a fresh process; stop with the run's error output if it fails."""
    command = [sys.executable, __file__, "--once", str(corpus_file)]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode:
        sys.exit(f"coding benchmark run failed:\n{completed.stderr}")
    return json.loads(completed.stdout)


def main() -> None:
    """Build both corpora, time each in fresh processes and print the figures."""
    codebook = files.read_interview_codebook(CODEBOOK)
    with tempfile.TemporaryDirectory() as folder:
        for name, runs in RUNS.items():
            corpus = build_corpus(codebook, NEW_WORD_SHARE[name])
            size = sum(len(text.encode("utf-8")) for text in corpus.values())
            corpus_file = Path(folder) / f"{name}.pickle"
            corpus_file.write_bytes(pickle.dumps(corpus))
            results = [run_once(corpus_file) for _ in range(runs)]
            rates = sorted(size / 1e6 / result["seconds"] for result in results)
            cpu_rates = [size / 1e6 / result["cpu_seconds"] for result in results]
            prefix = f"coding_{name}"
            print(f"{prefix}_corpus_mb: {size / 1e6:.1f}")
            print(f"{prefix}_distinct_tokens: {distinct_tokens(corpus, codebook)}")
            print(f"{prefix}_segments: {results[0]['segments']}")
            print(f"{prefix}_rows: {results[0]['rows']}")
            print(f"{prefix}_runs: {runs}")
            seconds = statistics.median(result["seconds"] for result in results)
            print(f"{prefix}_seconds_median: {seconds:.2f}")
            segmenting = statistics.median(result["segmenting_seconds"] for result in results)
            print(f"{prefix}_segmenting_seconds_median: {segmenting:.2f}")
            print(f"{prefix}_mb_per_second_median: {statistics.median(rates):.2f}")
            print(f"{prefix}_mb_per_second_min: {rates[0]:.2f}")
            print(f"{prefix}_mb_per_second_max: {rates[-1]:.2f}")
            print(f"{prefix}_mb_per_cpu_second_median: {statistics.median(cpu_rates):.2f}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--once"]:
        print(json.dumps(time_once(Path(sys.argv[2]))))
    else:
        main()
