// Reads [{"type": "cosmos.bank.v1beta1.QueryAllBalancesResponse", "json": {...}}, ...] on stdin: REST answers of our
// gateway. Decodes each with cosmjs-types' fromJSON (what a CosmJS-based client does with a REST answer), encodes it
// to protobuf, and prints [{"type": ..., "bytes": base64}, ...] so the .NET test compares them with the gRPC answers.
import * as bank from "cosmjs-types/cosmos/bank/v1beta1/query";
import * as staking from "cosmjs-types/cosmos/staking/v1beta1/query";
import * as auth from "cosmjs-types/cosmos/auth/v1beta1/query";

const types = {
  "cosmos.bank.v1beta1.QueryAllBalancesResponse": bank.QueryAllBalancesResponse,
  "cosmos.bank.v1beta1.QueryBalanceResponse": bank.QueryBalanceResponse,
  "cosmos.bank.v1beta1.QueryTotalSupplyResponse": bank.QueryTotalSupplyResponse,
  "cosmos.bank.v1beta1.QuerySupplyOfResponse": bank.QuerySupplyOfResponse,
  "cosmos.bank.v1beta1.QueryParamsResponse": bank.QueryParamsResponse,
  "cosmos.staking.v1beta1.QueryPoolResponse": staking.QueryPoolResponse,
  "cosmos.auth.v1beta1.QueryParamsResponse": auth.QueryParamsResponse,
};

// The gateway writes proto field names (snake_case, as the SDK's does); proto3 JSON parsers take those or the
// lowerCamelCase JSON names, but cosmjs-types' fromJSON reads only the latter, so keys are renamed first.
const camel = (value) =>
  Array.isArray(value) ? value.map(camel)
  : value !== null && typeof value === "object"
    ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase()), camel(v)]))
    : value;

let input = "";
for await (const chunk of process.stdin) input += chunk;
const out = JSON.parse(input).map(({ type, json }) => {
  const codec = types[type];
  if (!codec) throw new Error(`no cosmjs-types codec for ${type}`);
  const message = codec.fromJSON(camel(json));
  return { type, bytes: Buffer.from(codec.encode(message).finish()).toString("base64"), next_key: message.pagination ? Buffer.from(message.pagination.nextKey ?? []).toString("base64") : null };
});
process.stdout.write(JSON.stringify(out));
