"""The report's wording in gettext catalogs: one ``.po`` file per language, read with Babel.

Every sentence, word and figure text the package writes comes from
``src/ruralplan/locale/<lang>/LC_MESSAGES/ruralplan.po``; the message ids are English. A
catalog is compiled in memory when it is first used (Babel's ``write_mo``), so no compiled
``.mo`` file is kept or can go stale, and the same catalog always gives the same wording.
Plural forms follow the catalog's own ``Plural-Forms`` rule (:meth:`Translator.ngettext`).

``make messages`` re-extracts the messages from the code and the templates and updates the
catalogs (``docs/report.md`` explains how to correct a translation and add a language).
"""

from __future__ import annotations

import contextlib
import functools
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

DOMAIN = "ruralplan"
LOCALE_DIR = Path(__file__).parent / "locale"
# Folders searched for catalogs, first match wins; tests put a throw-away catalog in front.
_CATALOG_DIRS: list[Path] = [LOCALE_DIR]


def N_(message: str) -> str:  # noqa: N802 - the name gettext's tools look for
    """Mark a message for extraction where it is defined; it is translated where it is shown.

    Examples
    --------
    >>> N_("Valid answers")
    'Valid answers'
    """
    return message


def catalog_path(lang: str) -> Path | None:
    """Return the ``.po`` file of ``lang`` in the first catalog folder that has one, or None.

    Parameters
    ----------
    lang
        Language code, e.g. ``"lv"``.

    Returns
    -------
    pathlib.Path or None
        ``<folder>/<lang>/LC_MESSAGES/ruralplan.po``.
    """
    for folder in _CATALOG_DIRS:
        path = folder / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.is_file():
            return path
    return None


def languages() -> tuple[str, ...]:
    """Return the languages that have a catalog, sorted.

    Returns
    -------
    tuple of str
        Language codes.
    """
    found = {
        path.parent.parent.name
        for folder in _CATALOG_DIRS
        for path in folder.glob(f"*/LC_MESSAGES/{DOMAIN}.po")
    }
    return tuple(sorted(found))


def check_lang(lang: str) -> str:
    """Return ``lang`` if it has a catalog and Babel knows its locale data.

    Parameters
    ----------
    lang
        Language code.

    Returns
    -------
    str
        The same code.

    Raises
    ------
    ValueError
        Naming the catalog file that is missing, or the unknown locale.
    """
    if not isinstance(lang, str) or catalog_path(lang) is None:
        raise ValueError(
            f"lang must be one of {list(languages())} (the languages with a catalog), but "
            f"{lang!r} was passed; a new language needs "
            f"{LOCALE_DIR / str(lang) / 'LC_MESSAGES' / (DOMAIN + '.po')}"
        )
    try:
        Locale.parse(lang)
    except (ValueError, UnknownLocaleError) as error:
        raise ValueError(f"{lang!r} has a catalog but no locale data in Babel: {error}") from error
    return lang


@functools.cache
def read_catalog(lang: str) -> Catalog:
    """Read the catalog of ``lang`` with Babel.

    Parameters
    ----------
    lang
        A language with a catalog (:func:`check_lang`).

    Returns
    -------
    babel.messages.catalog.Catalog
        The parsed catalog.

    Raises
    ------
    ValueError
        If the ``.po`` file cannot be parsed; the message names it.
    """
    path = catalog_path(check_lang(lang))
    try:
        with path.open("rb") as handle:
            return read_po(handle, locale=lang, domain=DOMAIN, abort_invalid=True)
    except Exception as error:  # Babel raises several kinds for a malformed file
        raise ValueError(f"{path}: not a readable gettext catalog ({error})") from error


@functools.cache
def _translations(lang: str) -> Translations:
    """Compile the catalog in memory; fuzzy entries are left out, as ``msgfmt`` does."""
    buffer = io.BytesIO()
    write_mo(buffer, read_catalog(lang), use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


@dataclass(frozen=True)
class Translator:
    """The wording of one language: gettext calls on its compiled catalog.

    Every message is a Python format string filled from keyword arguments, as in Jinja2's
    "newstyle" gettext, so the same message reads the same in code and templates: a
    placeholder is ``%(name)s`` and a literal percent sign is written ``%%``.

    Attributes
    ----------
    lang
        The language code.
    translations
        The compiled catalog.
    """

    lang: str
    translations: Translations

    @property
    def locale(self) -> Locale:
        """Babel's locale data of the language (number symbols, month names)."""
        return Locale.parse(self.lang)

    def gettext(self, message: str, **values: object) -> str:
        """Translate ``message`` and fill in ``values``."""
        return self.translations.gettext(message) % values

    def ngettext(self, singular: str, plural: str, count: int, **values: object) -> str:
        """Translate the form that agrees with ``count`` (the catalog's plural rule).

        ``num`` is ``count`` unless given (pass the number formatted for the language).
        """
        values.setdefault("num", count)
        return self.translations.ngettext(singular, plural, int(count)) % values

    def pgettext(self, context: str, message: str, **values: object) -> str:
        """Translate ``message`` in ``context`` (the same English word used differently)."""
        return self.translations.pgettext(context, message) % values

    def npgettext(
        self, context: str, singular: str, plural: str, count: int, **values: object
    ) -> str:
        """Translate the form of a message in ``context`` that agrees with ``count``."""
        values.setdefault("num", count)
        return self.translations.npgettext(context, singular, plural, int(count)) % values


def translator(lang: str) -> Translator:
    """Return the :class:`Translator` of ``lang``.

    Parameters
    ----------
    lang
        A language with a catalog.

    Returns
    -------
    Translator
        Its gettext functions.

    Raises
    ------
    ValueError
        If ``lang`` has no catalog.

    Examples
    --------
    >>> translator("lv").gettext("Contents")
    'Saturs'
    """
    return Translator(check_lang(lang), _translations(lang))


def clear_cache() -> None:
    """Forget compiled catalogs, so edited or newly added ``.po`` files are read again."""
    read_catalog.cache_clear()
    _translations.cache_clear()
    for hook in _CLEAR_HOOKS:
        hook()


# Functions elsewhere that cache per language (e.g. the template environments) register here.
_CLEAR_HOOKS: list = []


@contextlib.contextmanager
def catalogs_from(folder: str | Path) -> Iterator[None]:
    """Use the catalogs in ``folder`` before the package's own, for the ``with`` block.

    Parameters
    ----------
    folder
        A folder laid out like ``src/ruralplan/locale`` (``<lang>/LC_MESSAGES/ruralplan.po``).

    Yields
    ------
    None
    """
    _CATALOG_DIRS.insert(0, Path(folder))
    clear_cache()
    try:
        yield
    finally:
        _CATALOG_DIRS.remove(Path(folder))
        clear_cache()
