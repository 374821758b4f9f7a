"""Ingest: fetch upstream's pages (bounded), parse each form into copies, merge the copies, guard against lost codes."""
