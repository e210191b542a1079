#!/usr/bin/env node
// gRPC interoperability scenario for the Loops decision service, run with the @grpc/grpc-js client.
//
// Usage: node interop.js HOST:PORT [--protos DIR]
//
// Needs `npm ci` in this directory. The protos are loaded at run time with @grpc/proto-loader.
// Prints one line per check and exits with status 1 at the first failed check.
'use strict';

const path = require('node:path');
const crypto = require('node:crypto');

let grpc;
let protoLoader;
try {
  grpc = require('@grpc/grpc-js');
  protoLoader = require('@grpc/proto-loader');
} catch (error) {
  console.log(`FAIL setup: @grpc/grpc-js or @grpc/proto-loader is missing; run \`npm ci\` in ${__dirname} (${error.message})`);
  process.exit(2);
}

const TIMEOUT_MS = 15000; // every call has a deadline (it also exercises the grpc-timeout header)
const MIB = 1024 * 1024;
const { status: Status } = grpc;
const statusName = (code) => Object.keys(Status).find((k) => Status[k] === code) ?? String(code);

class CheckFailed extends Error {}

function ok(name) {
  console.log(`ok   ${name}`);
}

function fail(name, detail) {
  throw new CheckFailed(`FAIL ${name}: ${detail}`);
}

function expect(condition, name, detail) {
  if (!condition) {
    fail(name, typeof detail === 'function' ? detail() : detail);
  }
}

const show = (value) => JSON.stringify(value, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
const deadline = (ms = TIMEOUT_MS) => ({ deadline: new Date(Date.now() + ms) });

function unary(client, method, request, ms) {
  return new Promise((resolve, reject) => {
    client[method](request, deadline(ms), (error, response) => (error ? reject(error) : resolve(response)));
  });
}

function clientStream(client, method, requests, ms) {
  return new Promise((resolve, reject) => {
    const call = client[method](deadline(ms), (error, response) => (error ? reject(error) : resolve(response)));
    for (const request of requests) {
      call.write(request);
    }
    call.end();
  });
}

// grpc.health.v1 with hand-encoded messages: HealthCheckRequest{service = 1 (string)},
// HealthCheckResponse{status = 1 (varint)}.
function encodeHealthRequest(service) {
  const data = Buffer.from(service, 'utf8');
  if (data.length === 0) {
    return Buffer.alloc(0);
  }
  expect(data.length < 128, 'health request', 'service name too long for this encoder');
  return Buffer.concat([Buffer.from([0x0a, data.length]), data]);
}

function readVarint(data, offset) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = data[offset++];
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) {
      return [value, offset];
    }
    shift += 7;
  }
}

function decodeHealthResponse(data) {
  let status = 0;
  let i = 0;
  while (i < data.length) {
    let key;
    [key, i] = readVarint(data, i);
    const field = key >>> 3;
    const wire = key & 7;
    if (wire === 0) {
      let value;
      [value, i] = readVarint(data, i);
      if (field === 1) {
        status = value;
      }
    } else if (wire === 2) {
      let length;
      [length, i] = readVarint(data, i);
      i += length;
    } else if (wire === 1) {
      i += 8;
    } else if (wire === 5) {
      i += 4;
    } else {
      throw new Error(`bad wire type ${wire} in HealthCheckResponse`);
    }
  }
  return status;
}

const SERVING = 1;
const identity = (b) => b;

class Scenario {
  constructor(address, protos) {
    const definition = protoLoader.loadSync(
      ['loops/v1/decision_service.proto', 'loops/v1/policy_admin.proto', 'loops/v1/diagnostics.proto'],
      { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true, includeDirs: [protos] },
    );
    const loaded = grpc.loadPackageDefinition(definition);
    const v1 = loaded.loops.v1;
    const options = {
      'grpc.enable_http_proxy': 0, // the service is on loopback; never go through http_proxy
      'grpc.max_send_message_length': 16 * MIB,
      'grpc.max_receive_message_length': 16 * MIB,
    };
    const credentials = grpc.credentials.createInsecure();
    this.decisions = new v1.DecisionService(address, credentials, options);
    // Share one channel (one HTTP/2 connection) between the service clients.
    const channelOverride = this.decisions.getChannel();
    this.admin = new v1.PolicyAdmin(address, credentials, { ...options, channelOverride });
    this.diagnostics = new v1.Diagnostics(address, credentials, { ...options, channelOverride });
    this.raw = new grpc.Client(address, credentials, { ...options, channelOverride });
    const suffix = crypto.randomBytes(4).toString('hex');
    this.policy = `interop-node-${suffix}`;
    this.barePolicy = `interop-node-bare-${suffix}`;
  }

  close() {
    this.decisions.close();
  }

  rawUnary(method, bytes, ms) {
    return new Promise((resolve, reject) => {
      this.raw.makeUnaryRequest(method, identity, identity, bytes, new grpc.Metadata(), deadline(ms),
        (error, response) => (error ? reject(error) : resolve(response)));
    });
  }

  async health(service) {
    return decodeHealthResponse(await this.rawUnary('/grpc.health.v1.Health/Check', encodeHealthRequest(service)));
  }

  async expectError(name, code, fragments, promise) {
    let response;
    try {
      response = await promise;
    } catch (error) {
      if (error instanceof CheckFailed) {
        throw error;
      }
      const message = error.details ?? '';
      expect(error.code === code, name,
        () => `expected status ${statusName(code)}, got ${statusName(error.code)} (message ${show(message)})`);
      for (const fragment of fragments) {
        expect(message.includes(fragment), name,
          () => `status ${statusName(code)} as expected, but the message ${show(message)} does not contain ${show(fragment)}`);
      }
      ok(`${name} -> ${statusName(code)}: ${message}`);
      return;
    }
    fail(name, `expected status ${statusName(code)}, the call succeeded with ${show(response)}`);
  }

  static action(id, cost = 0, features = {}) {
    return {
      id,
      cost,
      features: Object.entries(features).map(([name, value]) => (typeof value === 'string'
        ? { namespace: 'offer', name, category: value }
        : { namespace: 'offer', name, number: value })),
    };
  }

  static context() {
    return [
      { namespace: 'user', name: 'age', number: 31 },
      { namespace: 'user', name: 'country', category: 'FR' },
      { namespace: 'device', name: 'os', category: 'android' },
    ];
  }

  static checkRanking(name, response, candidates, excluded = []) {
    const ids = response.ranking.map((r) => r.action_id);
    expect(show([...ids].sort()) === show([...candidates].sort()), name,
      () => `ranking has ${show(ids)}, expected every candidate ${show(candidates)}`);
    const total = response.ranking.reduce((sum, r) => sum + r.probability, 0);
    expect(Math.abs(total - 1) < 1e-9, name, () => `ranking probabilities sum to ${total}, not 1`);
    for (const r of response.ranking) {
      expect(r.probability >= 0 && r.probability <= 1 && Number.isFinite(r.score), name, () => `bad ranked action ${show(r)}`);
      if (excluded.includes(r.action_id)) {
        expect(r.probability === 0, name, () => `excluded action ${r.action_id} has probability ${r.probability}`);
      }
    }
    const probabilities = response.ranking.map((r) => r.probability);
    expect(probabilities.every((p, i) => i === 0 || probabilities[i - 1] >= p), name,
      () => `ranking is not most probable first: ${show(probabilities)}`);
    const chosen = response.ranking.filter((r) => r.action_id === response.action_id);
    expect(chosen.length === 1, name, () => `chosen action ${response.action_id} is not in the ranking ${show(ids)}`);
    expect(Math.abs(chosen[0].probability - response.probability) < 1e-12 && response.probability > 0, name,
      () => `probability ${response.probability} differs from the ranked ${chosen[0].probability}`);
    expect(!excluded.includes(response.action_id), name, () => `chose the excluded action ${response.action_id}`);
  }

  async run() {
    await this.checkHealth();
    await this.policies();
    const decided = await this.decide();
    await this.rewards(decided);
    await this.badInputs(decided);
    await this.transport();
    console.log(`PASS all checks (@grpc/grpc-js ${require('@grpc/grpc-js/package.json').version}, node ${process.version})`);
  }

  async checkHealth() {
    let status = await this.health('');
    expect(status === SERVING, "health ''", `expected SERVING (1), got ${status}`);
    ok("health Check('') -> SERVING");
    status = await this.health('loops.v1.DecisionService');
    expect(status === SERVING, 'health DecisionService', `expected SERVING (1), got ${status}`);
    ok("health Check('loops.v1.DecisionService') -> SERVING");
    await this.expectError("health Check('no.such.Service')", Status.NOT_FOUND, ['no.such.Service'],
      this.health('no.such.Service'));
  }

  async policies() {
    const definition = {
      name: this.policy,
      algorithm: '',
      epsilon: 0.2,
      reward_window_seconds: 60,
      default_reward: 0,
      actions: [
        Scenario.action('bonus-10', 10, { kind: 'coins', amount: 10 }),
        Scenario.action('bonus-50', 50, { kind: 'coins', amount: 50 }),
        Scenario.action('skin-rare', 5, { kind: 'skin' }),
      ],
    };
    const policy = await unary(this.admin, 'UpsertPolicy', { policy: definition });
    expect(policy.name === this.policy, 'UpsertPolicy', `name ${policy.name}`);
    expect(policy.algorithm === 'epsilon_greedy', 'UpsertPolicy',
      `algorithm should be filled in as 'epsilon_greedy', got ${show(policy.algorithm)}`);
    expect(policy.model_version >= 1, 'UpsertPolicy', `model_version ${policy.model_version} < 1`);
    expect(Math.abs(policy.epsilon - 0.2) < 1e-12 && policy.actions.length === 3, 'UpsertPolicy',
      () => `settings not echoed: ${show(policy)}`);
    ok(`UpsertPolicy(${this.policy}) -> algorithm=${policy.algorithm} model_version=${policy.model_version}`);

    const bare = await unary(this.admin, 'UpsertPolicy',
      { policy: { name: this.barePolicy, algorithm: 'epsilon_greedy', epsilon: 0 } });
    expect(bare.name === this.barePolicy && bare.actions.length === 0 && bare.model_version >= 1,
      'UpsertPolicy bare', () => `unexpected ${show(bare)}`);
    ok(`UpsertPolicy(${this.barePolicy}) without catalogue, epsilon 0`);

    const got = await unary(this.admin, 'GetPolicy', { name: this.policy });
    expect(got.name === this.policy && got.algorithm === 'epsilon_greedy' && Math.abs(got.epsilon - 0.2) < 1e-12
      && show(got.actions.map((a) => a.id)) === show(['bonus-10', 'bonus-50', 'skin-rare'])
      && got.reward_window_seconds === 60 && got.model_version >= 1,
    'GetPolicy', () => `unexpected ${show(got)}`);
    ok(`GetPolicy(${this.policy})`);

    const listed = await unary(this.admin, 'ListPolicies', {});
    const names = listed.policies.map((p) => p.name);
    expect(names.includes(this.policy) && names.includes(this.barePolicy), 'ListPolicies', () => `names ${show(names)}`);
    ok(`ListPolicies contains both policies (${names.length} in all)`);

    await this.expectError('GetPolicy(unknown)', Status.NOT_FOUND, ['no-such-policy'],
      unary(this.admin, 'GetPolicy', { name: 'no-such-policy' }));
  }

  async decide() {
    const catalogue = ['bonus-10', 'bonus-50', 'skin-rare'];
    const generated = await unary(this.decisions, 'Decide',
      { policy: this.policy, user_id: 'u-1', context: Scenario.context() });
    expect(generated.event_id.length > 0, 'Decide without event id', 'no event id was generated');
    expect(generated.model_version >= 1, 'Decide without event id', `model_version ${generated.model_version}`);
    Scenario.checkRanking('Decide without event id', generated, catalogue);
    ok(`Decide without event id -> generated event_id=${generated.event_id} action=${generated.action_id} p=${generated.probability.toFixed(4)}`);

    const other = await unary(this.decisions, 'Decide', { policy: this.policy, user_id: 'u-1' });
    expect(other.event_id && other.event_id !== generated.event_id, 'Decide generates distinct event ids',
      `${generated.event_id} then ${other.event_id}`);
    ok('Decide generates a new event id per call');

    const decided = [];
    for (let i = 0; i < 12; i++) {
      const eventId = `node-evt-${i}-${crypto.randomBytes(3).toString('hex')}`;
      const request = { policy: this.policy, event_id: eventId, user_id: `u-${i}`, context: Scenario.context() };
      const first = await unary(this.decisions, 'Decide', request);
      const again = await unary(this.decisions, 'Decide', request);
      expect(first.event_id === eventId, 'Decide with event id', `event id ${first.event_id}, sent ${eventId}`);
      expect(first.action_id === again.action_id && first.probability === again.probability, 'same event id -> same action',
        `event ${eventId} chose ${first.action_id} then ${again.action_id}`);
      Scenario.checkRanking('Decide with event id', first, catalogue);
      decided.push(first);
    }
    ok('Decide with event id: 12 event ids, each decided twice with the same action');

    const explicit = [Scenario.action('x'), Scenario.action('y', 0, { color: 'red' }), Scenario.action('z', 0, { size: 2.5 })];
    const seen = new Set();
    for (let i = 0; i < 30; i++) {
      const response = await unary(this.decisions, 'Decide', {
        policy: this.policy,
        event_id: `node-excl-${i}-${crypto.randomBytes(3).toString('hex')}`,
        context: Scenario.context(),
        actions: explicit,
        excluded_action_ids: ['x'],
      });
      Scenario.checkRanking('Decide with excluded_action_ids', response, ['x', 'y', 'z'], ['x']);
      seen.add(response.action_id);
    }
    ok(`Decide with explicit actions and excluded_action_ids=['x']: 30 decisions, never x (chose ${[...seen].sort().join(',')})`);

    const results = await Promise.all(Array.from({ length: 32 },
      (_, i) => unary(this.decisions, 'Decide', { policy: this.policy, event_id: `node-par-${i}` })));
    expect(results.every((r, i) => r.event_id === `node-par-${i}`), 'concurrent Decide', 'responses do not match their requests');
    ok('32 concurrent Decide calls on one channel');
    return decided;
  }

  async rewards(decided) {
    const found = await unary(this.decisions, 'Reward', { event_id: decided[0].event_id, value: 1 });
    expect(found.event_found === true, 'Reward(known)', `event_found is false for ${decided[0].event_id}`);
    ok('Reward(known event) -> event_found=true');
    const unknown = await unary(this.decisions, 'Reward',
      { event_id: `node-never-decided-${crypto.randomBytes(8).toString('hex')}`, value: 1 });
    expect(unknown.event_found === false, 'Reward(unknown)', 'event_found is true for an unknown event id');
    ok('Reward(unknown event) -> OK, event_found=false');

    const response = await clientStream(this.decisions, 'RewardStream', [
      { event_id: decided[1].event_id, value: 0.5 },
      { event_id: decided[2].event_id, value: -2 },
      { event_id: `node-stream-unknown-${crypto.randomBytes(8).toString('hex')}`, value: 3 },
    ]);
    expect(response.accepted === 3 && response.unknown_events === 1, 'RewardStream',
      `expected accepted=3 unknown_events=1, got accepted=${response.accepted} unknown_events=${response.unknown_events}`);
    ok('RewardStream(3 rewards, 1 unknown) -> accepted=3 unknown_events=1');

    const empty = await clientStream(this.decisions, 'RewardStream', []);
    expect(empty.accepted === 0 && empty.unknown_events === 0, 'RewardStream(empty)', () => `got ${show(empty)}`);
    ok('RewardStream(no messages) -> accepted=0');
  }

  async badInputs(decided) {
    const invalid = Status.INVALID_ARGUMENT;
    const decide = (request) => unary(this.decisions, 'Decide', request);
    const reward = (request) => unary(this.decisions, 'Reward', request);
    const upsert = (policy) => unary(this.admin, 'UpsertPolicy', { policy });
    const { action } = Scenario;

    await this.expectError('Decide(unknown policy)', Status.NOT_FOUND, ['no-such-policy'], decide({ policy: 'no-such-policy' }));
    await this.expectError('Decide(empty policy name)', invalid, ['policy'], decide({ policy: '' }));
    await this.expectError('Decide(no actions, no catalogue)', invalid, ['actions', this.barePolicy],
      decide({ policy: this.barePolicy, event_id: 'node-bad-1' }));
    await this.expectError('Decide(duplicate action ids)', invalid, ["actions has the id 'a' twice"],
      decide({ policy: this.policy, actions: [action('a'), action('b'), action('a')] }));
    // grpc-message is percent-encoded UTF-8: a non-ASCII id must come back intact.
    await this.expectError('Decide(duplicate non-ASCII action ids)', invalid, ["actions has the id 'café-€' twice"],
      decide({ policy: this.policy, actions: [action('café-€'), action('café-€')] }));
    await this.expectError('Decide(empty action id)', invalid, ['actions[1].id'],
      decide({ policy: this.policy, actions: [action('a'), action('')] }));
    await this.expectError('Decide(NaN feature)', invalid, ['context[0].number (user/age) must be a finite number'],
      decide({ policy: this.policy, context: [{ namespace: 'user', name: 'age', number: NaN }] }));
    await this.expectError('Decide(infinite feature)', invalid, ['context[1].number (user/score) must be a finite number'],
      decide({
        policy: this.policy,
        context: [{ namespace: 'user', name: 'country', category: 'FR' }, { namespace: 'user', name: 'score', number: Infinity }],
      }));
    await this.expectError('Decide(-infinite action feature)', invalid, ['actions[0].features[0].number'],
      decide({ policy: this.policy, actions: [action('a', 0, { amount: -Infinity })] }));
    await this.expectError('Reward(NaN)', invalid, ['value', 'finite'], reward({ event_id: decided[3].event_id, value: NaN }));
    await this.expectError('Reward(infinite)', invalid, ['value', 'finite'],
      reward({ event_id: decided[3].event_id, value: Infinity }));
    await this.expectError('Reward(empty event id)', invalid, ['event_id'], reward({ event_id: '', value: 1 }));

    const base = {
      name: this.policy,
      algorithm: 'epsilon_greedy',
      reward_window_seconds: 60,
      actions: [action('bonus-10'), action('bonus-50'), action('skin-rare')],
    };
    for (const epsilon of [1.5, -0.1, NaN, Infinity]) {
      await this.expectError(`UpsertPolicy(epsilon=${epsilon})`, invalid, ['policy.epsilon must be between 0 and 1'],
        upsert({ ...base, epsilon }));
    }
    await this.expectError('UpsertPolicy(empty name)', invalid, ['policy.name'], upsert({ name: '', epsilon: 0.1 }));
    await this.expectError('UpsertPolicy(duplicate catalogue ids)', invalid, ["policy.actions has the id 'a' twice"],
      upsert({ name: this.policy, epsilon: 0.1, actions: [action('a'), action('a')] }));
    await this.expectError('UpsertPolicy(empty catalogue id)', invalid, ['policy.actions[0].id'],
      upsert({ name: this.policy, epsilon: 0.1, actions: [action('')] }));
    await this.expectError('UpsertPolicy(NaN default_reward)', invalid, ['policy.default_reward'],
      upsert({ name: this.policy, epsilon: 0.1, default_reward: NaN }));

    // A stream with 3 good rewards then a NaN one: INVALID_ARGUMENT naming the 4th reward...
    const good = decided.slice(4, 7).map((d) => ({ event_id: d.event_id, value: 1 }));
    const bad = { event_id: decided[7].event_id, value: NaN };
    await this.expectError('RewardStream(3 good, then NaN)', invalid, ['rewards[3].value', 'finite'],
      clientStream(this.decisions, 'RewardStream', [...good, bad]));

    // ...and nothing accepted is lost: the policy, its decisions and its rewards still work.
    const got = await unary(this.admin, 'GetPolicy', { name: this.policy });
    expect(Math.abs(got.epsilon - 0.2) < 1e-12 && got.actions.length === 3, 'rejected upserts change nothing',
      () => `the policy changed after rejected upserts: ${show(got)}`);
    ok('rejected UpsertPolicy calls left the policy unchanged');
    for (const d of decided.slice(0, 8)) {
      const again = await decide({ policy: this.policy, event_id: d.event_id, context: Scenario.context() });
      expect(again.action_id === d.action_id, 'decisions survive bad requests',
        `event ${d.event_id} now chose ${again.action_id} instead of ${d.action_id}`);
    }
    ok('after the bad requests, earlier event ids still decide the same actions');
    for (const d of decided.slice(4, 8)) {
      const response = await reward({ event_id: d.event_id, value: 0.25 });
      expect(response.event_found === true, 'rewards survive bad requests',
        `event ${d.event_id} is no longer known after the failed stream`);
    }
    ok("after the failed stream, its events (and the rejected reward's event) are still known");
    const after = await clientStream(this.decisions, 'RewardStream', good);
    expect(after.accepted === 3 && after.unknown_events === 0, 'RewardStream after failure',
      () => `expected accepted=3 unknown_events=0, got ${show(after)}`);
    ok('RewardStream after the failed one -> accepted=3 unknown_events=0');
  }

  async transport() {
    for (const method of ['/loops.v1.DecisionService/NoSuchMethod', '/loops.v1.NoSuchService/Decide']) {
      await this.expectError(`unknown method ${method}`, Status.UNIMPLEMENTED, [], this.rawUnary(method, Buffer.alloc(0)));
    }

    const payload = Buffer.alloc(2 * MIB);
    for (let i = 0; i < payload.length; i++) {
      payload[i] = i & 0xff;
    }
    const echoed = await unary(this.diagnostics, 'Echo', { payload });
    expect(Buffer.compare(echoed.payload, payload) === 0, 'Echo(2 MiB)',
      `the payload came back changed (${echoed.payload.length} bytes)`);
    ok('Diagnostics.Echo(2 MiB) round trip');

    const huge = {
      policy: this.policy,
      context: [{ namespace: 'user', name: 'blob', category: 'x'.repeat(4 * MIB + 1024) }],
    };
    await this.expectError('Decide(> 4 MiB)', Status.RESOURCE_EXHAUSTED, [], unary(this.decisions, 'Decide', huge, 30000));

    const status = await this.health('');
    expect(status === SERVING, 'health after errors', `expected SERVING, got ${status}`);
    const response = await unary(this.decisions, 'Decide', { policy: this.policy });
    expect(response.ranking.length === 3, 'Decide after errors', () => `unexpected ${show(response)}`);
    ok('the channel still serves Check and Decide after the errors');
  }
}

async function main() {
  const args = process.argv.slice(2);
  let protos = path.join(__dirname, '..', '..', '..', 'protos');
  const protosAt = args.indexOf('--protos');
  if (protosAt >= 0) {
    protos = args[protosAt + 1];
    args.splice(protosAt, 2);
  }
  if (args.length !== 1) {
    console.log('usage: node interop.js HOST:PORT [--protos DIR]');
    return 2;
  }

  const scenario = new Scenario(args[0], path.resolve(protos));
  try {
    await new Promise((resolve, reject) => {
      scenario.decisions.waitForReady(new Date(Date.now() + TIMEOUT_MS),
        (error) => (error ? reject(new CheckFailed(`FAIL could not connect to ${args[0]}: ${error.message}`)) : resolve()));
    });
    await scenario.run();
    return 0;
  } catch (error) {
    if (error instanceof CheckFailed) {
      console.log(error.message);
    } else if (error && typeof error.code === 'number') {
      console.log(`FAIL unexpected RPC error: ${statusName(error.code)} ${error.details}`);
    } else {
      console.log(`FAIL unexpected error: ${error && error.stack ? error.stack : error}`);
    }
    return 1;
  } finally {
    scenario.close();
  }
}

main().then((code) => {
  process.exitCode = code;
});
