"""Coding throughput: segment, lemmatise and match a generated corpus of at least 50 MB.

The corpus is built from the paragraphs of the shipped transcripts, drawn with a fixed seed
into generated interviews of 25 paragraphs each.
Prints ``coding_mb_per_second`` (MB = 10**6 bytes of UTF-8 text, one core, end to end, wall
clock) and ``coding_mb_per_cpu_second`` (the same over the process's CPU time, steadier when
other programs share the machine). Goal: at least 10 MB/s.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ruralplan import coding  # noqa: E402
from ruralplan.io import interviews as files  # noqa: E402

TARGET_BYTES = 50_000_000
SEED = 2024


def build_corpus(codebook: coding.ThemeCodebook) -> dict[str, str]:
    """Return generated transcripts totalling at least TARGET_BYTES of UTF-8 text."""
    sources = files.read_transcripts(ROOT / "data" / "raw" / "interviews")
    segments = coding.segment_transcripts(sources, speakers=codebook.speakers)
    label = {role: speaker for speaker, role in codebook.speakers.items()}
    paragraphs = [f"{label[r.role]}: {r.text}\n" for r in segments.itertuples(index=False)]
    rng = random.Random(SEED)
    corpus, size, number = {}, 0, 0
    while size < TARGET_BYTES:
        number += 1
        body = "".join(rng.choice(paragraphs) for _ in range(25))
        text = f"# Intervija g{number:05d}\n{body}"
        corpus[f"g{number:05d}"] = text
        size += len(text.encode("utf-8"))
    return corpus


def main() -> None:
    """Time segmenting and coding of the generated corpus and print the throughput."""
    codebook = files.read_interview_codebook(ROOT / "data" / "codebooks" / "interviews.yaml")
    corpus = build_corpus(codebook)
    size = sum(len(text.encode("utf-8")) for text in corpus.values())
    start, cpu_start = time.perf_counter(), time.process_time()
    segments = coding.segment_transcripts(corpus, speakers=codebook.speakers)
    segmented = time.perf_counter()
    coded = coding.code_segments(segments, codebook)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    print(f"coding_corpus_mb: {size / 1e6:.1f}")
    print(f"coding_segments: {len(segments)}")
    print(f"coding_rows: {len(coded)}")
    print(f"coding_segmenting_seconds: {segmented - start:.2f}")
    print(f"coding_seconds: {elapsed:.2f}")
    print(f"coding_cpu_seconds: {cpu:.2f}")
    print(f"coding_mb_per_second: {size / 1e6 / elapsed:.2f}")
    print(f"coding_mb_per_cpu_second: {size / 1e6 / cpu:.2f}")


if __name__ == "__main__":
    main()
