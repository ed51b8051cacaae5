import { graphql } from "../../gql/index.ts";

export const SYSTEM_HEALTH_QUERY = graphql(`
  query SystemHealth {
    health {
      status
      version
      mode
      components {
        name
        state
        detail
      }
    }
  }
`);
