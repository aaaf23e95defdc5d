"""Report text produced from computed results (skeleton)."""

from __future__ import annotations

SECTION_TITLES = {
    "lv": ["Kopsavilkums", "Dati un metode", "Stratēģiju esamība"],
    "en": ["Summary", "Data and method", "Strategy presence"],
}


def section_titles(lang: str) -> list[str]:
    """Return the report's section headings in ``lang``.

    Parameters
    ----------
    lang
        ``"lv"`` or ``"en"``.

    Returns
    -------
    list of str
        Headings in report order.

    Raises
    ------
    ValueError
        If ``lang`` is not supported.
    """
    if lang not in SECTION_TITLES:
        raise ValueError(f"lang must be one of {sorted(SECTION_TITLES)}, but {lang!r} was passed")
    return list(SECTION_TITLES[lang])
