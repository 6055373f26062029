"""``python -m glossary``: the command line (:mod:`glossary.cli`)."""

import sys

from .cli import main

sys.exit(main())
