import { graphql } from "../../gql/index.ts";

export const PORTFOLIO_FIELDS = graphql(`
  fragment PortfolioFields on Portfolio {
    balance
    cash
    reserved
    available
    value
    realized
    unrealizedProduction
    unrealizedDemo
    feesPaid
    reason
    at
    positions {
      ticker
      position
      cost
      averageCost
      realized
      feesPaid
      unrealizedProduction
      unrealizedDemo
    }
  }
`);

export const PORTFOLIO_QUERY = graphql(`
  query Portfolio {
    portfolio {
      ...PortfolioFields
    }
    portfolioHistory(first: 500) {
      at
      value
      balance
    }
  }
`);

export const PORTFOLIO_SUBSCRIPTION = graphql(`
  subscription PortfolioLive {
    portfolio {
      ...PortfolioFields
    }
  }
`);
