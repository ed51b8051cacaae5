/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment ActionFields on ActorActionEntry {\n    id\n    actedAt\n    ticker\n    bookSeq\n    action\n    selector\n    modelVersion\n    decisionLatencyUs\n    stepLatencyUs\n    clientOrderId\n    orderId\n    orderSide\n    orderYesPrice\n    orderCount\n    outcome\n    outcomeDetail\n  }\n": typeof types.ActionFieldsFragmentDoc,
    "\n  query Actor {\n    actor {\n      running\n      paused\n      selector\n      modelVersion\n      updates\n      steps\n      orders\n      rejected\n      errors\n      openBreakers\n      throttleMs\n      contractSize\n      targetMarketMode\n      targetMarkets\n    }\n  }\n": typeof types.ActorDocument,
    "\n  query ActorLog($limit: Int!) {\n    actorActions(limit: $limit) {\n      ...ActionFields\n    }\n  }\n": typeof types.ActorLogDocument,
    "\n  subscription ActorStream {\n    actorActions {\n      ...ActionFields\n    }\n  }\n": typeof types.ActorStreamDocument,
    "\n  fragment ActorPayloadFields on ActorPayload {\n    running\n    paused\n    userErrors {\n      field\n      code\n      message\n    }\n  }\n": typeof types.ActorPayloadFieldsFragmentDoc,
    "\n  mutation PauseActor($reason: String!) {\n    pauseActor(reason: $reason) {\n      ...ActorPayloadFields\n    }\n  }\n": typeof types.PauseActorDocument,
    "\n  mutation ResumeActor($reason: String!) {\n    resumeActor(reason: $reason) {\n      ...ActorPayloadFields\n    }\n  }\n": typeof types.ResumeActorDocument,
    "\n  mutation StartActor {\n    startActor {\n      ...ActorPayloadFields\n    }\n  }\n": typeof types.StartActorDocument,
    "\n  mutation ConfigureActor($input: ActorConfigInput!) {\n    configureActor(input: $input) {\n      ...ActorPayloadFields\n    }\n  }\n": typeof types.ConfigureActorDocument,
    "\n  query MarketDetail($ticker: String!, $depth: Int!) {\n    market(ticker: $ticker) {\n      ticker\n      eventTicker\n      title\n      subtitle\n      status\n      closeTime\n      lastPrice\n      volume\n      volume24h\n      openInterest\n      watched\n      priceRanges {\n        start\n        end\n        step\n      }\n      orderbook(depth: $depth) {\n        ...BookFields\n      }\n      recentTrades(limit: 50) {\n        tradeId\n        createdTime\n        count\n        yesPrice\n        takerSide\n      }\n    }\n  }\n": typeof types.MarketDetailDocument,
    "\n  fragment BookFields on Orderbook {\n    ticker\n    environment\n    source\n    ready\n    yesBids {\n      price\n      size\n    }\n    noBids {\n      price\n      size\n    }\n    seq\n    updatedAt\n  }\n": typeof types.BookFieldsFragmentDoc,
    "\n  query DemoBook($ticker: String!, $depth: Int!) {\n    market(ticker: $ticker) {\n      ticker\n      demoOrderbook(depth: $depth) {\n        ...BookFields\n      }\n    }\n  }\n": typeof types.DemoBookDocument,
    "\n  subscription LiveOrderbook($ticker: String!, $depth: Int!) {\n    orderbook(ticker: $ticker, depth: $depth) {\n      ...BookFields\n    }\n  }\n": typeof types.LiveOrderbookDocument,
    "\n  subscription MarketTicker($tickers: [String!]) {\n    marketTickers(tickers: $tickers) {\n      ticker\n      lastPrice\n      at\n    }\n  }\n": typeof types.MarketTickerDocument,
    "\n  query Markets($filter: MarketFilter, $sort: MarketSort!, $first: Int!, $after: String) {\n    markets(filter: $filter, sort: $sort, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ticker\n        title\n        subtitle\n        status\n        closeTime\n        volume\n        volume24h\n        openInterest\n        lastPrice\n        watched\n        stats {\n          bestYesBid\n          bestYesAsk\n          bookLevels\n        }\n      }\n    }\n  }\n": typeof types.MarketsDocument,
    "\n  query DemoTops($ticker: String!) {\n    market(ticker: $ticker) {\n      ticker\n      demoOrderbook(depth: 1) {\n        environment\n        bestYesBid\n        bestYesAsk\n      }\n    }\n  }\n": typeof types.DemoTopsDocument,
    "\n  subscription MarketTickers($tickers: [String!]) {\n    marketTickers(tickers: $tickers) {\n      ticker\n      lastPrice\n      yesBid\n      yesAsk\n      volume\n      openInterest\n      at\n    }\n  }\n": typeof types.MarketTickersDocument,
    "\n  fragment OrderFields on Order {\n    clientOrderId\n    orderId\n    ticker\n    side\n    yesPrice\n    count\n    filled\n    remaining\n    status\n    source\n    rejectionRule\n    rejectionReason\n    createdAt\n    updatedAt\n    realismGap {\n      productionBid\n      productionAsk\n      shadowCount\n      actualCount\n      gap\n      adverseGap\n    }\n  }\n": typeof types.OrderFieldsFragmentDoc,
    "\n  query Orders($ticker: String, $openOnly: Boolean!, $first: Int!) {\n    orders(ticker: $ticker, openOnly: $openOnly, first: $first) {\n      ...OrderFields\n    }\n  }\n": typeof types.OrdersDocument,
    "\n  query Fills($ticker: String, $first: Int!) {\n    fills(ticker: $ticker, first: $first) {\n      tradeId\n      orderId\n      clientOrderId\n      ticker\n      side\n      yesPrice\n      count\n      fee\n      isTaker\n      realizedDelta\n      at\n    }\n  }\n": typeof types.FillsDocument,
    "\n  subscription OrderUpdates {\n    orderUpdates {\n      clientOrderId\n      orderId\n      ticker\n      status\n      filled\n      remaining\n      at\n    }\n  }\n": typeof types.OrderUpdatesDocument,
    "\n  subscription FillsStream {\n    fills {\n      tradeId\n      orderId\n      ticker\n      at\n    }\n  }\n": typeof types.FillsStreamDocument,
    "\n  fragment UserErrorFields on UserError {\n    field\n    code\n    message\n    rule\n  }\n": typeof types.UserErrorFieldsFragmentDoc,
    "\n  mutation PlaceOrder($input: PlaceOrderInput!) {\n    placeOrder(input: $input) {\n      order {\n        ...OrderFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.PlaceOrderDocument,
    "\n  mutation CancelOrder($id: String!) {\n    cancelOrder(id: $id) {\n      order {\n        ...OrderFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.CancelOrderDocument,
    "\n  mutation CancelAllOrders($ticker: String) {\n    cancelAllOrders(ticker: $ticker) {\n      canceled\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": typeof types.CancelAllOrdersDocument,
    "\n  fragment PortfolioFields on Portfolio {\n    balance\n    cash\n    reserved\n    available\n    value\n    realized\n    unrealizedProduction\n    unrealizedDemo\n    feesPaid\n    reason\n    at\n    positions {\n      ticker\n      position\n      cost\n      averageCost\n      realized\n      feesPaid\n      unrealizedProduction\n      unrealizedDemo\n    }\n  }\n": typeof types.PortfolioFieldsFragmentDoc,
    "\n  query Portfolio {\n    portfolio {\n      ...PortfolioFields\n    }\n    portfolioHistory(first: 500) {\n      at\n      value\n      balance\n    }\n  }\n": typeof types.PortfolioDocument,
    "\n  subscription PortfolioLive {\n    portfolio {\n      ...PortfolioFields\n    }\n  }\n": typeof types.PortfolioLiveDocument,
    "\n  query SystemHealth {\n    health {\n      status\n      version\n      mode\n      components {\n        name\n        state\n        detail\n      }\n    }\n  }\n": typeof types.SystemHealthDocument,
    "\n  fragment EnvironmentFields on ExchangeEnvironment {\n    environment\n    restUrl\n    wsUrl\n    keyId\n    connection {\n      state\n      connected\n      lastMessageAgeS\n      reconnects\n      gaps\n      resyncs\n      messagesReceived\n      lastError\n    }\n  }\n": typeof types.EnvironmentFieldsFragmentDoc,
    "\n  fragment SystemFields on System {\n    status\n    version\n    mode\n    traderState\n    productionTradingConfirmed\n    watchedMarkets\n    components {\n      name\n      state\n      detail\n    }\n    data {\n      ...EnvironmentFields\n    }\n    trading {\n      ...EnvironmentFields\n    }\n  }\n": typeof types.SystemFieldsFragmentDoc,
    "\n  query System {\n    system {\n      ...SystemFields\n    }\n  }\n": typeof types.SystemDocument,
    "\n  subscription SystemLive {\n    systemHealth {\n      ...SystemFields\n    }\n  }\n": typeof types.SystemLiveDocument,
    "\n  fragment RiskFields on RiskLimits {\n    maxContractsPerMarket\n    maxTotalExposure\n    maxOpenOrders\n    maxOrdersPerSecond\n    maxDailyLoss\n    minCashReserve\n    noNewPositionsBeforeCloseMinutes\n    maxBookAgeMs\n    killSwitchEngaged\n    killSwitchReason\n    enforced\n  }\n": typeof types.RiskFieldsFragmentDoc,
    "\n  query RiskLimits {\n    riskLimits {\n      ...RiskFields\n    }\n  }\n": typeof types.RiskLimitsDocument,
    "\n  query RecordingSessions {\n    recordingSessions(limit: 10) {\n      id\n      environment\n      streamUrl\n      status\n      startedAt\n      endedAt\n      lastRowAt\n      messages\n      rowsWritten\n      drops\n      marketTickers\n    }\n  }\n": typeof types.RecordingSessionsDocument,
    "\n  mutation EngageKillSwitch($reason: String!) {\n    engageKillSwitch(reason: $reason) {\n      engaged\n      reason\n      canceled\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.EngageKillSwitchDocument,
    "\n  mutation ReleaseKillSwitch($reason: String!) {\n    releaseKillSwitch(reason: $reason) {\n      engaged\n      reason\n      canceled\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.ReleaseKillSwitchDocument,
    "\n  mutation UpdateRiskLimits($input: RiskLimitsInput!) {\n    updateRiskLimits(input: $input) {\n      limits {\n        ...RiskFields\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": typeof types.UpdateRiskLimitsDocument,
};
const documents: Documents = {
    "\n  fragment ActionFields on ActorActionEntry {\n    id\n    actedAt\n    ticker\n    bookSeq\n    action\n    selector\n    modelVersion\n    decisionLatencyUs\n    stepLatencyUs\n    clientOrderId\n    orderId\n    orderSide\n    orderYesPrice\n    orderCount\n    outcome\n    outcomeDetail\n  }\n": types.ActionFieldsFragmentDoc,
    "\n  query Actor {\n    actor {\n      running\n      paused\n      selector\n      modelVersion\n      updates\n      steps\n      orders\n      rejected\n      errors\n      openBreakers\n      throttleMs\n      contractSize\n      targetMarketMode\n      targetMarkets\n    }\n  }\n": types.ActorDocument,
    "\n  query ActorLog($limit: Int!) {\n    actorActions(limit: $limit) {\n      ...ActionFields\n    }\n  }\n": types.ActorLogDocument,
    "\n  subscription ActorStream {\n    actorActions {\n      ...ActionFields\n    }\n  }\n": types.ActorStreamDocument,
    "\n  fragment ActorPayloadFields on ActorPayload {\n    running\n    paused\n    userErrors {\n      field\n      code\n      message\n    }\n  }\n": types.ActorPayloadFieldsFragmentDoc,
    "\n  mutation PauseActor($reason: String!) {\n    pauseActor(reason: $reason) {\n      ...ActorPayloadFields\n    }\n  }\n": types.PauseActorDocument,
    "\n  mutation ResumeActor($reason: String!) {\n    resumeActor(reason: $reason) {\n      ...ActorPayloadFields\n    }\n  }\n": types.ResumeActorDocument,
    "\n  mutation StartActor {\n    startActor {\n      ...ActorPayloadFields\n    }\n  }\n": types.StartActorDocument,
    "\n  mutation ConfigureActor($input: ActorConfigInput!) {\n    configureActor(input: $input) {\n      ...ActorPayloadFields\n    }\n  }\n": types.ConfigureActorDocument,
    "\n  query MarketDetail($ticker: String!, $depth: Int!) {\n    market(ticker: $ticker) {\n      ticker\n      eventTicker\n      title\n      subtitle\n      status\n      closeTime\n      lastPrice\n      volume\n      volume24h\n      openInterest\n      watched\n      priceRanges {\n        start\n        end\n        step\n      }\n      orderbook(depth: $depth) {\n        ...BookFields\n      }\n      recentTrades(limit: 50) {\n        tradeId\n        createdTime\n        count\n        yesPrice\n        takerSide\n      }\n    }\n  }\n": types.MarketDetailDocument,
    "\n  fragment BookFields on Orderbook {\n    ticker\n    environment\n    source\n    ready\n    yesBids {\n      price\n      size\n    }\n    noBids {\n      price\n      size\n    }\n    seq\n    updatedAt\n  }\n": types.BookFieldsFragmentDoc,
    "\n  query DemoBook($ticker: String!, $depth: Int!) {\n    market(ticker: $ticker) {\n      ticker\n      demoOrderbook(depth: $depth) {\n        ...BookFields\n      }\n    }\n  }\n": types.DemoBookDocument,
    "\n  subscription LiveOrderbook($ticker: String!, $depth: Int!) {\n    orderbook(ticker: $ticker, depth: $depth) {\n      ...BookFields\n    }\n  }\n": types.LiveOrderbookDocument,
    "\n  subscription MarketTicker($tickers: [String!]) {\n    marketTickers(tickers: $tickers) {\n      ticker\n      lastPrice\n      at\n    }\n  }\n": types.MarketTickerDocument,
    "\n  query Markets($filter: MarketFilter, $sort: MarketSort!, $first: Int!, $after: String) {\n    markets(filter: $filter, sort: $sort, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ticker\n        title\n        subtitle\n        status\n        closeTime\n        volume\n        volume24h\n        openInterest\n        lastPrice\n        watched\n        stats {\n          bestYesBid\n          bestYesAsk\n          bookLevels\n        }\n      }\n    }\n  }\n": types.MarketsDocument,
    "\n  query DemoTops($ticker: String!) {\n    market(ticker: $ticker) {\n      ticker\n      demoOrderbook(depth: 1) {\n        environment\n        bestYesBid\n        bestYesAsk\n      }\n    }\n  }\n": types.DemoTopsDocument,
    "\n  subscription MarketTickers($tickers: [String!]) {\n    marketTickers(tickers: $tickers) {\n      ticker\n      lastPrice\n      yesBid\n      yesAsk\n      volume\n      openInterest\n      at\n    }\n  }\n": types.MarketTickersDocument,
    "\n  fragment OrderFields on Order {\n    clientOrderId\n    orderId\n    ticker\n    side\n    yesPrice\n    count\n    filled\n    remaining\n    status\n    source\n    rejectionRule\n    rejectionReason\n    createdAt\n    updatedAt\n    realismGap {\n      productionBid\n      productionAsk\n      shadowCount\n      actualCount\n      gap\n      adverseGap\n    }\n  }\n": types.OrderFieldsFragmentDoc,
    "\n  query Orders($ticker: String, $openOnly: Boolean!, $first: Int!) {\n    orders(ticker: $ticker, openOnly: $openOnly, first: $first) {\n      ...OrderFields\n    }\n  }\n": types.OrdersDocument,
    "\n  query Fills($ticker: String, $first: Int!) {\n    fills(ticker: $ticker, first: $first) {\n      tradeId\n      orderId\n      clientOrderId\n      ticker\n      side\n      yesPrice\n      count\n      fee\n      isTaker\n      realizedDelta\n      at\n    }\n  }\n": types.FillsDocument,
    "\n  subscription OrderUpdates {\n    orderUpdates {\n      clientOrderId\n      orderId\n      ticker\n      status\n      filled\n      remaining\n      at\n    }\n  }\n": types.OrderUpdatesDocument,
    "\n  subscription FillsStream {\n    fills {\n      tradeId\n      orderId\n      ticker\n      at\n    }\n  }\n": types.FillsStreamDocument,
    "\n  fragment UserErrorFields on UserError {\n    field\n    code\n    message\n    rule\n  }\n": types.UserErrorFieldsFragmentDoc,
    "\n  mutation PlaceOrder($input: PlaceOrderInput!) {\n    placeOrder(input: $input) {\n      order {\n        ...OrderFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.PlaceOrderDocument,
    "\n  mutation CancelOrder($id: String!) {\n    cancelOrder(id: $id) {\n      order {\n        ...OrderFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.CancelOrderDocument,
    "\n  mutation CancelAllOrders($ticker: String) {\n    cancelAllOrders(ticker: $ticker) {\n      canceled\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n": types.CancelAllOrdersDocument,
    "\n  fragment PortfolioFields on Portfolio {\n    balance\n    cash\n    reserved\n    available\n    value\n    realized\n    unrealizedProduction\n    unrealizedDemo\n    feesPaid\n    reason\n    at\n    positions {\n      ticker\n      position\n      cost\n      averageCost\n      realized\n      feesPaid\n      unrealizedProduction\n      unrealizedDemo\n    }\n  }\n": types.PortfolioFieldsFragmentDoc,
    "\n  query Portfolio {\n    portfolio {\n      ...PortfolioFields\n    }\n    portfolioHistory(first: 500) {\n      at\n      value\n      balance\n    }\n  }\n": types.PortfolioDocument,
    "\n  subscription PortfolioLive {\n    portfolio {\n      ...PortfolioFields\n    }\n  }\n": types.PortfolioLiveDocument,
    "\n  query SystemHealth {\n    health {\n      status\n      version\n      mode\n      components {\n        name\n        state\n        detail\n      }\n    }\n  }\n": types.SystemHealthDocument,
    "\n  fragment EnvironmentFields on ExchangeEnvironment {\n    environment\n    restUrl\n    wsUrl\n    keyId\n    connection {\n      state\n      connected\n      lastMessageAgeS\n      reconnects\n      gaps\n      resyncs\n      messagesReceived\n      lastError\n    }\n  }\n": types.EnvironmentFieldsFragmentDoc,
    "\n  fragment SystemFields on System {\n    status\n    version\n    mode\n    traderState\n    productionTradingConfirmed\n    watchedMarkets\n    components {\n      name\n      state\n      detail\n    }\n    data {\n      ...EnvironmentFields\n    }\n    trading {\n      ...EnvironmentFields\n    }\n  }\n": types.SystemFieldsFragmentDoc,
    "\n  query System {\n    system {\n      ...SystemFields\n    }\n  }\n": types.SystemDocument,
    "\n  subscription SystemLive {\n    systemHealth {\n      ...SystemFields\n    }\n  }\n": types.SystemLiveDocument,
    "\n  fragment RiskFields on RiskLimits {\n    maxContractsPerMarket\n    maxTotalExposure\n    maxOpenOrders\n    maxOrdersPerSecond\n    maxDailyLoss\n    minCashReserve\n    noNewPositionsBeforeCloseMinutes\n    maxBookAgeMs\n    killSwitchEngaged\n    killSwitchReason\n    enforced\n  }\n": types.RiskFieldsFragmentDoc,
    "\n  query RiskLimits {\n    riskLimits {\n      ...RiskFields\n    }\n  }\n": types.RiskLimitsDocument,
    "\n  query RecordingSessions {\n    recordingSessions(limit: 10) {\n      id\n      environment\n      streamUrl\n      status\n      startedAt\n      endedAt\n      lastRowAt\n      messages\n      rowsWritten\n      drops\n      marketTickers\n    }\n  }\n": types.RecordingSessionsDocument,
    "\n  mutation EngageKillSwitch($reason: String!) {\n    engageKillSwitch(reason: $reason) {\n      engaged\n      reason\n      canceled\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.EngageKillSwitchDocument,
    "\n  mutation ReleaseKillSwitch($reason: String!) {\n    releaseKillSwitch(reason: $reason) {\n      engaged\n      reason\n      canceled\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.ReleaseKillSwitchDocument,
    "\n  mutation UpdateRiskLimits($input: RiskLimitsInput!) {\n    updateRiskLimits(input: $input) {\n      limits {\n        ...RiskFields\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n": types.UpdateRiskLimitsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ActionFields on ActorActionEntry {\n    id\n    actedAt\n    ticker\n    bookSeq\n    action\n    selector\n    modelVersion\n    decisionLatencyUs\n    stepLatencyUs\n    clientOrderId\n    orderId\n    orderSide\n    orderYesPrice\n    orderCount\n    outcome\n    outcomeDetail\n  }\n"): (typeof documents)["\n  fragment ActionFields on ActorActionEntry {\n    id\n    actedAt\n    ticker\n    bookSeq\n    action\n    selector\n    modelVersion\n    decisionLatencyUs\n    stepLatencyUs\n    clientOrderId\n    orderId\n    orderSide\n    orderYesPrice\n    orderCount\n    outcome\n    outcomeDetail\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Actor {\n    actor {\n      running\n      paused\n      selector\n      modelVersion\n      updates\n      steps\n      orders\n      rejected\n      errors\n      openBreakers\n      throttleMs\n      contractSize\n      targetMarketMode\n      targetMarkets\n    }\n  }\n"): (typeof documents)["\n  query Actor {\n    actor {\n      running\n      paused\n      selector\n      modelVersion\n      updates\n      steps\n      orders\n      rejected\n      errors\n      openBreakers\n      throttleMs\n      contractSize\n      targetMarketMode\n      targetMarkets\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ActorLog($limit: Int!) {\n    actorActions(limit: $limit) {\n      ...ActionFields\n    }\n  }\n"): (typeof documents)["\n  query ActorLog($limit: Int!) {\n    actorActions(limit: $limit) {\n      ...ActionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ActorStream {\n    actorActions {\n      ...ActionFields\n    }\n  }\n"): (typeof documents)["\n  subscription ActorStream {\n    actorActions {\n      ...ActionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ActorPayloadFields on ActorPayload {\n    running\n    paused\n    userErrors {\n      field\n      code\n      message\n    }\n  }\n"): (typeof documents)["\n  fragment ActorPayloadFields on ActorPayload {\n    running\n    paused\n    userErrors {\n      field\n      code\n      message\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PauseActor($reason: String!) {\n    pauseActor(reason: $reason) {\n      ...ActorPayloadFields\n    }\n  }\n"): (typeof documents)["\n  mutation PauseActor($reason: String!) {\n    pauseActor(reason: $reason) {\n      ...ActorPayloadFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResumeActor($reason: String!) {\n    resumeActor(reason: $reason) {\n      ...ActorPayloadFields\n    }\n  }\n"): (typeof documents)["\n  mutation ResumeActor($reason: String!) {\n    resumeActor(reason: $reason) {\n      ...ActorPayloadFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartActor {\n    startActor {\n      ...ActorPayloadFields\n    }\n  }\n"): (typeof documents)["\n  mutation StartActor {\n    startActor {\n      ...ActorPayloadFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfigureActor($input: ActorConfigInput!) {\n    configureActor(input: $input) {\n      ...ActorPayloadFields\n    }\n  }\n"): (typeof documents)["\n  mutation ConfigureActor($input: ActorConfigInput!) {\n    configureActor(input: $input) {\n      ...ActorPayloadFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MarketDetail($ticker: String!, $depth: Int!) {\n    market(ticker: $ticker) {\n      ticker\n      eventTicker\n      title\n      subtitle\n      status\n      closeTime\n      lastPrice\n      volume\n      volume24h\n      openInterest\n      watched\n      priceRanges {\n        start\n        end\n        step\n      }\n      orderbook(depth: $depth) {\n        ...BookFields\n      }\n      recentTrades(limit: 50) {\n        tradeId\n        createdTime\n        count\n        yesPrice\n        takerSide\n      }\n    }\n  }\n"): (typeof documents)["\n  query MarketDetail($ticker: String!, $depth: Int!) {\n    market(ticker: $ticker) {\n      ticker\n      eventTicker\n      title\n      subtitle\n      status\n      closeTime\n      lastPrice\n      volume\n      volume24h\n      openInterest\n      watched\n      priceRanges {\n        start\n        end\n        step\n      }\n      orderbook(depth: $depth) {\n        ...BookFields\n      }\n      recentTrades(limit: 50) {\n        tradeId\n        createdTime\n        count\n        yesPrice\n        takerSide\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment BookFields on Orderbook {\n    ticker\n    environment\n    source\n    ready\n    yesBids {\n      price\n      size\n    }\n    noBids {\n      price\n      size\n    }\n    seq\n    updatedAt\n  }\n"): (typeof documents)["\n  fragment BookFields on Orderbook {\n    ticker\n    environment\n    source\n    ready\n    yesBids {\n      price\n      size\n    }\n    noBids {\n      price\n      size\n    }\n    seq\n    updatedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DemoBook($ticker: String!, $depth: Int!) {\n    market(ticker: $ticker) {\n      ticker\n      demoOrderbook(depth: $depth) {\n        ...BookFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query DemoBook($ticker: String!, $depth: Int!) {\n    market(ticker: $ticker) {\n      ticker\n      demoOrderbook(depth: $depth) {\n        ...BookFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LiveOrderbook($ticker: String!, $depth: Int!) {\n    orderbook(ticker: $ticker, depth: $depth) {\n      ...BookFields\n    }\n  }\n"): (typeof documents)["\n  subscription LiveOrderbook($ticker: String!, $depth: Int!) {\n    orderbook(ticker: $ticker, depth: $depth) {\n      ...BookFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MarketTicker($tickers: [String!]) {\n    marketTickers(tickers: $tickers) {\n      ticker\n      lastPrice\n      at\n    }\n  }\n"): (typeof documents)["\n  subscription MarketTicker($tickers: [String!]) {\n    marketTickers(tickers: $tickers) {\n      ticker\n      lastPrice\n      at\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Markets($filter: MarketFilter, $sort: MarketSort!, $first: Int!, $after: String) {\n    markets(filter: $filter, sort: $sort, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ticker\n        title\n        subtitle\n        status\n        closeTime\n        volume\n        volume24h\n        openInterest\n        lastPrice\n        watched\n        stats {\n          bestYesBid\n          bestYesAsk\n          bookLevels\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Markets($filter: MarketFilter, $sort: MarketSort!, $first: Int!, $after: String) {\n    markets(filter: $filter, sort: $sort, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        ticker\n        title\n        subtitle\n        status\n        closeTime\n        volume\n        volume24h\n        openInterest\n        lastPrice\n        watched\n        stats {\n          bestYesBid\n          bestYesAsk\n          bookLevels\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DemoTops($ticker: String!) {\n    market(ticker: $ticker) {\n      ticker\n      demoOrderbook(depth: 1) {\n        environment\n        bestYesBid\n        bestYesAsk\n      }\n    }\n  }\n"): (typeof documents)["\n  query DemoTops($ticker: String!) {\n    market(ticker: $ticker) {\n      ticker\n      demoOrderbook(depth: 1) {\n        environment\n        bestYesBid\n        bestYesAsk\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MarketTickers($tickers: [String!]) {\n    marketTickers(tickers: $tickers) {\n      ticker\n      lastPrice\n      yesBid\n      yesAsk\n      volume\n      openInterest\n      at\n    }\n  }\n"): (typeof documents)["\n  subscription MarketTickers($tickers: [String!]) {\n    marketTickers(tickers: $tickers) {\n      ticker\n      lastPrice\n      yesBid\n      yesAsk\n      volume\n      openInterest\n      at\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OrderFields on Order {\n    clientOrderId\n    orderId\n    ticker\n    side\n    yesPrice\n    count\n    filled\n    remaining\n    status\n    source\n    rejectionRule\n    rejectionReason\n    createdAt\n    updatedAt\n    realismGap {\n      productionBid\n      productionAsk\n      shadowCount\n      actualCount\n      gap\n      adverseGap\n    }\n  }\n"): (typeof documents)["\n  fragment OrderFields on Order {\n    clientOrderId\n    orderId\n    ticker\n    side\n    yesPrice\n    count\n    filled\n    remaining\n    status\n    source\n    rejectionRule\n    rejectionReason\n    createdAt\n    updatedAt\n    realismGap {\n      productionBid\n      productionAsk\n      shadowCount\n      actualCount\n      gap\n      adverseGap\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Orders($ticker: String, $openOnly: Boolean!, $first: Int!) {\n    orders(ticker: $ticker, openOnly: $openOnly, first: $first) {\n      ...OrderFields\n    }\n  }\n"): (typeof documents)["\n  query Orders($ticker: String, $openOnly: Boolean!, $first: Int!) {\n    orders(ticker: $ticker, openOnly: $openOnly, first: $first) {\n      ...OrderFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Fills($ticker: String, $first: Int!) {\n    fills(ticker: $ticker, first: $first) {\n      tradeId\n      orderId\n      clientOrderId\n      ticker\n      side\n      yesPrice\n      count\n      fee\n      isTaker\n      realizedDelta\n      at\n    }\n  }\n"): (typeof documents)["\n  query Fills($ticker: String, $first: Int!) {\n    fills(ticker: $ticker, first: $first) {\n      tradeId\n      orderId\n      clientOrderId\n      ticker\n      side\n      yesPrice\n      count\n      fee\n      isTaker\n      realizedDelta\n      at\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription OrderUpdates {\n    orderUpdates {\n      clientOrderId\n      orderId\n      ticker\n      status\n      filled\n      remaining\n      at\n    }\n  }\n"): (typeof documents)["\n  subscription OrderUpdates {\n    orderUpdates {\n      clientOrderId\n      orderId\n      ticker\n      status\n      filled\n      remaining\n      at\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription FillsStream {\n    fills {\n      tradeId\n      orderId\n      ticker\n      at\n    }\n  }\n"): (typeof documents)["\n  subscription FillsStream {\n    fills {\n      tradeId\n      orderId\n      ticker\n      at\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment UserErrorFields on UserError {\n    field\n    code\n    message\n    rule\n  }\n"): (typeof documents)["\n  fragment UserErrorFields on UserError {\n    field\n    code\n    message\n    rule\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PlaceOrder($input: PlaceOrderInput!) {\n    placeOrder(input: $input) {\n      order {\n        ...OrderFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation PlaceOrder($input: PlaceOrderInput!) {\n    placeOrder(input: $input) {\n      order {\n        ...OrderFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelOrder($id: String!) {\n    cancelOrder(id: $id) {\n      order {\n        ...OrderFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CancelOrder($id: String!) {\n    cancelOrder(id: $id) {\n      order {\n        ...OrderFields\n      }\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelAllOrders($ticker: String) {\n    cancelAllOrders(ticker: $ticker) {\n      canceled\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CancelAllOrders($ticker: String) {\n    cancelAllOrders(ticker: $ticker) {\n      canceled\n      userErrors {\n        ...UserErrorFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PortfolioFields on Portfolio {\n    balance\n    cash\n    reserved\n    available\n    value\n    realized\n    unrealizedProduction\n    unrealizedDemo\n    feesPaid\n    reason\n    at\n    positions {\n      ticker\n      position\n      cost\n      averageCost\n      realized\n      feesPaid\n      unrealizedProduction\n      unrealizedDemo\n    }\n  }\n"): (typeof documents)["\n  fragment PortfolioFields on Portfolio {\n    balance\n    cash\n    reserved\n    available\n    value\n    realized\n    unrealizedProduction\n    unrealizedDemo\n    feesPaid\n    reason\n    at\n    positions {\n      ticker\n      position\n      cost\n      averageCost\n      realized\n      feesPaid\n      unrealizedProduction\n      unrealizedDemo\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Portfolio {\n    portfolio {\n      ...PortfolioFields\n    }\n    portfolioHistory(first: 500) {\n      at\n      value\n      balance\n    }\n  }\n"): (typeof documents)["\n  query Portfolio {\n    portfolio {\n      ...PortfolioFields\n    }\n    portfolioHistory(first: 500) {\n      at\n      value\n      balance\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription PortfolioLive {\n    portfolio {\n      ...PortfolioFields\n    }\n  }\n"): (typeof documents)["\n  subscription PortfolioLive {\n    portfolio {\n      ...PortfolioFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SystemHealth {\n    health {\n      status\n      version\n      mode\n      components {\n        name\n        state\n        detail\n      }\n    }\n  }\n"): (typeof documents)["\n  query SystemHealth {\n    health {\n      status\n      version\n      mode\n      components {\n        name\n        state\n        detail\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment EnvironmentFields on ExchangeEnvironment {\n    environment\n    restUrl\n    wsUrl\n    keyId\n    connection {\n      state\n      connected\n      lastMessageAgeS\n      reconnects\n      gaps\n      resyncs\n      messagesReceived\n      lastError\n    }\n  }\n"): (typeof documents)["\n  fragment EnvironmentFields on ExchangeEnvironment {\n    environment\n    restUrl\n    wsUrl\n    keyId\n    connection {\n      state\n      connected\n      lastMessageAgeS\n      reconnects\n      gaps\n      resyncs\n      messagesReceived\n      lastError\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SystemFields on System {\n    status\n    version\n    mode\n    traderState\n    productionTradingConfirmed\n    watchedMarkets\n    components {\n      name\n      state\n      detail\n    }\n    data {\n      ...EnvironmentFields\n    }\n    trading {\n      ...EnvironmentFields\n    }\n  }\n"): (typeof documents)["\n  fragment SystemFields on System {\n    status\n    version\n    mode\n    traderState\n    productionTradingConfirmed\n    watchedMarkets\n    components {\n      name\n      state\n      detail\n    }\n    data {\n      ...EnvironmentFields\n    }\n    trading {\n      ...EnvironmentFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query System {\n    system {\n      ...SystemFields\n    }\n  }\n"): (typeof documents)["\n  query System {\n    system {\n      ...SystemFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SystemLive {\n    systemHealth {\n      ...SystemFields\n    }\n  }\n"): (typeof documents)["\n  subscription SystemLive {\n    systemHealth {\n      ...SystemFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RiskFields on RiskLimits {\n    maxContractsPerMarket\n    maxTotalExposure\n    maxOpenOrders\n    maxOrdersPerSecond\n    maxDailyLoss\n    minCashReserve\n    noNewPositionsBeforeCloseMinutes\n    maxBookAgeMs\n    killSwitchEngaged\n    killSwitchReason\n    enforced\n  }\n"): (typeof documents)["\n  fragment RiskFields on RiskLimits {\n    maxContractsPerMarket\n    maxTotalExposure\n    maxOpenOrders\n    maxOrdersPerSecond\n    maxDailyLoss\n    minCashReserve\n    noNewPositionsBeforeCloseMinutes\n    maxBookAgeMs\n    killSwitchEngaged\n    killSwitchReason\n    enforced\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RiskLimits {\n    riskLimits {\n      ...RiskFields\n    }\n  }\n"): (typeof documents)["\n  query RiskLimits {\n    riskLimits {\n      ...RiskFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecordingSessions {\n    recordingSessions(limit: 10) {\n      id\n      environment\n      streamUrl\n      status\n      startedAt\n      endedAt\n      lastRowAt\n      messages\n      rowsWritten\n      drops\n      marketTickers\n    }\n  }\n"): (typeof documents)["\n  query RecordingSessions {\n    recordingSessions(limit: 10) {\n      id\n      environment\n      streamUrl\n      status\n      startedAt\n      endedAt\n      lastRowAt\n      messages\n      rowsWritten\n      drops\n      marketTickers\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EngageKillSwitch($reason: String!) {\n    engageKillSwitch(reason: $reason) {\n      engaged\n      reason\n      canceled\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation EngageKillSwitch($reason: String!) {\n    engageKillSwitch(reason: $reason) {\n      engaged\n      reason\n      canceled\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReleaseKillSwitch($reason: String!) {\n    releaseKillSwitch(reason: $reason) {\n      engaged\n      reason\n      canceled\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ReleaseKillSwitch($reason: String!) {\n    releaseKillSwitch(reason: $reason) {\n      engaged\n      reason\n      canceled\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateRiskLimits($input: RiskLimitsInput!) {\n    updateRiskLimits(input: $input) {\n      limits {\n        ...RiskFields\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateRiskLimits($input: RiskLimitsInput!) {\n    updateRiskLimits(input: $input) {\n      limits {\n        ...RiskFields\n      }\n      userErrors {\n        field\n        code\n        message\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;