#!/usr/bin/python3
"""gRPC interoperability scenario for the Loops decision service, run with the Python grpcio client.

Usage: /usr/bin/python3 interop.py HOST:PORT [--protos DIR]

Needs Debian's python3-grpcio and python3-grpc-tools (apt-get install python3-grpcio python3-grpc-tools).
Stubs are generated from the repository's protos into a temporary directory at start-up.
Prints one line per check and exits with status 1 at the first failed check.
"""

import argparse
import math
import os
import shutil
import subprocess
import sys
import tempfile
import uuid

try:
    import grpc
except ImportError:
    print("FAIL setup: the grpc module is missing; install python3-grpcio and python3-grpc-tools "
          "(apt-get install python3-grpcio python3-grpc-tools) and run this script with /usr/bin/python3",
          flush=True)
    sys.exit(2)

TIMEOUT = 15.0  # seconds; every call has a deadline (it also exercises the grpc-timeout header)
MIB = 1024 * 1024


class CheckFailed(Exception):
    pass


def ok(name):
    print("ok   " + name, flush=True)


def fail(name, detail):
    raise CheckFailed("FAIL " + name + ": " + detail)


def expect(condition, name, detail):
    if not condition:
        fail(name, detail)


def generate_stubs(protos):
    out = tempfile.mkdtemp(prefix="loops-interop-py-")
    files = sorted(os.path.join(protos, "loops", "v1", f)
                   for f in os.listdir(os.path.join(protos, "loops", "v1")) if f.endswith(".proto"))
    cmd = [sys.executable, "-m", "grpc_tools.protoc", "-I" + protos,
           "--python_out=" + out, "--grpc_python_out=" + out] + files
    result = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
    if result.returncode != 0:
        print("FAIL setup: protoc failed (is python3-grpc-tools installed?): "
              + result.stdout.decode("utf-8", "replace"), flush=True)
        sys.exit(2)
    sys.path.insert(0, out)
    return out


# --- grpc.health.v1, hand-encoded (a generated grpc/ package would shadow the grpc module) ---

def _varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def encode_health_request(service):
    data = service.encode("utf-8")
    return (b"\x0a" + _varint(len(data)) + data) if data else b""


def decode_health_response(data):
    """HealthCheckResponse{status = 1 (varint)}; unknown fields are skipped."""
    status, i = 0, 0
    while i < len(data):
        key, i = _read_varint(data, i)
        field, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _read_varint(data, i)
            if field == 1:
                status = value
        elif wire == 2:
            length, i = _read_varint(data, i)
            i += length
        elif wire == 1:
            i += 8
        elif wire == 5:
            i += 4
        else:
            raise ValueError("bad wire type %d in HealthCheckResponse" % wire)
    return status


def _read_varint(data, i):
    shift, value = 0, 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, i
        shift += 7


SERVING, SERVICE_UNKNOWN = 1, 3


class Scenario:
    def __init__(self, address):
        from loops.v1 import decision_service_pb2 as ds
        from loops.v1 import decision_service_pb2_grpc as ds_grpc
        from loops.v1 import diagnostics_pb2 as diag
        from loops.v1 import diagnostics_pb2_grpc as diag_grpc
        from loops.v1 import policy_admin_pb2 as pa
        from loops.v1 import policy_admin_pb2_grpc as pa_grpc
        from loops.v1 import types_pb2 as types

        self.ds, self.pa, self.types, self.diag = ds, pa, types, diag
        self.channel = grpc.insecure_channel(address, options=[
            ("grpc.enable_http_proxy", 0),  # the service is on loopback; never go through http_proxy
            ("grpc.max_send_message_length", 16 * MIB),
            ("grpc.max_receive_message_length", 16 * MIB),
        ])
        grpc.channel_ready_future(self.channel).result(timeout=TIMEOUT)
        self.decisions = ds_grpc.DecisionServiceStub(self.channel)
        self.admin = pa_grpc.PolicyAdminStub(self.channel)
        self.diagnostics = diag_grpc.DiagnosticsStub(self.channel)
        self.health_check = self.channel.unary_unary(
            "/grpc.health.v1.Health/Check",
            request_serializer=lambda b: b,
            response_deserializer=lambda b: b)
        suffix = uuid.uuid4().hex[:8]
        self.policy = "interop-py-" + suffix
        self.bare_policy = "interop-py-bare-" + suffix

    # --- helpers ---

    def feature(self, namespace, name, number=None, category=None):
        f = self.types.Feature(namespace=namespace, name=name)
        if category is not None:
            f.category = category
        else:
            f.number = number
        return f

    def action(self, action_id, cost=0.0, **features):
        a = self.types.Action(id=action_id, cost=cost)
        for name, value in features.items():
            if isinstance(value, str):
                a.features.add(namespace="offer", name=name, category=value)
            else:
                a.features.add(namespace="offer", name=name, number=value)
        return a

    def context(self):
        return [self.feature("user", "age", number=31.0),
                self.feature("user", "country", category="FR"),
                self.feature("device", "os", category="android")]

    def expect_error(self, name, code, fragments, call, request, timeout=TIMEOUT):
        try:
            response = call(request, timeout=timeout)
        except grpc.RpcError as error:
            actual, message = error.code(), error.details() or ""
            expect(actual == code, name, "expected status %s, got %s (message %r)" % (code.name, actual.name, message))
            for fragment in fragments:
                expect(fragment in message, name,
                       "status %s as expected, but the message %r does not contain %r" % (code.name, message, fragment))
            ok("%s -> %s: %s" % (name, code.name, message))
            return
        fail(name, "expected status %s, the call succeeded with %r" % (code.name, response))

    def check_ranking(self, name, response, candidate_ids, excluded=()):
        ids = [r.action_id for r in response.ranking]
        expect(sorted(ids) == sorted(candidate_ids), name,
               "ranking has %r, expected every candidate %r" % (ids, sorted(candidate_ids)))
        total = sum(r.probability for r in response.ranking)
        expect(abs(total - 1.0) < 1e-9, name, "ranking probabilities sum to %r, not 1" % total)
        for r in response.ranking:
            expect(0.0 <= r.probability <= 1.0 and math.isfinite(r.score), name, "bad ranked action %r" % r)
            if r.action_id in excluded:
                expect(r.probability == 0.0, name, "excluded action %r has probability %r" % (r.action_id, r.probability))
        probabilities = [r.probability for r in response.ranking]
        expect(probabilities == sorted(probabilities, reverse=True), name,
               "ranking is not most probable first: %r" % probabilities)
        chosen = [r for r in response.ranking if r.action_id == response.action_id]
        expect(len(chosen) == 1, name, "chosen action %r is not in the ranking %r" % (response.action_id, ids))
        expect(abs(chosen[0].probability - response.probability) < 1e-12 and response.probability > 0, name,
               "probability %r differs from the ranked %r" % (response.probability, chosen[0].probability))
        expect(response.action_id not in excluded, name, "chose the excluded action %r" % response.action_id)

    # --- the scenario ---

    def run(self):
        self.health()
        self.policies()
        decided = self.decide()
        self.rewards(decided)
        self.bad_inputs(decided)
        self.transport()
        print("PASS all checks (python grpcio %s)" % grpc.__version__, flush=True)

    def health(self):
        status = decode_health_response(self.health_check(encode_health_request(""), timeout=TIMEOUT))
        expect(status == SERVING, "health ''", "expected SERVING (1), got %d" % status)
        ok("health Check('') -> SERVING")
        status = decode_health_response(
            self.health_check(encode_health_request("loops.v1.DecisionService"), timeout=TIMEOUT))
        expect(status == SERVING, "health DecisionService", "expected SERVING (1), got %d" % status)
        ok("health Check('loops.v1.DecisionService') -> SERVING")
        self.expect_error("health Check('no.such.Service')", grpc.StatusCode.NOT_FOUND, ["no.such.Service"],
                          self.health_check, encode_health_request("no.such.Service"))

    def policies(self):
        pa = self.pa
        definition = pa.Policy(
            name=self.policy, algorithm="", epsilon=0.2, reward_window_seconds=60, default_reward=0.0,
            actions=[self.action("bonus-10", cost=10, kind="coins", amount=10.0),
                     self.action("bonus-50", cost=50, kind="coins", amount=50.0),
                     self.action("skin-rare", cost=5, kind="skin")])
        policy = self.admin.UpsertPolicy(pa.UpsertPolicyRequest(policy=definition), timeout=TIMEOUT)
        expect(policy.name == self.policy, "UpsertPolicy", "name %r" % policy.name)
        expect(policy.algorithm == "epsilon_greedy", "UpsertPolicy",
               "algorithm should be filled in as 'epsilon_greedy', got %r" % policy.algorithm)
        expect(policy.model_version >= 1, "UpsertPolicy", "model_version %d < 1" % policy.model_version)
        expect(abs(policy.epsilon - 0.2) < 1e-12 and len(policy.actions) == 3, "UpsertPolicy",
               "settings not echoed: %r" % policy)
        ok("UpsertPolicy(%s) -> algorithm=%s model_version=%d" % (self.policy, policy.algorithm, policy.model_version))

        bare = self.admin.UpsertPolicy(pa.UpsertPolicyRequest(policy=pa.Policy(
            name=self.bare_policy, algorithm="epsilon_greedy", epsilon=0.0)), timeout=TIMEOUT)
        expect(bare.name == self.bare_policy and len(bare.actions) == 0 and bare.model_version >= 1,
               "UpsertPolicy bare", "unexpected %r" % bare)
        ok("UpsertPolicy(%s) without catalogue, epsilon 0" % self.bare_policy)

        got = self.admin.GetPolicy(pa.GetPolicyRequest(name=self.policy), timeout=TIMEOUT)
        expect(got.name == self.policy and got.algorithm == "epsilon_greedy" and abs(got.epsilon - 0.2) < 1e-12
               and [a.id for a in got.actions] == ["bonus-10", "bonus-50", "skin-rare"]
               and got.reward_window_seconds == 60 and got.model_version >= 1,
               "GetPolicy", "unexpected %r" % got)
        ok("GetPolicy(%s)" % self.policy)

        listed = self.admin.ListPolicies(pa.ListPoliciesRequest(), timeout=TIMEOUT)
        names = [p.name for p in listed.policies]
        expect(self.policy in names and self.bare_policy in names, "ListPolicies", "names %r" % names)
        ok("ListPolicies contains both policies (%d in all)" % len(names))

        self.expect_error("GetPolicy(unknown)", grpc.StatusCode.NOT_FOUND, ["no-such-policy"],
                          self.admin.GetPolicy, pa.GetPolicyRequest(name="no-such-policy"))

    def decide(self):
        ds = self.ds
        catalogue = ["bonus-10", "bonus-50", "skin-rare"]
        generated = self.decisions.Decide(
            ds.DecideRequest(policy=self.policy, user_id="u-1", context=self.context()), timeout=TIMEOUT)
        expect(len(generated.event_id) > 0, "Decide without event id", "no event id was generated")
        expect(generated.model_version >= 1, "Decide without event id", "model_version %d" % generated.model_version)
        self.check_ranking("Decide without event id", generated, catalogue)
        ok("Decide without event id -> generated event_id=%s action=%s p=%.4f"
           % (generated.event_id, generated.action_id, generated.probability))

        other = self.decisions.Decide(ds.DecideRequest(policy=self.policy, user_id="u-1"), timeout=TIMEOUT)
        expect(other.event_id and other.event_id != generated.event_id, "Decide generates distinct event ids",
               "%r then %r" % (generated.event_id, other.event_id))
        ok("Decide generates a new event id per call")

        decided = []
        for i in range(12):
            event_id = "py-evt-%d-%s" % (i, uuid.uuid4().hex[:6])
            request = ds.DecideRequest(policy=self.policy, event_id=event_id, user_id="u-%d" % i,
                                       context=self.context())
            first = self.decisions.Decide(request, timeout=TIMEOUT)
            again = self.decisions.Decide(request, timeout=TIMEOUT)
            expect(first.event_id == event_id, "Decide with event id", "event id %r, sent %r" % (first.event_id, event_id))
            expect(first.action_id == again.action_id and first.probability == again.probability,
                   "same event id -> same action",
                   "event %s chose %s then %s" % (event_id, first.action_id, again.action_id))
            self.check_ranking("Decide with event id", first, catalogue)
            decided.append(first)
        ok("Decide with event id: 12 event ids, each decided twice with the same action")

        explicit = [self.action("x"), self.action("y", color="red"), self.action("z", size=2.5)]
        seen = set()
        for i in range(30):
            response = self.decisions.Decide(ds.DecideRequest(
                policy=self.policy, event_id="py-excl-%d-%s" % (i, uuid.uuid4().hex[:6]), context=self.context(),
                actions=explicit, excluded_action_ids=["x"]), timeout=TIMEOUT)
            self.check_ranking("Decide with excluded_action_ids", response, ["x", "y", "z"], excluded=("x",))
            seen.add(response.action_id)
        ok("Decide with explicit actions and excluded_action_ids=['x']: 30 decisions, never x (chose %s)"
           % ",".join(sorted(seen)))

        futures = [self.decisions.Decide.future(ds.DecideRequest(
            policy=self.policy, event_id="py-par-%d" % i), timeout=TIMEOUT) for i in range(32)]
        results = [f.result() for f in futures]
        expect(all(r.event_id == "py-par-%d" % i for i, r in enumerate(results)), "concurrent Decide",
               "responses do not match their requests")
        ok("32 concurrent Decide calls on one channel")
        return decided

    def rewards(self, decided):
        ds = self.ds
        found = self.decisions.Reward(ds.RewardRequest(event_id=decided[0].event_id, value=1.0), timeout=TIMEOUT)
        expect(found.event_found, "Reward(known)", "event_found is false for %s" % decided[0].event_id)
        ok("Reward(known event) -> event_found=true")
        unknown = self.decisions.Reward(ds.RewardRequest(event_id="py-never-decided-" + uuid.uuid4().hex, value=1.0),
                                        timeout=TIMEOUT)
        expect(not unknown.event_found, "Reward(unknown)", "event_found is true for an unknown event id")
        ok("Reward(unknown event) -> OK, event_found=false")

        stream = [ds.RewardRequest(event_id=decided[1].event_id, value=0.5),
                  ds.RewardRequest(event_id=decided[2].event_id, value=-2.0),
                  ds.RewardRequest(event_id="py-stream-unknown-" + uuid.uuid4().hex, value=3.0)]
        response = self.decisions.RewardStream(iter(stream), timeout=TIMEOUT)
        expect(response.accepted == 3 and response.unknown_events == 1, "RewardStream",
               "expected accepted=3 unknown_events=1, got accepted=%d unknown_events=%d"
               % (response.accepted, response.unknown_events))
        ok("RewardStream(3 rewards, 1 unknown) -> accepted=3 unknown_events=1")

        empty = self.decisions.RewardStream(iter([]), timeout=TIMEOUT)
        expect(empty.accepted == 0 and empty.unknown_events == 0, "RewardStream(empty)", "got %r" % empty)
        ok("RewardStream(no messages) -> accepted=0")

    def bad_inputs(self, decided):
        ds, pa = self.ds, self.pa
        invalid, not_found = grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.NOT_FOUND
        decide, reward, upsert = self.decisions.Decide, self.decisions.Reward, self.admin.UpsertPolicy

        self.expect_error("Decide(unknown policy)", not_found, ["no-such-policy"],
                          decide, ds.DecideRequest(policy="no-such-policy"))
        self.expect_error("Decide(empty policy name)", invalid, ["policy"], decide, ds.DecideRequest(policy=""))
        self.expect_error("Decide(no actions, no catalogue)", invalid, ["actions", self.bare_policy],
                          decide, ds.DecideRequest(policy=self.bare_policy, event_id="py-bad-1"))
        self.expect_error("Decide(duplicate action ids)", invalid, ["actions has the id 'a' twice"],
                          decide, ds.DecideRequest(policy=self.policy, actions=[
                              self.action("a"), self.action("b"), self.action("a")]))
        # grpc-message is percent-encoded UTF-8: a non-ASCII id must come back intact.
        self.expect_error("Decide(duplicate non-ASCII action ids)", invalid, ["actions has the id 'café-€' twice"],
                          decide, ds.DecideRequest(policy=self.policy, actions=[
                              self.action("café-€"), self.action("café-€")]))
        self.expect_error("Decide(empty action id)", invalid, ["actions[1].id"],
                          decide, ds.DecideRequest(policy=self.policy, actions=[self.action("a"), self.action("")]))
        self.expect_error("Decide(NaN feature)", invalid, ["context[0].number (user/age) must be a finite number"],
                          decide, ds.DecideRequest(policy=self.policy, context=[
                              self.feature("user", "age", number=float("nan"))]))
        self.expect_error("Decide(infinite feature)", invalid, ["context[1].number (user/score) must be a finite number"],
                          decide, ds.DecideRequest(policy=self.policy, context=[
                              self.feature("user", "country", category="FR"),
                              self.feature("user", "score", number=float("inf"))]))
        self.expect_error("Decide(-infinite action feature)", invalid, ["actions[0].features[0].number"],
                          decide, ds.DecideRequest(policy=self.policy, actions=[
                              self.action("a", amount=float("-inf"))]))
        self.expect_error("Reward(NaN)", invalid, ["value", "finite"],
                          reward, ds.RewardRequest(event_id=decided[3].event_id, value=float("nan")))
        self.expect_error("Reward(infinite)", invalid, ["value", "finite"],
                          reward, ds.RewardRequest(event_id=decided[3].event_id, value=float("inf")))
        self.expect_error("Reward(empty event id)", invalid, ["event_id"],
                          reward, ds.RewardRequest(event_id="", value=1.0))

        base = dict(name=self.policy, algorithm="epsilon_greedy", reward_window_seconds=60,
                    actions=[self.action("bonus-10"), self.action("bonus-50"), self.action("skin-rare")])
        for epsilon in (1.5, -0.1, float("nan"), float("inf")):
            self.expect_error("UpsertPolicy(epsilon=%r)" % epsilon, invalid, ["policy.epsilon must be between 0 and 1"],
                              upsert, pa.UpsertPolicyRequest(policy=pa.Policy(epsilon=epsilon, **base)))
        self.expect_error("UpsertPolicy(empty name)", invalid, ["policy.name"],
                          upsert, pa.UpsertPolicyRequest(policy=pa.Policy(name="", epsilon=0.1)))
        self.expect_error("UpsertPolicy(duplicate catalogue ids)", invalid, ["policy.actions has the id 'a' twice"],
                          upsert, pa.UpsertPolicyRequest(policy=pa.Policy(
                              name=self.policy, epsilon=0.1, actions=[self.action("a"), self.action("a")])))
        self.expect_error("UpsertPolicy(empty catalogue id)", invalid, ["policy.actions[0].id"],
                          upsert, pa.UpsertPolicyRequest(policy=pa.Policy(
                              name=self.policy, epsilon=0.1, actions=[self.action("")])))
        self.expect_error("UpsertPolicy(NaN default_reward)", invalid, ["policy.default_reward"],
                          upsert, pa.UpsertPolicyRequest(policy=pa.Policy(
                              name=self.policy, epsilon=0.1, default_reward=float("nan"))))

        # A stream with 3 good rewards then a NaN one: INVALID_ARGUMENT naming the 4th reward...
        good = [ds.RewardRequest(event_id=d.event_id, value=1.0) for d in decided[4:7]]
        bad = ds.RewardRequest(event_id=decided[7].event_id, value=float("nan"))
        self.expect_error("RewardStream(3 good, then NaN)", invalid, ["rewards[3].value", "finite"],
                          self.decisions.RewardStream, iter(good + [bad]))

        # ...and nothing accepted is lost: the policy, its decisions and its rewards still work.
        got = self.admin.GetPolicy(pa.GetPolicyRequest(name=self.policy), timeout=TIMEOUT)
        expect(abs(got.epsilon - 0.2) < 1e-12 and len(got.actions) == 3, "rejected upserts change nothing",
               "the policy changed after rejected upserts: %r" % got)
        ok("rejected UpsertPolicy calls left the policy unchanged")
        for d in decided[:8]:
            again = decide(ds.DecideRequest(policy=self.policy, event_id=d.event_id, context=self.context()),
                           timeout=TIMEOUT)
            expect(again.action_id == d.action_id, "decisions survive bad requests",
                   "event %s now chose %s instead of %s" % (d.event_id, again.action_id, d.action_id))
        ok("after the bad requests, earlier event ids still decide the same actions")
        for d in decided[4:8]:
            response = reward(ds.RewardRequest(event_id=d.event_id, value=0.25), timeout=TIMEOUT)
            expect(response.event_found, "rewards survive bad requests",
                   "event %s is no longer known after the failed stream" % d.event_id)
        ok("after the failed stream, its events (and the rejected reward's event) are still known")
        after = self.decisions.RewardStream(iter(good), timeout=TIMEOUT)
        expect(after.accepted == 3 and after.unknown_events == 0, "RewardStream after failure",
               "expected accepted=3 unknown_events=0, got %r" % after)
        ok("RewardStream after the failed one -> accepted=3 unknown_events=0")

    def transport(self):
        ds = self.ds
        for method in ("/loops.v1.DecisionService/NoSuchMethod", "/loops.v1.NoSuchService/Decide"):
            call = self.channel.unary_unary(method, request_serializer=lambda b: b, response_deserializer=lambda b: b)
            self.expect_error("unknown method %s" % method, grpc.StatusCode.UNIMPLEMENTED, [], call, b"")

        payload = bytes(range(256)) * (2 * MIB // 256)
        echoed = self.diagnostics.Echo(self.diag.EchoMessage(payload=payload), timeout=TIMEOUT)
        expect(echoed.payload == payload, "Echo(2 MiB)", "the payload came back changed (%d bytes)" % len(echoed.payload))
        ok("Diagnostics.Echo(2 MiB) round trip")

        huge = ds.DecideRequest(policy=self.policy, context=[
            self.feature("user", "blob", category="x" * (4 * MIB + 1024))])
        self.expect_error("Decide(> 4 MiB)", grpc.StatusCode.RESOURCE_EXHAUSTED, [], self.decisions.Decide, huge,
                          timeout=30.0)

        status = decode_health_response(self.health_check(encode_health_request(""), timeout=TIMEOUT))
        expect(status == SERVING, "health after errors", "expected SERVING, got %d" % status)
        response = self.decisions.Decide(ds.DecideRequest(policy=self.policy), timeout=TIMEOUT)
        expect(len(response.ranking) == 3, "Decide after errors", "unexpected %r" % response)
        ok("the channel still serves Check and Decide after the errors")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("address", help="host:port of the Loops service (h2c)")
    parser.add_argument("--protos", default=os.path.join(here, "..", "..", "..", "protos"),
                        help="the repository's protos directory")
    args = parser.parse_args()

    stubs = generate_stubs(os.path.abspath(args.protos))
    scenario = None
    try:
        scenario = Scenario(args.address)
        scenario.run()
        return 0
    except CheckFailed as failure:
        print(str(failure), flush=True)
        return 1
    except grpc.RpcError as error:
        print("FAIL unexpected RPC error: %s %s" % (error.code(), error.details()), flush=True)
        return 1
    except grpc.FutureTimeoutError:
        print("FAIL could not connect to %s within %.0f s" % (args.address, TIMEOUT), flush=True)
        return 1
    finally:
        if scenario is not None:
            scenario.channel.close()
        shutil.rmtree(stubs, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
