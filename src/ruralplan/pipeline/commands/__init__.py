"""Sub-commands of the ``ruralplan`` command line, one module each."""
