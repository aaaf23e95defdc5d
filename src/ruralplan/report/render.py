"""Render the report's HTML fragments from Jinja2 templates, worded by the language's catalog.

Python builds a plain context (texts, numbers already formatted, file names); the templates in
``templates/fragments/`` lay it out, and their words are gettext calls (``_()``, ``ngettext()``,
``pgettext()``) on the catalog of the report's language. Autoescaping is on: every value of the
context is escaped, so free text is shown as text, never as HTML; only HTML made by other
fragments goes in as it is, wrapped by :func:`html` on the way.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ruralplan import i18n

TEMPLATE_DIR = Path(__file__).parent / "templates" / "fragments"


@functools.cache
def template_environment(lang: str | None) -> Environment:
    """Return the template environment of one language (catalog installed, autoescape on).

    Parameters
    ----------
    lang
        A report language; None for templates without words of their own (a gettext call
        in one then fails, so no English can slip into another language's report).

    Returns
    -------
    jinja2.Environment
        The environment; cached per language.
    """
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    if lang is None:
        env.globals.update(dict.fromkeys(("_", "gettext", "ngettext", "pgettext", "npgettext")))
    else:
        env.install_gettext_translations(i18n.translator(lang).translations, newstyle=True)
    return env


i18n._CLEAR_HOOKS.append(template_environment.cache_clear)


def html(fragment: str) -> Markup:
    """Mark HTML rendered by a fragment (or built from escaped parts) as safe to embed."""
    return Markup(fragment)


def render(template: str, lang: str | None, **context: Any) -> str:
    """Render one fragment template in ``lang``.

    Parameters
    ----------
    template
        The file name in ``templates/fragments/``, e.g. ``"caption.html.j2"``.
    lang
        A report language, or None for a template without words (:func:`template_environment`).
    **context
        The values the template lays out; strings are escaped unless they are ``Markup``.

    Returns
    -------
    str
        The HTML (wrap it with :func:`html` to pass it into another template).
    """
    return template_environment(lang).get_template(template).render(lang=lang, **context)
