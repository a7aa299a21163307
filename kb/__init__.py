"""smtp-kb: the knowledge base of SMTP reply codes."""
