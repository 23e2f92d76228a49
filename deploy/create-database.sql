-- Run once as the PostgreSQL superuser:  sudo -u postgres psql -v app_password="'...'" -f create-database.sql
-- Creates the role and database that CaseExchange uses. The service creates and migrates its own schema
-- ("caseexchange") at start-up, so the role owns its database but has no other right on the server.

\set ON_ERROR_STOP on

CREATE ROLE caseexchange LOGIN PASSWORD :app_password
    NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION;

CREATE DATABASE caseexchange OWNER caseexchange ENCODING 'UTF8' TEMPLATE template0;

\connect caseexchange
REVOKE ALL ON SCHEMA public FROM PUBLIC;
REVOKE CONNECT ON DATABASE caseexchange FROM PUBLIC;
GRANT CONNECT ON DATABASE caseexchange TO caseexchange;

-- Durability as CaseExchange expects it: an acknowledged write survives a crash.
ALTER DATABASE caseexchange SET synchronous_commit = on;
-- Lets PostgreSQL notice a crashed node quickly, so that another node takes over the projection daemon.
ALTER DATABASE caseexchange SET client_connection_check_interval = '1s';

-- Erasure reaches the disk (README, "Erasure and backups"): after erasing, the service rewrites its key table, switches
-- to a new WAL segment and checkpoints, so that older segments holding an erased key are removed. Deleted, not renamed
-- for reuse with their old bytes inside:
ALTER SYSTEM SET wal_recycle = off;
SELECT pg_reload_conf();
GRANT pg_checkpoint TO caseexchange;
GRANT EXECUTE ON FUNCTION pg_switch_wal() TO caseexchange;
