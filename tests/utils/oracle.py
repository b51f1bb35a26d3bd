"""Oracle test helpers shared by the median property test and the feed state machine."""


def reference_median(values):
    """The median as Chainlink's aggregators compute it: the middle value, or the mean of the two
    middle values truncated toward zero (exactly, for any integer size)."""
    s = sorted(values)
    n = len(s)
    if n % 2:
        return s[n // 2]
    total = s[n // 2 - 1] + s[n // 2]
    return (abs(total) // 2) * (1 if total >= 0 else -1)
