using DePinChain.Protos.Ibc.Applications.Transfer.V1;
using DePinChain.Sdk;
using Google.Protobuf;
using ProtoCoin = DePinChain.Protos.Cosmos.Base.V1Beta1.Coin;
using ProtoHeight = DePinChain.Protos.Ibc.Core.Client.V1.Height;

namespace DePinChain.Modules.Transfer.Tests;

public class GenesisTests
{
    private static TransferModule Module(TransferChain chain) => new(chain.Keeper, chain.Core, ModuleAuthority.Default);

    [Fact]
    public void Default_genesis_binds_the_transfer_port_with_both_directions_enabled()
    {
        var module = Module(new TransferChain());
        Assert.Equal("{\"port_id\":\"transfer\",\"denom_traces\":[],\"params\":{\"send_enabled\":true,\"receive_enabled\":true},\"total_escrowed\":[]}",
            module.DefaultGenesis().Replace(" ", "").Replace("\n", ""));
    }

    [Fact]
    public void Export_of_import_is_the_same_genesis()
    {
        var chain = new TransferChain();
        var module = Module(chain);
        var genesis = new GenesisState { PortId = "transfer", Params = new Params { SendEnabled = false, ReceiveEnabled = true } };
        // Sorted by full path, as ibc-go exports them.
        genesis.DenomTraces.Add(new Protos.Ibc.Applications.Transfer.V1.DenomTrace { Path = "transfer/channel-0", BaseDenom = "gamm/pool/1" });
        genesis.DenomTraces.Add(new Protos.Ibc.Applications.Transfer.V1.DenomTrace { Path = "transfer/channel-0", BaseDenom = "stake" });
        genesis.TotalEscrowed.Add(new ProtoCoin { Denom = "udpin", Amount = "542" });
        var json = TransferGenesis.Json.Format(genesis);
        module.InitGenesis(chain.Ctx(), json);
        Assert.Equal(json, module.ExportGenesis(chain.Ctx()));
        Assert.Equal(542, chain.Escrowed("udpin"));
        Assert.NotNull(chain.Bank.GetDenomMetadata(chain.Ctx(), "ibc/C053D637CCA2A2BA030E2C5EE1B28A16F71CCB0E45E8BE52766DC1B241B77878"));
    }

    [Theory]
    [InlineData("{\"port_id\":\"t\",\"denom_traces\":[],\"params\":{},\"total_escrowed\":[]}")]
    [InlineData("{\"port_id\":\"transfer\",\"denom_traces\":[{\"path\":\"transfer/channel-0\",\"base_denom\":\"a\"},{\"path\":\"transfer/channel-0\",\"base_denom\":\"a\"}],\"params\":{},\"total_escrowed\":[]}")]
    [InlineData("{\"port_id\":\"transfer\",\"denom_traces\":[{\"path\":\"transfer\",\"base_denom\":\"a\"}],\"params\":{},\"total_escrowed\":[]}")]
    [InlineData("{\"port_id\":\"transfer\",\"denom_traces\":[],\"params\":{},\"total_escrowed\":[{\"denom\":\"udpin\",\"amount\":\"1\"},{\"denom\":\"stake\",\"amount\":\"1\"}]}")]
    [InlineData("{\"port_id\":\"transfer\",\"denom_traces\":[],\"params\":{},\"total_escrowed\":[{\"denom\":\"udpin\",\"amount\":\"0\"}]}")]
    public void Invalid_genesis_is_refused(string json)
        => Assert.Throws<SdkError>(() => Module(new TransferChain()).ValidateGenesis(json));
}

public class QueryTests
{
    private static (TransferChain Chain, QueryRouter Router) Setup(Action<GenesisState>? edit = null)
    {
        var chain = new TransferChain();
        var module = new TransferModule(chain.Keeper, chain.Core, ModuleAuthority.Default);
        var genesis = new TransferGenesis(chain.Keeper).Default();
        edit?.Invoke(genesis);
        module.InitGenesis(chain.Ctx(), TransferGenesis.Json.Format(genesis));
        var router = new QueryRouter();
        module.RegisterQueries(router);
        router.CheckServes(module.QueryService!);
        return (chain, router);
    }

    private static byte[] Ask(TransferChain chain, QueryRouter router, string method, IMessage request)
    {
        var route = router.Find("/ibc.applications.transfer.v1.Query/" + method)!;
        return route.Handle(chain.Ctx(), request.ToByteString());
    }

    [Fact]
    public void DenomTraces_answers_as_the_recorded_chains_do()
    {
        var (emptyChain, emptyRouter) = Setup();
        Assert.Equal(Conformance.QueryValue("a-grpc-transfer.Query.DenomTraces-h221.json"), Ask(emptyChain, emptyRouter, "DenomTraces", new QueryDenomTracesRequest()));
        var (chain, router) = Setup(g => g.DenomTraces.Add(new Protos.Ibc.Applications.Transfer.V1.DenomTrace { Path = "transfer/channel-0", BaseDenom = "stake" }));
        Assert.Equal(Conformance.QueryValue("b-grpc-transfer.Query.DenomTraces-h221.json"), Ask(chain, router, "DenomTraces", new QueryDenomTracesRequest()));
    }

    [Fact]
    public void TotalEscrowForDenom_answers_a_coin_as_the_recorded_chains_do()
    {
        var (chain, router) = Setup(g => g.TotalEscrowed.Add(new ProtoCoin { Denom = "stake", Amount = "542" }));
        Assert.Equal(Conformance.QueryValue("a-grpc-transfer.Query.TotalEscrowForDenom-stake-h221.json"),
            Ask(chain, router, "TotalEscrowForDenom", new QueryTotalEscrowForDenomRequest { Denom = "stake" }));
        var (empty, emptyRouter) = Setup();
        Assert.Equal(Conformance.QueryValue("b-grpc-transfer.Query.TotalEscrowForDenom-stake-h221.json"),
            Ask(empty, emptyRouter, "TotalEscrowForDenom", new QueryTotalEscrowForDenomRequest { Denom = "stake" }));
    }

    [Fact]
    public void EscrowAddress_answers_the_channel_s_escrow_account()
    {
        var (chain, router) = Setup();
        var answer = QueryEscrowAddressResponse.Parser.ParseFrom(Ask(chain, router, "EscrowAddress", new QueryEscrowAddressRequest { PortId = "transfer", ChannelId = "channel-0" }));
        Assert.Equal(Bech32Address.ToBech32(Convert.FromHexString("ed23c6f4443f49c4b08f856350a5d2c65a203235")), answer.EscrowAddress);
        var missing = Assert.Throws<SdkError>(() => Ask(chain, router, "EscrowAddress", new QueryEscrowAddressRequest { PortId = "transfer", ChannelId = "channel-5" }));
        Assert.Equal(("channel", 3u), (missing.Codespace, missing.Code));
    }

    [Fact]
    public void DenomTrace_and_DenomHash_find_a_voucher_by_hash_or_path()
    {
        var (chain, router) = Setup(g => g.DenomTraces.Add(new Protos.Ibc.Applications.Transfer.V1.DenomTrace { Path = "transfer/channel-0", BaseDenom = "stake" }));
        const string hash = "C053D637CCA2A2BA030E2C5EE1B28A16F71CCB0E45E8BE52766DC1B241B77878";
        foreach (var key in new[] { hash, "ibc/" + hash, hash.ToLowerInvariant() })
        {
            var trace = QueryDenomTraceResponse.Parser.ParseFrom(Ask(chain, router, "DenomTrace", new QueryDenomTraceRequest { Hash = key })).DenomTrace;
            Assert.Equal(("transfer/channel-0", "stake"), (trace.Path, trace.BaseDenom));
        }
        Assert.Equal(hash, QueryDenomHashResponse.Parser.ParseFrom(Ask(chain, router, "DenomHash", new QueryDenomHashRequest { Trace = "transfer/channel-0/stake" })).Hash);
        var unknown = Assert.Throws<SdkError>(() => Ask(chain, router, "DenomTrace", new QueryDenomTraceRequest { Hash = new string('A', 64) }));
        Assert.Equal(("transfer", 6u), (unknown.Codespace, unknown.Code));
        var malformed = Assert.Throws<SdkError>(() => Ask(chain, router, "DenomTrace", new QueryDenomTraceRequest { Hash = "xyz" }));
        Assert.Equal(("transfer", 3u), (malformed.Codespace, malformed.Code));
        var notStored = Assert.Throws<SdkError>(() => Ask(chain, router, "DenomHash", new QueryDenomHashRequest { Trace = "transfer/channel-1/stake" }));
        Assert.Equal(("transfer", 6u), (notStored.Codespace, notStored.Code));
    }

    [Fact]
    public void DenomTraces_pages_by_hash()
    {
        var (chain, router) = Setup(g =>
        {
            foreach (var denom in new[] { "a1", "b22", "c333" })
                g.DenomTraces.Add(new Protos.Ibc.Applications.Transfer.V1.DenomTrace { Path = "transfer/channel-0", BaseDenom = denom });
        });
        var first = QueryDenomTracesResponse.Parser.ParseFrom(Ask(chain, router, "DenomTraces",
            new QueryDenomTracesRequest { Pagination = new() { Limit = 2, CountTotal = true } }));
        Assert.Equal(2, first.DenomTraces.Count);
        Assert.Equal(3ul, first.Pagination.Total);
        var second = QueryDenomTracesResponse.Parser.ParseFrom(Ask(chain, router, "DenomTraces",
            new QueryDenomTracesRequest { Pagination = new() { Key = first.Pagination.NextKey, Limit = 2 } }));
        Assert.Single(second.DenomTraces);
        Assert.True(second.Pagination.NextKey.IsEmpty);
        Assert.Equal(3, first.DenomTraces.Concat(second.DenomTraces).Select(t => t.BaseDenom).Distinct().Count());
    }
}

public class MsgServerTests
{
    [Fact]
    public void MsgTransfer_is_routed_checked_and_answered_with_the_sequence()
    {
        var chain = new TransferChain();
        var module = new TransferModule(chain.Keeper, chain.Core, ModuleAuthority.Default);
        var router = new MsgRouter();
        module.RegisterMessages(router);
        var route = router.Find("/ibc.applications.transfer.v1.MsgTransfer")!;
        var msg = new MsgTransfer
        {
            SourcePort = "transfer", SourceChannel = "channel-0", Token = new ProtoCoin { Denom = "udpin", Amount = "25" },
            Sender = Bech32Address.ToBech32(TransferChain.Alice), Receiver = "cosmos1rw3mrkmlw5epe3c20304eys56xktxq3qg2cxr2",
            TimeoutHeight = new ProtoHeight { RevisionNumber = 1, RevisionHeight = 1000 }, Memo = "hi",
        };
        route.ValidateBasic(msg);
        var response = (MsgTransferResponse)route.Handle(chain.Ctx(), msg);
        Assert.Equal(1ul, response.Sequence);
        Assert.Equal(25, chain.Escrowed("udpin"));
        Assert.Equal([Bech32Address.ToBech32(TransferChain.Alice)], route.GetSigners(msg));

        var noTimeout = new MsgTransfer(msg) { TimeoutHeight = null, TimeoutTimestamp = 0 };
        route.ValidateBasic(noTimeout); // ibc-go leaves this to core's SendPacket
        Assert.Throws<SdkError>(() => route.Handle(chain.Ctx(), noTimeout));
        Assert.Throws<SdkError>(() => route.ValidateBasic(new MsgTransfer(msg) { Token = null }));
        Assert.Throws<SdkError>(() => route.ValidateBasic(new MsgTransfer(msg) { Token = new ProtoCoin { Denom = "udpin", Amount = "-1" } }));
    }

    [Fact]
    public void Only_the_authority_updates_params()
    {
        var chain = new TransferChain();
        var authority = Bech32Address.ToBech32(TransferChain.Bob);
        var module = new TransferModule(chain.Keeper, chain.Core, authority);
        var router = new MsgRouter();
        module.RegisterMessages(router);
        var route = router.Find("/ibc.applications.transfer.v1.MsgUpdateParams")!;
        var update = new MsgUpdateParams { Signer = Bech32Address.ToBech32(TransferChain.Alice), Params = new Params { SendEnabled = false, ReceiveEnabled = true } };
        var error = Assert.Throws<SdkError>(() => route.Handle(chain.Ctx(), update));
        Assert.Equal(("ibc", 2u), (error.Codespace, error.Code));
        route.Handle(chain.Ctx(), new MsgUpdateParams(update) { Signer = authority });
        Assert.Equal(new TransferParams(false, true), chain.Keeper.GetParams(chain.Ctx()));
    }
}
