"""docsite's benchmark: generated corpora, cold and incremental builds, ratios in one run."""
