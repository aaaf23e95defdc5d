"""Pipeline: parameters, notebook runner, provenance and the command line."""
