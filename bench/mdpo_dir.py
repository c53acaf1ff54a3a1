"""mdpo over a whole folder in one process, through its Python API.

mdpo's ``md2po``/``po2md`` console scripts share their names with Translate Toolkit's, and
whichever package was installed last owns them, so the benchmark never calls them by name.

    python bench/mdpo_dir.py extract SRCDIR PODIR
    python bench/mdpo_dir.py build SRCDIR PODIR OUTDIR
"""

import sys
from pathlib import Path

from mdpo.md2po import markdown_to_pofile
from mdpo.po2md import pofile_to_markdown


def main() -> None:
    """Extract every SRCDIR/*.md to PODIR/*.po, or rebuild them into OUTDIR."""
    action, src, podir = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    podir.mkdir(parents=True, exist_ok=True)
    for source in sorted(src.glob("*.md")):
        po = podir / (source.stem + ".po")
        if action == "extract":
            markdown_to_pofile(str(source), po_filepath=str(po), save=True)
        else:
            out = Path(sys.argv[4])
            out.mkdir(parents=True, exist_ok=True)
            pofile_to_markdown(str(source), str(po), save=str(out / source.name))


if __name__ == "__main__":
    main()
