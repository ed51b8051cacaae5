import type { SystemHealthQuery } from "../../gql/graphql.ts";
import { EmptyState } from "../../shared/ui/StateMessage.tsx";
import { StateBadge } from "./StateBadge.tsx";

type Components = SystemHealthQuery["health"]["components"];

/** One row per backend service, in the order the backend reports them. */
export function ComponentsTable({ components }: { components: Components }) {
  if (components.length === 0) {
    return (
      <EmptyState>
        No components reported yet. The backend lists its services here once they start.
      </EmptyState>
    );
  }
  return (
    <table className="table" aria-label="Components">
      <thead>
        <tr>
          <th scope="col">Component</th>
          <th scope="col">State</th>
          <th scope="col">Detail</th>
        </tr>
      </thead>
      <tbody>
        {components.map((component) => (
          <tr key={component.name}>
            <th scope="row" className="table__name">
              {component.name}
            </th>
            <td>
              <StateBadge state={component.state} />
            </td>
            <td className="table__detail">
              {component.detail ?? <span className="muted">—</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
