import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The rules that keep gridgov easy to change, held by test rather than by habit (docs/ARCHITECTURE.md): a new
 * break fails here with the file (and line). The breaks that predate the rules are listed in KNOWN, each to be
 * mended (issue 12): the list may only shrink — an entry that no longer breaks its rule fails too, so that it
 * is taken off when mended.
 */
const KNOWN: Record<string, string[]> = {
  webImportsServer: [],
  sqlOutsideRepositories: [],
  seedInModules: [],
  longFiles: [],
};

/** Breaks not listed as known, and known ones that no longer break (to be taken off the list). */
function unexpected(rule: string, found: string[], keyOf: (entry: string) => string = (e) => e) {
  const known = new Set(KNOWN[rule] ?? []);
  const keys = new Set(found.map(keyOf));
  return {
    newBreaks: found.filter((entry) => !known.has(keyOf(entry))),
    mended: [...known].filter((entry) => !keys.has(entry)),
  };
}

const ROOT = join(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');

interface SourceFile {
  path: string;
  text: string;
  imports: string[];
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return walk(path);
    return /\.(ts|tsx)$/.test(entry.name) ? [path] : [];
  });
}

/** Every source file (tests and test helpers apart), with the modules it imports resolved to repo paths. */
function sources(): SourceFile[] {
  return walk(SRC)
    .filter((path) => !/\.test\.tsx?$/.test(path) && !path.includes('/testing/'))
    .map((path) => {
      const text = readFileSync(path, 'utf8');
      const imports = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)]
        .map((m) => m[1] ?? '')
        .filter((spec) => spec.startsWith('.'))
        .map((spec) => relative(ROOT, join(path, '..', spec)));
      return { path: relative(ROOT, path), text, imports };
    });
}

const FILES = sources();
const moduleOf = (path: string) => /^src\/server\/modules\/([^/]+)\//.exec(path)?.[1] ?? null;

/** Lines of a file matching a pattern, as `path:line: text`. */
function linesMatching(file: SourceFile, pattern: RegExp): string[] {
  return file.text
    .split('\n')
    .flatMap((line, index) => (pattern.test(line) ? [`${file.path}:${index + 1}: ${line.trim()}`] : []));
}

describe('architecture', () => {
  it('keeps server code out of the web console and the shared code', () => {
    const broken = FILES.filter((f) => /^src\/(web|shared)\//.test(f.path)).flatMap((f) =>
      f.imports
        .filter((target) => target.startsWith('src/server/') || target.startsWith('src/cli/'))
        .map((t) => `${f.path} → ${t}`),
    );
    expect(unexpected('webImportsServer', broken)).toEqual({ newBreaks: [], mended: [] });
  });

  it('keeps Node out of the shared code, which the browser runs too', () => {
    const broken = FILES.filter((f) => f.path.startsWith('src/shared/')).flatMap((f) =>
      linesMatching(f, /from 'node:/),
    );
    expect(broken).toEqual([]);
  });

  it('writes SQL only in repositories and the database folder', () => {
    const sqlPattern = /\b(selectFrom|insertInto|updateTable|deleteFrom|replaceInto)\(|\bsql(<[^>]*>)?`/;
    const broken = FILES.filter(
      (f) =>
        f.path.startsWith('src/server/modules/') &&
        !/\.repository\.ts$/.test(f.path) &&
        !f.path.includes('/modules/audit/audit-chain.ts'),
    ).flatMap((f) => linesMatching(f, sqlPattern));
    expect(unexpected('sqlOutsideRepositories', broken, (e) => e.split(':')[0] ?? e)).toEqual({
      newBreaks: [],
      mended: [],
    });
  });

  it('lets a module reach another only through its services, never its repository or routes', () => {
    const broken = FILES.flatMap((f) => {
      const own = moduleOf(f.path);
      if (!own) return [];
      return f.imports
        .filter((target) => {
          const other = moduleOf(target);
          return other !== null && other !== own && /\.(repository|routes)\.ts$/.test(target);
        })
        .map((t) => `${f.path} → ${t}`);
    });
    expect(broken).toEqual([]);
  });

  it('keeps the demo seed out of the modules', () => {
    const broken = FILES.filter((f) => moduleOf(f.path)).flatMap((f) =>
      f.imports.filter((t) => t.startsWith('src/server/db/seed/')).map((t) => `${f.path} → ${t}`),
    );
    expect(unexpected('seedInModules', broken)).toEqual({ newBreaks: [], mended: [] });
  });

  it('keeps files small enough to read', () => {
    const tooLong = FILES.filter(
      (f) => f.text.split('\n').length > 700 && !f.path.startsWith('src/web/i18n/'),
    ).map((f) => f.path);
    expect(unexpected('longFiles', tooLong)).toEqual({ newBreaks: [], mended: [] });
  });
});
