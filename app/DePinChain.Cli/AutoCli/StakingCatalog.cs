using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using DePinChain.Cli.Commands;
using DePinChain.Protos.Cosmos.Distribution.V1Beta1;
using DePinChain.Protos.Cosmos.Staking.V1Beta1;
using Google.Protobuf;
using Any = Google.Protobuf.WellKnownTypes.Any;
using Ed25519PubKey = DePinChain.Protos.Cosmos.Crypto.Ed25519.PubKey;

namespace DePinChain.Cli.AutoCli;

/// <summary>
/// The staking, slashing and distribution commands in simd's shapes: `tx staking create-validator validator.json`
/// (the file `comet show-validator`'s key goes into), delegate / unbond / redelegate VALIDATOR AMOUNT, edit-validator
/// with --new-moniker and friends, `tx slashing unjail`, `tx distribution withdraw-rewards VALIDATOR [--commission]`.
/// </summary>
internal static class StakingCatalog
{
    private const string DoNotModify = "[do-not-modify]";

    private static readonly Argument<string> ValidatorFile = new("VALIDATOR_JSON")
    {
        Description = "The validator's JSON file, as simd's: {\"pubkey\": (comet show-validator), \"amount\": \"10000000udpin\", \"moniker\": …, " +
                      "\"identity\", \"website\", \"security\", \"details\", \"commission-rate\": \"0.1\", \"commission-max-rate\": \"0.2\", " +
                      "\"commission-max-change-rate\": \"0.01\", \"min-self-delegation\": \"1\"}",
    };

    private static readonly Option<string> NewMoniker = new("--new-moniker") { Description = "The validator's new name", DefaultValueFactory = _ => DoNotModify };
    private static readonly Option<string> Identity = new("--identity") { Description = "Identity signature (ex. Keybase)", DefaultValueFactory = _ => DoNotModify };
    private static readonly Option<string> Website = new("--website") { DefaultValueFactory = _ => DoNotModify };
    private static readonly Option<string> SecurityContact = new("--security-contact") { DefaultValueFactory = _ => DoNotModify };
    private static readonly Option<string> Details = new("--details") { DefaultValueFactory = _ => DoNotModify };
    private static readonly Option<bool> WithCommission = new("--commission") { Description = "Withdraw the validator's commission too (the signer must be its operator)" };

    public static readonly Dictionary<string, MethodOptions> Table = new(StringComparer.Ordinal)
    {
        // ---- staking
        ["cosmos.staking.v1beta1.Msg/CreateValidator"] = new()
        {
            Hidden = ["description", "commission", "min_self_delegation", "delegator_address", "pubkey", "value"],
            ExtraArguments = [ValidatorFile], Build = CreateValidatorFromFile,
        },
        ["cosmos.staking.v1beta1.Msg/EditValidator"] = new()
        {
            Hidden = ["description"], ExtraOptions = [NewMoniker, Identity, Website, SecurityContact, Details], Build = EditDescription,
        },
        ["cosmos.staking.v1beta1.Msg/Delegate"] = new() { Positional = ["validator_address", "amount"] },
        ["cosmos.staking.v1beta1.Msg/Undelegate"] = new() { Use = "unbond", Aliases = ["undelegate"], Positional = ["validator_address", "amount"] },
        ["cosmos.staking.v1beta1.Msg/BeginRedelegate"] = new()
        {
            Use = "redelegate", Aliases = ["begin-redelegate"], Positional = ["validator_src_address", "validator_dst_address", "amount"],
        },
        ["cosmos.staking.v1beta1.Msg/CancelUnbondingDelegation"] = new()
        {
            Use = "cancel-unbond", Aliases = ["cancel-unbonding-delegation"], Positional = ["validator_address", "amount", "creation_height"],
        },
        ["cosmos.staking.v1beta1.Query/Validator"] = new() { Positional = ["validator_addr"] },
        ["cosmos.staking.v1beta1.Query/Delegation"] = new() { Positional = ["delegator_addr", "validator_addr"] },
        ["cosmos.staking.v1beta1.Query/DelegatorDelegations"] = new() { Use = "delegations", Aliases = ["delegator-delegations"], Positional = ["delegator_addr"] },
        ["cosmos.staking.v1beta1.Query/ValidatorDelegations"] = new() { Use = "delegations-to", Aliases = ["validator-delegations"], Positional = ["validator_addr"] },
        ["cosmos.staking.v1beta1.Query/UnbondingDelegation"] = new() { Positional = ["delegator_addr", "validator_addr"] },
        ["cosmos.staking.v1beta1.Query/DelegatorUnbondingDelegations"] = new() { Use = "unbonding-delegations", Aliases = ["delegator-unbonding-delegations"], Positional = ["delegator_addr"] },
        ["cosmos.staking.v1beta1.Query/ValidatorUnbondingDelegations"] = new() { Use = "unbonding-delegations-from", Aliases = ["validator-unbonding-delegations"], Positional = ["validator_addr"] },
        ["cosmos.staking.v1beta1.Query/Redelegations"] = new() { Positional = ["delegator_addr"] },
        ["cosmos.staking.v1beta1.Query/DelegatorValidators"] = new() { Positional = ["delegator_addr"] },
        ["cosmos.staking.v1beta1.Query/DelegatorValidator"] = new() { Positional = ["delegator_addr", "validator_addr"] },
        ["cosmos.staking.v1beta1.Query/HistoricalInfo"] = new() { Use = "historical-info", Positional = ["height"] },

        // ---- slashing
        ["cosmos.slashing.v1beta1.Query/SigningInfo"] = new() { Positional = ["cons_address"] },

        // ---- distribution
        ["cosmos.distribution.v1beta1.Msg/WithdrawDelegatorReward"] = new()
        {
            Use = "withdraw-rewards", Aliases = ["withdraw-delegator-reward"], Positional = ["validator_address"],
            ExtraOptions = [WithCommission], Also = CommissionToo,
        },
        ["cosmos.distribution.v1beta1.Msg/WithdrawValidatorCommission"] = new() { Use = "withdraw-commission", Aliases = ["withdraw-validator-commission"] },
        ["cosmos.distribution.v1beta1.Msg/SetWithdrawAddress"] = new() { Use = "set-withdraw-addr", Aliases = ["set-withdraw-address"], Positional = ["withdraw_address"] },
        ["cosmos.distribution.v1beta1.Msg/FundCommunityPool"] = new() { Positional = ["amount"] },
        ["cosmos.distribution.v1beta1.Query/DelegationRewards"] = new() { Use = "rewards", Aliases = ["delegation-rewards"], Positional = ["delegator_address", "validator_address"] },
        ["cosmos.distribution.v1beta1.Query/DelegationTotalRewards"] = new() { Use = "total-rewards", Aliases = ["delegation-total-rewards"], Positional = ["delegator_address"] },
        ["cosmos.distribution.v1beta1.Query/ValidatorCommission"] = new() { Use = "commission", Aliases = ["validator-commission"], Positional = ["validator_address"] },
        ["cosmos.distribution.v1beta1.Query/ValidatorOutstandingRewards"] = new() { Positional = ["validator_address"] },
        ["cosmos.distribution.v1beta1.Query/ValidatorDistributionInfo"] = new() { Positional = ["validator_address"] },
        ["cosmos.distribution.v1beta1.Query/ValidatorSlashes"] = new() { Use = "slashes", Aliases = ["validator-slashes"], Positional = ["validator_address"] },
        ["cosmos.distribution.v1beta1.Query/DelegatorValidators"] = new() { Positional = ["delegator_address"] },
        ["cosmos.distribution.v1beta1.Query/DelegatorWithdrawAddress"] = new() { Use = "withdraw-addr", Aliases = ["delegator-withdraw-address"], Positional = ["delegator_address"] },
    };

    /// <summary>MsgCreateValidator from simd's validator JSON file; the operator is the signer (--from).</summary>
    private static IMessage CreateValidatorFromFile(MethodCall call, IMessage message)
    {
        var msg = (MsgCreateValidator)message;
        string path = call.Result.GetValue(ValidatorFile)!;
        if (!File.Exists(path)) throw new CliUsageException($"VALIDATOR_JSON: {path} not found");
        JsonObject file;
        try
        {
            file = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new CliUsageException($"{path}: not a JSON object");
        }
        catch (JsonException e)
        {
            throw new CliUsageException($"{path}: not JSON ({e.Message})");
        }
        string Text(string name, string fallback = "")
        {
            var node = file[name];
            if (node is null) return fallback;
            return node is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new CliUsageException($"{path}: \"{name}\" must be a string");
        }
        string Required(string name) => Text(name) is { Length: > 0 } value ? value : throw new CliUsageException($"{path}: \"{name}\" is required");
        if (file["pubkey"] is not JsonObject pubkey)
            throw new CliUsageException($"{path}: \"pubkey\" is required: the output of `depinchaind comet show-validator`");
        if ((string?)pubkey["@type"] != "/cosmos.crypto.ed25519.PubKey")
            throw new CliUsageException($"{path}: pubkey's @type must be /cosmos.crypto.ed25519.PubKey");
        byte[] key;
        try { key = Convert.FromBase64String((string?)pubkey["key"] ?? ""); }
        catch (FormatException) { throw new CliUsageException($"{path}: pubkey.key is not base64"); }
        if (key.Length != 32) throw new CliUsageException($"{path}: pubkey.key must be a 32-byte ed25519 key, got {key.Length} bytes");

        msg.Pubkey = Any.Pack(new Ed25519PubKey { Key = ByteString.CopyFrom(key) }, "");
        msg.Value = FieldInput.ParseCoin(Required("amount"), $"{path}: amount");
        msg.Description = new Description
        {
            Moniker = Required("moniker"), Identity = Text("identity"), Website = Text("website"),
            SecurityContact = Text("security"), Details = Text("details"),
        };
        msg.Commission = new CommissionRates
        {
            Rate = FieldInput.ParseDecimal(Text("commission-rate", "0.1"), $"{path}: commission-rate"),
            MaxRate = FieldInput.ParseDecimal(Text("commission-max-rate", "0.2"), $"{path}: commission-max-rate"),
            MaxChangeRate = FieldInput.ParseDecimal(Text("commission-max-change-rate", "0.01"), $"{path}: commission-max-change-rate"),
        };
        msg.MinSelfDelegation = FieldInput.ParseIntegerText(Text("min-self-delegation", "1"), "", $"{path}: min-self-delegation");
        return msg;
    }

    private static IMessage EditDescription(MethodCall call, IMessage message)
    {
        var msg = (MsgEditValidator)message;
        msg.Description = new Description
        {
            Moniker = call.Result.GetValue(NewMoniker)!, Identity = call.Result.GetValue(Identity)!, Website = call.Result.GetValue(Website)!,
            SecurityContact = call.Result.GetValue(SecurityContact)!, Details = call.Result.GetValue(Details)!,
        };
        return msg;
    }

    // withdraw-rewards --commission: the commission of the signer's own validator, in the same tx.
    private static IReadOnlyList<IMessage> CommissionToo(MethodCall call, IMessage message)
    {
        if (!call.Result.GetValue(WithCommission)) return [];
        var msg = (MsgWithdrawDelegatorReward)message;
        return [new MsgWithdrawValidatorCommission { ValidatorAddress = msg.ValidatorAddress }];
    }
}
