"""One crawl run: its id and attempt, how it closes, and what its exit code says."""

from .record import Run, attempt_name, feed_paths, feed_uri_params, new_run_id, summary_path

__all__ = ["Run", "attempt_name", "feed_paths", "feed_uri_params", "new_run_id",
           "summary_path"]
