import { graphql } from "../../gql/index.ts";

export const ENVIRONMENT_FIELDS = graphql(`
  fragment EnvironmentFields on ExchangeEnvironment {
    environment
    restUrl
    wsUrl
    keyId
    connection {
      state
      connected
      lastMessageAgeS
      reconnects
      gaps
      resyncs
      messagesReceived
      lastError
    }
  }
`);

export const SYSTEM_FIELDS = graphql(`
  fragment SystemFields on System {
    status
    version
    mode
    traderState
    productionTradingConfirmed
    watchedMarkets
    components {
      name
      state
      detail
    }
    data {
      ...EnvironmentFields
    }
    trading {
      ...EnvironmentFields
    }
  }
`);

export const SYSTEM_QUERY = graphql(`
  query System {
    system {
      ...SystemFields
    }
  }
`);

/** The system now, then on every change: drives the banner and the System page. */
export const SYSTEM_SUBSCRIPTION = graphql(`
  subscription SystemLive {
    systemHealth {
      ...SystemFields
    }
  }
`);

export const RISK_FIELDS = graphql(`
  fragment RiskFields on RiskLimits {
    maxContractsPerMarket
    maxTotalExposure
    maxOpenOrders
    maxOrdersPerSecond
    maxDailyLoss
    minCashReserve
    noNewPositionsBeforeCloseMinutes
    maxBookAgeMs
    killSwitchEngaged
    killSwitchReason
    enforced
  }
`);

export const RISK_QUERY = graphql(`
  query RiskLimits {
    riskLimits {
      ...RiskFields
    }
  }
`);

export const RECORDING_QUERY = graphql(`
  query RecordingSessions {
    recordingSessions(limit: 10) {
      id
      environment
      streamUrl
      status
      startedAt
      endedAt
      lastRowAt
      messages
      rowsWritten
      drops
      marketTickers
    }
  }
`);

export const ENGAGE_KILL_SWITCH = graphql(`
  mutation EngageKillSwitch($reason: String!) {
    engageKillSwitch(reason: $reason) {
      engaged
      reason
      canceled
      userErrors {
        field
        code
        message
      }
    }
  }
`);

export const RELEASE_KILL_SWITCH = graphql(`
  mutation ReleaseKillSwitch($reason: String!) {
    releaseKillSwitch(reason: $reason) {
      engaged
      reason
      canceled
      userErrors {
        field
        code
        message
      }
    }
  }
`);

export const UPDATE_RISK_LIMITS = graphql(`
  mutation UpdateRiskLimits($input: RiskLimitsInput!) {
    updateRiskLimits(input: $input) {
      limits {
        ...RiskFields
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`);
