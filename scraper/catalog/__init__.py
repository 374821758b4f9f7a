"""Catalog: the data model, its JSON store and schema checks, the changelog, the curated guidance, the filters page, and the inputs value."""
