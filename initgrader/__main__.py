import sys

from initgrader.cli import main

sys.exit(main())
