"""The static full-text search index: terms, index files, cache and the job that makes them."""
