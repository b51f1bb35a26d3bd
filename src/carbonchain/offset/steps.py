"""The offset domain's scenario steps."""
