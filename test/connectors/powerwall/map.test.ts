// map.ts against every recorded gateway response in ../shared/fixtures (powerwall/ and powerwall2-processor/):
// each body parses or yields a typed error, never a crash; the polled routes' recorded bodies map to the
// values they hold; odd input of any shape never throws (fast-check).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  aggregatesToReadings,
  appSocPercent,
  classifyReply,
  mapAggregates,
  mapBody,
  mapSoe,
  type PolledRoute,
  parseGatewayTime,
  ROUTE_MAPPERS,
} from '../../../src/connectors/powerwall/map.ts';
import { sharedPath } from '../../support/shared.ts';

const ERROR_KINDS = new Set([
  'empty-body',
  'not-json',
  'not-an-object',
  'missing-field',
  'bad-value',
  'gateway-error',
]);
const ROUTES = Object.keys(ROUTE_MAPPERS) as PolledRoute[];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return files(p);
    return name === 'ORIGIN.md' ? [] : [p];
  });
}

const FIXTURES = [
  ...files(sharedPath('fixtures/powerwall')),
  ...files(sharedPath('fixtures/powerwall2-processor')),
];

/** The polled route a recorded file answers, from its name (each repository names them its own way). */
function routeOf(file: string): PolledRoute | undefined {
  const n = basename(file).replace(/^api[._-]/, '');
  if (/^meters[._]aggregates\./.test(n)) return '/api/meters/aggregates';
  if (/^system_status[._]soe\./.test(n)) return '/api/system_status/soe';
  if (/^system_status[._]grid_status\./.test(n)) return '/api/system_status/grid_status';
  if (/^sitemaster\./.test(n)) return '/api/sitemaster';
  if (/^status\.json$/.test(n)) return '/api/status';
  if (/^site_info\.json$/.test(n)) return '/api/site_info';
  return undefined;
}

/** A recorded `.err` reply: status line, headers, blank line, body. */
function parseErr(text: string): { status: number; body: string } {
  const [head = '', ...rest] = text.split(/\r?\n\r?\n/);
  const status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(head)?.[1]);
  return { status, body: rest.join('\n\n') };
}

function assertTyped(result: ReturnType<typeof mapBody>, where: string): void {
  if (result.ok) return;
  assert.ok(ERROR_KINDS.has(result.error.kind), `${where}: unknown error kind ${result.error.kind}`);
  assert.equal(typeof result.error.detail, 'string');
}

describe('powerwall map: every recorded response', () => {
  it('finds the fixture sets (both repositories, several firmware generations)', () => {
    assert.ok(FIXTURES.length > 200, `only ${FIXTURES.length} fixture files`);
    assert.ok(
      FIXTURES.some((f) => f.includes('21.39.1-foogod')) && FIXTURES.some((f) => f.includes('jasonacox')),
    );
  });

  it('maps each body with every route mapper to a value or a typed error, never a crash', () => {
    for (const file of FIXTURES) {
      const text = readFileSync(file, 'utf8');
      const body = file.endsWith('.err') ? parseErr(text).body : text;
      for (const route of ROUTES) assertTyped(mapBody(route, body), `${file} as ${route}`);
    }
  });

  it("maps the polled routes' recorded bodies; non-JSON bodies are typed not-json errors", () => {
    let mapped = 0;
    for (const file of FIXTURES.filter((f) => !f.endsWith('.err'))) {
      const route = routeOf(file);
      if (route === undefined) continue;
      const text = readFileSync(file, 'utf8');
      const r = mapBody(route, text);
      if (text.startsWith('TIMEOUT!')) {
        assert.ok(!r.ok && r.error.kind === 'not-json', file);
        continue;
      }
      assert.ok(r.ok, `${file}: ${r.ok ? '' : r.error.detail}`);
      mapped++;
    }
    assert.ok(mapped >= 25, `only ${mapped} polled-route bodies recognised`);
  });

  it('classifies each recorded error reply; the stopped system is 502 with an empty body', () => {
    const errs = FIXTURES.filter((f) => f.endsWith('.err'));
    assert.ok(errs.length >= 20);
    for (const file of errs) {
      const { status, body } = parseErr(readFileSync(file, 'utf8'));
      assert.ok(status >= 400, file);
      const cls = classifyReply(status, body);
      if (
        file.includes('/stopped/') &&
        /(meters\.aggregates|system_status\.soe|grid_status)\.err$/.test(file)
      )
        assert.equal(cls.kind, 'stopped', file);
      if (status === 500) assert.equal(cls.kind, 'gateway-error', file);
    }
    assert.deepEqual(classifyReply(500, '{"code":500,"error":"no phase information","message":"x"}'), {
      kind: 'gateway-error',
      detail: 'HTTP 500 no phase information: x',
    });
  });
});

describe('powerwall map: values', () => {
  it('maps 21.44 aggregates to power on grid/battery/load/solar and six counters at the meter instants', () => {
    const text = readFileSync(
      sharedPath(
        'fixtures/powerwall/vloschiavo-powerwall2/samples/21.44-foogod/running/meters.aggregates.json',
      ),
      'utf8',
    );
    const r = mapBody('/api/meters/aggregates', text);
    assert.ok(r.ok);
    const readings = aggregatesToReadings(r.value, { siteId: 'h', askedMs: 0, receivedMs: 1 });
    const get = (channel: string, kind: string) =>
      readings.find((x) => x.channel === channel && x.kind === kind);
    const siteMs = Date.parse('2021-12-26T20:09:22.321Z');
    assert.deepEqual(get('grid', 'power'), {
      siteId: 'h',
      channel: 'grid',
      kind: 'power',
      tMs: siteMs,
      endMs: null,
      value: 72,
      receivedMs: 1,
    });
    assert.equal(get('battery', 'power')?.value, -60); // charging: negative
    assert.equal(get('solar', 'power')?.value, 1144);
    assert.equal(get('load', 'power')?.value, 1154);
    assert.equal(get('solar', 'counter')?.value, 1269175.54256601);
    assert.equal(get('load', 'counter')?.value, 1595342.4463185878);
    assert.equal(get('grid-import', 'counter')?.value, 752045.9551097859);
    assert.equal(get('grid-export', 'counter')?.value, 348463.5610710742);
    assert.equal(get('battery-discharge', 'counter')?.value, 567740);
    assert.equal(get('battery-charge', 'counter')?.value, 642500);
    assert.equal(readings.length, 10);
    assert.equal(get('solar', 'counter')?.tMs, Date.parse('2021-12-26T20:09:22.388Z'));
  });

  it('keeps the 2018 generation to the four aggregate meters (busway, frequency, generator ignored)', () => {
    const r = mapAggregates(
      JSON.parse(
        readFileSync(
          sharedPath('fixtures/powerwall/vloschiavo-powerwall2/samples/api_meters_aggregates.json'),
          'utf8',
        ),
      ),
    );
    assert.ok(r.ok);
    assert.deepEqual(Object.keys(r.value.meters).sort(), ['battery', 'load', 'site', 'solar']);
  });

  it('parses RFC 3339 with nanoseconds and offsets; Go zero time means never', () => {
    assert.equal(
      parseGatewayTime('2021-12-26T13:09:22.321056599-07:00'),
      Date.parse('2021-12-26T20:09:22.321Z'),
    );
    assert.equal(parseGatewayTime('2023-12-16T08:33:19.4-08:00'), Date.parse('2023-12-16T16:33:19.400Z'));
    assert.equal(parseGatewayTime('2018-04-02T16:11:41Z'), Date.parse('2018-04-02T16:11:41Z'));
    assert.equal(parseGatewayTime('2021-12-26T13:09:22+05:30'), Date.parse('2021-12-26T07:39:22Z'));
    assert.equal(parseGatewayTime('0001-01-01T00:00:00Z'), null);
    for (const bad of ['', 'TIMEOUT!', '2021-02-30T00:00:00Z', '2021-12-26 13:09:22Z', 42, null])
      assert.equal(parseGatewayTime(bad), undefined, String(bad));
  });

  it('keeps state of energy raw and on the app scale (raw − 5) / 0.95', () => {
    const r = mapSoe({ percentage: 42.415190953701725 });
    assert.ok(r.ok);
    assert.equal(r.value.rawPercent, 42.415190953701725);
    assert.ok(Math.abs(r.value.appPercent - (42.415190953701725 - 5) / 0.95) < 1e-12);
    assert.equal(appSocPercent(5), 0);
    assert.equal(appSocPercent(100), 100);
    assert.equal(appSocPercent(2), 0);
    assert.ok(!mapSoe({ percentage: 'x' }).ok && !mapSoe({ percentage: 140 }).ok && !mapSoe([]).ok);
  });

  it('classifies replies: 502 empty = stopped, 502 with a body is not, 404 absent, 401/403 auth, 429', () => {
    assert.equal(classifyReply(502, '').kind, 'stopped');
    assert.equal(classifyReply(502, '<html>bad gateway</html>').kind, 'gateway-error');
    assert.equal(classifyReply(404, '404 page not found\n').kind, 'absent');
    assert.equal(classifyReply(401, '').kind, 'auth');
    assert.equal(classifyReply(403, '{}').kind, 'auth');
    assert.equal(classifyReply(429, '').kind, 'rate-limited');
    assert.equal(classifyReply(200, '').kind, 'ok');
  });

  it('never throws on any JSON value or any text, and never yields a negative counter or NaN (fast-check)', () => {
    const meterish = fc.record(
      {
        instant_power: fc.oneof(fc.double(), fc.string(), fc.constant(null)),
        energy_imported: fc.oneof(fc.double(), fc.string(), fc.constant(null)),
        energy_exported: fc.oneof(fc.double(), fc.string()),
        last_communication_time: fc.oneof(fc.string(), fc.constant('0001-01-01T00:00:00Z'), fc.integer()),
      },
      { requiredKeys: [] },
    );
    const aggregatesish = fc.record(
      { site: fc.oneof(meterish, fc.jsonValue()), battery: meterish, load: meterish, solar: meterish },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), aggregatesish), (body) => {
        for (const route of ROUTES) {
          const r = ROUTE_MAPPERS[route](body);
          assert.equal(typeof r.ok, 'boolean');
        }
        const agg = mapAggregates(body);
        if (agg.ok) {
          for (const x of aggregatesToReadings(agg.value, { siteId: 's', askedMs: 0, receivedMs: 0 })) {
            assert.ok(Number.isFinite(x.value) && Number.isFinite(x.tMs));
            if (x.kind === 'counter') assert.ok(x.value >= 0);
          }
        }
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        for (const route of ROUTES) assertTyped(mapBody(route, text), 'text');
      }),
      { numRuns: 300 },
    );
  });
});
