"""Regenerate responses/examples/: four fictional returns filled through the real template.

"Example Authority A" to "D" are illustrative, not any council's self-evaluation. Answers come
from a seeded generator with one profile per authority, chosen so a Quad comparison has
something to show: a confident authority, a steady one, one that is early in its journey, and
one that grades generously on thin evidence. Run: python scripts/make_examples.py [--force]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rubric.framework.load import load_framework  # noqa: E402
from rubric.framework.model import Framework  # noqa: E402
from rubric.template.fill import fill_workbook  # noqa: E402
from rubric.template.workbook import TemplateInfo, write_template  # noqa: E402

FRAMEWORK = ROOT / "frameworks" / "hgioea" / "1.0.0.yaml"
NEXT_FRAMEWORK = ROOT / "frameworks" / "hgioea" / "1.1.0.yaml"
OUT = ROOT / "responses" / "examples"
CYCLE, NEXT_CYCLE = "2025-26", "2026-27"
CREATED = dt.datetime(2025, 9, 1, 9, 0, tzinfo=dt.UTC)
NEXT_CREATED = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)
PROGRESS = (
    "Done: agreed with head teachers in March and now reported each term.",
    "Partly done: started in four schools; the rest follow next term.",
    "Not yet started: delayed by staffing changes; now planned for spring.",
    "Done, and extended to early learning and childcare settings.",
)
# Second cycle: each profile moves (C improves most, D is moderated by its Quad's challenge).
NEXT_SHIFT = {"A": 0.2, "B": 0.4, "C": 0.9, "D": -0.6}
SHARED_WEAK_THEME = "6.3.2"  # every example rates this weak: a shared priority for the Quad


@dataclass(frozen=True)
class Profile:
    letter: str
    mean: float
    spread: float
    evidence_sentences: int  # 0 = thin evidence
    seed: int
    measure_trend: float  # percentage-point drift of measures year on year


PROFILES = (
    Profile("A", 4.8, 0.6, 3, 11, +1.6),
    Profile("B", 4.0, 0.7, 2, 22, +0.8),
    Profile("C", 3.0, 0.8, 2, 33, +0.3),
    Profile("D", 5.3, 0.5, 0, 44, -1.4),
)

SOURCES = (
    "attainment and leaver data for 2022-25 split by SIMD quintile",
    "quality improvement visit notes from 14 schools",
    "the 2025 pupil and parent survey (2,140 responses)",
    "a validated self-evaluation with two partner authorities",
    "the thematic review of additional support for learning",
    "elected members' scrutiny reports",
    "the staff survey (72% response rate)",
    "findings of the most recent joint inspection of children's services",
    "tracking of Developing the Young Workforce partnerships",
    "attendance and exclusion analysis by school and stage",
    "focus groups with head teachers and union representatives",
    "Pupil Equity Funding plans and their impact reports",
)
FINDINGS = {
    6: "sustained improvement that others now ask to learn from",
    5: "strong, consistent improvement across nearly all schools",
    4: "improvement in most schools, with variation we can explain",
    3: "some improvement, but it is uneven and not yet secure",
    2: "little improvement and important gaps between schools",
    1: "decline that needs immediate action",
}
STRENGTHS = (
    "Head teachers describe the central team as responsive and well informed.",
    "Clear, shared data that schools use in their own planning.",
    "Strong partnership with health and social work colleagues.",
    "Professional learning is well targeted and evaluated.",
    "Learners' views visibly shape decisions.",
    "Collaboration across the cluster is now routine.",
)
NEXT_STEPS = (
    "Agree one shared measure of progress with head teachers by March.",
    "Extend the peer review model to the remaining secondary schools.",
    "Report progress to the education committee each term.",
    "Target support at the five schools with the widest gaps.",
    "Review the approach with the Quad partners at the spring meeting.",
    "Train quality improvement officers in moderation of evidence.",
)
THIN_EVIDENCE = ("See improvement plan.", "Ongoing.", "Good progress noted.", "As discussed.")
# Text that looks like a formula must arrive in every export as text, never as a live formula.
FORMULA_LIKE = {
    "C": {"2.1.1": "=Attainment up 3 points (see tracker)",
          "4.1.2": "+12% more families attending learning sessions"},
    "B": {"3.1.1": "-2 vacancies since August; @HR confirms retention improved"},
}


def _level(profile: Profile, rng: random.Random) -> int:
    return max(1, min(6, round(rng.gauss(profile.mean, profile.spread))))


def _evidence(profile: Profile, rng: random.Random, level: int, title: str) -> str:
    if profile.evidence_sentences == 0:
        return rng.choice(THIN_EVIDENCE)
    sources = rng.sample(SOURCES, profile.evidence_sentences)
    first = f"We drew on {', '.join(sources[:-1])} and {sources[-1]}." if len(sources) > 1 \
        else f"We drew on {sources[0]}."
    return f"{first} Together they show {FINDINGS[level]} in {title.lower()}."


def answers_for(framework: Framework, profile: Profile) -> tuple[dict, dict]:
    rng = random.Random(profile.seed)
    themes: dict[str, dict] = {}
    for theme_id, (_, _, theme) in framework.theme_index.items():
        level = _level(profile, rng)
        if theme_id == SHARED_WEAK_THEME:
            level = 2
        answer = {
            "level": f"{level} - {framework.scale.by_value[level].label}",
            "evidence": _evidence(profile, rng, level, theme.title),
            "strengths": rng.choice(STRENGTHS),
            "next_steps": rng.choice(NEXT_STEPS),
        }
        if rng.random() < 0.15:  # people type levels as well as picking them
            answer["level"] = rng.choice([level, framework.scale.by_value[level].label.upper()])
        themes[theme_id] = answer
    for theme_id, text in FORMULA_LIKE.get(profile.letter, {}).items():
        themes[theme_id]["evidence"] = text
    if profile.letter == "B":
        themes["4.2.2"] = {"level": "Not applicable",
                           "evidence": "No island or rural communities in our area."}
    if profile.letter == "C":
        for theme_id in ("8.3.1", "8.3.2"):
            themes[theme_id] = {"level": "Not yet evaluated",
                                "next_steps": "Evaluate with finance colleagues by June."}
    measures = {}
    for n, measure in enumerate(framework.measures):
        base = 40.0 + (n * 13.7) % 55
        drift = profile.measure_trend * (1 if measure.higher_is_better else -1)
        measures[measure.id] = {"baseline": round(base, 1),
                                "current": round(base + drift + rng.uniform(-0.3, 0.3), 1),
                                "notes": "Local authority data, all pupils."}
    return themes, measures


def next_cycle(framework: Framework, profile: Profile, previous: dict) -> tuple[dict, dict]:
    """A 2026-27 return: shifted levels, fresh evidence, progress on last cycle's next steps."""
    shifted = Profile(profile.letter, profile.mean + NEXT_SHIFT[profile.letter], profile.spread,
                      max(profile.evidence_sentences, 1), profile.seed + 1000,
                      profile.measure_trend)
    themes, measures = answers_for(framework, shifted)
    rng = random.Random(profile.seed + 2000)
    for theme_id, answer in themes.items():
        if previous.get(theme_id):
            answer["progress"] = rng.choice(PROGRESS)
    return themes, measures


def write_next_cycle(out: Path, force: bool) -> None:
    """The four examples again for 2026-27, on hgioea 1.1.0, through follow-up templates."""
    from rubric.framework.store import FrameworkStore
    from rubric.read.returns import read_return
    from rubric.versions.migrate import migrate_response

    old = load_framework(FRAMEWORK).framework
    new = load_framework(NEXT_FRAMEWORK).framework
    assert old is not None and new is not None
    folder = out / NEXT_CYCLE
    folder.mkdir(parents=True, exist_ok=True)
    store = FrameworkStore(ROOT / "frameworks")
    with tempfile.TemporaryDirectory() as tmp:
        for profile in PROFILES:
            name = f"Example Authority {profile.letter}"
            first = read_return(out / f"example-authority-{profile.letter.lower()}.xlsx", store)
            assert first.response is not None
            carried = migrate_response(first.response, old, new).response
            previous = {tid: a.next_steps for tid, a in carried.themes.items() if a.next_steps}
            blank = Path(tmp) / f"{profile.letter}-next.xlsx"
            info = TemplateInfo(name, NEXT_CYCLE, f"EX{profile.letter}", created_at=NEXT_CREATED,
                                follow_up=previous)
            write_template(new, info, blank)
            themes, measures = next_cycle(new, profile, previous)
            target = folder / f"example-authority-{profile.letter.lower()}.xlsx"
            fill_workbook(blank, target, themes, measures, force=force)
            print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--force", action="store_true", help="replace existing examples")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    loaded = load_framework(FRAMEWORK)
    assert loaded.framework is not None and loaded.valid
    framework = loaded.framework
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for profile in PROFILES:
            name = f"Example Authority {profile.letter}"
            blank = Path(tmp) / f"{profile.letter}.xlsx"
            info = TemplateInfo(name, CYCLE, f"EX{profile.letter}", created_at=CREATED)
            write_template(framework, info, blank)
            themes, measures = answers_for(framework, profile)
            target = args.out / f"example-authority-{profile.letter.lower()}.xlsx"
            fill_workbook(blank, target, themes, measures, force=args.force)
            print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
    write_next_cycle(args.out, args.force)


if __name__ == "__main__":
    main()
