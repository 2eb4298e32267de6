#!/bin/bash
# Fills /tmp/q28/sqlite.db and the PostgreSQL database q28 (both created empty by the viewer) with 1 M spans by SQL,
# with the text indexes dropped first; the schema version is set back so the viewer's own migration rebuilds the
# rollups and the text indexes at its next start (the retention step's column is dropped so that step can run again).
# The sqlite3 shell (3.40) cannot read span_text's contentless_delete option: its DROP TABLE fails, the triggers are
# dropped, and the viewer's migration fills the empty table. Start the viewer on PostgreSQL with ";Command Timeout=0"
# for that first start: its migration runs statements longer than Npgsql's default 30 s at a million spans.
cd "${Q28:-/tmp/q28}"  # the stores and these files
( t=$(date +%s)
  sqlite3 sqlite.db "DROP TRIGGER span_text_before_insert; DROP TRIGGER span_text_after_insert; DROP TRIGGER span_text_after_update; DROP TRIGGER span_text_after_delete; DROP TABLE span_text;"
  sqlite3 sqlite.db < fill-sqlite.sql && sqlite3 sqlite.db "ALTER TABLE traces DROP COLUMN size_bytes; PRAGMA user_version = 6; PRAGMA wal_checkpoint(TRUNCATE);"
  echo "sqlite fill $(( $(date +%s) - t )) s" ) > fill-sqlite.log 2>&1 &
( t=$(date +%s); PSQL="/usr/lib/postgresql/15/bin/psql -h 127.0.0.1 -p 55828 -U viewer -d q28 -v ON_ERROR_STOP=1"
  $PSQL -c "DROP INDEX spans_by_text; DROP INDEX spans_by_name_token;" && $PSQL -f fill-postgres.sql && $PSQL -c "ALTER TABLE traces DROP COLUMN size_bytes; UPDATE mirascope_viewer_schema SET version = 3"
  echo "pg fill $(( $(date +%s) - t )) s" ) > fill-pg.log 2>&1 &
wait
