"""Reproducible research package for a survey and interview study of rural community strategies.

The modules follow the pipeline: :mod:`ruralplan.io` reads and writes files, the other
modules are pure functions over tables (cleaning, tabulating, coding, testing, reporting).
"""

__version__ = "0.1.0"
