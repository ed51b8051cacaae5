import { graphql } from "../../gql/index.ts";

export const ACTION_FIELDS = graphql(`
  fragment ActionFields on ActorActionEntry {
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
`);

/** The actor's status and counters (polled: they change with every step). */
export const ACTOR_QUERY = graphql(`
  query Actor {
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
      throttleMs
      contractSize
      targetMarketMode
      targetMarkets
    }
  }
`);

/** The decision log so far, newest first; the stream below continues it. */
export const ACTOR_LOG_QUERY = graphql(`
  query ActorLog($limit: Int!) {
    actorActions(limit: $limit) {
      ...ActionFields
    }
  }
`);

export const ACTOR_STREAM = graphql(`
  subscription ActorStream {
    actorActions {
      ...ActionFields
    }
  }
`);

export const ACTOR_PAYLOAD_FIELDS = graphql(`
  fragment ActorPayloadFields on ActorPayload {
    running
    paused
    userErrors {
      field
      code
      message
    }
  }
`);

export const PAUSE_ACTOR = graphql(`
  mutation PauseActor($reason: String!) {
    pauseActor(reason: $reason) {
      ...ActorPayloadFields
    }
  }
`);

export const RESUME_ACTOR = graphql(`
  mutation ResumeActor($reason: String!) {
    resumeActor(reason: $reason) {
      ...ActorPayloadFields
    }
  }
`);

export const START_ACTOR = graphql(`
  mutation StartActor {
    startActor {
      ...ActorPayloadFields
    }
  }
`);

export const CONFIGURE_ACTOR = graphql(`
  mutation ConfigureActor($input: ActorConfigInput!) {
    configureActor(input: $input) {
      ...ActorPayloadFields
    }
  }
`);
