using System.Numerics;
using DePinChain.App;
using DePinChain.Comet.Signing;
using DePinChain.CometStandIn;
using DePinChain.Protos.Cosmos.Bank.V1Beta1;
using DePinChain.Store;
using DePinChain.Store.Backend;
using DePinChain.TestRelayer;
using Google.Protobuf.WellKnownTypes;

namespace DePinChain.Ibc.IntegrationTests;

/// <summary>
/// Chains depin-a-1 and depin-b-1: each a DePinApp on a real multistore (proofs) behind a <see cref="StandInNode"/>
/// with three held validator keys, one shared clock, a block per broadcast tx; and the test relayer between them,
/// which makes a block on a chain whenever it waits for one.
/// </summary>
internal sealed class TwoChains : IAsyncDisposable
{
    public const string Denom = "udpin";
    public static readonly TxSigner RelayerKey = TxSigner.FromSeed("relayer");
    public static readonly TxSigner Alice = TxSigner.FromSeed("alice");
    public static readonly TxSigner Bob = TxSigner.FromSeed("bob");

    private TwoChains((StandInNode Node, MultiStore Store) a, (StandInNode Node, MultiStore Store) b, StandInClock clock)
    {
        (A, StoreA) = a;
        (B, StoreB) = b;
        Clock = clock;
        var relayerA = new RelayChain(A.RpcUrl!, RelayerKey, ct => A.ProduceBlockAsync(cancellationToken: ct)) { WaitAttempts = 40 };
        var relayerB = new RelayChain(B.RpcUrl!, RelayerKey, ct => B.ProduceBlockAsync(cancellationToken: ct)) { WaitAttempts = 40 };
        Relayer = new Relayer(relayerA, relayerB);
        // The users send through the same client code as the relayer (Simulate, sign, broadcast, wait).
        AliceOnA = new RelayChain(A.RpcUrl!, Alice, ct => A.ProduceBlockAsync(cancellationToken: ct));
        BobOnB = new RelayChain(B.RpcUrl!, Bob, ct => B.ProduceBlockAsync(cancellationToken: ct));
    }

    public StandInNode A { get; }
    public StandInNode B { get; }

    /// <summary>The chains' multistores (per-store hashes for genesis round trips).</summary>
    public MultiStore StoreA { get; }

    public MultiStore StoreB { get; }
    public StandInClock Clock { get; }
    public Relayer Relayer { get; }
    public RelayChain AliceOnA { get; }
    public RelayChain BobOnB { get; }

    public static async Task<TwoChains> StartAsync(int validators = 3)
    {
        var clock = new StandInClock(Timestamp.FromDateTime(new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc)));
        var a = await StartChainAsync("depin-a-1", clock, validators);
        (StandInNode Node, MultiStore Store) b;
        try
        {
            b = await StartChainAsync("depin-b-1", clock, validators);
        }
        catch
        {
            await a.Node.DisposeAsync();
            throw;
        }
        var chains = new TwoChains(a, b, clock);
        await chains.Relayer.ChainA.InitAsync();
        await chains.Relayer.ChainB.InitAsync();
        await chains.AliceOnA.InitAsync();
        await chains.BobOnB.InitAsync();
        return chains;
    }

    private static async Task<(StandInNode Node, MultiStore Store)> StartChainAsync(string chainId, StandInClock clock, int validators)
    {
        var keys = LocalValidatorSet.Generate(chainId, validators, _ => 10);
        var store = MultiStore.OpenOwning(new MemoryKeyValueStore(), AppModules.AllStoreNames, new MultiStoreOptions { CreateIfEmpty = true });
        var genesis = new StandInGenesis
        {
            ChainId = chainId,
            GenesisTime = clock.Now,
            AppStateJson = TxBuilder.GenesisAppState([(RelayerKey.Address, 1_000_000_000), (Alice.Address, 1_000_000_000), (Bob.Address, 1_000_000_000)]),
            Validators = [.. keys.Validators.Select(v => new GenesisValidator(v.PublicKey, v.VotingPower))],
        };
        var node = await StandInNode.StartAsync(new DePinApp(store), genesis, new StandInOptions
        {
            ValidatorSeeds = [.. Enumerable.Range(0, validators).Select(i => LocalValidatorSet.Seed(chainId, i))],
            Clock = clock,
            BlockOnBroadcast = true,
        });
        return (node, store);
    }

    public static async Task<BigInteger> BalanceAsync(RelayChain chain, string address, string denom)
    {
        var answer = await chain.QueryAsync("/cosmos.bank.v1beta1.Query/Balance", new QueryBalanceRequest { Address = address, Denom = denom }, QueryBalanceResponse.Parser);
        return BigInteger.Parse(answer.Balance?.Amount is { Length: > 0 } amount ? amount : "0");
    }

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
    }
}
