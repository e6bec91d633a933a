"""The course's tooling: the command line, the benchmark, student copies, notebook execution.

No lesson helper imports from here. ``python -m gan_course COMMAND`` runs :func:`gan_course.tools.cli.main`.
"""
