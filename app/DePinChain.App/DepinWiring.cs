using DePinChain.Sdk;
using Auth = DePinChain.Modules.Auth;
using Bank = DePinChain.Modules.Bank;
using Coverage = DePinChain.Modules.Coverage;
using DataCredits = DePinChain.Modules.DataCredits;
using Devices = DePinChain.Modules.Devices;
using Mint = DePinChain.Modules.Mint;
using Rewards = DePinChain.Modules.Rewards;
using Staking = DePinChain.Modules.Staking;
using Slashing = DePinChain.Modules.Slashing;
using Distribution = DePinChain.Modules.Distribution;
using Ibc = DePinChain.Modules.Ibc;
using Transfer = DePinChain.Modules.Transfer;

namespace DePinChain.App;

// The bridges between modules. Each module declares what it needs from the others in its own ExpectedKeepers.cs, and
// nothing else of theirs is in reach (a module project references only Sdk; devices and coverage also the devices'
// domain library). Here each providing keeper is wrapped once, in one bridge that implements every consumer's interface
// for it: what app.go does in the Cosmos SDK by passing app.BankKeeper to each NewKeeper. AppModules builds the bridges
// and hands them to the keepers.

/// <summary>
/// Overrides for what the token modules (data credits, rewards) read from outside them: the coverage and device
/// sources. Tests and benchmarks pass fakes (null = the real keepers); a node passes nothing and gets the real keepers
/// through the bridges below. The modules' authority is not wiring: it is a genesis param of each module
/// (<c>params.authority</c>).
/// </summary>
public sealed record DepinWiring(Rewards.ICoverageUnitsSource? Coverage = null, IDeviceOwners? Devices = null);

/// <summary>The owner of an active device, as data credits and rewards read it (what <see cref="DepinWiring"/>'s fakes implement).</summary>
public interface IDeviceOwners : DataCredits.IDeviceDirectory, Rewards.IDeviceDirectory;

/// <summary>Auth's accounts, for bank and rewards.</summary>
public sealed class AccountsBridge(Auth.AccountKeeper accounts) : Bank.IAccountKeeper, Rewards.IAccountKeeper, Distribution.IAccountKeeper
{
    public bool HasAccount(Context ctx, ReadOnlySpan<byte> address) => accounts.HasAccount(ctx, address);

    public Protos.Cosmos.Auth.V1Beta1.BaseAccount CreateAccount(Context ctx, ReadOnlySpan<byte> address) => accounts.CreateAccount(ctx, address);

    public bool IsModuleAddress(ReadOnlySpan<byte> address) => accounts.IsModuleAddress(address);

    public bool HasPermission(string moduleName, string permission) => accounts.HasPermission(moduleName, permission);

    public byte[] EnsureModuleAccount(Context ctx, string moduleName) => accounts.EnsureModuleAccount(ctx, moduleName);
}

/// <summary>Bank, for mint, devices, data credits, rewards, staking and distribution.</summary>
public sealed class BankBridge(Bank.BankKeeper bank)
    : Mint.IBankKeeper, Devices.IBankKeeper, DataCredits.IBankKeeper, Rewards.IBankKeeper, Staking.IBankKeeper, Distribution.IBankKeeper
{
    public System.Numerics.BigInteger GetBalance(Context ctx, ReadOnlySpan<byte> address, string denom) => bank.GetBalance(ctx, address, denom);

    public Coins GetAllBalances(Context ctx, ReadOnlySpan<byte> address) => bank.GetAllBalances(ctx, address);

    public System.Numerics.BigInteger GetSupply(Context ctx, string denom) => bank.GetSupply(ctx, denom);

    public void MintCoins(Context ctx, string moduleName, Coins amount) => bank.MintCoins(ctx, moduleName, amount);

    public void SendCoinsFromAccountToModule(Context ctx, byte[] from, string toModule, Coins amount)
        => bank.SendCoinsFromAccountToModule(ctx, from, toModule, amount);

    public void SendCoinsFromModuleToAccount(Context ctx, string fromModule, byte[] to, Coins amount)
        => bank.SendCoinsFromModuleToAccount(ctx, fromModule, to, amount);

    public void SendCoinsFromModuleToModule(Context ctx, string fromModule, string toModule, Coins amount)
        => bank.SendCoinsFromModuleToModule(ctx, fromModule, toModule, amount);

    public void BurnCoins(Context ctx, string moduleName, Coins amount) => bank.BurnCoins(ctx, moduleName, amount);
}

/// <summary>
/// Mint's epochs (one chain-wide definition), emissions and burn ledger, for devices, coverage, data credits,
/// rewards and staking. The registry's fee burns (onboarding, location) reach mint here: the burned amount of the mint
/// denom is recorded, so net emissions re-emit it like the udpin burned for data credits and by slashes.
/// </summary>
public sealed class MintBridge(Mint.MintKeeper mint)
    : Devices.IFeeBurnListener, Coverage.IEpochClock,
      DataCredits.IEpochClock, DataCredits.IBurnRecorder, Rewards.IEpochClock, Rewards.IEmissionLedger, Staking.IBurnRecorder
{
    public void FeesBurned(Context ctx, Coins burned) => mint.RecordBurn(ctx, burned.AmountOf(mint.MintDenom(ctx)));

    public long EpochOf(Context ctx, long height) => mint.EpochOf(ctx, height);

    public bool IsLastBlockOfEpoch(Context ctx, long height) => mint.IsLastBlockOfEpoch(ctx, height);

    public void RecordBurn(Context ctx, System.Numerics.BigInteger amount) => mint.RecordBurn(ctx, amount);

    public string MintDenom(Context ctx) => mint.MintDenom(ctx);

    public Protos.Depin.Mint.V1.EpochEmission? GetLastEmission(Context ctx) => mint.GetLastEmission(ctx);
}

/// <summary>Data credits' paid traffic and price, for rewards.</summary>
public sealed class DataCreditsBridge(DataCredits.DataCreditsKeeper credits) : Rewards.IPaidTraffic
{
    public ulong EpochTotalDc(Context ctx, long epoch) => credits.EpochDc(ctx, epoch);

    public Protos.Depin.DataCredits.V1.TrafficRecord? DeviceTraffic(Context ctx, long epoch, ReadOnlySpan<byte> deviceKey) => credits.GetTraffic(ctx, epoch, deviceKey);

    public Rewards.SourcePage<Protos.Depin.DataCredits.V1.TrafficRecord> EpochTrafficPage(Context ctx, long epoch, byte[]? after, int limit)
    {
        var (records, bound) = credits.EpochTrafficPage(ctx, epoch, after, limit);
        return new(records, bound);
    }

    public ulong DcPerDpin(Context ctx) => credits.DcPerDpin(ctx);
}

/// <summary>The device registry, for coverage (devices and where they are), data credits and rewards (active devices' owners).</summary>
public sealed class DevicesBridge(Devices.DevicesKeeper devices) : Coverage.IDeviceRegistry, IDeviceOwners
{
    public Devices.DeviceInfo? GetDevice(Context ctx, ReadOnlySpan<byte> deviceKey) => devices.GetDevice(ctx, deviceKey);

    public IEnumerable<(ulong FinestCell, long Devices)> FullDeviceCounts(Context ctx, ulong firstCell, ulong lastCell)
        => devices.FullDeviceCounts(ctx, firstCell, lastCell);

    public IReadOnlyList<ulong> TakeChangedDensityCells(Context ctx) => devices.TakeChangedDensityCells(ctx);

    public byte[]? GetActiveDeviceOwner(Context ctx, ReadOnlySpan<byte> deviceKey)
        => devices.GetDevice(ctx, deviceKey) is { IsActive: true } d ? d.Owner : null;

    public byte[]? GetDeviceOwner(Context ctx, ReadOnlySpan<byte> deviceKey) => devices.GetDevice(ctx, deviceKey)?.Owner;

    public IEnumerable<byte[]> DevicesOf(Context ctx, byte[] owner) => devices.DevicesByOwner(ctx, owner).Select(d => d.Key.ToByteArray());
}

/// <summary>Data credits keeps the traffic of every epoch whose reward payout still runs.</summary>
public sealed class TrafficHoldBridge(Rewards.RewardsKeeper rewards) : DataCredits.ITrafficHold
{
    public long? OldestEpochInUse(Context ctx) => rewards.OldestOpenPayout(ctx);
}

/// <summary>Rewards settles a device's unpaid epochs before the registry changes it.</summary>
public sealed class DeviceHooksBridge(Rewards.RewardsKeeper rewards) : Devices.IDeviceHooks
{
    public void BeforeDeviceModified(Context ctx, ReadOnlySpan<byte> deviceKey) => rewards.SettleDevice(ctx, deviceKey);
}

/// <summary>
/// Coverage's per-epoch units as rewards reads them: each device with units in the epoch, sorted by device key, joined
/// with its owner (devices; the registry never forgets a device, and one unknown to it would be left out) and its
/// density scale during the epoch (coverage's, for the record; units are already scaled). Fixed point as coverage keeps it.
/// </summary>
public sealed class CoverageUnitsBridge(Coverage.CoverageKeeper coverage, Coverage.IDeviceRegistry devices) : Rewards.ICoverageUnitsSource
{
    public (ulong Beacon, ulong Witness) EpochTotals(Context ctx, long epoch) => coverage.EpochTotals(ctx, checked((ulong)epoch));

    public Rewards.CoverageUnits? DeviceUnits(Context ctx, long epoch, ReadOnlySpan<byte> deviceKey)
    {
        var ledger = coverage.LedgerOf(ctx, deviceKey, checked((ulong)epoch));
        if (ledger is null || (ledger.Beacons == 0 && ledger.Witnesses == 0)) return null;
        return Join(ctx, deviceKey.ToArray(), epoch, ledger.BeaconUnits, ledger.WitnessUnits);
    }

    public Rewards.SourcePage<Rewards.CoverageUnits> EpochUnitsPage(Context ctx, long epoch, byte[]? after, int limit)
    {
        var (units, bound) = coverage.UnitsPage(ctx, checked((ulong)epoch), after, limit);
        var result = new List<Rewards.CoverageUnits>(units.Count);
        foreach (var u in units)
            if (Join(ctx, u.DeviceKey.ToByteArray(), epoch, u.BeaconUnits, u.WitnessUnits) is { } joined) result.Add(joined);
        return new(result, bound);
    }

    private Rewards.CoverageUnits? Join(Context ctx, byte[] deviceKey, long epoch, long beaconUnits, long witnessUnits)
        => devices.GetDevice(ctx, deviceKey) is not { } device ? null
            : new Rewards.CoverageUnits(deviceKey, device.Owner, checked((ulong)beaconUnits), checked((ulong)witnessUnits),
                checked((ulong)coverage.DensityScaleAt(ctx, device, checked((ulong)epoch))));
}

/// <summary>Staking's validators, delegations and punishments, for slashing and distribution.</summary>
public sealed class StakingBridge(Staking.StakingKeeper staking) : Slashing.IStakingKeeper, Distribution.IStakingKeeper
{
    public Protos.Cosmos.Staking.V1Beta1.Validator? GetValidator(Context ctx, ReadOnlySpan<byte> operatorAddress) => staking.GetValidator(ctx, operatorAddress);

    public Protos.Cosmos.Staking.V1Beta1.Validator? GetValidatorByConsAddr(Context ctx, ReadOnlySpan<byte> consensusAddress)
        => staking.GetValidatorByConsAddr(ctx, consensusAddress);

    public Protos.Cosmos.Staking.V1Beta1.Delegation? GetDelegation(Context ctx, ReadOnlySpan<byte> delegator, ReadOnlySpan<byte> operatorAddress)
        => staking.GetDelegation(ctx, delegator, operatorAddress);

    public IReadOnlyList<Protos.Cosmos.Staking.V1Beta1.Delegation> GetDelegatorDelegations(Context ctx, ReadOnlySpan<byte> delegator)
        => staking.GetDelegatorDelegations(ctx, delegator);

    public System.Numerics.BigInteger Slash(Context ctx, ReadOnlySpan<byte> consensusAddress, long infractionHeight, long power, LegacyDec slashFactor)
        => staking.Slash(ctx, consensusAddress, infractionHeight, power, slashFactor);

    public void Jail(Context ctx, ReadOnlySpan<byte> consensusAddress) => staking.Jail(ctx, consensusAddress);

    public void Unjail(Context ctx, ReadOnlySpan<byte> consensusAddress) => staking.Unjail(ctx, consensusAddress);
}

/// <summary>
/// What staking tells the modules that keep state per validator and delegation: distribution first (it settles a
/// delegation's rewards before its shares change), then slashing (signing info of newly bonded validators), as the
/// SDK's simapp orders them.
/// </summary>
public sealed class StakingHooksBridge(Distribution.DistributionStakingHooks distribution, Slashing.SlashingStakingHooks slashing) : Staking.IStakingHooks
{
    public void AfterValidatorCreated(Context ctx, byte[] op) { distribution.AfterValidatorCreated(ctx, op); slashing.AfterValidatorCreated(ctx, op); }

    public void AfterValidatorRemoved(Context ctx, byte[] cons, byte[] op) { distribution.AfterValidatorRemoved(ctx, cons, op); slashing.AfterValidatorRemoved(ctx, cons, op); }

    public void AfterValidatorBonded(Context ctx, byte[] cons, byte[] op) { distribution.AfterValidatorBonded(ctx, cons, op); slashing.AfterValidatorBonded(ctx, cons, op); }

    public void AfterValidatorBeginUnbonding(Context ctx, byte[] cons, byte[] op)
    {
        distribution.AfterValidatorBeginUnbonding(ctx, cons, op);
        slashing.AfterValidatorBeginUnbonding(ctx, cons, op);
    }

    public void BeforeDelegationCreated(Context ctx, byte[] del, byte[] op) { distribution.BeforeDelegationCreated(ctx, del, op); slashing.BeforeDelegationCreated(ctx, del, op); }

    public void BeforeDelegationSharesModified(Context ctx, byte[] del, byte[] op)
    {
        distribution.BeforeDelegationSharesModified(ctx, del, op);
        slashing.BeforeDelegationSharesModified(ctx, del, op);
    }

    public void BeforeDelegationRemoved(Context ctx, byte[] del, byte[] op) { distribution.BeforeDelegationRemoved(ctx, del, op); slashing.BeforeDelegationRemoved(ctx, del, op); }

    public void AfterDelegationModified(Context ctx, byte[] del, byte[] op) { distribution.AfterDelegationModified(ctx, del, op); slashing.AfterDelegationModified(ctx, del, op); }

    public void BeforeValidatorSlashed(Context ctx, byte[] op, LegacyDec fraction)
    {
        distribution.BeforeValidatorSlashed(ctx, op, fraction);
        slashing.BeforeValidatorSlashed(ctx, op, fraction);
    }
}

/// <summary>The consensus params' evidence age (InitChain stored them in the app's own store), for slashing.</summary>
public sealed class EvidenceParamsBridge : Slashing.IEvidenceParams
{
    // CometBFT's defaults, for a genesis that set none.
    private const long DefaultMaxAgeNumBlocks = 100_000;
    private static readonly TimeSpan DefaultMaxAgeDuration = TimeSpan.FromHours(48);

    public long MaxAgeNumBlocks(Context ctx)
        => ChainSettings.ReadConsensusParams(ctx.MultiStore)?.Evidence is { MaxAgeNumBlocks: > 0 } e ? e.MaxAgeNumBlocks : DefaultMaxAgeNumBlocks;

    public TimeSpan MaxAgeDuration(Context ctx)
        => ChainSettings.ReadConsensusParams(ctx.MultiStore)?.Evidence?.MaxAgeDuration is { } d && d.ToTimeSpan() > TimeSpan.Zero ? d.ToTimeSpan() : DefaultMaxAgeDuration;
}

/// <summary>Distribution takes the validators' share of each epoch's emission from rewards (commission, then delegators).</summary>
public sealed class DistributionBridge(Distribution.DistributionKeeper distribution) : Rewards.IValidatorRewardSink
{
    public string? PayValidator(Context ctx, ReadOnlySpan<byte> consensusAddress, string fromModule, Coins amount)
        => distribution.AllocateFromModule(ctx, fromModule, consensusAddress, amount);
}

/// <summary>Staking, for IBC: this chain's past headers (its own consensus states) and its unbonding period.</summary>
public sealed class IbcStakingBridge(Staking.StakingKeeper staking) : Ibc.IIbcStakingKeeper
{
    public Protos.Cosmos.Staking.V1Beta1.HistoricalInfo? GetHistoricalInfo(Context ctx, long height) => staking.GetHistoricalInfo(ctx, height);

    public TimeSpan UnbondingTime(Context ctx) => staking.GetParams(ctx).UnbondingTime.ToTimeSpan();
}

/// <summary>
/// Bank (with auth's module-account rule) for ICS-20 transfer: escrow moves, voucher mint and burn, and the denom metadata
/// ibc-go writes for each new voucher. Module accounts may not be the receiver of a transfer.
/// </summary>
public sealed class TransferBankBridge(Bank.BankKeeper bank, Auth.AccountKeeper accounts) : Transfer.IBankKeeper, Transfer.IDenomMetadataKeeper
{
    public void SendCoins(Context ctx, byte[] from, byte[] to, Coins amount) => bank.SendCoins(ctx, from, to, amount);

    public void SendCoinsFromAccountToModule(Context ctx, byte[] from, string toModule, Coins amount)
        => bank.SendCoinsFromAccountToModule(ctx, from, toModule, amount);

    public void SendCoinsFromModuleToAccount(Context ctx, string fromModule, byte[] to, Coins amount)
        => bank.SendCoinsFromModuleToAccount(ctx, fromModule, to, amount);

    public void MintCoins(Context ctx, string moduleName, Coins amount) => bank.MintCoins(ctx, moduleName, amount);

    public void BurnCoins(Context ctx, string moduleName, Coins amount) => bank.BurnCoins(ctx, moduleName, amount);

    public bool BlockedAddr(ReadOnlySpan<byte> address) => accounts.IsModuleAddress(address);

    public bool HasDenomMetadata(Context ctx, string denom) => bank.GetDenomMetadata(ctx, denom) is not null;

    public void SetDenomMetadata(Context ctx, Protos.Cosmos.Bank.V1Beta1.Metadata metadata) => bank.SetDenomMetadata(ctx, metadata);
}

/// <summary>IBC core's channels for ICS-20 transfer: a channel's counterparty, and sending a packet (ibc-go's ICS4Wrapper).</summary>
public sealed class TransferChannelsBridge(Ibc.Channel.ChannelKeeper channels) : Transfer.IChannelKeeper, Transfer.IIcs4Wrapper
{
    public Transfer.ChannelCounterparty? GetCounterparty(Context ctx, string portId, string channelId)
        => channels.GetChannel(ctx, portId, channelId) is { Counterparty: { } counterparty }
            ? new Transfer.ChannelCounterparty(counterparty.PortId, counterparty.ChannelId)
            : null;

    public ulong SendPacket(Context ctx, string sourcePort, string sourceChannel, Transfer.IbcHeight timeoutHeight, ulong timeoutTimestamp, byte[] data)
        => channels.SendPacket(ctx, sourcePort, sourceChannel,
            new Protos.Ibc.Core.Client.V1.Height { RevisionNumber = timeoutHeight.RevisionNumber, RevisionHeight = timeoutHeight.RevisionHeight },
            timeoutTimestamp, data);
}

/// <summary>ICS-20 transfer's callbacks behind IBC core's port router (port <c>transfer</c>).</summary>
public sealed class TransferPortBridge(Transfer.TransferIbcModule transfer) : Ibc.Channel.IIbcModule
{
    private static Transfer.ChannelOrder OrderOf(Protos.Ibc.Core.Channel.V1.Order order) => (Transfer.ChannelOrder)(int)order;

    private static Transfer.TransferPacket PacketOf(Protos.Ibc.Core.Channel.V1.Packet packet)
        => new(packet.Sequence, packet.SourcePort, packet.SourceChannel, packet.DestinationPort, packet.DestinationChannel, packet.Data.ToByteArray());

    public string OnChanOpenInit(Context ctx, Protos.Ibc.Core.Channel.V1.Order order, IReadOnlyList<string> connectionHops, string portId, string channelId,
        Protos.Ibc.Core.Channel.V1.Counterparty counterparty, string version)
        => transfer.OnChanOpenInit(ctx, OrderOf(order), portId, channelId, version);

    public string OnChanOpenTry(Context ctx, Protos.Ibc.Core.Channel.V1.Order order, IReadOnlyList<string> connectionHops, string portId, string channelId,
        Protos.Ibc.Core.Channel.V1.Counterparty counterparty, string counterpartyVersion)
        => transfer.OnChanOpenTry(ctx, OrderOf(order), portId, channelId, counterpartyVersion);

    public void OnChanOpenAck(Context ctx, string portId, string channelId, string counterpartyChannelId, string counterpartyVersion)
        => transfer.OnChanOpenAck(ctx, portId, channelId, counterpartyChannelId, counterpartyVersion);

    public void OnChanOpenConfirm(Context ctx, string portId, string channelId) => transfer.OnChanOpenConfirm(ctx, portId, channelId);

    public void OnChanCloseInit(Context ctx, string portId, string channelId) => transfer.OnChanCloseInit(ctx, portId, channelId);

    public void OnChanCloseConfirm(Context ctx, string portId, string channelId) => transfer.OnChanCloseConfirm(ctx, portId, channelId);

    public Ibc.Channel.IbcAcknowledgement? OnRecvPacket(Context ctx, Protos.Ibc.Core.Channel.V1.Packet packet, string relayer)
    {
        var ack = transfer.OnRecvPacket(ctx, PacketOf(packet));
        return new Ibc.Channel.IbcAcknowledgement(ack.GetBytes(), ack.IsSuccess);
    }

    public void OnAcknowledgementPacket(Context ctx, Protos.Ibc.Core.Channel.V1.Packet packet, byte[] acknowledgement, string relayer)
        => transfer.OnAcknowledgementPacket(ctx, PacketOf(packet), acknowledgement);

    public void OnTimeoutPacket(Context ctx, Protos.Ibc.Core.Channel.V1.Packet packet, string relayer)
        => transfer.OnTimeoutPacket(ctx, PacketOf(packet));
}
