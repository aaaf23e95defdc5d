"""Survey stage: questionnaire codebook, reading, validating and cleaning the export, synthetic data, tables and disclosure control."""
