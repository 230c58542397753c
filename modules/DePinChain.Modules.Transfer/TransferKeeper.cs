using System.Globalization;
using System.Numerics;
using System.Text;
using DePinChain.Crypto;
using DePinChain.Protos.Cosmos.Bank.V1Beta1;
using DePinChain.Sdk;
using DePinChain.Store;
using DePinChain.Store.Backend;

namespace DePinChain.Modules.Transfer;

/// <summary>What a MsgTransfer asks for, after its stateless checks (<see cref="TransferRules.ValidateTransfer"/>).</summary>
public sealed record TransferRequest(
    string SourcePort, string SourceChannel, Coin Token, string Sender, string Receiver, IbcHeight TimeoutHeight, ulong TimeoutTimestamp, string Memo);

/// <summary>
/// Owns the transfer store (port, params, denom traces, total escrow per denom) and moves tokens as ICS-20 says, as
/// ibc-go v8's keeper does (keeper/relay.go, msg_server.go): a token leaving through a channel it did not arrive by is
/// escrowed in that channel's escrow account; a voucher going home is burned; on receive, a token coming home is
/// released from escrow and anything else becomes a voucher <c>ibc/{hash}</c> minted by the transfer module account.
/// Vouchers are never udpin, so mint's cap and burn accounting never see them; escrowed udpin stays in the supply.
/// </summary>
/// <remarks>
/// Errors are <see cref="SdkError"/>s where ibc-go returns an error (on receive, the IBC module turns them into error
/// acknowledgements) and <see cref="InvalidOperationException"/> where ibc-go panics (the tx fails and nothing is
/// acknowledged), so a packet gets the same fate here as on an ibc-go chain.
/// </remarks>
public sealed class TransferKeeper(IBankKeeper bank, IDenomMetadataKeeper metadata, IChannelKeeper channels, IIcs4Wrapper ics4)
{
    private static IKVStore Store(Context ctx) => ctx.KVStore(TransferKeys.StoreKey);

    public TransferParams GetParams(Context ctx)
        => Store(ctx).Get(TransferKeys.ParamsKey) is { } bytes ? TransferParams.FromBytes(bytes) : TransferParams.Default;

    public void SetParams(Context ctx, TransferParams p) => Store(ctx).Set(TransferKeys.ParamsKey, p.ToBytes());

    /// <summary>The port the module is bound to ("" before genesis).</summary>
    public string GetPort(Context ctx) => Store(ctx).Get(TransferKeys.PortKey) is { } bytes ? Encoding.UTF8.GetString(bytes) : "";

    public void SetPort(Context ctx, string portId) => Store(ctx).Set(TransferKeys.PortKey, Encoding.UTF8.GetBytes(portId));

    public DenomTrace? GetDenomTrace(Context ctx, ReadOnlySpan<byte> hash)
        => Store(ctx).Get(TransferKeys.DenomTraceKey(hash)) is { } bytes ? DenomTraceCodec.FromBytes(bytes) : null;

    public bool HasDenomTrace(Context ctx, ReadOnlySpan<byte> hash) => Store(ctx).Has(TransferKeys.DenomTraceKey(hash));

    public void SetDenomTrace(Context ctx, DenomTrace trace) => Store(ctx).Set(TransferKeys.DenomTraceKey(trace.Hash()), DenomTraceCodec.ToBytes(trace));

    /// <summary>A trace from genesis: stored, and its voucher's bank metadata written (ibc-go's InitGenesis does both).</summary>
    public void SetDenomTraceWithMetadata(Context ctx, DenomTrace trace)
    {
        SetDenomTrace(ctx, trace);
        metadata.SetDenomMetadata(ctx, VoucherMetadata(trace));
    }

    /// <summary>Every stored trace, in store order (by hash).</summary>
    public IEnumerable<DenomTrace> DenomTraces(Context ctx) => DenomTracesByHash(ctx).Select(x => x.Trace);

    /// <summary>Every stored trace with its hash (its key after the prefix), in store order.</summary>
    public IEnumerable<(byte[] Hash, DenomTrace Trace)> DenomTracesByHash(Context ctx)
    {
        byte[] prefix = [TransferKeys.DenomTracePrefix];
        foreach (var (key, value) in Store(ctx).Iterate(prefix, KeyRange.PrefixEnd(prefix)))
            yield return (key[1..], DenomTraceCodec.FromBytes(value));
    }

    /// <summary>How much of a native denom all channels hold in escrow (ibc-go ADR 011); 0 when none.</summary>
    public BigInteger GetTotalEscrowForDenom(Context ctx, string denom)
        => Store(ctx).Get(TransferKeys.TotalEscrowForDenomKey(denom)) is { } bytes
            ? BigInteger.Parse(Encoding.ASCII.GetString(bytes), NumberStyles.None, CultureInfo.InvariantCulture)
            : BigInteger.Zero;

    /// <summary>Stores the amount as decimal text (math.Int's Marshal); zero deletes the entry.</summary>
    public void SetTotalEscrowForDenom(Context ctx, string denom, BigInteger amount)
    {
        if (amount.Sign < 0) throw new InvalidOperationException($"amount cannot be negative: {amount}");
        var key = TransferKeys.TotalEscrowForDenomKey(denom);
        if (amount.IsZero) Store(ctx).Delete(key);
        else Store(ctx).Set(key, Encoding.ASCII.GetBytes(amount.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>Every non-zero total escrow, in store order (by denom).</summary>
    public IEnumerable<Coin> TotalEscrows(Context ctx)
    {
        var prefix = Encoding.UTF8.GetBytes(TransferKeys.TotalEscrowPrefix + "/");
        foreach (var (key, value) in Store(ctx).Iterate(prefix, KeyRange.PrefixEnd(prefix)))
            yield return new Coin(Encoding.UTF8.GetString(key, prefix.Length, key.Length - prefix.Length),
                BigInteger.Parse(Encoding.ASCII.GetString(value), NumberStyles.None, CultureInfo.InvariantCulture));
    }

    /// <summary>The full path of an <c>ibc/{hash}</c> denom from its stored trace.</summary>
    /// <exception cref="SdkError">transfer 3 (hash malformed) or 6 (no such trace).</exception>
    public string DenomPathFromHash(Context ctx, string denom)
    {
        var hex = denom[(TransferKeys.DenomPrefix.Length + 1)..];
        if (DenomTrace.ParseHexHash(hex) is not { } hash) throw TransferErrors.InvalidDenomForTransfer($"invalid hash {hex}");
        return GetDenomTrace(ctx, hash) is { } trace ? trace.FullPath : throw TransferErrors.TraceNotFound(hex);
    }

    /// <summary>
    /// MsgTransfer: escrows or burns the token, sends the packet through IBC core and emits ibc_transfer and
    /// message(module=transfer); returns the packet sequence.
    /// </summary>
    /// <exception cref="SdkError">Sends disabled, a blocked or unfunded sender, an unknown channel or voucher.</exception>
    public ulong Transfer(Context ctx, TransferRequest request)
    {
        if (!GetParams(ctx).SendEnabled) throw TransferErrors.SendDisabled();
        var sender = Bech32Address.Parse(request.Sender);
        if (bank.BlockedAddr(sender)) throw IbcCoreErrors.Unauthorized($"{Bech32Address.ToBech32(sender)} is not allowed to send funds");

        ulong sequence = SendTransfer(ctx, request, sender);

        ctx.Events.Emit(SdkEvent.Of("ibc_transfer",
            ("sender", request.Sender), ("receiver", request.Receiver), ("amount", request.Token.Amount.ToString(CultureInfo.InvariantCulture)),
            ("denom", request.Token.Denom), ("memo", request.Memo)));
        ctx.Events.Emit(SdkEvent.Of("message", ("module", TransferKeys.ModuleName)));
        return sequence;
    }

    private ulong SendTransfer(Context ctx, TransferRequest request, byte[] sender)
    {
        if (channels.GetCounterparty(ctx, request.SourcePort, request.SourceChannel) is null)
            throw IbcCoreErrors.ChannelNotFound($"port ID ({request.SourcePort}) channel ID ({request.SourceChannel})");

        var token = request.Token;
        var fullDenomPath = token.Denom;
        if (token.Denom.StartsWith(TransferKeys.DenomPrefix + "/", StringComparison.Ordinal)) fullDenomPath = DenomPathFromHash(ctx, token.Denom);

        var coins = Coins.Of(token);
        if (DenomTrace.SenderChainIsSource(request.SourcePort, request.SourceChannel, fullDenomPath))
            EscrowToken(ctx, sender, TransferKeys.EscrowAddress(request.SourcePort, request.SourceChannel), token);
        else
        {
            // The voucher goes home: it stops existing here, and the counterparty releases the original from escrow.
            bank.SendCoinsFromAccountToModule(ctx, sender, TransferKeys.ModuleName, coins);
            try { bank.BurnCoins(ctx, TransferKeys.ModuleName, coins); }
            catch (SdkError e) { throw new InvalidOperationException($"cannot burn coins after a successful send to a module account: {e.Message}", e); }
        }

        var data = new FungibleTokenPacketData(fullDenomPath, token.Amount.ToString(CultureInfo.InvariantCulture),
            Bech32Address.ToBech32(sender), request.Receiver, request.Memo);
        return ics4.SendPacket(ctx, request.SourcePort, request.SourceChannel, request.TimeoutHeight, request.TimeoutTimestamp, data.GetBytes());
    }

    private void EscrowToken(Context ctx, byte[] sender, byte[] escrowAddress, Coin token)
    {
        bank.SendCoins(ctx, sender, escrowAddress, Coins.Of(token));
        SetTotalEscrowForDenom(ctx, token.Denom, GetTotalEscrowForDenom(ctx, token.Denom) + token.Amount);
    }

    private void UnescrowToken(Context ctx, byte[] escrowAddress, byte[] receiver, Coin token)
    {
        try { bank.SendCoins(ctx, escrowAddress, receiver, Coins.Of(token)); }
        catch (SdkError e)
        {
            throw e.Wrap("unable to unescrow tokens, this may be caused by a malicious counterparty module or a bug: please open an issue on counterparty module");
        }
        var total = GetTotalEscrowForDenom(ctx, token.Denom) - token.Amount;
        if (total.Sign < 0) throw new InvalidOperationException($"negative coin amount: {total}{token.Denom}");
        SetTotalEscrowForDenom(ctx, token.Denom, total);
    }

    /// <summary>
    /// A packet arrived: release a returning token from escrow, or mint the voucher for a token from elsewhere (storing
    /// its trace and emitting denomination_trace).
    /// </summary>
    /// <exception cref="SdkError">Becomes the error acknowledgement (its code is the ack's).</exception>
    public void OnRecvPacket(Context ctx, TransferPacket packet, FungibleTokenPacketData data)
    {
        try { data.ValidateBasic(); }
        catch (SdkError e) { throw e.Wrap("error validating ICS-20 transfer packet data"); }
        if (!GetParams(ctx).ReceiveEnabled) throw TransferErrors.ReceiveDisabled();
        var receiver = LocalAddress(data.Receiver, "receiver");
        var amount = data.ParsedAmount!.Value;

        if (DenomTrace.ReceiverChainIsSource(packet.SourcePort, packet.SourceChannel, data.Denom))
        {
            // The token is coming home: what was escrowed when it left is released.
            var unprefixed = data.Denom[DenomTrace.DenomPrefix(packet.SourcePort, packet.SourceChannel).Length..];
            var trace = DenomTrace.Parse(unprefixed);
            var denom = trace.IsNative ? unprefixed : trace.IbcDenom();
            var token = NewCoin(denom, amount);
            if (bank.BlockedAddr(receiver)) throw IbcCoreErrors.Unauthorized($"{Bech32Address.ToBech32(receiver)} is not allowed to receive funds");
            UnescrowToken(ctx, TransferKeys.EscrowAddress(packet.DestinationPort, packet.DestinationChannel), receiver, token);
            return;
        }

        // The token comes from elsewhere: this chain adds its own hop to the path and mints the voucher.
        var voucherTrace = DenomTrace.Parse(DenomTrace.DenomPrefix(packet.DestinationPort, packet.DestinationChannel) + data.Denom);
        var hash = voucherTrace.Hash();
        if (!HasDenomTrace(ctx, hash)) SetDenomTrace(ctx, voucherTrace);
        var voucherDenom = voucherTrace.IbcDenom();
        if (!metadata.HasDenomMetadata(ctx, voucherDenom)) metadata.SetDenomMetadata(ctx, VoucherMetadata(voucherTrace));
        ctx.Events.Emit(SdkEvent.Of("denomination_trace", ("trace_hash", Convert.ToHexString(hash)), ("denom", voucherDenom)));

        var voucher = Coins.Of(NewCoin(voucherDenom, amount));
        try { bank.MintCoins(ctx, TransferKeys.ModuleName, voucher); }
        catch (SdkError e) { throw e.Wrap("failed to mint IBC tokens"); }
        try { bank.SendCoins(ctx, ModuleAccounts.Address(TransferKeys.ModuleName), receiver, voucher); }
        catch (SdkError e) { throw e.Wrap($"failed to send coins to receiver {Bech32Address.ToBech32(receiver)}"); }
    }

    /// <summary>The ack came back: an error ack refunds the sender; a success (or an empty ack) changes nothing.</summary>
    public void OnAcknowledgementPacket(Context ctx, TransferPacket packet, FungibleTokenPacketData data, Acknowledgement ack)
    {
        if (ack.IsError) RefundPacketToken(ctx, packet, data);
    }

    /// <summary>The packet timed out on the counterparty: the sender gets the token back.</summary>
    public void OnTimeoutPacket(Context ctx, TransferPacket packet, FungibleTokenPacketData data) => RefundPacketToken(ctx, packet, data);

    private void RefundPacketToken(Context ctx, TransferPacket packet, FungibleTokenPacketData data)
    {
        var trace = DenomTrace.Parse(data.Denom);
        if (data.ParsedAmount is not { } amount)
            throw TransferErrors.InvalidAmount($"unable to parse transfer amount ({data.Amount}) into math.Int");
        var token = NewCoin(trace.IbcDenom(), amount);
        var sender = LocalAddress(data.Sender, "sender");
        if (DenomTrace.SenderChainIsSource(packet.SourcePort, packet.SourceChannel, data.Denom))
        {
            UnescrowToken(ctx, TransferKeys.EscrowAddress(packet.SourcePort, packet.SourceChannel), sender, token);
            return;
        }
        // The burned voucher is minted again.
        var coins = Coins.Of(token);
        bank.MintCoins(ctx, TransferKeys.ModuleName, coins);
        try { bank.SendCoinsFromModuleToAccount(ctx, TransferKeys.ModuleName, sender, coins); }
        catch (SdkError e)
        {
            throw new InvalidOperationException($"unable to send coins from module to account despite previously minting coins to module account: {e.Message}", e);
        }
    }

    /// <summary>sdk.NewCoin, which panics on a bad denom or a negative amount: the tx fails, no ack is written.</summary>
    private static Coin NewCoin(string denom, BigInteger amount)
    {
        if (!Coins.IsValidDenom(denom)) throw new InvalidOperationException($"invalid denom: {denom}");
        if (amount.Sign < 0) throw new InvalidOperationException($"negative coin amount: {amount}");
        return new Coin(denom, amount);
    }

    /// <summary>
    /// An address of this chain as sdk.AccAddressFromBech32 reads it in a packet: a bad string or another chain's
    /// prefix is a plain Go error (ABCI code 1 in the ack), an empty or over-long address sdk code 9.
    /// </summary>
    private static byte[] LocalAddress(string text, string role)
    {
        if (string.IsNullOrWhiteSpace(text)) throw SdkErrors.Internal("empty address string is not allowed");
        if (!Bech32.TryDecode(text, 1023, out var hrp, out var bytes, out var reason))
            throw SdkErrors.Internal($"failed to decode {role} address: {text}: {reason}");
        if (hrp != Bech32Address.AccountPrefix)
            throw SdkErrors.Internal($"failed to decode {role} address: {text}: invalid Bech32 prefix; expected {Bech32Address.AccountPrefix}, got {hrp}");
        if (bytes.Length == 0) throw SdkErrors.UnknownAddress("addresses cannot be empty");
        if (bytes.Length > 255) throw SdkErrors.UnknownAddress($"address max length is 255, got {bytes.Length}");
        return bytes;
    }

    private static Metadata VoucherMetadata(DenomTrace trace)
    {
        var m = new Metadata
        {
            Description = $"IBC token from {trace.FullPath}",
            Base = trace.IbcDenom(),
            Display = trace.FullPath,
            Name = $"{trace.FullPath} IBC token",
            Symbol = trace.BaseDenom.ToUpperInvariant(),
        };
        m.DenomUnits.Add(new DenomUnit { Denom = trace.BaseDenom, Exponent = 0 });
        return m;
    }
}
