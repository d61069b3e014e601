import type { FastifyInstance } from 'fastify';

/** One operation of the OpenAPI document: what a route-walking test calls. */
export interface Operation {
  method: string;
  /** The path as the document writes it, with `{param}` placeholders. */
  path: string;
  params: string[];
  requestSchema: JsonSchema | null;
  contentType: string | null;
}

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minimum?: number;
  minLength?: number;
  minItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
}

interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { in: string; name: string }[];
        requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
      }
    >
  >;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every operation the app documents: the list a new route joins by being written. */
export async function documentedOperations(app: FastifyInstance): Promise<Operation[]> {
  await app.ready();
  const document = app.swagger() as unknown as OpenApiDocument;
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const params = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');
      const content = operation.requestBody?.content ?? {};
      const contentType = Object.keys(content)[0] ?? null;
      operations.push({
        method: method.toUpperCase(),
        path,
        params,
        requestSchema: contentType ? (content[contentType]?.schema ?? null) : null,
        contentType,
      });
    }
  }
  return operations;
}

/**
 * A body that satisfies the schema's types and required fields as far as can be told without knowing the
 * domain: enough for most requests to get past validation and reach the service's own checks.
 * `overrides` names values for fields by name (e.g. the record's real `version`).
 */
export function sampleOf(
  schema: JsonSchema | undefined,
  overrides: Record<string, unknown> = {},
  depth = 0,
): unknown {
  if (!schema || depth > 6) return null;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches?.length) {
    const concrete = branches.find((b) => b.type !== 'null') ?? branches[0];
    return sampleOf(concrete, overrides, depth + 1);
  }
  if (schema.allOf?.length) return sampleOf(schema.allOf[0], overrides, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const body: Record<string, unknown> = {};
      for (const name of schema.required ?? []) {
        body[name] =
          name in overrides ? overrides[name] : sampleOf(schema.properties?.[name], overrides, depth + 1);
      }
      for (const [name, value] of Object.entries(overrides)) {
        if (schema.properties && name in schema.properties) body[name] = value;
      }
      return body;
    }
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => sampleOf(schema.items, overrides, depth + 1));
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 1, 1);
    case 'boolean':
      return false;
    case 'string':
      if (schema.format === 'date') return '2026-11-23';
      if (schema.format === 'date-time') return '2026-11-23T02:00:00.000Z';
      if (schema.format === 'uri') return 'https://example.org/';
      return 'x'.repeat(Math.max(schema.minLength ?? 2, 2));
    default:
      return null;
  }
}

/** The path with its placeholders filled in. */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? '1'));
}
