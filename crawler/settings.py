"""Settings for the disclosure-report crawl. Every value here can be overridden
with ``-s NAME=VALUE`` or in a spider's ``custom_settings``.

This module is the one home of every default of the project's components: they
read their settings without fallbacks of their own. The WARC library's defaults
are its own (``archive``) and are only named here.
"""

from archive.background import DEFAULT_QUEUE_MAX_BYTES
from archive.writer import DEFAULT_GZIP_LEVEL, DEFAULT_MAX_SIZE
from crawler import __version__

BOT_NAME = "gov-disclosure-archive"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
# `scrapy crawl` exiting with the crawl's outcome (crawler/run/outcome.py lists the codes)
COMMANDS_MODULE = "crawler.commands"

# --- identity and politeness (government hosts are small servers) ------------
# Who we are and how to reach us; {contact_url} in USER_AGENT is filled from CONTACT_URL.
CONTACT_URL = "https://github.com/gov-disclosure-archive/gov-disclosure-archive"
USER_AGENT = f"gov-disclosure-archive/{__version__} (+{{contact_url}})"
ROBOTSTXT_OBEY = True
ROBOTSTXT_USER_AGENT = BOT_NAME
# Many hosts at once, each slowly: a host waiting out its delay still holds a place in the
# downloader, so the crawl moves at CONCURRENT_REQUESTS / delay (README: National scale).
CONCURRENT_REQUESTS = 512
CONCURRENT_REQUESTS_PER_DOMAIN = 2  # 1 for any host with a delay (extensions/politeness.py)
# Responses held at once, on the wire or waiting for the spider: past it, a request that has
# waited out its delay waits for the spider too (downloadhandlers/budget.py). 0: no cap.
RESPONSE_BUDGET = 64
# Outputs of one callback processed at once: Scrapy starts this many tasks per response.
CONCURRENT_ITEMS = 16
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024  # pages and list APIs
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
ATTACHMENT_MAXSIZE = 200 * 1024 * 1024  # report documents (PDF/DOC/DOCX/OFD...), scans included
# Keep what did arrive of a cut-off download (recorded with WARC-Truncated).
DOWNLOAD_FAIL_ON_DATALOSS = False
DEPTH_LIMIT = 8
REDIRECT_MAX_TIMES = 5
# A refresh inside a <script> is one the script may write, or not, and to a URL it
# computes: the browser's to follow (crawler/discovery/escalation.py), never read as
# text (Scrapy's default, [], follows `'...content="0;url=' + p + '"'` to "+ p +").
METAREFRESH_IGNORE_TAGS = ["script"]
RETRY_TIMES = 2
RETRY_AFTER_MAX = 600  # seconds; a longer Retry-After is not retried
SCOPE_ENABLED = True  # each agency's requests stay on its own hosts
# ... except a list API that an agency's own column page names on a host under these
# domains (provincial site-group search services, e.g. haiyun.jl.gov.cn).
SCOPE_LIST_API_DOMAINS = ["gov.cn"]
AGENCY_MAX_PAGES = 1000  # requests per agency; 0 for no cap (crawler/frontier/budget.py)
CHARSET_CHECK = True  # pages read in the charset of their bytes (crawler/middlewares/charset.py)
# Pages in a row of one URL template (reached by a pager stating no size) that yield no new
# report link, before the template counts as a trap (crawler/discovery/traps.py); 0: never.
TRAP_PAGES = 10
ALLOW_PRIVATE_ADDRESSES = False  # refuse 127.0.0.1, 10.x, 192.168.x... (proxies excepted)

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.scope.AgencyScopeMiddleware": 50,
    # robots.txt refusals as their own exception type (crawler.exceptions.RobotsRefused)
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.robots.RobotsMiddleware": 100,
    "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware": None,
    "crawler.middlewares.useragent.ContactUserAgentMiddleware": 500,
    "crawler.middlewares.retryafter.RetryAfterMiddleware": 560,
    # "too many redirects" as a refusal the agency's account names
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.middlewares.redirect.MetaRefreshMiddleware": 580,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.redirect.RedirectMiddleware": 600,
    # a gzip body cut short says so (the item is partial), instead of a silent short page
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "crawler.middlewares.compression.HttpCompressionMiddleware": 590,
    # a page read in the charset its bytes are in, not one it names that is unknown or wrong
    "crawler.middlewares.charset.CharsetMiddleware": 585,
    # public suffixes from tldextract's bundled list, never fetched (crawler/middlewares/cookies.py)
    "scrapy.downloadermiddlewares.cookies.CookiesMiddleware": None,
    "crawler.middlewares.cookies.OfflineCookiesMiddleware": 700,
    # recrawls: conditional requests, 304s read back from the archive (CRAWL_STATE)
    "crawler.middlewares.revisits.RevisitMiddleware": 740,
    # a resumed run's requests answered from its own WARCs (crawler/extensions/resume.py)
    "crawler.middlewares.replay.ReplayMiddleware": 750,
    "crawler.middlewares.addresses.PrivateAddressMiddleware": 760,
}

SPIDER_MIDDLEWARES = {
    # a page's parsed tree freed when its callback is done, not at the next full gc
    "crawler.middlewares.parsedpages.FreeParsedPagesMiddleware": 10,
    # depth in steps towards reports, not in pages of one list (crawler/middlewares/depth.py)
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    "crawler.middlewares.depth.RoleDepthMiddleware": 900,
}

# --- download: keep the reason phrase for the WARC status line ----------------
# Plain requests the static way (crawler/downloadhandlers/http11.py); a page the discovery
# rules send to the browser through Chromium (crawler/browser/).
DOWNLOAD_HANDLERS = {
    "http": "crawler.browser.BrowserDownloadHandler",
    "https": "crawler.browser.BrowserDownloadHandler",
}

# --- browser (crawler/browser/) ---------------------------------------------------
# auto: the pages crawler/discovery/escalation.py sends (a challenge, a script-only
# navigation, an app shell, a list made by script, an agency that ended with nothing);
# always: also every page on the way to reports; never: none, each one named instead.
BROWSER = "auto"
BROWSER_EXECUTABLE = None  # default: Debian's chromium on the PATH
BROWSER_PAGES = 2  # pages rendering at once
BROWSER_TIMEOUT = 20.0  # seconds a page may take to load and settle
BROWSER_PAGE_REQUESTS = 200  # requests one rendered page may make
BROWSER_CHALLENGE_PASSES = 20  # JavaScript challenges passed per host, at most
# a reader's actions on a rendered start, disclosure or list page (crawler/browser/
# behaviours.py): clicks, choices, pages turned, at most this many and this long; 0: none
BROWSER_ACTIONS = 40
BROWSER_ACTION_TIME = 30.0
# Render requests wait in a slot of their own (their pages' requests in their hosts'),
# where BROWSER_PAGES of them render at once (crawler/browser/handler.py)
DOWNLOAD_SLOTS = {"browser": {"concurrency": 16, "delay": 0}}

# --- archive ------------------------------------------------------------------
EXTENSIONS = {
    "crawler.extensions.warc.WarcCapture": 100,  # repairs what a killed crawl left open
    "crawler.extensions.resume.CrawlResume": 110,  # with JOBDIR: resume from the WARCs
    "crawler.run.start.RunStart": 120,  # feeds writable; another run's feed kept, not overwritten
    # every agency's account kept from Scrapy's signals (budget, losses, items)
    "crawler.extensions.accounts.AgencyBookkeeping": 150,
    "crawler.extensions.summary.CrawlSummary": 200,
    "crawler.extensions.progress.CrawlProgress": 210,
    "crawler.extensions.status.CrawlStatus": 220,  # status.json beside the summary
    "crawler.extensions.unresolved.QuietDnsErrors": 230,  # a DNS failure: one line an agency
    "crawler.extensions.politeness.DelayFromResponse": 300,
    "crawler.extensions.memory.MemoryTrim": 310,  # freed heap back to the system (glibc)
    "crawler.distributed.extension.DistributedCrawl": 400,  # with REDIS_URL only
}
# Several workers, one crawl (crawler/distributed/): set REDIS_URL=redis://HOST:PORT.
REDIS_URL = None
FRONTIER = None  # the crawl's name in Redis; default <spider>:<UTC date>
FRONTIER_TTL = 30.0  # seconds after its last heartbeat a worker's agencies go to others
FRONTIER_CLAIM = 16  # agencies claimed a second while a worker has room
FRONTIER_CAPACITY = 512  # agencies a worker crawls at once
REDIS_OUTAGE_MAX = 600  # seconds a worker waits for its Redis to come back before giving up
DELAY_FROM_RESPONSE = True  # a host's delay counts from its last answer (extensions/politeness.py)
MEMORY_TRIM_INTERVAL = 30  # seconds between giving freed heap back (extensions/memory.py); 0 off
CRAWL_SUMMARY_FILE = None  # default: named after the feed (items.summary.json) or the run
CRAWL_PROGRESS = None  # seconds between progress lines: None 5 at a terminal, else 60; 0 none
CRAWL_STATUS = 5  # seconds between rewrites of the status file (extensions/status.py); 0 none
CRAWL_STATUS_FILE = None  # default: beside the summary (items.status.json)
WARC_ENABLED = True
WARC_DIR = "var/warc"
WARC_PREFIX = None  # default: the spider's name
WARC_MAX_SIZE = DEFAULT_MAX_SIZE  # 1 GiB
WARC_GZIP_LEVEL = DEFAULT_GZIP_LEVEL  # 3: ~2x faster than 6 for ~13% more bytes; see bench/
WARC_OPERATOR = ""
WARC_DESCRIPTION = ("Chinese government information-disclosure annual reports "
                    "(政府信息公开工作年度报告)")
# What the archive holds per URL, for recrawls (conditional requests, revisit records,
# report versions). None: WARC_DIR/crawl-state.sqlite, the state of that collection;
# empty: none. `python -m archive state rebuild WARC_DIR` remakes its captures.
CRAWL_STATE = None  # or redis://HOST:PORT/DB (default with REDIS_URL: crawler/distributed/state.py)
CRAWL_STATE_KEY = None  # its keys' prefix in Redis; default crawl-state:<WARC_DIR's full path>
WARC_QUEUE_MAX_BYTES = DEFAULT_QUEUE_MAX_BYTES  # 256 MiB of bodies waiting for the writer

# Scrapy's job state is not kept in JOBDIR: a resumed run is replayed from its WARCs
# (crawler/extensions/resume.py), Scrapy's own queue does not survive kill -9.
SCHEDULER = "crawler.frontier.scheduler.RunScheduler"
DUPEFILTER_CLASS = "crawler.frontier.scheduler.RunDupeFilter"
# With JOBDIR, pending requests and the duplicate filter's fingerprints are on disk
# (JOBDIR/frontier.sqlite, made new by each run), all but what cannot be pickled
# (crawler/frontier/diskqueue.py).
SCHEDULER_MEMORY_QUEUE = "crawler.frontier.diskqueue.SpillingLifoQueue"
PENDING_ON_DISK = True
# Next request from the host with the fewest in the downloader, and only for a host with
# room: waiting hosts must not fill the downloader (crawler/frontier/hostqueue.py).
SCHEDULER_PRIORITY_QUEUE = "crawler.frontier.hostqueue.PoliteHostQueue"
# The same page linked as /x/, /x/index.html, ;jsessionid=..., ?_t=<timestamp>: fetched once.
REQUEST_FINGERPRINTER_CLASS = "crawler.frontier.fingerprints.UrlKeyFingerprinter"

# --- items ----------------------------------------------------------------------
ITEM_PIPELINES = {
    "crawler.pipelines.changes.ChangePipeline": 950,
}
FEED_EXPORT_ENCODING = "utf-8"
# One JSON Lines file and one flat CSV per run, named by its id (-o/-O replace them).
FEEDS = {
    "var/items/%(run_id)s.jsonl": {"format": "jsonlines"},
    "var/items/%(run_id)s.csv": {"format": "csv"},
}
FEED_URI_PARAMS = "crawler.run.feed_uri_params"

LOG_LEVEL = "INFO"
EXTRACT_PROCESSES = 1  # worker processes reading PDFs, DOCs, pages when idle; 0: inline
EXTRACT_TIMEOUT = 600  # seconds per document (an OCR'd scan takes ~4 s a page)
EXTRACT_MEMORY_LIMIT = 6 * 1024**3  # address space per worker (OCR peaks near 2 GiB); 0: none
EXTRACT_INLINE_MAX = 512 * 1024  # report pages above this always go to a worker (~1 s/MB)
EXTRACT_PAGES_WHEN_IDLE = True  # smaller report pages too, when a worker is idle
# Seconds every worker may be on one document before one more is started (at most
# EXTRACT_EXTRA_PROCESSES more): a flate bomb or a long scan never holds the others back.
EXTRACT_SLOW = 30
EXTRACT_EXTRA_PROCESSES = 2
# Bytes of responses Scrapy's scraper holds before it stops taking more: Scrapy's 5 MB is a
# couple of PDFs waiting for a worker, after which no agency's download goes on.
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 64 * 1024 * 1024
# CSV feeds: one column per statistics cell (crawler/exporters.py documents the names).
FEED_EXPORTERS = {"csv": "crawler.exporters.FlatCsvItemExporter"}
