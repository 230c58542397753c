using System.Numerics;
using System.Text;
using DePinChain.Sdk;

namespace DePinChain.Modules.Transfer.Tests;

public class KeeperTests
{
    private static readonly string VoucherOfNative = new DenomTrace("transfer/channel-0", TransferChain.Native).IbcDenom();

    private static string Addr(byte[] address) => Bech32Address.ToBech32(address);

    /// <summary>The events a module emitted of the given types, as (type, keys) without the values.</summary>
    private static List<(string, string)> Shape(IEnumerable<SdkEvent> events, params string[] types)
        => events.Where(e => types.Contains(e.Type)).Select(e => (e.Type, string.Join(",", e.Attributes.Select(a => a.Key)))).ToList();

    /// <summary>The recorded events of the same types, without the msg_index attribute the SDK's baseapp adds.</summary>
    private static List<(string, string)> RecordedShape(string file, params string[] types)
        => Conformance.TxEvents(file).Where(e => types.Contains(e.Type))
            .Select(e => (e.Type, string.Join(",", e.Attributes.Where(a => a.Key != "msg_index").Select(a => a.Key))))
            .Where(e => e.Item2.Length > 0)
            .ToList();

    [Fact]
    public void Native_tokens_go_out_escrowed_come_back_as_vouchers_return_and_time_out_as_in_the_recording()
    {
        var a = new TransferChain();
        var b = new TransferChain(aliceBalance: 0);
        var supplyA = a.Supply(TransferChain.Native);

        // A → B 1000: escrowed on A, a voucher minted on B.
        var (packet1, sendEvents) = a.Send(TransferChain.Alice, new Coin(TransferChain.Native, 1000), Addr(TransferChain.Bob));
        Assert.Equal(1000, a.EscrowBalance(TransferChain.Native));
        Assert.Equal(1000, a.Escrowed(TransferChain.Native));
        Assert.Equal(RecordedShape("a-MsgTransfer-1.json", "ibc_transfer"), Shape(sendEvents, "ibc_transfer"));
        Assert.Equal(("message", "module"), Shape(sendEvents, "message")[^1]);
        var data = FungibleTokenPacketData.TryDecode(packet1.Data)!;
        Assert.Equal((TransferChain.Native, "1000", Addr(TransferChain.Alice)), (data.Denom, data.Amount, data.Sender));

        var (ack1, recvEvents) = b.Receive(packet1);
        Assert.True(ack1.IsSuccess);
        Assert.Equal(1000, b.Balance(TransferChain.Bob, VoucherOfNative));
        Assert.Equal(1000, b.Supply(VoucherOfNative));
        Assert.Equal(0, b.Supply(TransferChain.Native));
        Assert.Equal(new DenomTrace("transfer/channel-0", TransferChain.Native), b.Keeper.GetDenomTrace(b.Ctx(), new DenomTrace("transfer/channel-0", TransferChain.Native).Hash()));
        Assert.Equal(RecordedShape("b-MsgRecvPacket-1.json", "denomination_trace", "fungible_token_packet"), Shape(recvEvents, "denomination_trace", "fungible_token_packet"));
        var metadata = b.Bank.GetDenomMetadata(b.Ctx(), VoucherOfNative)!;
        Assert.Equal(("IBC token from transfer/channel-0/udpin", "UDPIN"), (metadata.Description, metadata.Symbol));

        var ackEvents = a.Acknowledge(packet1, ack1);
        Assert.Equal(RecordedShape("a-MsgAcknowledgement-1.json", "fungible_token_packet"), Shape(ackEvents, "fungible_token_packet"));
        Assert.Equal("\u0001", ackEvents[^1].Attributes[0].Value);

        // B → A 500 of the voucher: burned on B, released from escrow on A.
        var (packet2, _) = b.Send(TransferChain.Bob, new Coin(VoucherOfNative, 500), Addr(TransferChain.Alice));
        Assert.Equal(500, b.Supply(VoucherOfNative));
        Assert.Equal("transfer/channel-0/udpin", FungibleTokenPacketData.TryDecode(packet2.Data)!.Denom);
        var (ack2, recvBack) = a.Receive(packet2);
        Assert.True(ack2.IsSuccess);
        Assert.Empty(Shape(recvBack, "denomination_trace"));
        Assert.Equal(500, a.Escrowed(TransferChain.Native));
        Assert.Equal(500, a.EscrowBalance(TransferChain.Native));
        b.Acknowledge(packet2, ack2);
        Assert.Equal(500, b.Supply(VoucherOfNative));

        // A → B 777 that times out: refunded from escrow.
        var aliceBefore = a.Balance(TransferChain.Alice, TransferChain.Native);
        var (packet3, _) = a.Send(TransferChain.Alice, new Coin(TransferChain.Native, 777), Addr(TransferChain.Bob));
        Assert.Equal(1277, a.Escrowed(TransferChain.Native));
        var timeoutEvents = a.Timeout(packet3);
        Assert.Equal(RecordedShape("a-MsgTimeout-2.json", "timeout"), Shape(timeoutEvents, "timeout"));
        Assert.Equal(500, a.Escrowed(TransferChain.Native));
        Assert.Equal(aliceBefore, a.Balance(TransferChain.Alice, TransferChain.Native));

        // A → B 42, never relayed: the escrow timeline ends at 542, as on simd-a-1.
        a.Send(TransferChain.Alice, new Coin(TransferChain.Native, 42), Addr(TransferChain.Bob));
        Assert.Equal(542, a.Escrowed(TransferChain.Native));
        // Escrowed udpin is still udpin: A's supply never moved.
        Assert.Equal(supplyA, a.Supply(TransferChain.Native));
    }

    [Fact]
    public void A_receiver_of_another_chain_gets_an_error_ack_with_code_1_and_the_sender_is_refunded()
    {
        var a = new TransferChain();
        var b = new TransferChain(aliceBalance: 0);
        var (packet, _) = a.Send(TransferChain.Alice, new Coin(TransferChain.Native, 10), "cosmos1rw3mrkmlw5epe3c20304eys56xktxq3qg2cxr2");
        var (ack, events) = b.Receive(packet);
        Assert.Equal("{\"error\":\"ABCI code: 1: error handling packet: see events for details\"}", Encoding.UTF8.GetString(ack.GetBytes()));
        var recv = events.Single(e => e.Type == "fungible_token_packet");
        Assert.Equal("false", recv.Attributes.Single(x => x.Key == "success").Value);
        Assert.Contains("invalid Bech32 prefix", recv.Attributes.Single(x => x.Key == "error").Value);
        Assert.Equal(0, b.Supply(new DenomTrace("transfer/channel-0", TransferChain.Native).IbcDenom()));

        var before = a.Balance(TransferChain.Alice, TransferChain.Native);
        var ackEvents = a.Acknowledge(packet, ack);
        Assert.Equal(before + 10, a.Balance(TransferChain.Alice, TransferChain.Native));
        Assert.Equal(0, a.Escrowed(TransferChain.Native));
        Assert.Equal(("fungible_token_packet", "error"), Shape(ackEvents, "fungible_token_packet")[^1]);
    }

    [Fact]
    public void An_error_ack_for_a_voucher_mints_it_again_for_the_sender()
    {
        var a = new TransferChain();
        var b = new TransferChain(aliceBalance: 0);
        var (packet, _) = a.Send(TransferChain.Alice, new Coin(TransferChain.Native, 100), Addr(TransferChain.Bob));
        b.Receive(packet);
        var (back, _) = b.Send(TransferChain.Bob, new Coin(VoucherOfNative, 60), Addr(TransferChain.Alice));
        Assert.Equal(40, b.Supply(VoucherOfNative));
        b.Acknowledge(back, Acknowledgement.ForError(5));
        Assert.Equal(100, b.Balance(TransferChain.Bob, VoucherOfNative));
        Assert.Equal(100, b.Supply(VoucherOfNative));
    }

    [Fact]
    public void Receive_disabled_answers_with_code_8_and_leaves_no_state()
    {
        var a = new TransferChain();
        var b = new TransferChain(aliceBalance: 0);
        b.Keeper.SetParams(b.Ctx(), new TransferParams(true, false));
        var (packet, _) = a.Send(TransferChain.Alice, new Coin(TransferChain.Native, 10), Addr(TransferChain.Bob));
        var (ack, _) = b.Receive(packet);
        Assert.Equal("ABCI code: 8: error handling packet: see events for details", ack.ErrorText);
        Assert.Empty(b.Keeper.DenomTraces(b.Ctx()));
    }

    [Fact]
    public void Undecodable_packet_data_answers_with_code_12()
    {
        var b = new TransferChain(aliceBalance: 0);
        var (ack, events) = b.Receive(new TransferPacket(1, "transfer", "channel-0", "transfer", "channel-0", "{\"amount\":1000}"u8.ToArray()));
        Assert.Equal("ABCI code: 12: error handling packet: see events for details", ack.ErrorText);
        Assert.Equal("cannot unmarshal ICS-20 transfer packet data: invalid type",
            events.Single().Attributes.Single(x => x.Key == "error").Value);
    }

    [Fact]
    public void A_returning_token_for_a_module_account_is_refused_with_ibc_code_2()
    {
        var a = new TransferChain();
        var b = new TransferChain(aliceBalance: 0);
        var (packet, _) = a.Send(TransferChain.Alice, new Coin(TransferChain.Native, 10), Addr(TransferChain.Bob));
        b.Receive(packet);
        var (back, _) = b.Send(TransferChain.Bob, new Coin(VoucherOfNative, 10), Addr(ModuleAccounts.Address("fee_collector")));
        var (ack, _) = a.Receive(back);
        Assert.Equal("ABCI code: 2: error handling packet: see events for details", ack.ErrorText);
        Assert.Equal(10, a.Escrowed(TransferChain.Native));
    }

    [Fact]
    public void More_returned_than_escrowed_fails_the_tx_instead_of_acknowledging()
    {
        var a = new TransferChain();
        // A counterparty that lies: "returns" 10 udpin that never left A.
        var forged = new FungibleTokenPacketData("transfer/channel-0/udpin", "10", "depin1x", Addr(TransferChain.Bob), "").GetBytes();
        var packet = new TransferPacket(1, "transfer", "channel-0", "transfer", "channel-0", forged);
        var (ack, _) = a.Receive(packet);
        Assert.Equal("ABCI code: 5: error handling packet: see events for details", ack.ErrorText);

        // With something in escrow from someone else's send, the escrow has the coins but the total would go negative.
        a.Bank.SendCoins(a.Ctx(), TransferChain.Alice, TransferKeys.EscrowAddress("transfer", "channel-0"), Coins.Of(new Coin("udpin", 10)));
        Assert.Throws<InvalidOperationException>(() => a.Receive(packet));
    }

    [Fact]
    public void Sending_needs_a_known_channel_a_known_voucher_funds_and_sends_enabled()
    {
        var a = new TransferChain();
        var ctx = a.Ctx();
        TransferRequest Request(string channel, string denom) => new("transfer", channel, new Coin(denom, 5), Addr(TransferChain.Alice), "r", new IbcHeight(1, 10), 0, "");
        Assert.Equal(("channel", 3u), Code(() => a.Keeper.Transfer(ctx, Request("channel-9", "udpin"))));
        Assert.Equal(("transfer", 6u), Code(() => a.Keeper.Transfer(ctx, Request("channel-0", VoucherOfNative))));
        Assert.Equal(("sdk", 5u), Code(() => a.Keeper.Transfer(ctx, new TransferRequest("transfer", "channel-0", new Coin("udpin", 5), Addr(TransferChain.Bob), "r", new IbcHeight(1, 10), 0, ""))));
        a.Keeper.SetParams(ctx, new TransferParams(false, true));
        Assert.Equal(("transfer", 7u), Code(() => a.Keeper.Transfer(ctx, Request("channel-0", "udpin"))));
    }

    /// <summary>The codespace and code of the SdkError <paramref name="action"/> throws.</summary>
    internal static (string, uint) Code(Action action)
    {
        var error = Assert.Throws<SdkError>(action);
        return (error.Codespace, error.Code);
    }

    [Fact]
    public void A_memo_travels_in_the_packet_and_the_events()
    {
        var a = new TransferChain();
        var (packet, events) = a.Send(TransferChain.Alice, new Coin(TransferChain.Native, 1), "cosmos1r", "{\"forward\":{\"receiver\":\"x\"}}");
        Assert.Equal("{\"forward\":{\"receiver\":\"x\"}}", FungibleTokenPacketData.TryDecode(packet.Data)!.Memo);
        Assert.Equal("{\"forward\":{\"receiver\":\"x\"}}", events.Single(e => e.Type == "ibc_transfer").Attributes.Single(x => x.Key == "memo").Value);
    }
}

public class HandshakeTests
{
    private static (string, uint) Code(Action action) => KeeperTests.Code(action);

    [Fact]
    public void Transfer_channels_are_unordered_ics20_1_on_the_bound_port()
    {
        var chain = new TransferChain();
        var ctx = chain.Ctx();
        var ibc = chain.Ibc;
        Assert.Equal("ics20-1", ibc.OnChanOpenInit(ctx, ChannelOrder.Unordered, "transfer", "channel-0", ""));
        Assert.Equal("ics20-1", ibc.OnChanOpenInit(ctx, ChannelOrder.Unordered, "transfer", "channel-0", "ics20-1"));
        Assert.Equal("ics20-1", ibc.OnChanOpenTry(ctx, ChannelOrder.Unordered, "transfer", "channel-7", "ics20-1"));
        ibc.OnChanOpenAck(ctx, "transfer", "channel-0", "channel-3", "ics20-1");
        Assert.Equal(("channel", 6u), Code(() => ibc.OnChanOpenInit(ctx, ChannelOrder.Ordered, "transfer", "channel-0", "")));
        Assert.Equal(("transfer", 4u), Code(() => ibc.OnChanOpenInit(ctx, ChannelOrder.Unordered, "transfer", "channel-0", "ics20-2")));
        Assert.Equal(("transfer", 4u), Code(() => ibc.OnChanOpenTry(ctx, ChannelOrder.Unordered, "transfer", "channel-0", "ics27-1")));
        Assert.Equal(("transfer", 4u), Code(() => ibc.OnChanOpenAck(ctx, "transfer", "channel-0", "channel-0", "")));
        Assert.Equal(("port", 4u), Code(() => ibc.OnChanOpenInit(ctx, ChannelOrder.Unordered, "other", "channel-0", "")));
        Assert.Equal(("transfer", 9u), Code(() => ibc.OnChanOpenInit(ctx, ChannelOrder.Unordered, "transfer", "channel-4294967296", "")));
        Assert.Equal(("host", 2u), Code(() => ibc.OnChanOpenInit(ctx, ChannelOrder.Unordered, "transfer", "mychannel", "")));
        Assert.Equal(("ibc", 8u), Code(() => ibc.OnChanCloseInit(ctx, "transfer", "channel-0")));
    }
}
