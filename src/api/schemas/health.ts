import { Type } from '@sinclair/typebox';
import { StringEnum } from './common.ts';

export const HealthResponse = Type.Object({ status: StringEnum(['ok'] as const) });
