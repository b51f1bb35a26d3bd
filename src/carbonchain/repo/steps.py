"""The repo domain's scenario steps."""
