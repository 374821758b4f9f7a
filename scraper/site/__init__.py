"""Site: URLs, escaping, page views, the generated MkDocs config, the feed, and the MkDocs build."""
