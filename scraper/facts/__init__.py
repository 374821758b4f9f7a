"""Facts derived from the catalog: text rules and ccxt's exceptions, cross-links, and the filters' rule checkers."""
