using System.Text.Json.Nodes;
using DePinChain.App;
using DePinChain.Store;
using DePinChain.Store.Backend;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Cosmos.Auth.V1Beta1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace DePinChain.Modules.Ibc.Tests;

/// <summary>The app driven through InitChain / FinalizeBlock / Commit (one second per block), with funded accounts,
/// and queries as CometBFT's abci_query asks them (gRPC method paths, <c>store/ibc/key</c> with proofs).</summary>
internal sealed class IbcChain
{
    public const string Denom = "udpin";
    public const long Fee = 500;

    public static readonly TxSigner Relayer = TxSigner.FromSeed("relayer");
    public static readonly TxSigner User = TxSigner.FromSeed("user");

    public IbcChain(string chainId, DateTimeOffset genesisTime)
    {
        ChainId = chainId;
        GenesisTime = genesisTime;
        // The real multistore: relayers need its ICS-23 proofs.
        Store = MultiStore.OpenOwning(new MemoryKeyValueStore(), AppModules.AllStoreNames, new MultiStoreOptions { CreateIfEmpty = true });
        App = new DePinApp(Store);
        var state = JsonNode.Parse(TxBuilder.GenesisAppState([(Relayer.Address, 1_000_000_000), (User.Address, 1_000_000_000)]))!;
        App.InitChain(new RequestInitChain
        {
            ChainId = chainId,
            InitialHeight = 1,
            Time = Timestamp.FromDateTimeOffset(genesisTime),
            AppStateBytes = ByteString.CopyFromUtf8(state.ToJsonString()),
            ConsensusParams = new DePinChain.Protos.Types.ConsensusParams { Block = new() { MaxBytes = 22020096, MaxGas = 0 } },
        });
        Block();
    }

    public string ChainId { get; }

    public DateTimeOffset GenesisTime { get; }

    public MultiStore Store { get; }

    public DePinApp App { get; }

    public long Height => App.Info(new RequestInfo()).LastBlockHeight;

    public DateTimeOffset BlockTime(long height) => GenesisTime.AddSeconds(height);

    /// <summary>The app hash the last Commit returned: the root proofs at the last height verify against (CometBFT
    /// puts it in the next header).</summary>
    public byte[] LastAppHash { get; private set; } = [];

    public ResponseFinalizeBlock Block(params byte[][] txs)
    {
        var height = Height + 1;
        var request = new RequestFinalizeBlock { Height = height, Time = Timestamp.FromDateTimeOffset(BlockTime(height)), DecidedLastCommit = new DePinChain.Protos.Abci.CommitInfo() };
        foreach (var tx in txs) request.Txs.Add(ByteString.CopyFrom(tx));
        var response = App.FinalizeBlock(request);
        App.Commit(new RequestCommit());
        LastAppHash = response.AppHash.ToByteArray();
        return response;
    }

    public ExecTxResult Run(TxSigner from, params IMessage[] msgs) => Block(Tx(from, msgs)).TxResults[0];

    public ExecTxResult Ok(TxSigner from, params IMessage[] msgs)
    {
        var result = Run(from, msgs);
        Assert.True(result.Code == 0, $"code {result.Code} ({result.Codespace}): {result.Log}");
        return result;
    }

    public byte[] Tx(TxSigner from, params IMessage[] msgs)
    {
        var account = Account(from);
        var builder = new TxBuilder().WithFee(Denom, Fee, 2_000_000);
        foreach (var m in msgs) builder.AddMessage(m);
        return builder.Sign(from, ChainId, account.AccountNumber, account.Sequence).ToByteArray();
    }

    public BaseAccount Account(TxSigner who)
    {
        var response = Query("/cosmos.auth.v1beta1.Query/Account", new QueryAccountRequest { Address = who.Bech32 });
        Assert.True(response.Code == 0, response.Log);
        return BaseAccount.Parser.ParseFrom(QueryAccountResponse.Parser.ParseFrom(response.Value).Account.Value);
    }

    public ResponseQuery Query(string path, IMessage request, long height = 0)
        => App.Query(new RequestQuery { Path = path, Data = request.ToByteString(), Height = height });

    public T Ask<T>(string path, IMessage request, MessageParser<T> parser) where T : IMessage<T>
    {
        var response = Query(path, request);
        Assert.True(response.Code == 0, path + ": " + response.Log);
        return parser.ParseFrom(response.Value);
    }

    /// <summary>abci_query <c>store/ibc/key</c> with prove=true at a height (0 = latest), as relayers ask.</summary>
    public ResponseQuery ProveIbcKey(string path, long height = 0)
        => App.Query(new RequestQuery { Path = "store/ibc/key", Data = ByteString.CopyFromUtf8(path), Height = height, Prove = true });

    /// <summary>The two proof ops of a store query as an ibc-go MerkleProof's bytes.</summary>
    public static byte[] MerkleProofOf(ResponseQuery response)
    {
        var proof = new DePinChain.Protos.Ibc.Core.Commitment.V1.MerkleProof();
        foreach (var op in response.ProofOps.Ops) proof.Proofs.Add(DePinChain.Protos.Ics23.CommitmentProof.Parser.ParseFrom(op.Data));
        return proof.ToByteArray();
    }
}
