using System.Numerics;
using DePinChain.App;
using DePinChain.Modules.Auth;
using DePinChain.Modules.Bank;
using DePinChain.Modules.Tests;
using DePinChain.Protos.Cosmos.Bank.V1Beta1;
using DePinChain.Sdk;
using ProtoCoin = DePinChain.Protos.Cosmos.Base.V1Beta1.Coin;

namespace DePinChain.Modules.Transfer.Tests;

/// <summary>Bank and auth as transfer sees them (the bridge the app will give it).</summary>
internal sealed class TransferBankBridge(BankKeeper bank, AccountKeeper accounts) : IBankKeeper, IDenomMetadataKeeper
{
    public void SendCoins(Context ctx, byte[] from, byte[] to, Coins amount) => bank.SendCoins(ctx, from, to, amount);
    public void SendCoinsFromAccountToModule(Context ctx, byte[] from, string toModule, Coins amount) => bank.SendCoinsFromAccountToModule(ctx, from, toModule, amount);
    public void SendCoinsFromModuleToAccount(Context ctx, string fromModule, byte[] to, Coins amount) => bank.SendCoinsFromModuleToAccount(ctx, fromModule, to, amount);
    public void MintCoins(Context ctx, string moduleName, Coins amount) => bank.MintCoins(ctx, moduleName, amount);
    public void BurnCoins(Context ctx, string moduleName, Coins amount) => bank.BurnCoins(ctx, moduleName, amount);
    public bool BlockedAddr(ReadOnlySpan<byte> address) => accounts.IsModuleAddress(address);
    public bool HasDenomMetadata(Context ctx, string denom) => bank.GetDenomMetadata(ctx, denom) is not null;
    public void SetDenomMetadata(Context ctx, Metadata metadata) => bank.SetDenomMetadata(ctx, metadata);
}

/// <summary>
/// IBC core as far as transfer needs it, for one chain: one open unordered channel transfer/channel-0, packets numbered
/// from 1, and the receive branch rule (state and events of a failed receive are dropped).
/// </summary>
internal sealed class FakeCore(string counterpartyChannel = "channel-0") : IChannelKeeper, IIcs4Wrapper
{
    public List<TransferPacket> Sent { get; } = [];

    public ChannelCounterparty? GetCounterparty(Context ctx, string portId, string channelId)
        => portId == "transfer" && channelId == "channel-0" ? new ChannelCounterparty("transfer", counterpartyChannel) : null;

    public ulong SendPacket(Context ctx, string sourcePort, string sourceChannel, IbcHeight timeoutHeight, ulong timeoutTimestamp, byte[] data)
    {
        if (timeoutHeight.IsZero && timeoutTimestamp == 0) throw new SdkError("channel", 13, "packet timeout height and packet timeout timestamp cannot both be 0: invalid packet");
        var packet = new TransferPacket((ulong)Sent.Count + 1, sourcePort, sourceChannel, "transfer", counterpartyChannel, data);
        Sent.Add(packet);
        ctx.Events.Emit(SdkEvent.Of("send_packet", ("packet_data_hex", Convert.ToHexStringLower(data)), ("packet_sequence", packet.Sequence.ToString())));
        return packet.Sequence;
    }
}

/// <summary>Auth, bank and transfer on an in-memory store, with <see cref="FakeCore"/> beneath transfer.</summary>
internal sealed class TransferChain
{
    public const string Native = "udpin";
    public static readonly byte[] Alice = TestState.Address(1);
    public static readonly byte[] Bob = TestState.Address(2);

    public SortedMultiStore Store { get; } = new(AuthKeys.ModuleName, BankKeys.ModuleName, TransferKeys.StoreKey);
    public AccountKeeper Accounts { get; }
    public BankKeeper Bank { get; }
    public FakeCore Core { get; } = new();
    public TransferKeeper Keeper { get; }
    public TransferIbcModule Ibc { get; }
    public long Height { get; set; } = 1;

    public TransferChain(BigInteger? aliceBalance = null)
    {
        Accounts = new AccountKeeper([new(AuthKeys.FeeCollectorName), new(TransferKeys.ModuleName, AuthKeys.Minter, AuthKeys.Burner)]);
        Bank = new BankKeeper(new AccountsBridge(Accounts));
        var bridge = new TransferBankBridge(Bank, Accounts);
        Keeper = new TransferKeeper(bridge, bridge, Core, Core);
        Ibc = new TransferIbcModule(Keeper);
        var ctx = Ctx();
        var auth = new AuthModule(Accounts);
        auth.InitGenesis(ctx, auth.DefaultGenesis());
        var bankGenesis = new GenesisState { Params = BankKeeper.DefaultParams() };
        if ((aliceBalance ?? 1_000_000) is { IsZero: false } amount)
        {
            var balance = new Balance { Address = Bech32Address.ToBech32(Alice) };
            balance.Coins.Add(new ProtoCoin { Denom = Native, Amount = amount.ToString() });
            bankGenesis.Balances.Add(balance);
        }
        new BankModule(Bank).InitGenesis(ctx, BankModule.FormatGenesis(bankGenesis));
        Keeper.SetPort(ctx, TransferKeys.PortId);
        Keeper.SetParams(ctx, TransferParams.Default);
    }

    public Context Ctx(EventManager? events = null)
        => new(Store, new BlockHeader("depin-test-1", Height, DateTimeOffset.UnixEpoch.AddSeconds(5 * Height)), ExecMode.Finalize,
            GasMeter.Infinite(), events ?? new EventManager());

    public BigInteger Balance(byte[] address, string denom) => Bank.GetBalance(Ctx(), address, denom);

    public BigInteger Supply(string denom) => Bank.GetSupply(Ctx(), denom);

    public BigInteger Escrowed(string denom) => Keeper.GetTotalEscrowForDenom(Ctx(), denom);

    public BigInteger EscrowBalance(string denom) => Balance(TransferKeys.EscrowAddress("transfer", "channel-0"), denom);

    /// <summary>MsgTransfer from <paramref name="sender"/> on channel-0; returns the packet sent and the events.</summary>
    public (TransferPacket Packet, IReadOnlyList<SdkEvent> Events) Send(byte[] sender, Coin token, string receiver, string memo = "", IbcHeight? timeout = null)
    {
        var events = new EventManager();
        var request = new TransferRequest("transfer", "channel-0", token, Bech32Address.ToBech32(sender), receiver,
            timeout ?? new IbcHeight(1, 1000), 0, memo);
        TransferRules.ValidateTransfer(request.SourcePort, request.SourceChannel, request.Token, request.Sender, request.Receiver, request.Memo);
        Keeper.Transfer(Ctx(events), request);
        return (Core.Sent[^1], events.Events);
    }

    /// <summary>Receives <paramref name="packet"/> as IBC core does: on a branch kept only for a successful ack.</summary>
    public (Acknowledgement Ack, IReadOnlyList<SdkEvent> Events) Receive(TransferPacket packet)
    {
        var branch = Store.Branch();
        var events = new EventManager();
        var ctx = new Context(branch, Ctx().Header, ExecMode.Finalize, GasMeter.Infinite(), events);
        var ack = Ibc.OnRecvPacket(ctx, packet);
        if (ack.IsSuccess) branch.Write();
        return (ack, events.Events);
    }

    public IReadOnlyList<SdkEvent> Acknowledge(TransferPacket packet, Acknowledgement ack)
    {
        var events = new EventManager();
        Ibc.OnAcknowledgementPacket(Ctx(events), packet, ack.GetBytes());
        return events.Events;
    }

    public IReadOnlyList<SdkEvent> Timeout(TransferPacket packet)
    {
        var events = new EventManager();
        Ibc.OnTimeoutPacket(Ctx(events), packet);
        return events.Events;
    }
}
