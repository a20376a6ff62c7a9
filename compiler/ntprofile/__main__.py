import sys

from ntprofile.cli import main

sys.exit(main())
