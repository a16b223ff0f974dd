"""The crawl's frontier in one process: hosts in turn (``hostqueue``), pending requests
on disk (``diskqueue``), the scheduler and duplicate filter over them (``scheduler``),
and what makes two URLs one page (``fingerprints``)."""
