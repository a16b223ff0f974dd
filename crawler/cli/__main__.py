"""``python -m crawler.cli``: the ``gov-archive`` command without installing it."""

import sys

from .main import main

sys.exit(main())
