import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/** One answer as received: what was asked and what came back. */
export interface ReceivedAnswer {
  readonly method: string;
  /** The request's path, with its query string if any. */
  readonly url: string;
  readonly status: number;
  readonly contentType: string | null;
  /** The parsed JSON body, the text of any other body, or undefined when it was not read (a stream). */
  readonly body: unknown;
}

/** What is wrong with an answer: no such route, an undeclared status or media type, a body off its schema, or a hole in the document. */
export interface Problem {
  readonly kind: 'route' | 'status' | 'media-type' | 'body' | 'schema';
  readonly detail: string;
}

interface ResponseObject { $ref?: string; content?: Record<string, { schema?: unknown }> }
interface OperationObject { responses: Record<string, ResponseObject> }
interface Document { paths: Record<string, Record<string, OperationObject>> }

const BASE = 'https://gateway.invalid/openapi.json';
/** Keywords of the OpenAPI document that are not JSON Schema; ajv only needs to know them to resolve pointers through the document. */
const OPENAPI_KEYWORDS = ['openapi', 'info', 'servers', 'paths', 'components', 'security', 'tags', 'webhooks', 'jsonSchemaDialect', 'externalDocs'];
const pointer = (...segments: string[]) => `#/${segments.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

/**
 * Checks answers against an OpenAPI 3.1 document: the path matches one of its templates,
 * the status is declared for that operation, the media type is one the status declares,
 * and a JSON body matches that status's schema (JSON Schema 2020-12, checked by ajv with
 * its formats). A path or method the document does not serve must be answered with the
 * error body and 404 or 405.
 */
export class OpenApiValidator {
  private readonly ajv: Ajv2020;
  private readonly templates: { template: string; pattern: RegExp; literals: number }[];
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly document: Document;

  constructor(document: unknown) {
    this.document = document as Document;
    this.ajv = new Ajv2020({ strict: true, allErrors: true, strictTypes: false });
    addFormats(this.ajv);
    this.ajv.addVocabulary(OPENAPI_KEYWORDS);
    this.ajv.addSchema({ ...this.document, $id: BASE });
    this.templates = Object.keys(this.document.paths).map((template) => ({
      template,
      pattern: new RegExp(`^${template.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+')}$`),
      literals: template.replace(/\{[^}]+\}/g, '').length,
    }));
  }

  /** The problems with one answer; none when the document describes it. */
  check(answer: ReceivedAnswer): Problem[] {
    const path = answer.url.split('?')[0] ?? '';
    const method = answer.method.toLowerCase();
    const what = `${answer.method.toUpperCase()} ${path} → ${answer.status}`;
    // The most literal template wins: /certificates/{id}/offer/accept over a template with more parameters.
    const template = this.templates.filter((t) => t.pattern.test(path) && this.document.paths[t.template]?.[method])
      .sort((a, b) => b.literals - a.literals)[0]?.template;
    if (!template) {
      if (answer.status !== 404 && answer.status !== 405) return [{ kind: 'route', detail: `${what}: the document has no operation for it, so it must be answered 404 or 405` }];
      return this.against(pointer('components', 'schemas', 'Error'), answer.body, what);
    }
    const responses = this.document.paths[template]![method]!.responses;
    if (!responses[answer.status]) {
      return [{ kind: 'status', detail: `${what}: status ${answer.status} is not declared for ${method.toUpperCase()} ${template} (declared: ${Object.keys(responses).join(', ')})` }];
    }
    let location = pointer('paths', template, method, 'responses', String(answer.status));
    let response = responses[answer.status]!;
    if (response.$ref) {
      location = response.$ref;
      response = this.resolve(response.$ref) as ResponseObject;
    }
    const declared = Object.keys(response.content ?? {});
    if (declared.length === 0) return answer.body === undefined || answer.body === '' ? [] : [{ kind: 'media-type', detail: `${what}: a body where ${template} declares none` }];
    const mediaType = (answer.contentType ?? '').split(';')[0]!.trim().toLowerCase();
    if (!declared.includes(mediaType)) return [{ kind: 'media-type', detail: `${what}: media type "${mediaType}" where ${template} declares ${declared.join(', ')}` }];
    if (answer.body === undefined) return [];
    return this.against(`${location}/content/${mediaType.replace(/\//g, '~1')}/schema`, answer.body, what);
  }

  /** The problems with a request body by the operation's own schema (say, one a test generated); none when the document accepts it. */
  checkRequestBody(method: string, template: string, body: unknown): string[] {
    const location = `${pointer('paths', template, method.toLowerCase(), 'requestBody', 'content', 'application/json', 'schema')}`;
    return this.against(location, body, `${method.toUpperCase()} ${template} request`).map((p) => p.detail);
  }

  private against(location: string, body: unknown, what: string): Problem[] {
    let validate = this.compiled.get(location);
    if (!validate) {
      validate = this.ajv.getSchema(`${BASE}${location}`);
      if (!validate) return [{ kind: 'schema', detail: `${what}: the document has no schema at ${location}` }];
      this.compiled.set(location, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).slice(0, 8).map((e) => ({
      kind: 'body' as const, detail: `${what}: body${e.instancePath} ${e.message ?? 'is invalid'} (${e.schemaPath}) in ${JSON.stringify(body).slice(0, 300)}`,
    }));
  }

  private resolve(ref: string): unknown {
    return ref.replace(/^#\//, '').split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], this.document);
  }
}
