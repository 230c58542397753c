using System.Text.Json.Nodes;
using DePinChain.Api.Rest;
using DePinChain.Protos.Cosmos.Bank.V1Beta1;
using DePinChain.Protos.Cosmos.Base.Abci.V1Beta1;
using DePinChain.Protos.Cosmos.Base.Query.V1Beta1;
using DePinChain.Protos.Cosmos.Tx.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using ProtoCoin = DePinChain.Protos.Cosmos.Base.V1Beta1.Coin;
using Devices = DePinChain.Protos.Depin.Devices.V1;

namespace DePinChain.Api.Tests;

/// <summary>
/// The gateway's JSON writer (one streaming pass adding grpc-gateway's nulls) against the plain statement of the rule on a
/// document tree: every message field left unset and every empty bytes field is null, through repeated fields and Anys.
/// </summary>
public sealed class GatewayJsonTests
{
    private static readonly TypeRegistry Types = TypeRegistry.FromFiles(
        MsgSend.Descriptor.File, GetTxResponse.Descriptor.File, Duration.Descriptor.File, BytesValue.Descriptor.File);

    private static readonly GatewayJson Gateway = new(Types);

    public static TheoryData<string, IMessage> Messages() => new()
    {
        { "unset pagination", new QueryAllBalancesResponse { Balances = { new ProtoCoin { Denom = "udpin", Amount = "5" } } } },
        { "empty next_key", new QueryAllBalancesResponse { Pagination = new PageResponse { Total = 2 } } },
        { "set next_key", new QueryAllBalancesResponse { Pagination = new PageResponse { NextKey = ByteString.CopyFrom(1, 2, 0xFF) } } },
        { "escapes", new QueryBalanceResponse { Balance = new ProtoCoin { Denom = "<a&b>'\"é\u2028", Amount = "1" } } },
        { "tx with Anys", Tx() },
        { "well-known types in Anys", new TxBody
            {
                Memo = "m",
                Messages = { Any.Pack(new Duration { Seconds = 3, Nanos = 500 }), Any.Pack(new BytesValue()), Any.Pack(new MsgSend { FromAddress = "a" }) },
                ExtensionOptions = { Any.Pack(new BytesValue { Value = ByteString.CopyFrom(7) }) },
            } },
        { "empty", new GetTxResponse() },
        { "device page (written directly)", DevicePage() },
        { "density cells (written directly)", new Devices.QueryDensityCellsResponse
            {
                Cells = { new Devices.DensityCell { Level = 11, Index = ulong.MaxValue, Devices = 3, SouthMicro = -90_000_000, WestMicro = -180_000_000, NorthMicro = 1, EastMicro = 0 } },
            } },
        { "empty device page", new Devices.QueryAllDevicesResponse() },
    };

    // Devices with and without a location, an empty key, an enum number no name has, and a page response with a next key.
    private static Devices.QueryAllDevicesResponse DevicePage() => new()
    {
        Devices =
        {
            new Devices.Device
            {
                Key = ByteString.CopyFrom(0xFB, 0xFF, 0x3E), KeyType = Devices.KeyType.Ed25519, Owner = "depin1<&>é", Mode = Devices.DeviceMode.Full,
                Status = Devices.DeviceStatus.Active, Maker = "m\"\n", OnboardedHeight = long.MinValue,
                Location = new Devices.Location { LatitudeMicro = -33_000_001, LongitudeMicro = int.MaxValue, AntennaGainTenthsDbi = -5, Region = (Devices.Region)99, Nonce = ulong.MaxValue, AssertedHeight = 7 },
            },
            new Devices.Device(),
        },
        Pagination = new PageResponse { NextKey = ByteString.CopyFrom(0xFB, 0xEF), Total = 10_000 },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void The_streaming_writer_writes_what_the_document_rule_gives(string name, IMessage message)
    {
        string written = Gateway.Format(message);
        Assert.True(written == Reference(message), $"{name}: {written}\nexpected {Reference(message)}");
    }

    [Fact]
    public void Unset_messages_and_empty_bytes_are_null_and_the_rest_is_protobuf_json()
    {
        Assert.Equal("""{"balances":[{"denom":"udpin","amount":"5"}],"pagination":null}""",
            Gateway.Format(new QueryAllBalancesResponse { Balances = { new ProtoCoin { Denom = "udpin", Amount = "5" } } }));
        Assert.Equal("""{"balances":[],"pagination":{"next_key":null,"total":"2"}}""",
            Gateway.Format(new QueryAllBalancesResponse { Pagination = new PageResponse { Total = 2 } }));
    }

    [Fact]
    public void Base64_and_non_ascii_text_are_written_plainly_as_go_writes_them()
    {
        // Go's encoding/json leaves '+' and non-ASCII alone; System.Text.Json's default encoder would write \u002B and \u00E9.
        string json = Gateway.Format(new QueryAllBalancesResponse { Pagination = new PageResponse { NextKey = ByteString.CopyFrom(0xFB, 0xEF, 0xFF) } });
        Assert.Equal("""{"balances":[],"pagination":{"next_key":"++//","total":"0"}}""", json);
        Assert.Equal("""{"balance":{"denom":"café \"q\"","amount":"1"}}""",
            Gateway.Format(new QueryBalanceResponse { Balance = new ProtoCoin { Denom = "café \"q\"", Amount = "1" } }));
    }

    private static GetTxResponse Tx()
    {
        var body = new TxBody { Messages = { Any.Pack(new MsgSend { FromAddress = "depin1a", ToAddress = "depin1b", Amount = { new ProtoCoin { Denom = "udpin", Amount = "9" } } }) } };
        return new GetTxResponse
        {
            Tx = new Tx { Body = body, AuthInfo = new AuthInfo { Fee = new Fee { GasLimit = 200_000 } }, Signatures = { ByteString.CopyFrom(1, 2), ByteString.Empty } },
            TxResponse = new TxResponse { Height = 7, Txhash = "AB", Data = "", Tx = Any.Pack(new Tx { Body = body }), Events = { new Protos.Abci.Event { Type = "message" } } },
        };
    }

    // The rule stated on a document tree (how the gateway's writer was first written).
    private static string Reference(IMessage message)
    {
        var node = JsonNode.Parse(new CosmosJson(Types, formatDefaults: true).Format(message))!;
        AddNulls(node, message.Descriptor);
        return node.ToJsonString(CosmosJson.TextOptions);
    }

    private static void AddNulls(JsonNode? node, MessageDescriptor descriptor)
    {
        if (node is not JsonObject obj) return;
        if (descriptor.FullName == Any.Descriptor.FullName)
        {
            if (obj["@type"] is JsonValue type && type.TryGetValue<string>(out var url)
                && Types.Find(url[(url.LastIndexOf('/') + 1)..]) is { } packed && packed.File.Package != "google.protobuf")
                AddNulls(obj, packed);
            return;
        }
        if (descriptor.File.Package == "google.protobuf") return;
        foreach (var field in descriptor.Fields.InDeclarationOrder())
        {
            if (field.IsMap || field.RealContainingOneof is not null) continue;
            string name = field.Name;
            if (field.FieldType == FieldType.Message)
            {
                if (field.IsRepeated)
                {
                    if (obj[name] is JsonArray items)
                        foreach (var item in items) AddNulls(item, field.MessageType);
                }
                else if (!obj.ContainsKey(name)) obj[name] = null;
                else AddNulls(obj[name], field.MessageType);
            }
            else if (field.FieldType == FieldType.Bytes && !field.IsRepeated && CosmosJson.ScalarOf(field) is null
                     && obj[name] is JsonValue v && v.TryGetValue<string>(out var text) && text.Length == 0)
            {
                obj[name] = null;
            }
        }
    }
}
