import { graphql } from "../../gql/index.ts";

export const BOOK_DEPTH = 15;

export const MARKET_QUERY = graphql(`
  query MarketDetail($ticker: String!, $depth: Int!) {
    market(ticker: $ticker) {
      ticker
      eventTicker
      title
      subtitle
      status
      closeTime
      lastPrice
      volume
      volume24h
      openInterest
      watched
      priceRanges {
        start
        end
        step
      }
      orderbook(depth: $depth) {
        ...BookFields
      }
      recentTrades(limit: 50) {
        tradeId
        createdTime
        count
        yesPrice
        takerSide
      }
    }
  }
`);

export const BOOK_FIELDS = graphql(`
  fragment BookFields on Orderbook {
    ticker
    environment
    source
    ready
    yesBids {
      price
      size
    }
    noBids {
      price
      size
    }
    seq
    updatedAt
  }
`);

/** Demo's book: where our orders rest. Polled (the backend reads it over REST, cached 1 s). */
export const DEMO_BOOK_QUERY = graphql(`
  query DemoBook($ticker: String!, $depth: Int!) {
    market(ticker: $ticker) {
      ticker
      demoOrderbook(depth: $depth) {
        ...BookFields
      }
    }
  }
`);

export const ORDERBOOK_SUBSCRIPTION = graphql(`
  subscription LiveOrderbook($ticker: String!, $depth: Int!) {
    orderbook(ticker: $ticker, depth: $depth) {
      ...BookFields
    }
  }
`);

export const MARKET_TICKER_SUBSCRIPTION = graphql(`
  subscription MarketTicker($tickers: [String!]) {
    marketTickers(tickers: $tickers) {
      ticker
      lastPrice
      at
    }
  }
`);
