"""Fill a meeting record as a Quad would, through the record workbook's own answer cells.

For the demo: the Quad accepts most self-evaluations, moderates a member's level where the
agenda found a high grade on thin evidence or a worsening measure, does not reach one
indicator per member, and agrees three actions per member on its weakest validated indicators.
Run: python scripts/fill_record.py RECORD RETURNS... -o FILLED [--force]
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rubric.compare.quad import compare_returns  # noqa: E402
from rubric.framework.store import FrameworkStore  # noqa: E402
from rubric.meeting import layout  # noqa: E402
from rubric.meeting.fill import fill_record  # noqa: E402
from rubric.read.returns import read_return  # noqa: E402

DUE = ((3, 31), (6, 30), (12, 18))  # month and day in --due-year
OWNERS = ("Head of Education", "Quality Improvement Manager", "Senior Education Officer")
MEASURES = (
    "Every school reports against the shared measure at each term's review.",
    "Peer review completed in all remaining secondary schools, with findings acted on.",
    "The gap named in the evaluation narrows in next year's data.",
)


def _half_up(value: float) -> int:
    return math.floor(value + 0.5)


def quad_answers(paths: list[Path], frameworks: Path, due_year: int) -> tuple[dict, dict]:
    store = FrameworkStore(frameworks)
    comparison = compare_returns([read_return(p, store) for p in paths]).comparison
    assert comparison is not None, "the returns cannot be compared"
    framework = comparison.framework
    challenged: dict[tuple[str, str], str] = {}
    for prompt in comparison.agenda:
        if prompt.kind not in ("generous", "measure-worse"):
            continue
        indicator = framework.theme_index[prompt.item][1].id if prompt.item in \
            framework.theme_index else prompt.item
        for code in prompt.members:
            challenged.setdefault((code, indicator), prompt.reason)
    evaluation, actions = {}, {}
    indicators = [r.id for r in comparison.indicators]
    for member in comparison.members:
        validated: dict[str, int] = {}
        for indicator_id in indicators[:-1]:  # the meeting runs out of time before the last
            score = member.scores.indicator(indicator_id)
            if score is None or score.rounded is None:
                continue
            own = _half_up(score.rounded)
            reason = challenged.get((member.code, indicator_id))
            if reason:
                level = max(framework.scale.lowest.value, own - 1)
                evaluation[(member.code, indicator_id)] = {
                    "view": layout.LOWER, "level": level,
                    "rationale": f"{reason} The Quad saw too little evidence for level {own}; "
                    f"it agreed {level} until the evidence shows more."}
            else:
                level = own
                evaluation[(member.code, indicator_id)] = {"view": layout.AGREED, "level": own}
            validated[indicator_id] = level
        evaluation[(member.code, indicators[-1])] = {
            "view": layout.NOT_DISCUSSED,
            "rationale": "Not reached in the time; to be taken at the spring follow-up session."}
        weakest = sorted(validated, key=lambda i: (validated[i], i))[:3]
        for number, indicator_id in enumerate(weakest, start=1):
            title = framework.indicator_index[indicator_id][1].title
            actions[(member.code, layout.action_id(member.code, number))] = {
                "action": f"Improve {title.lower()}: agree the next steps with head teachers "
                          "and check progress each term.",
                "links": indicator_id, "owner": OWNERS[number - 1],
                "due": dt.date(due_year, *DUE[number - 1]),
                "success": MEASURES[number - 1], "status": layout.NOT_STARTED}
    return evaluation, actions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("record", type=Path)
    parser.add_argument("returns", type=Path, nargs="+")
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--frameworks", type=Path, default=ROOT / "frameworks")
    parser.add_argument("--due-year", type=int, default=2027)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args()
    paths = [p for path in args.returns for p in (sorted(path.glob("*.xlsx")) if path.is_dir()
                                                  else [path])]
    evaluation, actions = quad_answers(paths, args.frameworks, args.due_year)
    fill_record(args.record, args.output, evaluation, actions, force=args.force)
    print(f"{args.output}: {len(evaluation)} views and {len(actions)} actions filled in")


if __name__ == "__main__":
    main()
