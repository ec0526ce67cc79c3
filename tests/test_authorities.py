"""The authority registry: the 32 councils' data, family groups and the tolerant name resolver."""

from __future__ import annotations

import pickle
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rubric.registry.authorities import (
    Authority,
    UnknownAuthority,
    all_authorities,
    family_group,
    find,
    resolve,
    suggest,
)

# LGBF children, social work and housing family groups, as listed in the domain primer (domain.md).
FAMILY_GROUPS = {
    1: ["East Renfrewshire", "East Dunbartonshire", "Aberdeenshire", "City of Edinburgh",
        "Perth and Kinross", "Aberdeen City", "Shetland", "Orkney"],
    2: ["Moray", "Stirling", "East Lothian", "Angus", "Scottish Borders", "Highland",
        "Argyll and Bute", "Midlothian"],
    3: ["Falkirk", "Dumfries and Galloway", "Fife", "South Ayrshire", "West Lothian",
        "South Lanarkshire", "Renfrewshire", "Clackmannanshire"],
    4: ["Na h-Eileanan Siar", "Dundee City", "East Ayrshire", "North Ayrshire",
        "North Lanarkshire", "Inverclyde", "West Dunbartonshire", "Glasgow City"],
}  # fmt: skip

# LGBF environment (sparsity) groups, from the Improvement Service page via councils.yaml.
ENVIRONMENT_GROUPS = {
    1: ["Na h-Eileanan Siar", "Argyll and Bute", "Shetland Islands", "Highland", "Orkney Islands",
        "Scottish Borders", "Dumfries and Galloway", "Aberdeenshire"],
    2: ["Perth and Kinross", "Stirling", "Moray", "South Ayrshire", "East Ayrshire",
        "East Lothian", "North Ayrshire", "Fife"],
    3: ["Angus", "Clackmannanshire", "Midlothian", "South Lanarkshire", "Inverclyde",
        "Renfrewshire", "West Lothian", "East Renfrewshire"],
    4: ["North Lanarkshire", "Falkirk", "East Dunbartonshire", "Aberdeen City",
        "City of Edinburgh", "West Dunbartonshire", "Dundee City", "Glasgow City"],
}  # fmt: skip

AUTHORITIES = all_authorities()


def _ids(value: object) -> str:
    return value.code if isinstance(value, Authority) else ""


# --- the data --------------------------------------------------------------------------------


def test_there_are_32_with_unique_codes() -> None:
    assert len(AUTHORITIES) == 32
    for attr in ("code", "iso_code", "gss_code", "name", "official_name", "lgbf_name"):
        assert len({getattr(a, attr) for a in AUTHORITIES}) == 32, attr


def test_sorted_by_name() -> None:
    assert [a.name for a in AUTHORITIES] == sorted((a.name for a in AUTHORITIES), key=str.casefold)


def test_codes_are_the_iso_codes() -> None:
    for a in AUTHORITIES:
        assert a.code == a.iso_code
        assert len(a.code) == 3 and a.code.isupper() and a.code.isalpha()
    assert resolve("City of Edinburgh").code == "EDH"


@pytest.mark.parametrize("attr", ["family_group", "environment_group"])
def test_eight_per_group_in_both_sets(attr: str) -> None:
    assert Counter(getattr(a, attr) for a in AUTHORITIES) == {1: 8, 2: 8, 3: 8, 4: 8}


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_family_groups_match_domain_primer(n: int) -> None:
    expected = {resolve(name) for name in FAMILY_GROUPS[n]}
    assert len(expected) == 8
    assert set(family_group(n)) == expected
    assert all(a.family_group == n for a in family_group(n))


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_environment_groups(n: int) -> None:
    expected = {resolve(name) for name in ENVIRONMENT_GROUPS[n]}
    assert {a for a in AUTHORITIES if a.environment_group == n} == expected


@pytest.mark.parametrize("n", [0, 5, -1])
def test_family_group_out_of_range(n: int) -> None:
    with pytest.raises(ValueError):
        family_group(n)


def test_to_dict() -> None:
    glasgow = resolve("Glasgow")
    data = glasgow.to_dict()
    assert data["code"] == "GLG"
    assert data["former_gss_codes"] == ["S12000046", "S12000043"]
    assert Authority(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}) == (
        glasgow
    )


def test_authority_is_immutable() -> None:
    with pytest.raises(AttributeError):
        AUTHORITIES[0].name = "Elsewhere"  # type: ignore[misc]


# --- resolving -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Edinburgh, City of", "EDH"),
        ("City of Edinburgh Council", "EDH"),
        ("Edinburgh City Council", "EDH"),
        ("Comhairle nan Eilean Siar", "ELS"),
        ("Western Isles", "ELS"),
        ("Na h-Eileanan an Iar", "ELS"),
        ("Perth & Kinross", "PKN"),
        ("perth and kinross council", "PKN"),
        ("Perth & Kinross Council.", "PKN"),
        ("S12000036", "EDH"),
        ("s12000024", "PKN"),  # former code
        ("EDH", "EDH"),
        ("edh", "EDH"),
        ("GB-EDH", "EDH"),
        ("  glasgow   city ", "GLG"),
        ("Glasgow, City of", "GLG"),
        ("City of Glasgow Council", "GLG"),
        ("Dundee", "DND"),
        ("Dundee City Council", "DND"),
        ("Aberdeen", "ABE"),
        ("City of Aberdeen", "ABE"),
        ("Aberdeenshire Council", "ABD"),
        ("The Highland Council", "HLD"),
        ("Highland Council", "HLD"),
        ("The Moray Council", "MRY"),
        ("Orkney", "ORK"),
        ("Orkney Islands", "ORK"),
        ("Shetland", "ZET"),
        ("Shetland Islands Council", "ZET"),
        ("Argyll & Bute", "AGB"),
        ("Dumfries & Galloway Council", "DGY"),
        ("Borders", "SCB"),
        ("Renfrewshire", "RFW"),
        ("East Renfrewshire", "ERW"),
    ],
)
def test_resolve_spellings(name: str, code: str) -> None:
    assert resolve(name).code == code
    assert find(name) is resolve(name)


def _spellings(a: Authority) -> list[str]:
    """The data's variants of ``a`` plus the rewrites people make of them."""
    out = list(a.variants())
    for v in (a.name, a.official_name, a.lgbf_name, *a.aliases):
        out += [v.upper(), v.lower(), f"The {v} Council", f" {v}. ", v.replace(" and ", " & ")]
    return out


@pytest.mark.parametrize("authority", AUTHORITIES, ids=_ids)
def test_every_variant_resolves_to_its_own_council(authority: Authority) -> None:
    for spelling in _spellings(authority):
        assert resolve(spelling) is authority, spelling


@pytest.mark.parametrize(
    "name", ["Ayrshire", "Lanarkshire", "Lothian", "Dunbartonshire", "Renfrew", "City", "Council"]
)
def test_ambiguous_fragments_do_not_pick_a_council(name: str) -> None:
    assert find(name) is None


@pytest.mark.parametrize(("name", "first"), [("Aberdeen", "ABE"), ("Aberdeenshire", "ABD")])
def test_similar_names_stay_apart(name: str, first: str) -> None:
    assert resolve(name).code == first


@given(st.data())
def test_resolve_ignores_case_and_spacing(data: st.DataObject) -> None:
    a = data.draw(st.sampled_from(AUTHORITIES))
    spaces = st.text(alphabet=" \t", max_size=3)
    chars = []
    for ch in a.name:
        if data.draw(st.booleans()):
            ch = ch.swapcase()
        if ch == " ":
            ch += data.draw(spaces)
        chars.append(ch)
    assert resolve(data.draw(spaces) + "".join(chars) + data.draw(spaces)) is a


# --- unknown names ---------------------------------------------------------------------------


def test_unknown_name_raises_with_suggestions() -> None:
    with pytest.raises(UnknownAuthority) as caught:
        resolve("Edinbrugh")
    err = caught.value
    assert isinstance(err, LookupError)
    assert err.name == "Edinbrugh"
    assert err.suggestions[0] == "City of Edinburgh"
    assert len(err.suggestions) <= 3
    assert "City of Edinburgh" in str(err)
    assert find("Edinbrugh") is None


def test_suggestions_are_canonical_names_without_repeats() -> None:
    names = {a.name for a in AUTHORITIES}
    for query in ("Ayrshire", "Glasgo", "Western Isle", "Abredeen", "Shetlnd", "Dunbartonshire"):
        got = suggest(query)
        assert got, query
        assert len(got) == len(set(got)) <= 3
        assert set(got) <= names
    assert suggest("Ayrshire", n=2) == suggest("Ayrshire")[:2]
    assert set(suggest("Ayrshire")) == {"East Ayrshire", "North Ayrshire", "South Ayrshire"}
    assert suggest("Abredeen")[0] in {"Aberdeen City", "Aberdeenshire"}


@pytest.mark.parametrize("name", ["", "   ", "Narnia", "12345"])
def test_hopeless_names(name: str) -> None:
    assert find(name) is None
    with pytest.raises(UnknownAuthority) as caught:
        resolve(name)
    assert caught.value.suggestions == []
    assert repr(name) in str(caught.value)


def test_unknown_authority_pickles() -> None:
    err = pickle.loads(pickle.dumps(UnknownAuthority("Edinbrugh", ["City of Edinburgh"])))
    assert (err.name, err.suggestions) == ("Edinbrugh", ["City of Edinburgh"])


# --- import cost -----------------------------------------------------------------------------


def test_import_does_not_load_the_data() -> None:
    code = "import sys, rubric.registry.authorities; print('yaml' in sys.modules)"
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
