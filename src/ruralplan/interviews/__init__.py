"""Interview stage: transcripts, redaction, theme coding, reliability and REFI-QDA exchange."""
