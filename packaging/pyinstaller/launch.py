"""Entry script of the frozen builds: the same dispatch as ``python -m desktop_ocr``.

Two things only a frozen build needs: ``--pip ARGS`` runs the bundled pip (it installs the GPU
add-on, see desktop_ocr/gpu_addon.py), and a finished GPU add-on is put on ``sys.path`` first.
"""

import sys

from desktop_ocr import gpu_addon

if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == gpu_addon.FROZEN_PIP_FLAG:
        sys.exit(gpu_addon.run_frozen_pip(sys.argv[2:]))
    gpu_addon.activate()
    from desktop_ocr.__main__ import main

    sys.exit(main())
