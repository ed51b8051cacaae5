import { graphql } from "../../gql/index.ts";

export const ORDER_FIELDS = graphql(`
  fragment OrderFields on Order {
    clientOrderId
    orderId
    ticker
    side
    yesPrice
    count
    filled
    remaining
    status
    source
    rejectionRule
    rejectionReason
    createdAt
    updatedAt
    realismGap {
      productionBid
      productionAsk
      shadowCount
      actualCount
      gap
      adverseGap
    }
  }
`);

export const ORDERS_QUERY = graphql(`
  query Orders($ticker: String, $openOnly: Boolean!, $first: Int!) {
    orders(ticker: $ticker, openOnly: $openOnly, first: $first) {
      ...OrderFields
    }
  }
`);

export const FILLS_QUERY = graphql(`
  query Fills($ticker: String, $first: Int!) {
    fills(ticker: $ticker, first: $first) {
      tradeId
      orderId
      clientOrderId
      ticker
      side
      yesPrice
      count
      fee
      isTaker
      realizedDelta
      at
    }
  }
`);

/** Any change to our orders; the views refetch their lists on each one. */
export const ORDER_UPDATES_SUBSCRIPTION = graphql(`
  subscription OrderUpdates {
    orderUpdates {
      clientOrderId
      orderId
      ticker
      status
      filled
      remaining
      at
    }
  }
`);

export const FILLS_SUBSCRIPTION = graphql(`
  subscription FillsStream {
    fills {
      tradeId
      orderId
      ticker
      at
    }
  }
`);

export const USER_ERROR_FIELDS = graphql(`
  fragment UserErrorFields on UserError {
    field
    code
    message
    rule
  }
`);

export const PLACE_ORDER_MUTATION = graphql(`
  mutation PlaceOrder($input: PlaceOrderInput!) {
    placeOrder(input: $input) {
      order {
        ...OrderFields
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const CANCEL_ORDER_MUTATION = graphql(`
  mutation CancelOrder($id: String!) {
    cancelOrder(id: $id) {
      order {
        ...OrderFields
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const CANCEL_ALL_MUTATION = graphql(`
  mutation CancelAllOrders($ticker: String) {
    cancelAllOrders(ticker: $ticker) {
      canceled
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);
