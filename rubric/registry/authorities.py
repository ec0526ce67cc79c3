"""The 32 Scottish education authorities, and a tolerant resolver for the names they arrive as.

Returns, Quad configuration and benchmark data name councils in many spellings ("Edinburgh, City
of", "Comhairle nan Eilean Siar", "Perth & Kinross", "S12000036"). Everything else in rubric should
turn a name into an :class:`Authority` here once and use its ``code`` from then on.

The data lives in ``councils.yaml`` beside this module. It is read on first use, not at import,
so commands that never touch authorities do not pay for PyYAML.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import asdict, dataclass
from importlib import resources
from typing import Any

__all__ = [
    "Authority",
    "UnknownAuthority",
    "all_authorities",
    "family_group",
    "find",
    "resolve",
    "suggest",
]

GROUPS = range(1, 5)
_CODE = re.compile(r"[A-Z]{3}")
_GSS = re.compile(r"S12\d{6}")
# Words that never distinguish one council from another, so may be added or left out freely.
_NOISE_WORDS = frozenset({"the", "council", "comhairle"})
_SUGGEST_CUTOFF = 0.6


@dataclass(frozen=True, slots=True)
class Authority:
    """One council. ``code`` is rubric's stable id (the ISO 3166-2 code, e.g. ``"EDH"``)."""

    code: str
    name: str
    official_name: str
    lgbf_name: str
    gss_code: str
    former_gss_codes: tuple[str, ...]
    iso_code: str
    aliases: tuple[str, ...]
    family_group: int  # LGBF children, social work and housing group: 1 least .. 4 most deprived
    environment_group: int  # LGBF environment etc. group: 1 most rural .. 4 most urban

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON/YAML-ready data (tuples become lists)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    def variants(self) -> tuple[str, ...]:
        """Every name and code this council is known by, as written in the data."""
        return (
            self.name,
            self.official_name,
            self.lgbf_name,
            *self.aliases,
            self.gss_code,
            *self.former_gss_codes,
            self.iso_code,
            f"GB-{self.iso_code}",
            self.code,
        )


class UnknownAuthority(LookupError):
    """No council matches ``name``; ``suggestions`` holds up to three close canonical names."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        # Both values go to args so the exception pickles (multiprocessing) and compares sanely.
        super().__init__(name, suggestions)
        self.name = name
        self.suggestions = suggestions

    def __str__(self) -> str:
        if not self.suggestions:
            return f"unknown authority {self.name!r}"
        return f"unknown authority {self.name!r}; did you mean {' or '.join(self.suggestions)}?"


def _normalise(text: str) -> str:
    """Reduce a name to the form the index is keyed on.

    Case, accents, punctuation and spacing are dropped, "&" becomes "and", the words "the",
    "council" and "comhairle" are dropped, and "City of X" / "X, City of" become "x city". Words
    themselves are never shortened or merged, which is what keeps "Aberdeen City" apart from
    "Aberdeenshire" and "East Renfrewshire" apart from "Renfrewshire".
    """
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("&", " and ").replace("'", "").replace("\u2019", "")
    words = [w for w in re.sub(r"[\W_]+", " ", text).split() if w not in _NOISE_WORDS]
    if words[:2] == ["city", "of"] and len(words) > 2:
        words = [*words[2:], "city"]
    elif words[-2:] == ["city", "of"] and len(words) > 2:
        words = words[:-1]
    return " ".join(words)


@dataclass(frozen=True, slots=True)
class _Registry:
    authorities: tuple[Authority, ...]
    index: dict[str, Authority]  # normalised variant -> council


def _load_authority(raw: dict[str, Any]) -> Authority:
    def text(key: str) -> str:
        value = raw[key]
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"councils.yaml: {raw.get('code')!r}: {key} must be non-empty text")
        return value

    def texts(key: str) -> tuple[str, ...]:
        values = raw.get(key) or []
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ValueError(f"councils.yaml: {raw.get('code')!r}: {key} must be a list of text")
        return tuple(values)

    def group(key: str) -> int:
        value = raw[key]
        if type(value) is not int or value not in GROUPS:
            raise ValueError(f"councils.yaml: {raw.get('code')!r}: {key} must be 1-4")
        return value

    authority = Authority(
        code=text("code"),
        name=text("name"),
        official_name=text("official_name"),
        lgbf_name=text("lgbf_name"),
        gss_code=text("gss_code"),
        former_gss_codes=texts("former_gss_codes"),
        iso_code=text("iso_code"),
        aliases=texts("aliases"),
        family_group=group("family_group"),
        environment_group=group("environment_group"),
    )
    for key in ("code", "iso_code"):
        if not _CODE.fullmatch(getattr(authority, key)):
            raise ValueError(f"councils.yaml: {authority.code!r}: {key} must be 3 capital letters")
    for gss in (authority.gss_code, *authority.former_gss_codes):
        if not _GSS.fullmatch(gss):
            raise ValueError(f"councils.yaml: {authority.code!r}: {gss!r} is not an S12 GSS code")
    return authority


@functools.cache
def _registry() -> _Registry:
    """Read and check ``councils.yaml`` once; broken data fails loudly rather than mismatching."""
    import yaml  # deferred: see the module docstring

    raw = yaml.safe_load(
        resources.files("rubric.registry").joinpath("councils.yaml").read_text(encoding="utf-8")
    )
    authorities = tuple(
        sorted(map(_load_authority, raw["councils"]), key=lambda a: a.name.casefold())
    )
    index: dict[str, Authority] = {}
    codes: set[str] = set()
    for authority in authorities:
        if authority.code in codes:
            raise ValueError(f"councils.yaml: code {authority.code!r} is used twice")
        codes.add(authority.code)
        for variant in authority.variants():
            key = _normalise(variant)
            other = index.setdefault(key, authority)
            if not key or other is not authority:
                raise ValueError(
                    f"councils.yaml: {variant!r} of {authority.name} normalises to {key!r}, "
                    f"which already names {other.name}"
                )
    return _Registry(authorities, index)


def all_authorities() -> tuple[Authority, ...]:
    """All 32 councils, sorted by name."""
    return _registry().authorities


def family_group(n: int) -> tuple[Authority, ...]:
    """Councils in LGBF children's services family group ``n`` (the one education uses)."""
    if n not in GROUPS:
        raise ValueError(f"family groups are numbered 1-4, not {n!r}")
    return tuple(a for a in all_authorities() if a.family_group == n)


def find(name: str) -> Authority | None:
    """The council ``name`` refers to, or None; for callers that handle unknown names themselves."""
    return _registry().index.get(_normalise(name))


def resolve(name: str) -> Authority:
    """The council ``name`` refers to: any name, alias, GSS or ISO code, in any common spelling.

    Raises :class:`UnknownAuthority`, with close names to offer the user, when nothing matches.
    """
    authority = find(name)
    if authority is None:
        raise UnknownAuthority(name, suggest(name))
    return authority


def suggest(name: str, n: int = 3) -> list[str]:
    """Up to ``n`` canonical council names closest to ``name``, best first (for "did you mean")."""
    import difflib

    index = _registry().index
    query = _normalise(name)
    if not query:
        return []
    # A name a council's name starts with, word for word ("Perth", "Dumfries"), comes first.
    starts = [key for key in index if key.startswith(query) and
              (len(key) == len(query) or not key[len(query)].isalnum())]
    matches = difflib.get_close_matches(query, index, n=len(index), cutoff=_SUGGEST_CUTOFF)
    names = dict.fromkeys(index[match].name for match in [*sorted(starts), *matches])
    return list(names)[:n]
