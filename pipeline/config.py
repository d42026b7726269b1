"""Settings: defaults in code, overridden by a TOML file, then environment variables, then CLI flags."""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from .errors import GovtextError


def govtext_home() -> Path:
    """Where built models and caches live: `$GOVTEXT_HOME`, default `~/.cache/govtext`."""
    return Path(os.environ.get("GOVTEXT_HOME") or Path.home() / ".cache" / "govtext")


@dataclass(frozen=True)
class Settings:
    """Every tunable of the pipeline, with its default."""

    index: str = "indexes/default"
    max_tokens: int = 256  # e5 content tokens per chunk (model limit 512 with the prefix)
    k: int = 10
    mode: str = "hybrid"
    passages_per_hit: int = 3
    embed_batch_size: int = 0  # passages per forward pass; 0: the encoder's default (8)
    embed_workers: int = 0  # batches embedded at once, one CPU thread each; 0: one per core
    ingest_workers: int = 0  # processes preparing documents for ingest (parse, segment ...); 0: one per core beyond two
    chroma_host: str = ""  # empty: embedded PersistentClient; else a `chroma run` server
    chroma_port: int = 8000
    ocr_lang: str = ""  # scanned PDF pages: "" to choose per file, else vi, zh, zh-TW or e.g. vie+chi_sim
    tesseract_cmd: str = "tesseract"

    def validate(self) -> "Settings":
        if self.mode not in ("hybrid", "dense", "lexical"):
            raise GovtextError(f"unknown search mode {self.mode!r}: use hybrid, dense or lexical")
        if not 16 <= self.max_tokens <= 500:
            raise GovtextError(f"max_tokens must be between 16 and 500, got {self.max_tokens}")
        if self.k < 1:
            raise GovtextError(f"k must be at least 1, got {self.k}")
        if self.embed_batch_size < 0:
            raise GovtextError(f"embed_batch_size must be 0 (automatic) or more, got {self.embed_batch_size}")
        if self.embed_workers < 0:
            raise GovtextError(f"embed_workers must be 0 (one per core) or more, got {self.embed_workers}")
        if self.ingest_workers < 0:
            raise GovtextError(f"ingest_workers must be 0 (one per core) or more, got {self.ingest_workers}")
        if self.ocr_lang:
            try:
                tesseract_lang(self.ocr_lang)
            except ValueError as err:
                raise GovtextError(str(err)) from None
        return self


# OCR language names the settings accept besides Tesseract's own codes.
LANG_ALIASES = {
    "vi": "vie",
    "zh": "chi_sim",
    "zh-cn": "chi_sim",
    "zh-hans": "chi_sim",
    "zh-sg": "chi_sim",
    "zh-tw": "chi_tra",
    "zh-hk": "chi_tra",
    "zh-mo": "chi_tra",
    "zh-hant": "chi_tra",
}
_TESSERACT_CODE = re.compile(r"[a-z]{3}(?:_[a-z]+)?")


def tesseract_lang(value: str) -> str:
    """Tesseract's language string for a setting: "vi" → "vie", "zh-TW" → "chi_tra", "vie+chi_sim" kept.

    Args:
        value: language codes or aliases joined by "+".
    Returns:
        Tesseract codes joined by "+".
    Raises:
        ValueError: a part is neither an alias nor shaped like a Tesseract code.
    """
    parts = []
    for part in value.strip().split("+"):
        code = LANG_ALIASES.get(part.strip().lower(), part.strip())
        if not _TESSERACT_CODE.fullmatch(code):
            raise ValueError(
                f"unknown OCR language {part!r}: use vi, zh, zh-TW or Tesseract codes such as vie+chi_sim"
            )
        parts.append(code)
    return "+".join(parts)


_ENV = {
    "index": "GOVTEXT_INDEX",
    "max_tokens": "GOVTEXT_MAX_TOKENS",
    "ingest_workers": "GOVTEXT_INGEST_WORKERS",
    "chroma_host": "GOVTEXT_CHROMA_HOST",
    "chroma_port": "GOVTEXT_CHROMA_PORT",
    "ocr_lang": "GOVTEXT_OCR_LANG",
    "tesseract_cmd": "GOVTEXT_TESSERACT",
}


def load_settings(config_file: str | os.PathLike | None = None, **overrides) -> Settings:
    """Build Settings from defaults < `[tool.govtext]` in pyproject.toml or govtext.toml < env < overrides.

    Args:
        config_file: a TOML file; default `govtext.toml` in the working directory if present.
        overrides: values from CLI flags; None values are ignored.
    Raises:
        GovtextError: on an unknown key or an invalid value.
    """
    values: dict = {}
    path = Path(config_file) if config_file else Path("govtext.toml")
    if path.exists():
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        values.update(data.get("tool", {}).get("govtext", data))
    known = {f.name: f.type for f in fields(Settings)}
    for name, var in _ENV.items():
        if os.environ.get(var):
            values[name] = os.environ[var]
    values.update({k: v for k, v in overrides.items() if v is not None})
    unknown = set(values) - set(known)
    if unknown:
        raise GovtextError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    base = Settings()
    typed = {k: type(getattr(base, k))(v) for k, v in values.items()}
    return replace(base, **typed).validate()


def chroma_server(url: str | None) -> dict:
    """The `chroma_host` and `chroma_port` settings of a Chroma server URL ("http://host:port" or "host:port").

    Returns {} for no URL, so the settings keep their other sources.

    Raises:
        GovtextError: not an http URL with a host.
    """
    if not url:
        return {}
    from urllib.parse import urlsplit

    parts = urlsplit(url if "://" in url else f"http://{url}")
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme != "http" or not parts.hostname or (port is None and ":" in parts.netloc.rsplit("]", 1)[-1]):
        raise GovtextError(f"not a Chroma server URL: {url!r}; give http://HOST:PORT, as `chroma run` prints")
    return {"chroma_host": parts.hostname, "chroma_port": port or 8000}
