// The GraphQL conformance suite: graphql-js (the reference implementation, pinned in
// package-lock.json) against the order service's engine.
//
//   node conformance.mjs --verdict PATH/graphql-verdict [--live]
//
// 1. verdicts  For every document of corpus/, graphql-js parses it and validates it against
//              schema.graphql (docs/api.md); graphql-verdict does the same with our engine and the
//              service's own schema. The verdicts (parse error, validation error, valid) must
//              agree, and so must the line and column of the first error: the first of the list
//              each returns. Documents of corpus-limits/ trip our request limits, which
//              graphql-js does not have: there only our side is checked (a limit error).
// 2. data      (--live, needs GRAPHQL_URL and TOKEN) Seeds a few orders, waits until each is
//              shipped or failed, takes one snapshot of everything the user can see, then runs
//              every valid query of the corpus against the endpoint and, in graphql-js, against
//              resolvers that read that snapshot: the two `data` must be the same JSON.
// 3. introspection  (--live) getIntrospectionQuery() against the endpoint must give a schema that
//              buildClientSchema accepts, with the types, fields, arguments and argument types of
//              schema.graphql (descriptions aside).
// 4. selection (--live) valid documents whose operation cannot be selected (several and no
//              operationName, or an unknown name) fail as in graphql-js, as request errors coded
//              OPERATION_RESOLUTION_FAILURE.
//
// Exits 1 when anything disagrees, after printing every disagreement.

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import {
  GraphQLError,
  buildClientSchema,
  buildSchema,
  execute,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  parse,
  validate,
} from 'graphql';

const here = dirname(fileURLToPath(import.meta.url));
const schemaSource = readFileSync(join(here, 'schema.graphql'), 'utf8');
const schema = buildSchema(schemaSource);

const problems = [];
const problem = (text) => problems.push(text);

function argument(name) {
  const index = process.argv.indexOf(name);
  return index > 0 ? process.argv[index + 1] : undefined;
}

function corpusFiles(folder) {
  const path = join(here, folder);
  if (!existsSync(path)) {
    return [];
  }
  return readdirSync(path)
    .filter((name) => name.endsWith('.graphql'))
    .sort()
    .map((name) => join(path, name));
}

// A document's sidecar (NNN-name.json): {"variables": {...}, "operationName": "..."}.
function sidecar(file) {
  const path = file.replace(/\.graphql$/, '.json');
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
}

function firstError(verdict, errors) {
  const error = errors[0];
  const location = error.locations?.[0];
  return {
    verdict,
    message: error.message,
    line: location?.line,
    column: location?.column,
    errors: errors.length,
  };
}

// What graphql-js makes of a document.
function referenceVerdict(source) {
  let document;
  try {
    document = parse(source);
  } catch (error) {
    if (!(error instanceof GraphQLError)) {
      throw error;
    }
    return firstError('parse', [error]);
  }
  const errors = validate(schema, document);
  return errors.length > 0 ? { ...firstError('validation', errors), document } : { verdict: 'valid', document };
}

function ourVerdicts(verdictBinary, files) {
  const verdicts = new Map();
  if (files.length === 0) {
    return verdicts;
  }
  const output = execFileSync(verdictBinary, files, { encoding: 'utf8', maxBuffer: 64 << 20 });
  for (const line of output.split('\n').filter(Boolean)) {
    const verdict = JSON.parse(line);
    verdicts.set(verdict.file, verdict);
  }
  return verdicts;
}

const show = (v) =>
  `${v.verdict}${v.line !== undefined ? ` at ${v.line}:${v.column}` : ''}${v.message ? `: ${v.message}` : ''}`;

// Part 1. Returns the documents graphql-js found valid, for part 2.
function compareVerdicts(verdictBinary) {
  const files = corpusFiles('corpus');
  const limitFiles = corpusFiles('corpus-limits');
  const ours = ourVerdicts(verdictBinary, [...files, ...limitFiles]);
  const valid = [];
  let agreed = 0;
  let sameMessage = 0;
  let withErrors = 0;
  const counts = { parse: 0, validation: 0, valid: 0 };
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    const reference = referenceVerdict(source);
    const our = ours.get(file);
    counts[reference.verdict] += 1;
    const agree =
      our !== undefined &&
      our.verdict === reference.verdict &&
      our.line === reference.line &&
      our.column === reference.column;
    if (agree) {
      agreed += 1;
      if (reference.verdict !== 'valid') {
        withErrors += 1;
        if (our.message === reference.message) {
          sameMessage += 1;
        }
      }
    } else {
      problem(
        `${basename(file)}\n    graphql-js: ${show(reference)}\n    ours:       ${our ? show(our) : 'no verdict'}`,
      );
    }
    if (reference.verdict === 'valid') {
      valid.push({ file, source, document: reference.document });
    }
  }
  console.log(
    `verdicts: ${agreed}/${files.length} documents agree (graphql-js: ${counts.parse} parse errors, ` +
      `${counts.validation} validation errors, ${counts.valid} valid); the first error's message is ` +
      `the same in ${sameMessage}/${withErrors}`,
  );

  let limited = 0;
  for (const file of limitFiles) {
    const our = ours.get(file);
    if (our?.verdict === 'limit') {
      limited += 1;
    } else {
      problem(`${basename(file)}\n    expected our limit error, got: ${our ? show(our) : 'no verdict'}`);
    }
  }
  console.log(`limits: ${limited}/${limitFiles.length} documents stopped by a request limit`);
  return valid;
}

// ---- the live endpoint ----

const graphqlUrl = process.env.GRAPHQL_URL;
const token = process.env.TOKEN;

// One POST to the endpoint: the HTTP status and the parsed body.
async function post(query, variables, operationName, accept) {
  const response = await fetch(graphqlUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept,
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ query, variables, operationName }),
  });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    throw new Error(`${graphqlUrl} answered HTTP ${response.status} with: ${text.slice(0, 200)}`);
  }
}

async function request(query, variables, operationName) {
  const { body } = await post(
    query,
    variables,
    operationName,
    'application/graphql-response+json, application/json',
  );
  return body;
}

async function requestData(query, variables) {
  const body = await request(query, variables);
  if (body.errors) {
    throw new Error(`the endpoint returned errors: ${JSON.stringify(body.errors)}`);
  }
  return body.data;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const fullOrder = `id identifier total status failureReason createdAt updatedAt
  items { sku quantity unitPrice }
  payment { id amount status providerId }
  shipment { carrier trackingNumber labelId }
  events { type recordedAt data }`;

// Orders that end in each way the choreography allows: shipped (with and without items), failed
// for want of stock, failed at payment (the total is above the charge limit).
async function seedOrders() {
  const { products } = await requestData('{ products { sku available } }');
  if (products.length === 0) {
    throw new Error('the seeded database has no products');
  }
  const sku = products[0].sku;
  const run = `conformance-${Date.now().toString(36)}`;
  const inputs = [
    { identifier: `${run}-a`, total: '12.50', items: [{ sku, quantity: 1 }] },
    { identifier: `${run}-b`, total: '3.00' },
    { identifier: `${run}-c`, total: '10.00', items: [{ sku, quantity: 1000000 }] },
    { identifier: `${run}-d`, total: '9999.99', items: [{ sku, quantity: 1 }] },
  ];
  const ids = [];
  for (const input of inputs) {
    const data = await requestData(
      'mutation Seed($input: CreateOrderInput!) { createOrder(input: $input) { id } }',
      { input },
    );
    ids.push(data.createOrder.id);
  }
  // Final once shipped or failed, and once the event log has stopped growing.
  const deadline = Date.now() + 30_000;
  let previous = null;
  for (;;) {
    const states = [];
    for (const id of ids) {
      const { order } = await requestData(
        'query State($id: ID!) { order(id: $id) { status events { type } } }',
        { id },
      );
      states.push(order);
    }
    const settled = states.every((o) => o.status === 'shipped' || o.status === 'failed');
    if (settled && isDeepStrictEqual(states, previous)) {
      return ids;
    }
    if (Date.now() > deadline) {
      throw new Error(`the seeded orders did not settle in 30 s: ${JSON.stringify(states)}`);
    }
    previous = settled ? states : null;
    await sleep(300);
  }
}

async function snapshot() {
  const orders = [];
  for (let offset = 0; ; offset += 100) {
    const page = await requestData(
      `query Snapshot($offset: Int!) { orders(limit: 100, offset: $offset) { ${fullOrder} } }`,
      { offset },
    );
    orders.push(...page.orders);
    if (page.orders.length < 100) {
      break;
    }
  }
  const { products } = await requestData('{ products { sku name price available } }');
  return { orders, products };
}

// The schema's semantics (docs/api.md and the service's documented bounds), over one snapshot:
// order(id) finds the user's order or null; orders pages through the newest-first list (a null
// limit or offset means the default; limit 1..100 and offset 0..100000, else a field error);
// products lists the catalogue. Every other field is the snapshot's property of the same name
// (graphql-js's default resolver).
function snapshotRoot(data) {
  return {
    order: ({ id }) => data.orders.find((order) => order.id === String(id)) ?? null,
    orders: ({ limit, offset }) => {
      const first = offset ?? 0;
      const count = limit ?? 20;
      if (count < 1 || count > 100) {
        throw new Error('limit must be between 1 and 100.');
      }
      if (first < 0 || first > 100000) {
        throw new Error('offset must be between 0 and 100000.');
      }
      return data.orders.slice(first, first + count);
    },
    products: () => data.products,
  };
}

// What two responses must share: the data, and each error's message and path.
function comparable(body) {
  return JSON.stringify({
    data: body.data,
    errors: (body.errors ?? []).map((error) => ({ message: error.message, path: error.path })),
  });
}

// "@order0" in a sidecar's variables stands for the id of the first seeded order.
function substitute(value, ids) {
  if (typeof value === 'string' && /^@order\d+$/.test(value)) {
    return ids[Number(value.slice(6))];
  }
  if (Array.isArray(value)) {
    return value.map((item) => substitute(item, ids));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, ids)]));
  }
  return value;
}

// Queries only (mutations would change the snapshot, subscriptions need a socket), and no
// introspection of types (its descriptions are ours alone; part 3 compares the structure).
function dataCheckable(document) {
  let checkable = true;
  const visit = (node) => {
    if (!node || typeof node !== 'object') {
      return;
    }
    if (node.kind === 'OperationDefinition' && node.operation !== 'query') {
      checkable = false;
    }
    if (node.kind === 'Field' && (node.name.value === '__schema' || node.name.value === '__type')) {
      checkable = false;
    }
    for (const child of Object.values(node)) {
      if (Array.isArray(child)) {
        child.forEach(visit);
      } else if (child && typeof child === 'object' && child.kind) {
        visit(child);
      }
    }
  };
  visit(document);
  return checkable;
}

// Part 2.
async function compareData(validDocuments) {
  const ids = await seedOrders();
  const data = await snapshot();
  const root = snapshotRoot(data);
  let checked = 0;
  let agreed = 0;
  for (const { file, source, document } of validDocuments) {
    if (!dataCheckable(document)) {
      continue;
    }
    const extra = sidecar(file);
    const variables = substitute(extra.variables ?? {}, ids);
    const names = document.definitions
      .filter((definition) => definition.kind === 'OperationDefinition')
      .map((definition) => definition.name?.value);
    // A document of several operations runs each of them.
    for (const operationName of names.length > 1 ? names : [extra.operationName]) {
      checked += 1;
      const expected = await execute({
        schema,
        document,
        rootValue: root,
        variableValues: variables,
        operationName,
      });
      const actual = await request(source, variables, operationName);
      if (comparable(expected) === comparable(actual)) {
        agreed += 1;
      } else {
        problem(
          `${basename(file)}${operationName ? ` (operation ${operationName})` : ''}: data differs\n` +
            `    graphql-js over the snapshot: ${JSON.stringify(expected).slice(0, 600)}\n` +
            `    our endpoint:                 ${JSON.stringify(actual).slice(0, 600)}`,
        );
      }
    }
  }
  console.log(
    `data: ${agreed}/${checked} query executions agree with graphql-js over a snapshot of ` +
      `${data.orders.length} orders and ${data.products.length} products`,
  );
}

// Part 4. Documents that are valid but name no operation to run: several operations and no
// operationName, or a name the document does not have (sidecar "selectionFails"). graphql-js
// validates them and fails at execution; ours must answer the same message as a request error,
// OPERATION_RESOLUTION_FAILURE, with HTTP 400 under graphql-response+json and 200 under JSON,
// and run nothing (one of them is a mutation).
async function compareSelection(validDocuments) {
  let checked = 0;
  let agreed = 0;
  for (const { file, source, document } of validDocuments) {
    const extra = sidecar(file);
    if (!extra.selectionFails) {
      continue;
    }
    checked += 1;
    const operationName = extra.operationName ?? undefined;
    const expected = await execute({ schema, document, rootValue: {}, operationName });
    const want = expected.errors?.[0]?.message;
    const failures = [];
    if (!want || expected.data !== undefined) {
      failures.push(`graphql-js selected an operation: ${JSON.stringify(expected)}`);
    }
    for (const [accept, status] of [
      ['application/graphql-response+json', 400],
      ['application/json', 200],
    ]) {
      const answer = await post(source, {}, extra.operationName ?? null, accept);
      const error = answer.body.errors?.[0];
      if (answer.status !== status) {
        failures.push(`${accept}: HTTP ${answer.status}, expected ${status}`);
      }
      if (answer.body.data !== undefined) {
        failures.push(`${accept}: a data member ${JSON.stringify(answer.body.data)}`);
      }
      if (error?.message !== want) {
        failures.push(`${accept}: message ${JSON.stringify(error?.message)}, graphql-js: ${JSON.stringify(want)}`);
      }
      if (error?.extensions?.code !== 'OPERATION_RESOLUTION_FAILURE') {
        failures.push(`${accept}: code ${error?.extensions?.code}, expected OPERATION_RESOLUTION_FAILURE`);
      }
    }
    if (failures.length === 0) {
      agreed += 1;
    } else {
      problem(`${basename(file)}: operation selection\n` + failures.map((f) => `    ${f}`).join('\n'));
    }
  }
  if (checked === 0) {
    problem('operation selection: the corpus has no "selectionFails" document');
  }
  console.log(
    `operation selection: ${agreed}/${checked} documents fail selection as graphql-js does, ` +
      'as OPERATION_RESOLUTION_FAILURE request errors',
  );
}

// ---- introspection ----

const typeString = (type) => String(type);

// The structure of a schema that both SDL and introspection carry, descriptions aside.
function structure(s) {
  const types = {};
  for (const type of Object.values(s.getTypeMap())) {
    if (type.name.startsWith('__')) {
      continue;
    }
    const entry = { kind: type.constructor.name };
    if (isObjectType(type) || isInterfaceType(type)) {
      entry.interfaces = type.getInterfaces().map((i) => i.name);
      entry.fields = Object.fromEntries(
        Object.values(type.getFields()).map((field) => [
          field.name,
          {
            type: typeString(field.type),
            deprecated: field.deprecationReason ?? null,
            args: Object.fromEntries(
              field.args.map((arg) => [
                arg.name,
                { type: typeString(arg.type), default: arg.defaultValue },
              ]),
            ),
          },
        ]),
      );
    } else if (isInputObjectType(type)) {
      entry.fields = Object.fromEntries(
        Object.values(type.getFields()).map((field) => [
          field.name,
          { type: typeString(field.type), default: field.defaultValue },
        ]),
      );
    } else if (isEnumType(type)) {
      entry.values = type.getValues().map((value) => value.name);
    } else if (isUnionType(type)) {
      entry.members = type.getTypes().map((member) => member.name);
    }
    types[type.name] = entry;
  }
  return {
    roots: {
      query: s.getQueryType()?.name ?? null,
      mutation: s.getMutationType()?.name ?? null,
      subscription: s.getSubscriptionType()?.name ?? null,
    },
    types,
    directives: Object.fromEntries(
      s.getDirectives().map((directive) => [
        directive.name,
        {
          locations: [...directive.locations].sort(),
          args: Object.fromEntries(directive.args.map((arg) => [arg.name, typeString(arg.type)])),
        },
      ]),
    ),
  };
}

// Every path at which two plain values differ, as "a.b.c: x vs y".
function differences(a, b, path = '') {
  if (isDeepStrictEqual(a, b)) {
    return [];
  }
  const bothObjects = a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a);
  if (!bothObjects) {
    return [`${path || '(root)'}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`];
  }
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.flatMap((key) => differences(a[key], b[key], path ? `${path}.${key}` : key));
}

// Part 3, with the query's defaults and with every option it has.
async function compareIntrospection() {
  const expected = structure(schema);
  const variants = [
    ['getIntrospectionQuery()', {}],
    [
      'getIntrospectionQuery(all options)',
      { descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true },
    ],
  ];
  let passed = 0;
  for (const [label, options] of variants) {
    const body = await request(getIntrospectionQuery(options));
    if (body.errors) {
      problem(`introspection, ${label}: the endpoint returned errors ${JSON.stringify(body.errors)}`);
      continue;
    }
    let client;
    try {
      client = buildClientSchema(body.data);
    } catch (error) {
      problem(`introspection, ${label}: buildClientSchema failed: ${error.message}`);
      continue;
    }
    const found = differences(expected, structure(client));
    if (found.length > 0) {
      problem(
        `introspection, ${label}: our schema differs from schema.graphql (SDL vs ours)\n` +
          found.map((line) => `    ${line}`).join('\n'),
      );
      continue;
    }
    passed += 1;
  }
  const typeCount = Object.keys(expected.types).length;
  console.log(
    `introspection: ${passed}/${variants.length} introspection queries give a client schema equal to ` +
      `schema.graphql (${typeCount} types)`,
  );
}

async function main() {
  const verdictBinary = argument('--verdict');
  if (!verdictBinary) {
    console.error('usage: node conformance.mjs --verdict PATH/graphql-verdict [--live]');
    process.exit(2);
  }
  const started = Date.now();
  const valid = compareVerdicts(verdictBinary);
  if (process.argv.includes('--live')) {
    if (!graphqlUrl || !token) {
      console.error('--live needs GRAPHQL_URL and TOKEN (a test stack\'s env)');
      process.exit(2);
    }
    await compareIntrospection();
    await compareData(valid);
    await compareSelection(valid);
  }
  for (const text of problems) {
    console.log(`DISAGREE ${text}`);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (problems.length > 0) {
    console.log(`conformance: ${problems.length} disagreement(s) (${seconds} s)`);
    process.exit(1);
  }
  console.log(`conformance: everything agrees (${seconds} s)`);
}

await main();
