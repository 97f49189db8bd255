/**
 * The OpenAPI document (issue 13, developers): every request and response body is a named
 * schema in components.schemas, referenced by $ref; nothing a viewer would show as
 * "(any & object)" (an allOf, or an empty schema); and every named schema has an example
 * that its own zod schema accepts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NAMED_SCHEMAS } from '../../src/routes/api/schemas.ts';
import { createTestContext, type TestContext } from '../support/context.ts';

type Json = Record<string, any>;

let t: TestContext;
let doc: Json;
beforeAll(async () => {
  t = await createTestContext();
  doc = (await (await t.app.request('/api/v1/openapi.json')).json()) as Json;
});
afterAll(() => t.close());

/** Every schema object in the document, with where it is. */
function schemas(node: unknown, path: string, out: { path: string; schema: Json }[] = []) {
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) schemas(item, `${path}/${i}`, out);
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node as Json)) {
      if (key === 'example' || key === 'examples') continue;
      const here = `${path}/${key}`;
      if (key === 'schema' || key === 'items' || key === 'additionalProperties') out.push({ path: here, schema: value as Json });
      if (key === 'properties' || key === 'schemas')
        for (const [name, s] of Object.entries(value as Json)) out.push({ path: `${here}/${name}`, schema: s as Json });
      if (key === 'allOf' || key === 'anyOf' || key === 'oneOf')
        for (const [i, s] of (value as Json[]).entries()) out.push({ path: `${here}/${i}`, schema: s });
      schemas(value, here, out);
    }
  }
  return out;
}

describe('the OpenAPI document', () => {
  it('has no allOf and no empty (any) schema anywhere', () => {
    const all = schemas(doc, '');
    expect(all.length).toBeGreaterThan(50);
    expect(all.filter(({ schema }) => typeof schema === 'object' && 'allOf' in schema).map((s) => s.path)).toEqual([]);
    expect(all.filter(({ schema }) => typeof schema === 'object' && Object.keys(schema).length === 0).map((s) => s.path)).toEqual([]);
  });

  it('names every request and response body: a $ref to components.schemas', () => {
    const bodies: { where: string; schema: Json }[] = [];
    for (const [path, operations] of Object.entries(doc.paths as Json)) {
      for (const [method, operation] of Object.entries(operations as Json)) {
        for (const [type, media] of Object.entries((operation.requestBody?.content ?? {}) as Json))
          bodies.push({ where: `${method} ${path} request ${type}`, schema: media.schema });
        for (const [status, response] of Object.entries(operation.responses as Json)) {
          for (const [type, media] of Object.entries((response.content ?? {}) as Json))
            bodies.push({ where: `${method} ${path} ${status} ${type}`, schema: media.schema });
        }
      }
    }
    expect(bodies.length).toBeGreaterThan(40);
    const unnamed = bodies.filter(({ schema }) => !/^#\/components\/schemas\/\w+$/.test(schema?.$ref ?? '')).map((b) => b.where);
    expect(unnamed).toEqual([]);
    for (const { schema } of bodies) expect(doc.components.schemas).toHaveProperty(schema.$ref.split('/').at(-1));
  });

  it('gives every named schema an example that its zod schema accepts', () => {
    const names = Object.keys(doc.components.schemas);
    expect(names.sort()).toEqual(Object.keys(NAMED_SCHEMAS).sort());
    for (const name of names) {
      const example = doc.components.schemas[name].example;
      expect(example, name).toBeDefined();
      const result = NAMED_SCHEMAS[name]!.safeParse(example);
      expect(result.success ? [] : result.error.issues, name).toEqual([]);
    }
  });

  it('has examples a strict request schema would refuse if they were wrong (the check can fail)', () => {
    expect(NAMED_SCHEMAS.RegistrationCreate!.safeParse({ ...doc.components.schemas.RegistrationCreate.example, extra: 1 }).success).toBe(false);
    expect(NAMED_SCHEMAS.Match!.safeParse({ ...doc.components.schemas.Match.example, status: 'half' }).success).toBe(false);
  });
});
