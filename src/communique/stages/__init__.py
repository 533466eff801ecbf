"""The extraction stages, one module each, in pipeline order."""

from ..prebuilt import seed_regex_cache

# Before any stage imports spaCy's French data, which compiles a 1.4 MB regex (see prebuilt).
seed_regex_cache()
