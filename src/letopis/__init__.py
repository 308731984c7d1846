"""letopis: an evidence-linked chronicle of protest and repression events from reports."""
__version__ = "0.1.0"
