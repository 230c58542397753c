// Verifies ICS-23 proofs with the reference TypeScript implementation (@confio/ics23), so the .NET tests can
// check our proofs and our verifier against code we did not write.
//
// stdin:  one JSON object per line
//         {"id": any, "spec": "iavl"|"tendermint", "root": hex, "proof": base64 CommitmentProof,
//          "key": hex, "value": hex | null}        (value null = verify non-membership)
// stdout: one JSON object per input line, in order: {"id": ..., "ok": true|false, "error": "..."}
//         ("error" only when ok is false; the verdict itself always comes from verifyMembership /
//         verifyNonMembership, the reason from re-running the failing check).
import { createInterface } from "node:readline";
import {
  ics23,
  iavlSpec,
  tendermintSpec,
  verifyExistence,
  verifyMembership,
  verifyNonExistence,
  verifyNonMembership,
} from "@confio/ics23";

const specs = { iavl: iavlSpec, tendermint: tendermintSpec };

function hex(text, field) {
  if (typeof text !== "string" || !/^([0-9a-fA-F]{2})*$/.test(text)) throw new Error(`${field} is not hex`);
  return Uint8Array.from(Buffer.from(text, "hex"));
}

function reason(proof, spec, root, key, value) {
  try {
    if (value !== null && proof.exist) verifyExistence(proof.exist, spec, root, key, value);
    else if (value === null && proof.nonexist) verifyNonExistence(proof.nonexist, spec, root, key);
    else return "the proof holds no matching sub-proof for this key";
    return "rejected";
  } catch (e) {
    return String(e?.message ?? e);
  }
}

function check(request) {
  const spec = specs[request.spec];
  if (!spec) throw new Error(`unknown spec ${JSON.stringify(request.spec)}`);
  if (typeof request.proof !== "string") throw new Error("proof is not base64");
  const proof = ics23.CommitmentProof.decode(Uint8Array.from(Buffer.from(request.proof, "base64")));
  const root = hex(request.root, "root");
  const key = hex(request.key, "key");
  const value = request.value === null || request.value === undefined ? null : hex(request.value, "value");
  const ok = value === null
    ? verifyNonMembership(proof, spec, root, key)
    : verifyMembership(proof, spec, root, key, value);
  return ok ? { ok: true } : { ok: false, error: reason(proof, spec, root, key, value) };
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (line.trim() === "") continue;
  let id = null;
  let result;
  try {
    const request = JSON.parse(line);
    id = request.id ?? null;
    result = check(request);
  } catch (e) {
    result = { ok: false, error: String(e?.message ?? e) };
  }
  process.stdout.write(JSON.stringify({ id, ...result }) + "\n");
}
