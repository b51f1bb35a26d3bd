"""The fund domain's scenario steps."""
