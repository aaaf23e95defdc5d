"""Report stage: reading the pipeline's outputs and laying them out as the report."""
