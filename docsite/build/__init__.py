"""Building a site: the orchestration above the stages (see ARCHITECTURE.md).

- run.py: `build_site`, options in and result out: is there anything to do?
- inputs.py: every file the site is made of, hashed under its input name (docsite.keys).
- site.py: `render_site`, the build's steps in order, each timed for `-v`.
- prepare.py: the loaded site checked before anything is written: names, icons, header links.
- plan.py: which pages are reused and which are rendered, from the keys of docsite.keys.
- files.py: content assets and static files, copied or linked into the output.
- faults.py: faults of the machine, of templates and of output paths, as diagnostics.
- live.py: watch mode's re-rendering of single pages in the served folder.
- result.py: what a build reports back.
"""

from docsite.build.result import BuildResult
from docsite.build.run import build_site
from docsite.context import BuildOptions

__all__ = ["BuildOptions", "BuildResult", "build_site"]
