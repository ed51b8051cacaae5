import { EnvironmentsPanel } from "./EnvironmentsPanel.tsx";
import { HealthSection } from "./HealthSection.tsx";
import { RecorderPanel } from "./RecorderPanel.tsx";
import { RiskPanel } from "./RiskPanel.tsx";
import { useSystem } from "./useSystem.ts";

export function SystemPage() {
  const { system, live } = useSystem();
  return (
    <div className="page">
      <header className="page__header">
        <h1 className="page__title">System</h1>
        <p className="page__subtitle">Health of the backend, its exchange connections, the recorder and risk.</p>
      </header>
      <HealthSection />
      <EnvironmentsPanel system={system} live={live} />
      <RiskPanel />
      <RecorderPanel />
    </div>
  );
}
