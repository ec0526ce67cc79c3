from rubric.cli import run

run()
