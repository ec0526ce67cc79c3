"""Build hook: ship the repository's frameworks/, quads.yaml and example returns inside the
package.

They live at the top of the repository, where framework editors work on them; an installed
rubric finds them in ``rubric/_bundled`` (see rubric/resources.py), so it works from any folder.
Everything else about the build is in pyproject.toml.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithBundledData(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "rubric" / "_bundled"
        sources = [*sorted((ROOT / "frameworks").glob("*/*.yaml")), ROOT / "quads.yaml",
                   *sorted((ROOT / "responses" / "examples").glob("**/*.xlsx"))]
        for source in sources:
            relative = source.relative_to(ROOT)
            self.mkpath(str((target / relative).parent))
            self.copy_file(str(source), str(target / relative))


setup(cmdclass={"build_py": BuildWithBundledData})
