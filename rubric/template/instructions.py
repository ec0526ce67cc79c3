"""The Instructions sheet: pre-reading for a first-time participant, generated per framework.

Participants in earlier rounds asked for brief pre-reading that explains the process, the key
terms and what is expected; this sheet is that, with the framework's own scale and answers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from openpyxl.styles import Alignment, Font, PatternFill

from rubric.framework.model import Framework
from rubric.xlsx import layout, styles
from rubric.xlsx.cells import put_text

if TYPE_CHECKING:
    from rubric.template.workbook import TemplateInfo

_HEADING = Font(bold=True, size=12, color="1F3864")
_TITLE = Font(bold=True, size=16, color="1F3864")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TERM_FILL = PatternFill("solid", fgColor="D9E1F2")
_TEXT_WIDTH = 100

STEPS = (
    ("1. Read", "Read this sheet and the scale below. Look through every key-area sheet so you "
     "know the themes and what each level looks like before you start."),
    ("2. Gather", "Collect the evidence you already have: data, quality assurance findings, "
     "views of learners, families, staff and partners, and the measures on the Measures sheet."),
    ("3. Evaluate", "With colleagues, agree a level for each theme from what the evidence shows, "
     "not from what you intend to do. Use the challenge questions to test your view."),
    ("4. Record", "In the yellow cells: choose the level, write the evidence (How do we know?), "
     "the strengths and the next steps (What are we going to do now?)."),
    ("5. Check", "The Progress sheet shows what is still to answer. Every level needs evidence; "
     "rubric will flag levels without evidence when the return is checked."),
    ("6. Return", "Save as .xlsx (keep the file name) and send it to your Quad lead by the "
     "agreed date. Do not convert it to another format."),
    ("7. Compare", "Your Quad lead combines the four returns into a comparison showing where you "
     "agree, where you differ and which questions to explore together."),
)

TERMS = (
    ("Quad", "Four authorities with similar characteristics (from their LGBF family group) "
     "who self-evaluate against the same framework and then compare, challenge and learn."),
    ("Key area", "A group of quality indicators; each has its own sheet in this workbook."),
    ("Quality indicator", "A numbered aspect of the authority's work, e.g. 2.1."),
    ("Theme", "A part of a quality indicator that you evaluate, e.g. 2.1.1: one row each."),
    ("Illustration", "A short picture of what practice looks like at a level; use it as a "
     "reference point, not a checklist."),
    ("Challenge question", "A question to test your evaluation: if it is hard to answer, your "
     "evidence may be thinner than you think."),
    ("Evidence", "What shows the level is right: data, observations, feedback, documents. Say "
     "where it comes from."),
    ("Measure", "A number reported beside the judgements, for the baseline and current year."),
)


def _row(sheet: Any, row: int, term: str | None, text: str | None, *, bold: bool = False) -> int:
    if term is not None:
        cell = put_text(sheet.cell(row, 1), term)
        cell.font, cell.fill, cell.alignment = Font(bold=True), _TERM_FILL, _WRAP
    if text is not None:
        cell = put_text(sheet.cell(row, 2), text)
        cell.alignment = _WRAP
        if bold:
            cell.font = Font(bold=True)
        lines = max(1, -(-len(text) // int(_TEXT_WIDTH * 1.1)))
        sheet.row_dimensions[row].height = max(18.0, 15.0 * lines + 4)
    return row + 1


def _heading(sheet: Any, row: int, text: str) -> int:
    put_text(sheet.cell(row + 1, 1), text).font = _HEADING
    sheet.row_dimensions[row + 1].height = 22
    return row + 2


def _policy(policy: str, scale_lowest: str) -> str:
    return {
        "exclude": "left out of scores and of the completion count",
        "unanswered": "counted as not yet answered (it lowers completion; no level is scored)",
        "lowest": f"scored as the lowest level ({scale_lowest})",
    }[policy]


def grading_text(framework: Framework) -> str:
    """What this framework asks an authority to grade, in the words of the instructions."""
    judged = [i.id for i in framework.indicators() if framework.judges(i)]
    themes_only = [i.id for i in framework.indicators() if not framework.judges(i)]
    evidence_only = [i.id for i in framework.indicators() if not framework.grades_themes(i)]
    parts = []
    if not judged:
        parts.append("Choose a level for each theme. An indicator's score is worked out from its "
                     "themes' levels.")
    else:
        parts.append("Choose one level for each quality indicator as a whole, in the "
                     "indicator's own (shaded) row: that judgement is the indicator's score, a "
                     "whole number, never an average" + (f" (indicators {', '.join(judged)})"
                                                         if themes_only else "") + ".")
        if evidence_only:
            parts.append("Where a theme's level cell is grey, the theme is not graded: write its "
                         "evidence, strengths and next steps to inform the indicator's level.")
        if len(evidence_only) < len(judged):
            parts.append("Where themes have a yellow level cell, grade them too; rubric flags "
                         "an indicator's level more than one level away from its themes.")
        if themes_only:
            parts.append(f"For indicators {', '.join(themes_only)}, choose a level for each "
                         "theme instead.")
    overall = [c for c in framework.categories if c.overall_judgement]
    if overall:
        names = ", ".join(f"{c.id} {c.title}" for c in overall)
        parts.append(f"Key area {names} is an overall judgement: it is reported on its own and "
                     "never averaged into the overall score.")
    return " ".join(parts)


def write_instructions(sheet: Any, framework: Framework, info: TemplateInfo) -> None:
    sheet.title = layout.INSTRUCTIONS_SHEET
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = _TEXT_WIDTH
    put_text(sheet.cell(1, 1), f"{framework.title}").font = _TITLE
    sheet.row_dimensions[1].height = 26
    row = _row(sheet, 2, None, f"Self-evaluation return for {info.authority}, cycle "
               f"{info.cycle}. Framework {framework.id} version {framework.version}.", bold=True)

    row = _heading(sheet, row, "What this is for")
    row = _row(sheet, row, None, "This workbook is your authority's self-evaluation against the "
               "framework. It is for honest, evidence-based judgement that helps you improve: "
               "your Quad will use it to compare, to challenge each other and to learn from "
               "where others are strong. Grades matter less than the evidence and the next "
               "steps behind them.")

    row = _heading(sheet, row, "Steps and timeline")
    for term, text in STEPS:
        row = _row(sheet, row, term, text)
    row = _row(sheet, row, "Timeline", "A typical cycle: weeks 1-2 read and gather evidence; "
               "weeks 3-5 evaluate and record; week 6 return to your Quad lead; the Quad meets "
               "about four weeks later. Your Quad lead confirms the dates.")

    scale = framework.scale
    row = _heading(sheet, row, "The scale")
    for level in reversed(scale.ascending):
        row = _row(sheet, row, layout.level_choice(level.value, level.label), level.meaning)
    lowest = layout.level_choice(scale.lowest.value, scale.lowest.label)
    for answer in (scale.not_applicable, scale.not_evaluated):
        text = (answer.meaning + " " if answer.meaning else "") + \
            f"In scores it is {_policy(answer.scoring, lowest)}."
        row = _row(sheet, row, answer.label, text)

    row = _heading(sheet, row, "Not applicable or not yet evaluated?")
    row = _row(sheet, row, None, f"Choose '{scale.not_applicable.label}' only when the theme "
               f"does not apply to your authority at all, and say why in the evidence cell. "
               f"Choose '{scale.not_evaluated.label}' when the theme applies but you have not "
               "evaluated it this cycle; say when you will in the next steps cell. The first "
               "is a fact about your context; the second is a gap to close.")

    row = _heading(sheet, row, "What you grade")
    row = _row(sheet, row, None, grading_text(framework))

    row = _heading(sheet, row, "How to answer each theme")
    for term, text in (
        ("Level", "Pick from the dropdown (you may also type the number or the label)."),
        ("Evidence", "How do we know? The sources and what they show. Be specific: a reader from "
         "another authority should be able to follow it."),
        ("Strengths", "What is working well and why."),
        ("Next steps", "What are we going to do now? Few, concrete actions with an owner and a "
         "date. These are followed up in the next cycle."),
    ):
        row = _row(sheet, row, term, text)

    row = _heading(sheet, row, "Key terms")
    for term, text in TERMS:
        row = _row(sheet, row, term, text)

    row = _heading(sheet, row, "About this workbook")
    _row(sheet, row, None, "Only the yellow cells are for answers; the rest is protected against "
         "accidental change (no password). You may resize rows and columns. rubric reads your "
         "answers by the IDs in column A, so please do not change them. There are no score "
         "formulas: scores are calculated when the Quad lead checks the returns.")
    sheet.print_area = f"A1:B{row}"
    styles.print_portrait(sheet)  # A4: without a paper size it would print on US Letter
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
