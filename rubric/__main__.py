from rubric.cli import main

main(prog_name="rubric")
