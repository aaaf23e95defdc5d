"""Survey stage: codebook, reading, validating and cleaning the export, tables, disclosure."""
