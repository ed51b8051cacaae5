"""`python -m kalshiflow`."""

import sys

from kalshiflow.cli.main import main

sys.exit(main())
