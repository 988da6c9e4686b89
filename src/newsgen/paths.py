"""Every file newsgen keeps under a site's `.newsgen/` folder, named in one place.

Deleting `.newsgen/` must never break a build: each of these is a cache or a record that the
next command can make again (the fetch state and seed index only make fetching more polite;
without the story record, the next build groups the whole archive afresh). Two records keep
what readers see steady, and without them it starts again from the seeds: the permalinks (URLs
through edited titles) and the list origins (page numbers through retention).
"""

from __future__ import annotations

STATE_DIR = ".newsgen"  # beside newsgen.yaml in the site folder

# The build
BUILD_LOCK = "build.lock"  # one build at a time per site (output/lock.py)
BUILD_RECORD = "last-build.json"  # what the last build read, to stop early (fingerprint.py)
PARSE_CACHE = "parse-cache"  # a folder of shards: seed file -> articles (readers/cache.py)
STORY_CACHE = "story-cache.pickle"  # counted terms per article (stories/cache.py)
STORY_RECORD = "story-record.pickle"  # each article's story, to regroup only changes (regroup.py)
STORY_EDITS = "story-edits.pickle"  # what edits changed of that record since (regroup.py)
SEARCH_CACHE = "search-cache.pickle"  # the last search index (search/build.py)
SEARCH_TERMS = "search-terms"  # a folder of shards: index terms per article (search/shelf.py)
OUTPUT_MANIFEST = "output-manifest.pickle"  # digest and signature per output file (staging.py)
MANIFEST_EDITS = "output-manifest-edits.pickle"  # what builds changed of it since (staging.py)
SPARE_RECORD = "spare-record.pickle"  # what the spare site folder holds (output/sparetree.py)
SPARE_LOCK = "spare.lock"  # held while the spare folder is readied
FIRST_SEEN = "first-seen.json"  # when each seed first appeared (readers/firstdates.py)
PERMALINKS = "permalinks.pickle"  # each article's first URL, and moved ones (permalinks.py)
PERMALINKS_JSON = "permalinks.json"  # the same as earlier versions wrote it: read, then replaced
LIST_ORIGINS = "list-origins.json"  # where each list's page 1 begins (render/origins.py)
PLAN_RECORD = "plan-record.pickle"  # the site's shape and articles' digests (render/touched.py)
PLACE_RECORD = "place-record.pickle"  # the placed site, by article key (places.py)
TEMPLATE_CACHE = "jinja-cache"  # compiled templates, keyed by their source (render/theme.py)

# Fetching
FETCH_STATE = "fetch-state.json"  # validators, retry times, items seen (fetch/state.py)
SEED_INDEX = "seed-index.json"  # identities of the seeds on disk (fetch/known.py)
ARCHIVE_INDEX = "archive-index.json"  # the same for archive/, seeds past retention
FEEDS_STATUS = "feeds-status.json"  # each feed's health; also committed beside newsgen.yaml
PAGE_CACHE = "page-cache"  # page URL -> validators, extracted body (fetch/pagecache.py)
