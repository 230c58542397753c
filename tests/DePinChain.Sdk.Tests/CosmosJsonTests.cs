using System.Text;
using DePinChain.Protos.Cosmos.Staking.V1Beta1;
using DePinChain.Protos.Cosmos.Tx.V1Beta1;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Xunit;
using SlashingParams = DePinChain.Protos.Cosmos.Slashing.V1Beta1.Params;

namespace DePinChain.Sdk.Tests;

public sealed class CosmosJsonTests
{
    private static readonly CosmosJson Json = new(TypeRegistry.FromFiles(StakingReflection.Descriptor, DePinChain.Protos.Cosmos.Staking.V1Beta1.TxReflection.Descriptor, DePinChain.Protos.Cosmos.Tx.V1Beta1.TxReflection.Descriptor,
        DePinChain.Protos.Cosmos.Crypto.Ed25519.KeysReflection.Descriptor));

    [Fact]
    public void Decimals_are_text_in_json_and_wire_digits_in_the_message()
    {
        var p = new Params { BondDenom = "udpin", MinCommissionRate = LegacyDec.Parse("0.05").ToWire(), UnbondingTime = Duration.FromTimeSpan(TimeSpan.FromDays(21)) };
        string json = Json.Format(p);
        Assert.Contains("\"min_commission_rate\":\"0.050000000000000000\"", json);
        var back = Json.Parse<Params>(json);
        Assert.Equal("50000000000000000", back.MinCommissionRate);
        Assert.Equal(p, back);
    }

    [Fact]
    public void Decimals_in_bytes_fields_are_text_not_base64()
    {
        var p = new SlashingParams { SignedBlocksWindow = 100, MinSignedPerWindow = ByteString.CopyFrom(Encoding.ASCII.GetBytes(LegacyDec.Parse("0.5").ToWire())) };
        string json = Json.Format(p);
        Assert.Contains("\"min_signed_per_window\":\"0.500000000000000000\"", json);
        Assert.Equal(p, Json.Parse<SlashingParams>(json));
    }

    [Fact]
    public void Decimals_inside_anys_of_a_tx_are_rewritten_both_ways()
    {
        var msg = new MsgCreateValidator
        {
            Commission = new CommissionRates { Rate = LegacyDec.Parse("0.1").ToWire(), MaxRate = LegacyDec.Parse("0.2").ToWire(), MaxChangeRate = LegacyDec.Parse("0.01").ToWire() },
            MinSelfDelegation = "1",
            ValidatorAddress = "depinvaloper1xyz",
        };
        var tx = new Tx { Body = new TxBody { Messages = { Any.Pack(msg, "") } } };
        tx.Body.Messages[0].TypeUrl = "/cosmos.staking.v1beta1.MsgCreateValidator";
        string json = Json.Format(tx);
        Assert.Contains("\"rate\":\"0.100000000000000000\"", json);
        Assert.Contains("\"max_change_rate\":\"0.010000000000000000\"", json);
        var back = Json.Parse<Tx>(json);
        Assert.Equal(msg, back.Body.Messages[0].Unpack<MsgCreateValidator>());
    }

    [Fact]
    public void A_tendermint_consensus_states_next_validators_hash_is_upper_case_hex_as_ibc_gos_HexBytes()
    {
        var json = new CosmosJson(TypeRegistry.FromFiles(DePinChain.Protos.Ibc.LightClients.Tendermint.V1.TendermintReflection.Descriptor));
        byte[] hash = Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + 0xA0)).ToArray();
        var state = new DePinChain.Protos.Ibc.LightClients.Tendermint.V1.ConsensusState
        {
            Timestamp = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 4, 5, 0, 0, TimeSpan.Zero)),
            Root = new DePinChain.Protos.Ibc.Core.Commitment.V1.MerkleRoot { Hash = ByteString.CopyFrom(hash[..16]) },
            NextValidatorsHash = ByteString.CopyFrom(hash),
        };
        string text = json.Format(state);
        Assert.Contains($"\"next_validators_hash\":\"{Convert.ToHexString(hash)}\"", text);
        Assert.Equal(Convert.ToBase64String(hash[..16]), (string?)System.Text.Json.Nodes.JsonNode.Parse(text)!["root"]!["hash"]); // other bytes stay base64
        Assert.Equal(state, json.Parse<DePinChain.Protos.Ibc.LightClients.Tendermint.V1.ConsensusState>(text));

        // In an Any too (a client's consensus state in MsgCreateClient), and only hex is read back, as HexBytes does.
        var any = Any.Pack(state);
        string packed = json.Format(any);
        Assert.Contains(Convert.ToHexString(hash), packed);
        Assert.Equal(any, json.Parse<Any>(packed));
        string base64 = text.Replace(Convert.ToHexString(hash), Convert.ToBase64String(hash), StringComparison.Ordinal);
        Assert.Contains("not hex", Assert.Throws<FormatException>(() => json.Parse<DePinChain.Protos.Ibc.LightClients.Tendermint.V1.ConsensusState>(base64)).Message);
    }

    [Fact]
    public void A_message_without_scalars_keeps_googles_text()
    {
        var d = new Description { Moniker = "m" };
        Assert.Equal(new JsonFormatter(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true).WithFormatDefaultValues(true)).Format(d), Json.Format(d));
    }

    [Fact]
    public void A_bad_decimal_is_a_json_error()
        => Assert.Throws<FormatException>(() => Json.Parse<Params>("{\"min_commission_rate\":\"0.1.2\"}"));
}
