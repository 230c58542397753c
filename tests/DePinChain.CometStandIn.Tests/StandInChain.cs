using DePinChain.App;
using DePinChain.Comet.Signing;
using DePinChain.Store;
using DePinChain.Store.Backend;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace DePinChain.CometStandIn.Tests;

/// <summary>A DePinApp on a real (in-memory) multistore, with proofs, behind a stand-in with four held validator keys.</summary>
internal static class StandInChain
{
    public static readonly TxSigner Alice = TxSigner.FromSeed("alice");
    public static readonly TxSigner Bob = TxSigner.FromSeed("bob");

    public static LocalValidatorSet Validators(string chainId, int count = 4) => LocalValidatorSet.Generate(chainId, count, _ => 10);

    public static async Task<StandInNode> StartAsync(string chainId = "depin-test-1", int validators = 4, bool blockOnBroadcast = true)
    {
        var set = Validators(chainId, validators);
        var store = MultiStore.OpenOwning(new MemoryKeyValueStore(), AppModules.AllStoreNames, new MultiStoreOptions { CreateIfEmpty = true });
        var genesis = new StandInGenesis
        {
            ChainId = chainId,
            GenesisTime = Timestamp.FromDateTime(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)),
            AppStateJson = TxBuilder.GenesisAppState([(Alice.Address, 1_000_000_000), (Bob.Address, 1_000)]),
            Validators = [.. set.Validators.Select(v => new GenesisValidator(v.PublicKey, v.VotingPower))],
        };
        return await StandInNode.StartAsync(new DePinApp(store), genesis, new StandInOptions
        {
            ValidatorSeeds = [.. Enumerable.Range(0, validators).Select(i => LocalValidatorSet.Seed(chainId, i))],
            BlockOnBroadcast = blockOnBroadcast,
        });
    }

    public static byte[] Send(TxSigner from, TxSigner to, long amount, ulong sequence, ulong accountNumber, string chainId = "depin-test-1")
        => new TxBuilder().AddMessage(TxBuilder.Send(from.Bech32, to.Bech32, "udpin", amount)).WithFee("udpin", 5000, 200_000)
            .Sign(from, chainId, accountNumber, sequence).ToByteArray();
}
