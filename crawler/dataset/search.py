"""Full-text search over the reports' titles and text, for Chinese words.

FTS5's default tokenizer splits on spaces and punctuation, so a Chinese sentence is
one token and no word inside it is found. The ``trigram`` tokenizer (SQLite 3.34+)
indexes every three characters, which finds any word of three characters or more
anywhere in running text (行政复议, 不予公开). Two-character words (复议, 申请) are
shorter than a trigram and FTS5 finds nothing for them, so the canned query checks
those with ``instr`` on the rows the longer words found, or on every text when all
the words are short (a scan, still well under a second for the archive's reports).
"""

from __future__ import annotations

import sqlite3

import sqlite_utils

__all__ = ["FTS_TABLE", "MIN_SQLITE", "SEARCH_QUERY", "enable_search"]

MIN_SQLITE = (3, 34, 0)  # the trigram tokenizer
FTS_TABLE = "texts_fts"

# :words, split on spaces (an ideographic space too); every word must appear in the
# title or text of a report's latest version. Words of 3+ characters go to FTS5 as
# quoted phrases (so no word is read as FTS syntax); '""' matches nothing when there
# are none, as MATCH NULL is an error. The snippet shows the longest word in 【】.
SEARCH_QUERY = """with recursive split(word, rest) as (
    select '', trim(replace(:words, '　', ' ')) || ' '
    union all
    select substr(rest, 1, instr(rest, ' ') - 1), ltrim(substr(rest, instr(rest, ' ') + 1))
    from split where rest != ''),
words as (select distinct lower(word) as word from split where word != ''),
indexed as (select group_concat('"' || replace(word, '"', '""') || '"', ' AND ') as phrases
    from words where length(word) >= 3),
found as (
    select rowid as version_id from texts_fts
    where texts_fts match (select coalesce(phrases, '""') from indexed)
    union all
    select version_id from texts where (select phrases from indexed) is null
    and exists (select 1 from words)),
focus as (select word from words order by length(word) desc, word limit 1),
hits as (select t.version_id, t.text, max(1, instr(lower(t.text), f.word) - 24) as start,
    f.word from found join texts t on t.version_id = found.version_id cross join focus f
    where not exists (select 1 from words w
        where instr(lower(coalesce(t.title, '') || char(10) || coalesce(t.text, '')),
                    w.word) = 0))
select v.agency, v.province, v.year, v.title,
    case when h.start > 1 then '…' else '' end
    || replace(replace(replace(substr(h.text, h.start, 72), char(10), ' '), char(13), ''),
               h.word, '【' || h.word || '】')
    || case when length(h.text) >= h.start + 72 then '…' else '' end as snippet,
    v.url, v.agency_pinyin, v.province_en, v.version_id
from hits h join versions v on v.version_id = h.version_id and v.is_latest = 1
order by v.year desc, v.province, v.agency, v.url"""


def enable_search(db: sqlite_utils.Database) -> None:
    """The FTS5 index of ``texts`` (title, text), filled from its rows: the dataset is
    built whole and never written again, so no triggers."""
    if sqlite3.sqlite_version_info < MIN_SQLITE:
        raise RuntimeError(f"SQLite {sqlite3.sqlite_version} has no trigram tokenizer: "
                           "full-text search of Chinese needs SQLite 3.34 or later")
    db["texts"].enable_fts(["title", "text"], tokenize="trigram")  # type: ignore[union-attr]
