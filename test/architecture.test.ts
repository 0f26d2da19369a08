// DESIGN §4: domain/, normalize/ and analytics/ are pure. They import no `node:` module or other Node
// built-in, no database and no network client, and reach no other part of src/ (whose I/O would come in
// through them). `import type` is allowed: it is erased at compile time.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');
const PURE_DIRS = ['domain', 'normalize', 'analytics'];

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, m.split('/')[0]!]));

/** Database and network clients, and servers: packages themselves and everything under their scope. */
const FORBIDDEN_PACKAGES = [
  /^@duckdb\//,
  /^duckdb(-async)?$/,
  /^pg(-.*)?$/,
  /^postgres$/,
  /^better-sqlite3$/,
  /^sqlite3?$/,
  /^mysql2?$/,
  /^fastify$/,
  /^@fastify\//,
  /^undici$/,
  /^axios$/,
  /^node-fetch$/,
  /^ws$/,
];

interface ImportSite {
  specifier: string;
  line: number;
  /** Erased at compile time: `import type`, `export type ... from`, or a type-position `import('x')`. */
  typeOnly: boolean;
}

/** Every module a TypeScript source file reaches: static imports, re-exports, dynamic import() and require(). */
function importsOf(fileName: string, text: string): ImportSite[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: ImportSite[] = [];
  const add = (spec: ts.Node | undefined, node: ts.Node, typeOnly: boolean) => {
    if (spec === undefined || !ts.isStringLiteralLike(spec)) return;
    const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
    out.push({ specifier: spec.text, line, typeOnly });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      add(node.moduleSpecifier, node, node.importClause?.isTypeOnly === true);
    } else if (ts.isExportDeclaration(node)) {
      add(node.moduleSpecifier, node, node.isTypeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node, node.isTypeOnly);
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg)) add(arg.literal, node, true);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isDynamicImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      if (isDynamicImport || isRequire) {
        const arg = node.arguments[0];
        if (arg !== undefined && ts.isStringLiteralLike(arg)) add(arg, node, false);
        // A computed specifier cannot be checked, so it is refused outright.
        else
          out.push({
            specifier: '<computed>',
            line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1,
            typeOnly: false,
          });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** Why a pure file may not import `spec`, or undefined when it may. */
function violation(fromFile: string, spec: string): string | undefined {
  if (spec === '<computed>') return 'a dynamic import or require with a computed specifier';
  if (spec.startsWith('node:')) return 'a node: module';
  if (BUILTINS.has(spec) || BUILTINS.has(spec.split('/')[0]!)) return 'a Node built-in module';
  if (FORBIDDEN_PACKAGES.some((re) => re.test(spec))) return 'a database or network client';
  if (spec.startsWith('.') || spec.startsWith('/')) {
    const target = relative(SRC, resolve(dirname(fromFile), spec));
    const top = target.split(sep)[0]!;
    if (target.startsWith('..') || !PURE_DIRS.includes(top))
      return `code outside the pure layers (src/${target})`;
  }
  return undefined;
}

function tsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) return tsFiles(p);
      return /\.(c|m)?tsx?$/.test(name) && !name.endsWith('.d.ts') ? [p] : [];
    });
}

describe('§4 architecture: domain/, normalize/ and analytics/ are pure', () => {
  it('§4 the import scanner sees every form of import and tells type-only ones apart', () => {
    const sample = [
      "import fs from 'node:fs';",
      "import type { Readable } from 'node:stream';",
      "import { type Pool } from 'pg';",
      "import * as http from 'http';",
      "import 'undici';",
      "export { DuckDBInstance } from '@duckdb/node-api';",
      "export type { FastifyInstance } from 'fastify';",
      "export * from './x.ts';",
      "import cp = require('child_process');",
      "const net = await import('net');",
      "const m = require('postgres');",
      'const c = await import(name);',
      "type T = import('node:fs').Stats;",
      '// import nothing from "node:os" in a comment',
      'const s = \'import x from "node:os"\';',
    ].join('\n');
    const found = importsOf('sample.ts', sample).map((i) => [i.specifier, i.typeOnly]);
    assert.deepEqual(found, [
      ['node:fs', false],
      ['node:stream', true],
      ['pg', false],
      ['http', false],
      ['undici', false],
      ['@duckdb/node-api', false],
      ['fastify', true],
      ['./x.ts', false],
      ['child_process', false],
      ['net', false],
      ['postgres', false],
      ['<computed>', false],
      ['node:fs', true],
    ]);
  });

  it('§4 the rule refuses built-ins, database and network clients, and code outside the pure layers', () => {
    const from = join(SRC, 'normalize', 'x.ts');
    for (const spec of ['node:fs', 'fs', 'fs/promises', 'http', 'net', 'child_process', 'worker_threads']) {
      assert.ok(violation(from, spec), spec);
    }
    for (const spec of [
      '@duckdb/node-api',
      'pg',
      'pg-copy-streams',
      'postgres',
      'fastify',
      '@fastify/swagger',
      'undici',
    ]) {
      assert.ok(violation(from, spec), spec);
    }
    assert.ok(violation(from, '../store/store.ts'));
    assert.ok(violation(from, '../../test/support/shared.ts'));
    assert.equal(violation(from, '../domain/time.ts'), undefined);
    assert.equal(violation(from, './dedupe.ts'), undefined);
    assert.equal(violation(from, '../analytics/rollup.ts'), undefined);
    assert.equal(violation(from, 'fast-check'), undefined);
  });

  it('§4 no file under src/domain, src/normalize or src/analytics imports I/O', () => {
    const files = PURE_DIRS.flatMap((d) => tsFiles(join(SRC, d)));
    assert.ok(
      files.some((f) => f.includes(`${sep}domain${sep}`)),
      'src/domain has files',
    );
    assert.ok(
      files.some((f) => f.includes(`${sep}normalize${sep}`)),
      'src/normalize has files',
    );
    const problems: string[] = [];
    for (const file of files) {
      for (const imp of importsOf(file, readFileSync(file, 'utf8'))) {
        if (imp.typeOnly) continue;
        const why = violation(file, imp.specifier);
        if (why) problems.push(`${relative(ROOT, file)}:${imp.line} imports '${imp.specifier}': ${why}`);
      }
    }
    assert.deepEqual(problems, [], `pure layers must stay pure (DESIGN §4):\n${problems.join('\n')}`);
  });
});
