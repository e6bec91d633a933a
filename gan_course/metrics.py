"""Quality metrics, one import place for the lessons.

- mode coverage on the 2-D ring/grid (notebook 06): :func:`mode_coverage`, in ``gan_course.modes.coverage``
- MNIST quality (notebooks 08, 09): :func:`load_classifier`, :func:`frechet_distance`,
  :func:`classifier_fid`, :func:`class_histogram`, :func:`balance_floor`, in ``gan_course.mnist.fid``
"""

from gan_course.mnist.fid import (  # noqa: F401
    balance_floor,
    class_histogram,
    classifier_fid,
    frechet_distance,
    load_classifier,
)
from gan_course.modes.coverage import mode_coverage  # noqa: F401
