"""Indexed search over Chinese and mixed text, shared by every app that searches words.

`tokens` turns text into index tokens and a query into phrases (pure Python); `index` keeps
a table's token columns in the database's own full-text index and renders a query for it
(SQLite FTS5, PostgreSQL tsvector + GIN). An app owns a table of token columns, fills it when
its rows are written, and asks `TextIndex.matching` for the keys of the rows that match."""
