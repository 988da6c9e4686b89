"""Pelican settings for the newsgen benchmark: the same pages newsgen makes from the same corpus.

Content comes from bench/convert_pelican.py; bench/run.py passes the content and output folders.
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent

SITENAME = "World Desk"
SITEURL = "https://example.org/news"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
THEME = str(HERE / "theme")
PLUGIN_PATHS = [str(HERE / "plugins")]
# Neighbour links on article pages and the JSON search index; see plugins/bench_extras.py.
PLUGINS = ["bench_extras"]

ARTICLE_PATHS = ["posts"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["extra/robots.txt"]
EXTRA_PATH_METADATA = {"extra/robots.txt": {"path": "robots.txt"}}

# newsgen's URL scheme: every page is index.html in its own folder.
ARTICLE_URL = "{date:%Y}/{date:%m}/{date:%d}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
TAGS_SAVE_AS = "tags/index.html"
# A source is the article's one category (the feed's host), so category pages are source pages.
CATEGORY_URL = "sources/{slug}/"
CATEGORY_SAVE_AS = "sources/{slug}/index.html"
CATEGORIES_SAVE_AS = "sources/index.html"
YEAR_ARCHIVE_URL = "{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = "{date:%Y}/index.html"
MONTH_ARCHIVE_URL = "{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = "{date:%Y}/{date:%m}/index.html"
DAY_ARCHIVE_URL = "{date:%Y}/{date:%m}/{date:%d}/"
DAY_ARCHIVE_SAVE_AS = "{date:%Y}/{date:%m}/{date:%d}/index.html"
# Pages newsgen does not make.
ARCHIVES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "tags", "categories", "sitemap"]
SITEMAP_SAVE_AS = "sitemap.xml"

DEFAULT_PAGINATION = 20
PAGINATED_TEMPLATES = {"index": None, "tag": None, "category": None, "period_archives": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# Atom for the whole site and for each tag, newest 50, as newsgen; no other feeds.
FEED_DOMAIN = SITEURL
FEED_MAX_ITEMS = 50
FEED_ALL_ATOM = "feed.xml"
TAG_FEED_ATOM = "tags/{slug}/feed.xml"
FEED_ATOM = None
FEED_RSS = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None

# A cold build every time: no content cache to load (Pelican's default, stated for clarity).
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
