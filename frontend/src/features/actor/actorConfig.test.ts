import { describe, expect, it } from "vitest";

import { actorConfigPatch, draftFromActor, type ActorSettings } from "./actorConfig.ts";

const ACTOR: ActorSettings = {
  selector: "hardcoded",
  throttleMs: 250,
  contractSize: "10.00",
  targetMarketMode: "hot",
  targetMarkets: ["KXA", "KXB"],
};

describe("actor configuration", () => {
  it("starts from what the actor reports", () => {
    expect(draftFromActor(ACTOR)).toEqual({
      selector: "HARDCODED",
      modelId: "",
      throttleMs: "250",
      contractSize: "10",
      targetMarketMode: "HOT",
      targetTickers: "KXA, KXB",
    });
    expect(actorConfigPatch(ACTOR, draftFromActor(ACTOR))).toEqual({ input: {}, errors: {} });
  });

  it("sends only what changed", () => {
    const draft = { ...draftFromActor(ACTOR), throttleMs: "1000", contractSize: "2" };
    expect(actorConfigPatch(ACTOR, draft)).toEqual({ input: { throttleMs: 1000, contractSize: 2 }, errors: {} });
  });

  it("needs a model id for the MODEL selector", () => {
    const draft = { ...draftFromActor(ACTOR), selector: "MODEL" };
    expect(actorConfigPatch(ACTOR, draft).errors.modelId).toMatch(/trained model/);
    expect(actorConfigPatch(ACTOR, { ...draft, modelId: "7" })).toEqual({
      input: { selector: "MODEL", modelId: 7 },
      errors: {},
    });
  });

  it("takes target tickers for target mode CONFIG", () => {
    const draft = { ...draftFromActor(ACTOR), targetMarketMode: "CONFIG", targetTickers: "KXC,  KXD KXE" };
    expect(actorConfigPatch(ACTOR, draft).input).toEqual({ targetMarketMode: "CONFIG", targetTickers: ["KXC", "KXD", "KXE"] });
    expect(actorConfigPatch(ACTOR, { ...draft, targetTickers: " " }).errors.targetTickers).toMatch(/at least one/);
  });

  it("refuses nonsense numbers", () => {
    const draft = { ...draftFromActor(ACTOR), throttleMs: "-5", contractSize: "0" };
    expect(Object.keys(actorConfigPatch(ACTOR, draft).errors).sort()).toEqual(["contractSize", "throttleMs"]);
  });
});
