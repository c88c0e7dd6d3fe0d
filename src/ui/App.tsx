// Page layout: header, link banner, then a responsive grid of cards. The side
// column has the architecture form, its readouts and the dataset. The main
// column has the training controls, the connectivity graph, the curves and
// the evaluation. The explanations come last.

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
          </div>
          <div className="layout__main">
            <TrainingControls />
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
