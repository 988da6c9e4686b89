"""Read seed files of every format into articles (detection, one module per format, cache)."""
