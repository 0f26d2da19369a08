// Configuration of one smart-meter puller (a JSON document of 15-minute OBIS registers). Unknown keys
// are errors.
import { type Static, Type } from '@sinclair/typebox';

export const SmartMeterConfigSchema = Type.Object(
  {
    source: Type.Literal('smart-meter'),
    name: Type.String({ minLength: 1, pattern: '^[A-Za-z0-9._-]+$' }),
    /** An http(s) URL or a file path of the document. */
    url: Type.String({ minLength: 1 }),
    /** How often the document is fetched (default 15 minutes, one register period). */
    intervalMs: Type.Integer({ minimum: 100, default: 900_000 }),
    timeoutMs: Type.Integer({ minimum: 50, default: 30_000 }),
    /** Query parameter that asks the server for records from an instant on (e.g. `from`), so a pull
     * downloads only what is new; without it the whole document is fetched and filtered here. */
    sinceParam: Type.Optional(Type.String({ minLength: 1 })),
    /** Time zone of the meters' sites (local days). */
    timezone: Type.String({ default: 'UTC' }),
  },
  { additionalProperties: false },
);

export type SmartMeterConfig = Static<typeof SmartMeterConfigSchema>;
