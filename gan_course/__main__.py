import sys

from gan_course.tools.cli import main

sys.exit(main())
