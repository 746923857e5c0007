"""Interface strings in English and French, and choosing a reader's language."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"
_MESSAGES_DIR = Path(__file__).with_name("messages")


@cache
def messages(language: str) -> dict[str, str]:
    """Every interface string in one language."""
    return dict(json.loads((_MESSAGES_DIR / f"{language}.json").read_text(encoding="utf-8")))


class Translator:
    """`t("key", name=...)`: an interface string in the reader's language, English as fallback."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE

    def __call__(self, key: str, **values: object) -> str:
        text = messages(self.language).get(key) or messages(DEFAULT_LANGUAGE).get(key)
        if text is None:
            raise KeyError(f"no interface string {key!r}")
        return text.format(**values) if values else text

    def number(self, value: int) -> str:
        """A count written the way the language writes numbers."""
        shown = f"{value:,}"
        return shown.replace(",", "\u202f") if self.language == "fr" else shown
