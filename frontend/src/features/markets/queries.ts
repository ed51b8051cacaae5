import { graphql } from "../../gql/index.ts";

export const MARKETS_QUERY = graphql(`
  query Markets($filter: MarketFilter, $sort: MarketSort!, $first: Int!, $after: String) {
    markets(filter: $filter, sort: $sort, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ticker
        title
        subtitle
        status
        closeTime
        volume
        volume24h
        openInterest
        lastPrice
        watched
        stats {
          bestYesBid
          bestYesAsk
          bookLevels
        }
      }
    }
  }
`);

/** Demo's top of book for the markets on screen (REST on the backend, cached 1 s). */
export const DEMO_TOPS_QUERY = graphql(`
  query DemoTops($ticker: String!) {
    market(ticker: $ticker) {
      ticker
      demoOrderbook(depth: 1) {
        environment
        bestYesBid
        bestYesAsk
      }
    }
  }
`);

export const MARKET_TICKERS_SUBSCRIPTION = graphql(`
  subscription MarketTickers($tickers: [String!]) {
    marketTickers(tickers: $tickers) {
      ticker
      lastPrice
      yesBid
      yesAsk
      volume
      openInterest
      at
    }
  }
`);
