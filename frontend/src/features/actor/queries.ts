import { graphql } from "../../gql/index.ts";

export const ACTOR_QUERY = graphql(`
  query Actor($limit: Int!) {
    actor {
      running
      paused
      selector
      modelVersion
      updates
      steps
      orders
      rejected
      errors
      openBreakers
    }
    actorActions(limit: $limit) {
      id
      actedAt
      ticker
      bookSeq
      action
      selector
      modelVersion
      decisionLatencyUs
      stepLatencyUs
      clientOrderId
      orderId
      orderSide
      orderYesPrice
      orderCount
      outcome
      outcomeDetail
    }
  }
`);

export const PAUSE_ACTOR = graphql(`
  mutation PauseActor($reason: String!) {
    pauseActor(reason: $reason) {
      running
      paused
      userErrors {
        field
        code
        message
      }
    }
  }
`);

export const RESUME_ACTOR = graphql(`
  mutation ResumeActor($reason: String!) {
    resumeActor(reason: $reason) {
      running
      paused
      userErrors {
        field
        code
        message
      }
    }
  }
`);
