// Anomaly detection against the real simulators' fault modes (not synthetic homes): the site-signal fleet
// with sites whose solar clamp is reversed (negative solar), whose inverter gives zero at noon, or whose
// data went stale; and Powerwall households whose night solar reads slightly negative (meter noise: the
// right answer is silence) or whose system stopped for two hours. The readings are the simulators' own
// model histories, stored in DuckDB and examined through findAnomalies over the last 12 hours, as the
// API does. Recall per fault mode: faulty sites where the expected kind was found. Precision: detections
// that are the expected kind on a faulty site, among all detections.
import { householdHistory } from '../src/connectors/powerwall/demo-feed.ts';
import { startSiteSignalSimulator } from '../src/connectors/site-signal/simulator.ts';
import type { Reading } from '../src/domain/reading.ts';
import type { Site } from '../src/domain/site.ts';
import { STATUS_ANOMALY_KINDS } from '../src/ingest/status-anomalies.ts';
import { findAnomalies } from '../src/insights/anomaly-source.ts';
import { openDuckDbStore } from '../src/store/duckdb-store.ts';
import { type Bench, envInt } from './support/env.ts';
import type { BenchResult, Metric } from './support/result.ts';

const H = 3_600_000;
/** 13:00 in California on the summer solstice: the sun is high, a dead inverter must show. */
const NOW_MS = Date.parse('2024-06-21T20:00:00Z');
const WINDOW_MS = 12 * H;

type Mode = 'negative-solar' | 'zero-solar' | 'stale' | 'pw-night-solar' | 'pw-stopped' | 'clean';
/** The kind each fault mode must produce; null: the detectors must stay quiet. */
const EXPECTED: Record<Mode, string | null> = {
  'negative-solar': 'negative-solar',
  'zero-solar': 'solar-missing-in-daylight',
  stale: 'device-down',
  'pw-night-solar': null,
  'pw-stopped': 'device-down',
  clean: null,
};

export const bench: Bench = {
  name: 'anomalies-simulators',
  title: 'Anomaly detectors on the simulators’ fault modes (site-signal and Powerwall): precision and recall',
  async run({ quick, log }): Promise<BenchResult> {
    const started = performance.now();
    const perMode = envInt('BENCH_ANOMALY_SITES_PER_MODE', 4, 2, quick);
    const cleanSites = envInt('BENCH_ANOMALY_CLEAN_SITES', 12, 3, quick);
    const clock = () => NOW_MS;
    // The site ids are the simulator's own; a first, fault-free fleet tells them.
    const probe = await startSiteSignalSimulator({ sites: 3 * perMode + cleanSites, faults: 'none', clock });
    const ids = probe.sites().map((s) => s.siteId);
    await probe.close();
    const modeOf = new Map<string, Mode>();
    const faults: Record<string, 'negative-solar' | 'zero-solar' | 'stale'> = {};
    (['negative-solar', 'zero-solar', 'stale'] as const).forEach((m, k) => {
      for (const id of ids.slice(k * perMode, (k + 1) * perMode)) {
        faults[id] = m;
        modeOf.set(id, m);
      }
    });
    for (const id of ids.slice(3 * perMode)) modeOf.set(id, 'clean');
    const fleet = await startSiteSignalSimulator({ sites: ids.length, faults, clock });
    const store = await openDuckDbStore({ path: ':memory:' });
    const sites: Site[] = [...fleet.sites()];
    const readings: Reading[] = fleet.history(NOW_MS - WINDOW_MS, NOW_MS, 60_000);
    await fleet.close();
    // Powerwall households: slightly negative night solar (noise, must stay quiet) and a 2-hour stop.
    for (let i = 0; i < 2 * perMode; i++) {
      const mode: Mode = i < perMode ? 'pw-night-solar' : 'pw-stopped';
      const siteId = `pw-${i + 1}`;
      modeOf.set(siteId, mode);
      sites.push({
        siteId,
        name: siteId,
        timezone: 'America/Los_Angeles',
        source: 'powerwall',
        metadata: { latitude: 37.4, longitude: -122.1 },
      });
      const rows = householdHistory(siteId, { seed: i + 1 }, NOW_MS - WINDOW_MS, NOW_MS, NOW_MS, (h) => {
        h.negativeNightSolar = mode === 'pw-night-solar';
      });
      const stopFrom = NOW_MS - 5 * H;
      readings.push(
        ...(mode === 'pw-stopped' ? rows.filter((r) => r.tMs < stopFrom || r.tMs >= stopFrom + 2 * H) : rows),
      );
    }
    await store.upsertSites(sites);
    await store.ingest(readings);
    log(`${sites.length} sites, ${readings.length} readings`);
    let detections = 0;
    let correct = 0;
    const found = new Map<Mode, number>();
    const total = new Map<Mode, number>();
    let quietAlarms = 0;
    const unexpected = new Map<string, number>();
    const t0 = performance.now();
    for (const site of sites) {
      const mode = modeOf.get(site.siteId) ?? 'clean';
      const expected = EXPECTED[mode];
      const anomalies = await findAnomalies(
        store,
        site,
        { fromMs: NOW_MS - WINDOW_MS, toMs: NOW_MS, nowMs: NOW_MS },
        { kinds: STATUS_ANOMALY_KINDS },
      );
      detections += anomalies.length;
      for (const a of anomalies)
        if (a.kind !== expected) {
          const k = `${a.kind} on ${mode}`;
          unexpected.set(k, (unexpected.get(k) ?? 0) + 1);
        }
      total.set(mode, (total.get(mode) ?? 0) + 1);
      if (expected === null) quietAlarms += anomalies.length;
      else {
        correct += anomalies.filter((a) => a.kind === expected).length;
        if (anomalies.some((a) => a.kind === expected)) found.set(mode, (found.get(mode) ?? 0) + 1);
      }
    }
    const examineMs = performance.now() - t0;
    await store.close();
    const metrics: Metric[] = (['negative-solar', 'zero-solar', 'stale', 'pw-stopped'] as const).map((m) => ({
      key: `recall_${m.replaceAll('-', '_')}`,
      label: `recall ${m} (expects ${EXPECTED[m]})`,
      value: ((found.get(m) ?? 0) / (total.get(m) ?? 1)) * 100,
      unit: '%',
      digits: 1,
    }));
    metrics.push(
      {
        key: 'precision',
        label: 'precision (detections of the expected kind on a faulty site)',
        value: detections > 0 ? (correct / detections) * 100 : 100,
        unit: '%',
        digits: 1,
      },
      {
        key: 'quiet_alarms',
        label: `detections on ${total.get('clean') ?? 0} clean sites and ${total.get('pw-night-solar') ?? 0} Powerwalls with night-solar noise`,
        value: quietAlarms,
        unit: '',
        digits: 0,
      },
      {
        key: 'examine_ms_per_site',
        label: 'findAnomalies per site (12 h window, no forecast)',
        value: examineMs / sites.length,
        unit: 'ms',
        digits: 1,
      },
    );
    return {
      bench: 'anomalies-simulators',
      quick,
      params: { perMode, cleanSites, windowHours: WINDOW_MS / H },
      metrics,
      notes: [
        `${detections} detections, ${correct} of the expected kind on faulty sites`,
        `other detections: ${[...unexpected].map(([k, n]) => `${n} ${k}`).join(', ') || 'none'}`,
      ],
      seconds: (performance.now() - started) / 1000,
    };
  },
};
