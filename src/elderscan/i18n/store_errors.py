"""Why the database cannot be used (`store.DatabaseError`), as a command says it. The English
is also the exception's own text (logs, and the tests that read it)."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "store.err.unusable": ("无法使用数据库 {url}：{detail}",
                           "cannot use the database {url}: {detail}"),
    "store.err.damaged": ("文件已损坏（quick_check：{problem}）",
                          "the file is damaged (quick_check: {problem})"),
    "store.err.not_at": ("数据库的版本是 {revision}，不是 {want}：请运行 `elderscan db upgrade`",
                         "the database is at {revision}, not {want}: run `elderscan db upgrade`"),
    "store.err.no_revision": ("数据库还没有版本，需要 {want}：请运行 `elderscan db upgrade`",
                              "the database is at no revision, not {want}: run "
                              "`elderscan db upgrade`"),
    "store.err.empty": ("数据库是空的，这个 elderscan 需要版本 {want}：请运行 "
                        "`elderscan db upgrade`",
                        "the database is empty, this elderscan needs {want}: run "
                        "`elderscan db upgrade`"),
    "store.err.behind": ("数据库的版本是 {revision}，这个 elderscan 需要 {want}：请运行 "
                         "`elderscan db upgrade`",
                         "the database is at revision {revision}, this elderscan needs {want}: "
                         "run `elderscan db upgrade`"),
    "store.err.foreign": ("数据库的 {table} 表里有 {count} 个版本（{revisions}），而 elderscan "
                          "只记一个：这是别的应用的数据库吗？",
                          "the database's {table} table holds {count} revisions ({revisions}) "
                          "where elderscan keeps one: is it another application's database?"),
    "store.err.bad_url": ("不是数据库地址：{url}", "not a database URL: {url}"),
    "store.err.folder": ("无法创建 {database} 所在的文件夹：{reason}",
                         "cannot create the folder of {database}: {reason}"),
    "store.err.unsupported_url": ("不支持的数据库地址 {url}：{reason}",
                                  "unsupported database URL {url}: {reason}"),
    "store.err.unsupported": ("不支持的数据库 {name}：elderscan 只能用 SQLite 或 PostgreSQL",
                              "unsupported database {name}: elderscan runs on SQLite or "
                              "PostgreSQL"),
    "store.err.lost_scan": ("写入检测时发生冲突，却找不到已有的检测",
                            "scan insert conflicted but no scan was found"),
}
