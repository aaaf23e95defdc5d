"""Cut interview transcripts into segments: the paragraphs of speaker turns.

A transcript may open with a ``#`` header line; each turn starts with ``LABEL: `` at the start
of a line (labels from the codebook's ``speakers``) and runs to the next label; blank lines
separate paragraphs within a turn. Segments are numbered ``s001``, ``s002``... across speakers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pandas as pd

SEGMENT_COLUMNS = ["interview_id", "segment_id", "speaker", "role", "text"]


class TranscriptError(ValueError):
    """Raised when a transcript does not follow the expected layout."""


# str.splitlines breaks lines at these; they become "\n" before segmenting.
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_ODD_BREAKS = tuple("\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_BLANK_LINES = re.compile(r"\n\s*\n\s*")  # a paragraph break and the spaces around it
_FIRST_TEXT = re.compile(r"\S")


def _label_regex(speakers: Mapping[str, str]) -> re.Pattern[str]:
    """Match a speaker label (after spaces) at a line start; the text has only LF breaks."""
    labels = sorted(speakers, key=len, reverse=True)
    return re.compile(r"\n[^\S\n]*+(" + "|".join(re.escape(label) for label in labels) + r"):")


def _turn_texts(content: str) -> list[str]:
    """Split the stripped text of a turn on blank lines; join each paragraph's lines by a space."""
    texts = [piece.strip() for piece in _BLANK_LINES.split(content)]
    return [
        " ".join(line.strip() for line in piece.split("\n")) if "\n" in piece else piece
        for piece in texts
    ]


def _check_preamble(before: str, speakers: Mapping[str, str], source: str) -> None:
    """Raise if text other than a line 1 ``#`` header precedes the first label."""
    first_line, _, rest = before[1:].partition("\n")  # ``before`` starts with the added "\n"
    skipped = 1 if first_line.strip().startswith("#") else 0
    lines = rest if skipped else before[1:]
    found = _FIRST_TEXT.search(lines)
    if found:
        number = lines.count("\n", 0, found.start()) + 1 + skipped
        raise TranscriptError(
            f"{source}, line {number}: text before the first speaker label; expected a line "
            f"starting with one of {sorted(speakers)} followed by ': '"
        )


def _paragraphs(
    text: str, speakers: Mapping[str, str], label_re: re.Pattern[str], source: str
) -> tuple[list[str], list[str]]:
    """Return the speaker label and the text of each paragraph of a transcript.

    Works turn by turn on the text with line breaks normalised: a turn runs from a label to the
    next one, blank lines split it into paragraphs, and line 1 may be a ``#`` header.
    """
    if any(char in text for char in _ODD_BREAKS):  # much faster than a search for the class
        text = _LINE_BREAKS.sub("\n", text)
    parts = label_re.split("\n" + text)  # the added break lets a label start line 1
    contents = parts[2::2]
    if parts[0]:
        _check_preamble(parts[0], speakers, source)
    elif contents and contents[0].partition("\n")[0].strip().startswith("#"):
        contents[0] = "\n" + contents[0].partition("\n")[2]
    contents = [content.strip() for content in contents]
    if all(contents) and "\n" not in "".join(contents):  # one paragraph per turn: the usual
        return parts[1::2], contents
    owners: list[str] = []
    texts: list[str] = []
    for who, content in zip(parts[1::2], contents, strict=True):
        if "\n" not in content:
            if content:
                owners.append(who)
                texts.append(content)
            continue
        paragraphs = _turn_texts(content)
        owners += [who] * len(paragraphs)
        texts += paragraphs
    return owners, texts


def _segment_frame(
    interviews: Sequence[str],
    counts: Sequence[int],
    owners: Sequence[str],
    texts: Sequence[str],
    speakers: Mapping[str, str],
) -> pd.DataFrame:
    """Build the segment table (``counts``: paragraphs per interview, in ``interviews`` order)."""
    if not texts:
        return pd.DataFrame([], columns=SEGMENT_COLUMNS)
    interview_ids = [
        key for key, count in zip(interviews, counts, strict=True) for _ in range(count)
    ]
    numbers = [f"s{number:03d}" for count in counts for number in range(1, count + 1)]
    columns = [interview_ids, numbers, list(owners), [speakers[who] for who in owners], list(texts)]
    return pd.DataFrame(dict(zip(SEGMENT_COLUMNS, columns, strict=True)))


def split_segments(
    text: str, *, interview_id: str, speakers: Mapping[str, str], source: str = "transcript"
) -> pd.DataFrame:
    """Split a transcript into segments: paragraphs of speaker turns, numbered ``s001``...

    The first line may be a ``#`` header. Each turn starts with ``LABEL: `` at the start of a
    line and runs to the next label; blank lines separate paragraphs within a turn.

    Parameters
    ----------
    text
        The transcript.
    interview_id
        Identifier stored on every segment.
    speakers
        Speaker label mapped to its role (``interviewer`` or ``respondent``).
    source
        Name used in error messages, normally the file path.

    Returns
    -------
    pandas.DataFrame
        Columns ``interview_id, segment_id, speaker, role, text``.

    Raises
    ------
    TranscriptError
        If text appears before the first speaker label.
    """
    owners, texts = _paragraphs(text, speakers, _label_regex(speakers), source)
    return _segment_frame([interview_id], [len(owners)], owners, texts, speakers)


def segment_transcripts(
    transcripts: Mapping[str, str], *, speakers: Mapping[str, str]
) -> pd.DataFrame:
    """Segment several transcripts (interview id -> text), in sorted id order.

    Parameters
    ----------
    transcripts
        Interview id mapped to the transcript text.
    speakers
        Speaker label mapped to its role.

    Returns
    -------
    pandas.DataFrame
        Columns ``interview_id, segment_id, speaker, role, text``.
    """
    label_re = _label_regex(speakers)
    keys = sorted(transcripts)
    counts, owners, texts = [], [], []
    for key in keys:
        who, paragraphs = _paragraphs(transcripts[key], speakers, label_re, key)
        counts.append(len(who))
        owners += who
        texts += paragraphs
    return _segment_frame(keys, counts, owners, texts, speakers)
