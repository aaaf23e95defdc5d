"""Segment and code interview transcripts (skeleton)."""

from __future__ import annotations

import pandas as pd


def split_turns(text: str, *, interview_id: str) -> pd.DataFrame:
    """Split a transcript into speaker turns of the form ``Speaker: text``.

    Parameters
    ----------
    text
        The transcript.
    interview_id
        Identifier stored on every segment.

    Returns
    -------
    pandas.DataFrame
        Columns ``interview_id, segment_id, speaker, text``.
    """
    rows = []
    for line in text.splitlines():
        speaker, sep, said = line.partition(":")
        if sep and said.strip():
            rows.append((interview_id, len(rows) + 1, speaker.strip(), said.strip()))
    return pd.DataFrame(rows, columns=["interview_id", "segment_id", "speaker", "text"])
