"""``python -m gan_course bench``: DCGAN training throughput and time to quality.

- :mod:`~gan_course.tools.bench.reference`: the pytorch/examples ``dcgan/main.py`` as a user runs it;
- :mod:`~gan_course.tools.bench.loops`: the course's DCGAN in a plain loop and in the fast loop, and the timer;
- :mod:`~gan_course.tools.bench.quality`: time to equal classifier-FID, and a fixed-time run of the fast recipe;
- :mod:`~gan_course.tools.bench.command`: the command itself.
"""
