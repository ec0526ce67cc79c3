"""The demo's next cycle: follow-up workbooks listing each authority's agreed actions, filled in.

``make``: for each example authority, the actions agreed at the recorded Quad meeting (or its
next steps without a record) go onto a follow-up workbook through rubric.meeting.actions; the
workbook is filled with last cycle's answers and a status typed per action, and the statuses
typed are saved beside the returns (typed.json). ``check``: the comparison workbook's Follow-up
counts must equal the statuses typed.
Run: python scripts/follow_up_returns.py make --db DB --cycle 2027-28 -o DIR
     python scripts/follow_up_returns.py check DIR/typed.json COMPARISON.xlsx
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rubric.cycles.history import open_history  # noqa: E402
from rubric.framework.load import load_framework  # noqa: E402
from rubric.framework.store import FrameworkStore  # noqa: E402
from rubric.meeting.actions import follow_up_items  # noqa: E402
from rubric.template.fill import fill_workbook  # noqa: E402
from rubric.template.workbook import TemplateInfo, write_template  # noqa: E402
from rubric.xlsx import layout  # noqa: E402

FRAMEWORK = ROOT / "frameworks" / "hgioea" / "1.1.0.yaml"
NOTES = {
    "Not started": "Not yet started: delayed by staffing changes; now planned for spring.",
    "In progress": "Started in four schools; the rest follow next term.",
    "Completed": "Done: agreed with head teachers and now reported each term.",
    "No longer a priority": "Overtaken by the national change to the curriculum.",
}


def make(db: Path, cycle: str, previous: str, out: Path, force: bool) -> None:
    framework = load_framework(FRAMEWORK).framework
    assert framework is not None
    store = FrameworkStore(ROOT / "frameworks")
    history = open_history(db)
    typed: dict[str, dict[str, int]] = {}
    out.mkdir(parents=True, exist_ok=True)
    try:
        for offset, stored in enumerate(history.returns(cycle=previous)):
            follow = follow_up_items(history, stored.authority_code, previous, store, framework)
            info = TemplateInfo(stored.authority, cycle, stored.authority_code,
                                created_at=dt.datetime(2027, 9, 1, 9, tzinfo=dt.UTC),
                                actions=follow.template_actions())
            blank = out / f"blank-{stored.authority_code}.xlsx"
            write_template(framework, info, blank, force=True)
            last = history.response(stored)
            themes = {tid: {"level": a.level if a.level is not None else "Not yet evaluated",
                            "evidence": a.evidence, "strengths": a.strengths,
                            "next_steps": a.next_steps}
                      for tid, a in last.themes.items() if tid in framework.theme_index}
            statuses = list(NOTES)
            chosen = {item.id: statuses[(n + offset) % len(statuses)]
                      for n, item in enumerate(follow.items)}

            def fill_actions(book, chosen=chosen) -> None:
                sheet = book[layout.ACTIONS_SHEET]
                keys = [c.key for c in layout.ACTION_COLUMNS]
                for row in range(layout.HEADER_ROW + 1, sheet.max_row + 1):
                    action_id = sheet.cell(row, 1).value
                    if action_id in chosen:
                        sheet.cell(row, keys.index("status") + 1).value = chosen[action_id]
                        sheet.cell(row, keys.index("progress_note") + 1).value = \
                            NOTES[chosen[action_id]]

            target = out / f"{stored.authority_code.lower()}-{cycle}.xlsx"
            fill_workbook(blank, target, themes, {}, force=force, before_save=fill_actions)
            blank.unlink()
            typed[stored.authority] = {s: list(chosen.values()).count(s) for s in NOTES}
            print(f"{target}: {follow.source}, {len(follow.items)} actions: " + ", ".join(
                f"{s} {n}" for s, n in typed[stored.authority].items()))
    finally:
        history.close()
    (out / "typed.json").write_text(json.dumps(typed, indent=2), encoding="utf-8")


def check(typed_path: Path, comparison: Path) -> None:
    import openpyxl

    typed = json.loads(typed_path.read_text(encoding="utf-8"))
    sheet = openpyxl.load_workbook(comparison, read_only=True)["Follow-up"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if r and r[0] == "Member" and "Not started" in r)
    names = rows[header]
    found = {r[0]: {s: int(r[names.index(s)]) for s in NOTES} for r in rows[header + 1:]
             if r and r[0] in typed}
    assert found == typed, f"Follow-up counts {found} differ from the statuses typed {typed}"
    print(f"Follow-up counts match the statuses typed for {len(found)} authorities")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("make")
    m.add_argument("--db", type=Path, required=True)
    m.add_argument("--cycle", default="2027-28")
    m.add_argument("--previous-cycle", default="2026-27")
    m.add_argument("-o", "--output", type=Path, required=True)
    m.add_argument("--force", action="store_true")
    c = sub.add_parser("check")
    c.add_argument("typed", type=Path)
    c.add_argument("comparison", type=Path)
    args = parser.parse_args()
    if args.command == "make":
        make(args.db, args.cycle, args.previous_cycle, args.output, args.force)
    else:
        check(args.typed, args.comparison)


if __name__ == "__main__":
    main()
