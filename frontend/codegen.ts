import type { CodegenConfig } from "@graphql-codegen/cli";

// Types for every operation in src/ come from the schema the backend exports
// (frontend/schema.graphql). The output is committed so that `npm run build`
// never needs codegen; `npm run codegen:check` fails when it is stale.
const config: CodegenConfig = {
  // KALSHIFLOW_SCHEMA: try a schema the backend has not exported yet (never commit that output).
  schema: process.env.KALSHIFLOW_SCHEMA ?? "schema.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**/*"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: {
        // Apollo Client 4 has its own data masking; codegen's fragment masking
        // would be a second, different mechanism.
        fragmentMasking: false,
      },
      config: {
        // Required under `verbatimModuleSyntax`.
        useTypeImports: true,
        // String unions instead of TS enums: erasable syntax, and the values
        // are exactly the strings on the wire.
        enumsAsTypes: true,
        // Exact decimals arrive as strings ("0.5600", "3.00", "98.018600") and
        // are parsed with src/shared/money.ts, never as JS numbers.
        scalars: {
          Dollars: "string",
          Contracts: "string",
          Money: "string",
          DateTime: "string",
        },
        // Scalars the backend may add later; unknown ones stay `unknown`.
        defaultScalarType: "unknown",
      },
    },
  },
};

export default config;
