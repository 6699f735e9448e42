"""docsite: a fast static documentation site generator that authors like Retype."""

__version__ = "0.1.0"
