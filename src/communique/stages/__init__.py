"""The extraction stages, one module each, in pipeline order."""
