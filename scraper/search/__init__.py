"""Search: the index the site ships, and the run-time resolver that mirrors resolver.js."""
