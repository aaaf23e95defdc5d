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
SPAN_COLUMNS = ["interview_id", "segment_id", "start", "end"]


class TranscriptError(ValueError):
    """Raised when a transcript does not follow the expected layout."""


# str.splitlines breaks lines at these; they become "\n" before segmenting.
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_ODD_BREAKS = tuple("\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_BLANK_LINES = re.compile(r"\n\s*\n\s*")  # a paragraph break and the spaces around it
_FIRST_TEXT = re.compile(r"\S")
_LAST_TEXT = re.compile(r"\S\s*\Z")


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


def _same_length_breaks(text: str) -> str:
    r"""Make every line break ``\n`` without moving a character: ``\r\n`` becomes `` \n``.

    Segmenting the result gives the same paragraphs as segmenting the text with its breaks
    replaced (a space at a line end is stripped), and offsets stay offsets into ``text``.
    """
    if not any(char in text for char in _ODD_BREAKS):
        return text
    text = text.replace("\r\n", " \n")
    return text.translate({ord(char): "\n" for char in _ODD_BREAKS})


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Return ``start, end`` moved inwards past white space; None when only space is left."""
    first = _FIRST_TEXT.search(text, start, end)
    if first is None:
        return None
    return first.start(), _LAST_TEXT.search(text, first.start(), end).start() + 1


def _turn_spans(text: str, label_re: re.Pattern[str], source: str, speakers) -> list[tuple]:
    """Return (label, start, end) of each paragraph of each turn, as :func:`_paragraphs` cuts."""
    found = list(label_re.finditer("\n" + text))  # offsets there are one more than in text
    before = text[: found[0].start()] if found else text
    if before:
        _check_preamble("\n" + before, speakers, source)
    spans = []
    for number, match in enumerate(found):
        start = match.end() - 1
        end = found[number + 1].start() - 1 if number + 1 < len(found) else len(text)
        if number == 0 and found[0].start() == 0:  # a "#" first line after a label on line 1
            line_end = text.find("\n", start, end)
            if text[start : end if line_end < 0 else line_end].strip().startswith("#"):
                start = end if line_end < 0 else line_end
        bounds = _trimmed(text, start, end)
        if bounds is None:
            continue
        pieces = [bounds[0]]
        for blank in _BLANK_LINES.finditer(text, *bounds):
            pieces += [blank.start(), blank.end()]
        pieces.append(bounds[1])
        for first, last in zip(pieces[::2], pieces[1::2], strict=True):
            trimmed = _trimmed(text, first, last)
            if trimmed is not None:
                spans.append((match.group(1), *trimmed))
    return spans


def segment_spans(transcripts: Mapping[str, str], *, speakers: Mapping[str, str]) -> pd.DataFrame:
    r"""Locate each segment of :func:`segment_transcripts` in its transcript's text.

    A segment's span runs from its first to its last non-space character, without the
    speaker label; a paragraph over several lines keeps its line breaks inside the span.
    These are the character offsets a QDA tool uses for a selection of the same text.

    Parameters
    ----------
    transcripts
        Interview id mapped to the transcript text (the same texts that were segmented).
    speakers
        Speaker label mapped to its role.

    Returns
    -------
    pandas.DataFrame
        Columns ``interview_id, segment_id, start, end`` (``text[start:end]``), in the order
        and numbering of :func:`segment_transcripts`.

    Examples
    --------
    >>> text = "# h\n\nA: Labdien!\n\nB: Jā,\n  tā ir.\n"
    >>> spans = segment_spans({"x": text}, speakers={"A": "interviewer", "B": "respondent"})
    >>> [text[r.start : r.end] for r in spans.itertuples()]
    ['Labdien!', 'Jā,\n  tā ir.']
    """
    label_re = _label_regex(speakers)
    rows = []
    for key in sorted(transcripts):
        flat = _same_length_breaks(transcripts[key])
        spans = _turn_spans(flat, label_re, key, speakers)
        rows += [(key, f"s{n:03d}", start, end) for n, (_, start, end) in enumerate(spans, 1)]
    table = pd.DataFrame(rows, columns=SPAN_COLUMNS)
    return table.astype({"start": "int64", "end": "int64"})


def codings_on_segments(
    codings: pd.DataFrame,
    spans: pd.DataFrame,
    segments: pd.DataFrame,
    *,
    roles: Sequence[str] = ("respondent",),
) -> pd.DataFrame:
    """Turn character-range codings (from a QDA tool) into segment codings.

    A coding applies to every segment of ``roles`` that its range overlaps by at least one
    character: a selection of half a paragraph codes that paragraph, and one running over two
    paragraphs codes both. Interviewer segments are not coded, as in the rule coding.

    Parameters
    ----------
    codings
        ``interview_id, start, end, code, coder`` (e.g. from :mod:`.refiqda_import`).
    spans
        From :func:`segment_spans` on the same texts.
    segments
        From :func:`segment_transcripts` (``interview_id, segment_id, role``).
    roles
        Speaker roles whose segments can be coded.

    Returns
    -------
    pandas.DataFrame
        ``interview_id, segment_id, code, coder``, one row each, sorted.

    Examples
    --------
    >>> spans = pd.DataFrame({"interview_id": "a", "segment_id": ["s001", "s002"],
    ...                       "start": [3, 20], "end": [15, 30]})
    >>> parts = spans.assign(role="respondent")
    >>> codings = pd.DataFrame({"interview_id": ["a"], "start": [14], "end": [21],
    ...                         "code": ["x"], "coder": ["Ilze"]})
    >>> codings_on_segments(codings, spans, parts)["segment_id"].tolist()
    ['s001', 's002']
    """
    columns = ["interview_id", "segment_id", "code", "coder"]
    coded = segments.loc[segments["role"].isin(list(roles)), ["interview_id", "segment_id"]]
    places = spans.merge(coded, on=["interview_id", "segment_id"])
    pairs = codings.merge(places, on="interview_id", suffixes=("", "_segment"))
    overlap = (pairs["start"] < pairs["end_segment"]) & (pairs["end"] > pairs["start_segment"])
    found = pairs.loc[overlap, columns].drop_duplicates()
    return found.sort_values(columns, ignore_index=True)
