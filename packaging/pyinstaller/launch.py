"""Entry script of the frozen builds: the same dispatch as ``python -m desktop_ocr``.

What only a frozen build needs here: ``--pip ARGS`` runs the bundled pip (it installs the GPU add-on,
see desktop_ocr/setup/gpu_addon.py), a finished GPU add-on is put on ``sys.path`` first, ``--smoke-test
FILE...`` runs the GUI smoke test (desktop_ocr/smoke.py), and ``install-desktop`` is dispatched here
too in case desktop_ocr/__main__.py does not know it.
"""

import sys

from desktop_ocr.setup import gpu_addon

if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == [gpu_addon.FROZEN_PIP_FLAG]:
        sys.exit(gpu_addon.run_frozen_pip(args[1:]))
    gpu_addon.activate()
    if args[:1] == ["--smoke-test"]:
        from desktop_ocr.smoke import main as smoke_main

        sys.exit(smoke_main(args[1:]))
    if args[:1] == ["install-desktop"]:
        from desktop_ocr.desktop_integration import main as install_main

        sys.exit(install_main(args[1:]))
    from desktop_ocr.__main__ import main

    sys.exit(main())
