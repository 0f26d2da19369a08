// /v1/roofs: roof site models with their revisions, the tiling view of a roof's planes, and import of one
// document through the same cleaning and validation as `wattline roofs import`.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { WattlineError } from '../../domain/errors.ts';
import { formatInstant, parseInstant } from '../../domain/time.ts';
import { tilingPlanes } from '../../roofs/export-rows.ts';
import { prepareRoofValue } from '../../roofs/prepare.ts';
import type { RoofStore, StoredRevision } from '../../roofs/roof-store.ts';
import { decodeCursor, encodeCursor, nextLink } from '../paging.ts';
import { BODY_PROBLEMS, json, problems } from '../schemas/common.ts';
import {
  InstallationParams,
  InstallationSummarySchema,
  PostRoofBody,
  PostRoofQuery,
  PostRoofResponse,
  RevisionQuery,
  RoofListQuery,
  RoofRevisionSchema,
  TilingViewSchema,
} from '../schemas/roofs.ts';

export interface RoofRouteDeps {
  /** Absent when the app runs without roofs: the routes then answer 503. */
  roofStore?: RoofStore;
}

const iso = (ms: number) => new Date(ms).toISOString();

export const roofRoutes: FastifyPluginAsyncTypebox<RoofRouteDeps> = async (app, { roofStore }) => {
  const store = (): RoofStore => {
    if (roofStore === undefined)
      throw new WattlineError('roofs-unavailable', 'This server runs without a roof store');
    return roofStore;
  };

  async function revisionOf(id: string, q: RevisionQuery): Promise<StoredRevision> {
    let asOfMs: number | undefined;
    if (q.asOf !== undefined) {
      asOfMs = parseInstant(q.asOf);
      if (asOfMs === undefined)
        throw new WattlineError('invalid-datetime', `asOf is not a date-time: ${q.asOf}`, [
          {
            path: '/asOf',
            message: 'is not a valid date-time; expected ISO 8601 with Z or an offset',
            value: q.asOf,
          },
        ]);
    }
    const rev = await store().getRevision(id, { revision: q.revision, asOfMs });
    if (rev !== undefined) return rev;
    const which =
      q.revision !== undefined
        ? `revision ${q.revision}`
        : q.asOf !== undefined
          ? `a revision as of ${q.asOf}`
          : 'any revision';
    const path = q.revision !== undefined ? '/revision' : q.asOf !== undefined ? '/asOf' : '/installationId';
    const value = q.revision ?? q.asOf ?? id;
    throw new WattlineError('roof-not-found', `Installation ${id} has no ${which}`, [
      { path, message: 'not found', value },
    ]);
  }

  app.get(
    '/roofs',
    {
      schema: {
        tags: ['roofs'],
        summary: 'Roof installations, by id',
        querystring: RoofListQuery,
        response: {
          200: json(Type.Array(InstallationSummarySchema), 'A page of installations'),
          ...problems(400, 500, 503),
        },
      },
    },
    async (req, reply) => {
      const { limit = 100, cursor } = req.query;
      const afterId = cursor === undefined ? undefined : decodeCursor(cursor, { id: 'string' }).id;
      const page = await store().listInstallations({ limit: limit + 1, afterId });
      const shown = page.slice(0, limit);
      const last = shown[shown.length - 1];
      if (page.length > limit && last !== undefined)
        reply.header('link', nextLink(req.url, encodeCursor({ id: last.installationId })));
      return shown.map((i) => ({
        installationId: i.installationId,
        latestRevision: i.latestRevision,
        revisions: i.revisions,
        firstImportedAt: iso(i.firstImportedMs),
        lastImportedAt: iso(i.lastImportedMs),
        buildings: i.buildings,
        planes: i.planes,
      }));
    },
  );

  app.get(
    '/roofs/:installationId',
    {
      schema: {
        tags: ['roofs'],
        summary: 'One installation’s site model: the latest revision, or one by number or time',
        params: InstallationParams,
        querystring: RevisionQuery,
        response: { 200: json(RoofRevisionSchema, 'The revision'), ...problems(400, 404, 500, 503) },
      },
    },
    async (req) => {
      const rev = await revisionOf(req.params.installationId, req.query);
      const all = await store().revisions(rev.installationId);
      return {
        installationId: rev.installationId,
        revision: rev.revision,
        importedAt: iso(rev.importedMs),
        contentHash: rev.contentHash,
        formatVersion: rev.formatVersion,
        dateCreated: rev.dateCreated,
        revisions: all.map((r) => ({
          revision: r.revision,
          importedAt: iso(r.importedMs),
          contentHash: r.contentHash,
        })),
        issues: rev.issues,
        document: rev.document,
      };
    },
  );

  app.get(
    '/roofs/:installationId/planes',
    {
      schema: {
        tags: ['roofs'],
        summary: 'The tiling view: every mounting plane’s angles, coordinate system, normal and vertices',
        params: InstallationParams,
        querystring: RevisionQuery,
        response: { 200: json(TilingViewSchema, 'The planes'), ...problems(400, 404, 500, 503) },
      },
    },
    async (req) => {
      const rev = await revisionOf(req.params.installationId, req.query);
      return {
        installationId: rev.installationId,
        revision: rev.revision,
        importedAt: formatInstant(rev.importedMs),
        lengthUnit: rev.document.siteModel.units.length,
        planes: tilingPlanes(rev),
      };
    },
  );

  app.post(
    '/roofs',
    {
      schema: {
        tags: ['roofs'],
        summary: 'Import one site-model document (cleaned and validated; 400 names each rejected field)',
        querystring: PostRoofQuery,
        body: PostRoofBody,
        response: {
          200: json(PostRoofResponse, 'Identical to the latest revision: nothing stored'),
          201: json(PostRoofResponse, 'Stored as the first or a new revision'),
          ...problems(...BODY_PROBLEMS, 503),
        },
      },
    },
    async (req, reply) => {
      const roofs = store();
      const prepared = prepareRoofValue(req.body, { strict: req.query.strict === true });
      if (!prepared.ok) {
        const rejections = prepared.issues.filter((i) => i.severity === 'rejection');
        throw new WattlineError(
          'invalid-roof-document',
          `${rejections.length} problem${rejections.length === 1 ? '' : 's'} in the document; nothing was stored`,
          rejections.map((i) => ({ path: i.path, message: `${i.message} (${i.rule})`, value: i.oldValue })),
        );
      }
      const [outcome] = await roofs.importRevisions([
        {
          installationId: prepared.installationId,
          contentHash: prepared.contentHash,
          document: prepared.document,
          issues: prepared.issues,
          canonical: prepared.canonical,
        },
      ]);
      reply.status(outcome!.status === 'unchanged' ? 200 : 201);
      return {
        installationId: outcome!.installationId,
        status: outcome!.status,
        revision: outcome!.revision,
        importedAt: iso(outcome!.importedMs),
        fixes: prepared.issues.filter((i) => i.severity === 'fix').length,
        warnings: prepared.issues.filter((i) => i.severity === 'warning').length,
        issues: prepared.issues,
      };
    },
  );
};
