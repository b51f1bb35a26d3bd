"""The carbon price oracle (``contracts/oracle/``): one Chainlink-compatible CarbonPriceFeed per
market, the MarketRegistry, quote sources and the operators' feeder."""

from .feeder import Decision, Feeder
from .feeds import ROUND_STATES, Feed, FeedStatus, PriceFeeds, RoundInfo, SignedQuote, TrailQuote, decode_trail
from .markets import DEFAULT_MARKETS, MarketSpec, code_str, from_price, market_code, spec_of, to_price
from .quotes import Quote, QuoteSource, latest_quotes, open_source, register_source

__all__ = [
    "Decision", "Feeder", "ROUND_STATES", "Feed", "FeedStatus", "PriceFeeds", "RoundInfo", "SignedQuote",
    "TrailQuote", "decode_trail",
    "DEFAULT_MARKETS", "MarketSpec", "code_str", "from_price", "market_code", "spec_of", "to_price",
    "Quote", "QuoteSource", "latest_quotes", "open_source", "register_source",
]
