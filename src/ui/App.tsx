// Page layout: header, link banner, then a responsive grid of cards: the
// architecture form and readouts, the dataset and training controls, the
// connectivity graph, the curves, the evaluation and the explanations.

import { Curves } from './charts/Curves';
import { ConfigPanel } from './controls/ConfigPanel';
import { Readouts } from './controls/Readouts';
import { TrainingControls } from './controls/TrainingControls';
import { DatasetPanel } from './dataset/DatasetPanel';
import { EvaluationPanel } from './evaluation/EvaluationPanel';
import { ConnectivityGraph } from './graph/ConnectivityGraph';
import { Header } from './Header';
import { LiveRegion } from './LiveRegion';
import { TeachingPanel } from './teaching/TeachingPanel';
import { UrlBanner } from './UrlBanner';

export function App() {
  return (
    <div className="app">
      <Header />
      <main className="main" data-testid="app">
        <UrlBanner />
        <div className="layout">
          <div className="layout__side">
            <ConfigPanel />
            <Readouts />
            <DatasetPanel />
            <TrainingControls />
          </div>
          <div className="layout__main">
            <ConnectivityGraph />
            <Curves />
            <EvaluationPanel />
          </div>
          <div className="layout__teach">
            <TeachingPanel />
          </div>
        </div>
      </main>
      <LiveRegion />
    </div>
  );
}
