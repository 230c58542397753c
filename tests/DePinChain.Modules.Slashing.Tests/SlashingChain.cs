using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using DePinChain.Modules.Tests;
using DePinChain.Protos.Cosmos.Staking.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using SlashingParams = DePinChain.Protos.Cosmos.Slashing.V1Beta1.Params;
using SlashingGenesisState = DePinChain.Protos.Cosmos.Slashing.V1Beta1.GenesisState;

namespace DePinChain.Modules.Slashing.Tests;

/// <summary>Staking as slashing sees it: validators by operator and consensus address, self-delegations, and a record of every punishment.</summary>
internal sealed class FakeStaking : IStakingKeeper
{
    public readonly List<Validator> Validators = [];
    public readonly Dictionary<string, Delegation> Delegations = new(StringComparer.Ordinal);
    public readonly List<(byte[] ConsAddr, long Height, long Power, LegacyDec Fraction)> Slashes = [];
    public readonly List<byte[]> Unjails = [];

    public Validator Add(byte seed, BigInteger tokens, BondStatus status = BondStatus.Bonded, BigInteger? minSelf = null)
    {
        var key = Enumerable.Repeat(seed, 32).ToArray();
        var op = TestState.Address(seed);
        var v = new Validator
        {
            OperatorAddress = ValidatorAddress.ToOperatorBech32(op),
            ConsensusPubkey = Any.Pack(new DePinChain.Protos.Cosmos.Crypto.Ed25519.PubKey { Key = ByteString.CopyFrom(key) }, ""),
            Status = status,
            Tokens = tokens.ToString(CultureInfo.InvariantCulture),
            DelegatorShares = LegacyDec.FromInt(tokens).ToWire(),
            MinSelfDelegation = (minSelf ?? 1).ToString(CultureInfo.InvariantCulture),
        };
        Validators.Add(v);
        SetSelfDelegation(seed, LegacyDec.FromInt(tokens));
        return v;
    }

    public void SetSelfDelegation(byte seed, LegacyDec shares)
    {
        var op = TestState.Address(seed);
        Delegations[Convert.ToHexString(op) + Convert.ToHexString(op)] = new Delegation
        {
            DelegatorAddress = Bech32Address.ToBech32(op), ValidatorAddress = ValidatorAddress.ToOperatorBech32(op), Shares = shares.ToWire(),
        };
    }

    public static byte[] ConsAddr(byte seed) => SHA256.HashData(Enumerable.Repeat(seed, 32).ToArray())[..20];

    public Validator? GetValidator(Context ctx, ReadOnlySpan<byte> operatorAddress)
    {
        string text = ValidatorAddress.ToOperatorBech32(operatorAddress);
        return Validators.FirstOrDefault(v => v.OperatorAddress == text);
    }

    public Validator? GetValidatorByConsAddr(Context ctx, ReadOnlySpan<byte> consensusAddress)
    {
        var cons = consensusAddress.ToArray();
        return Validators.FirstOrDefault(v => v.ConsAddress().AsSpan().SequenceEqual(cons));
    }

    public Delegation? GetDelegation(Context ctx, ReadOnlySpan<byte> delegator, ReadOnlySpan<byte> operatorAddress)
        => Delegations.GetValueOrDefault(Convert.ToHexString(delegator) + Convert.ToHexString(operatorAddress));

    public BigInteger Slash(Context ctx, ReadOnlySpan<byte> consensusAddress, long infractionHeight, long power, LegacyDec slashFactor)
    {
        Slashes.Add((consensusAddress.ToArray(), infractionHeight, power, slashFactor));
        var v = GetValidatorByConsAddr(ctx, consensusAddress)!;
        var burned = slashFactor.MulInt(power * 1_000_000L).TruncateInt();
        v.Tokens = (BigInteger.Parse(v.Tokens, CultureInfo.InvariantCulture) - burned).ToString(CultureInfo.InvariantCulture);
        return burned;
    }

    public void Jail(Context ctx, ReadOnlySpan<byte> consensusAddress) => GetValidatorByConsAddr(ctx, consensusAddress)!.Jailed = true;

    public void Unjail(Context ctx, ReadOnlySpan<byte> consensusAddress)
    {
        Unjails.Add(consensusAddress.ToArray());
        GetValidatorByConsAddr(ctx, consensusAddress)!.Jailed = false;
    }
}

internal sealed class FakeEvidenceParams : IEvidenceParams
{
    public long Blocks { get; set; } = 100_000;

    public TimeSpan Duration { get; set; } = TimeSpan.FromHours(48);

    public long MaxAgeNumBlocks(Context ctx) => Blocks;

    public TimeSpan MaxAgeDuration(Context ctx) => Duration;
}

/// <summary>A slashing store with fake staking, blocks 5 s apart.</summary>
internal sealed class SlashingChain
{
    public static readonly DateTimeOffset Genesis = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public SortedMultiStore Store { get; } = new(SlashingKeys.ModuleName);

    public FakeStaking Staking { get; } = new();

    public FakeEvidenceParams Evidence { get; } = new();

    public SlashingKeeper Keeper { get; }

    public SlashingModule Module { get; }

    public SlashingChain(SlashingParams? p = null)
    {
        Keeper = new SlashingKeeper(Staking, Evidence);
        Module = new SlashingModule(Keeper);
        Module.InitGenesis(Ctx(0), SlashingGenesis.Json.Format(new SlashingGenesisState { Params = p ?? SlashingKeeper.DefaultParams() }));
    }

    public static SlashingParams Params(long window, LegacyDec minSigned) => new(SlashingKeeper.DefaultParams())
    {
        SignedBlocksWindow = window, MinSignedPerWindow = SlashingKeeper.Dec(minSigned),
    };

    public static DateTimeOffset TimeOf(long height) => Genesis.AddSeconds(5 * height);

    public Context Ctx(long height, IReadOnlyList<VoteInfo>? votes = null, IReadOnlyList<Misbehavior>? evidence = null, DateTimeOffset? time = null)
        => new(Store, new BlockHeader("test-chain", height, time ?? TimeOf(height), LastCommitVotes: votes, Evidence: evidence),
            height == 0 ? ExecMode.Genesis : ExecMode.Finalize, GasMeter.Infinite(), new EventManager());

    /// <summary>Runs the begin block of <paramref name="height"/> and returns its context (for its events).</summary>
    public Context Begin(long height, IReadOnlyList<VoteInfo>? votes = null, IReadOnlyList<Misbehavior>? evidence = null, DateTimeOffset? time = null)
    {
        var ctx = Ctx(height, votes, evidence, time);
        Module.BeginBlock(ctx);
        return ctx;
    }

    /// <summary>A validator bonded at <paramref name="height"/>: staking has it and the bonded hook ran.</summary>
    public byte[] Bond(byte seed, long height, long power = 100)
    {
        Staking.Add(seed, power * 1_000_000L);
        var cons = FakeStaking.ConsAddr(seed);
        Module.Hooks.AfterValidatorBonded(Ctx(height), cons, TestState.Address(seed));
        return cons;
    }

    public static VoteInfo Signed(byte[] cons, long power = 100) => new(cons, power, SignedLastBlock: true);

    public static VoteInfo Absent(byte[] cons, long power = 100) => new(cons, power, SignedLastBlock: false, Absent: true);

    public static VoteInfo Nil(byte[] cons, long power = 100) => new(cons, power, SignedLastBlock: false, Absent: false);
}
