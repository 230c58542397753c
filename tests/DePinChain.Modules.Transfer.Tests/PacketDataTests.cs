using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using DePinChain.Sdk;

namespace DePinChain.Modules.Transfer.Tests;

public class PacketDataTests
{
    private const string RelayerA = "cosmos1srexkfx53pf9c02wg0fdcac3rq4v27z75p8jd8";
    private const string UserA = "cosmos1e2zrvvw00d4wm4lgeepghmz2zjg740xzw9jptw";
    private const string UserB = "cosmos1rw3mrkmlw5epe3c20304eys56xktxq3qg2cxr2";

    [Fact]
    public void Packet_bytes_of_A_seq_1_are_the_recorded_send_packet_data()
    {
        var data = new FungibleTokenPacketData("stake", "1000", RelayerA, UserB, "");
        var recorded = Convert.FromHexString(Conformance.Attribute("a-MsgTransfer-1.json", "send_packet", "packet_data_hex"));
        Assert.Equal(recorded, data.GetBytes());
        Assert.Equal(Conformance.Attribute("a-MsgTransfer-1.json", "send_packet", "packet_data"), Encoding.UTF8.GetString(data.GetBytes()));
    }

    [Fact]
    public void Packet_bytes_of_a_returning_voucher_carry_the_full_denom_path()
    {
        var data = new FungibleTokenPacketData("transfer/channel-0/stake", "500", UserB, UserA, "");
        var recorded = Convert.FromHexString(Conformance.Attribute("b-MsgTransfer-1.json", "send_packet", "packet_data_hex"));
        Assert.Equal(recorded, data.GetBytes());
    }

    [Fact]
    public void Packet_bytes_hash_to_the_recorded_packet_commitment_of_A_seq_3()
    {
        // commitments/ports/transfer/channels/channel-0/sequences/3 on A: sha256(ts ‖ rev ‖ height ‖ sha256(data)).
        var data = new FungibleTokenPacketData("stake", "42", UserA, UserB, "");
        Assert.Equal(Convert.FromHexString(Conformance.Attribute("a-MsgTransfer-3.json", "send_packet", "packet_data_hex")), data.GetBytes());
        var preimage = new byte[24 + 32];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(preimage, 1796357797427182571);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(preimage.AsSpan(8), 1);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(preimage.AsSpan(16), 1134);
        SHA256.HashData(data.GetBytes(), preimage.AsSpan(24));
        Assert.StartsWith("9098d92c", Convert.ToHexStringLower(SHA256.HashData(preimage)));
    }

    [Fact]
    public void Recorded_packets_decode_to_their_fields()
    {
        foreach (var file in new[] { "a-MsgTransfer-1.json", "b-MsgTransfer-1.json", "b-MsgRecvPacket-1.json", "a-MsgRecvPacket-1.json" })
        {
            var eventType = file.Contains("Recv") ? "recv_packet" : "send_packet";
            var bytes = Convert.FromHexString(Conformance.Attribute(file, eventType, "packet_data_hex"));
            var data = FungibleTokenPacketData.TryDecode(bytes);
            Assert.NotNull(data);
            data.ValidateBasic();
            Assert.Equal(bytes, data.GetBytes());
        }
    }

    [Fact]
    public void Memo_is_written_when_set_and_sorted_between_denom_and_receiver()
    {
        var data = new FungibleTokenPacketData("udpin", "1", "depin1s", "cosmos1r", "{\"wasm\":{}}");
        Assert.Equal("{\"amount\":\"1\",\"denom\":\"udpin\",\"memo\":\"{\\\"wasm\\\":{}}\",\"receiver\":\"cosmos1r\",\"sender\":\"depin1s\"}",
            Encoding.UTF8.GetString(data.GetBytes()));
    }

    [Theory]
    // Go's json.Marshal: HTML characters, controls, U+2028/9 escaped; other non-ASCII written as UTF-8.
    [InlineData("<a&b>", "\\u003ca\\u0026b\\u003e")]
    [InlineData("tab\tnl\ncr\rbs\\q\"", "tab\\tnl\\ncr\\rbs\\\\q\\\"")]
    [InlineData("\b\f\u0001\u001f\u007f", "\\b\\f\\u0001\\u001f\u007f")]
    [InlineData("\u2028\u2029", "\\u2028\\u2029")]
    [InlineData("é☃😀", "é☃😀")]
    [InlineData("/", "/")]
    public void Strings_are_escaped_as_go_json_marshal_escapes_them(string memo, string escaped)
    {
        var data = new FungibleTokenPacketData("udpin", "1", "s", "r", memo);
        var expected = "{\"amount\":\"1\",\"denom\":\"udpin\",\"memo\":\"" + escaped + "\",\"receiver\":\"r\",\"sender\":\"s\"}";
        Assert.Equal(expected, Encoding.UTF8.GetString(data.GetBytes()));
    }

    [Fact]
    public void A_lone_surrogate_is_written_as_the_replacement_character()
    {
        // Kept out of the theory above: xunit's test-case serialization would mangle the lone surrogate itself.
        var data = new FungibleTokenPacketData("udpin", "1", "s", "r", "\ud800x");
        Assert.Contains("\"memo\":\"\ufffdx\"", Encoding.UTF8.GetString(data.GetBytes()));
    }

    [Theory]
    [InlineData("{\"denom\":\"udpin\",\"amount\":\"5\",\"sender\":\"s\",\"receiver\":\"r\"}", "udpin", "5", "")]
    [InlineData(" {\"amount\":\"5\",\"denom\":\"a\",\"denom\":\"b\",\"sender\":\"s\",\"receiver\":\"r\"} trailing", "b", "5", "")]
    [InlineData("{\"amount\":\"5\",\"denom\":\"udpin\",\"memo\":null,\"sender\":\"s\",\"receiver\":\"r\"}", "udpin", "5", "")]
    [InlineData("{\"\\u0061mount\":\"5\",\"denom\":\"udpin\",\"sender\":\"s\",\"receiver\":\"r\",\"memo\":\"\\ud83d\\ude00\\ud800\\u0041\"}", "udpin", "5", "😀\ufffdA")]
    public void Decoding_follows_jsonpb(string json, string denom, string amount, string memo)
    {
        var data = FungibleTokenPacketData.TryDecode(Encoding.UTF8.GetBytes(json));
        Assert.NotNull(data);
        Assert.Equal((denom, amount, memo), (data.Denom, data.Amount, data.Memo));
    }

    [Fact]
    public void Invalid_utf8_becomes_one_replacement_character_per_byte_as_in_go()
    {
        byte[] json = [.. "{\"memo\":\""u8, 0xE2, 0x82, 0x41, 0xFF, .. "\"}"u8];
        Assert.Equal("\ufffd\ufffdA\ufffd", FungibleTokenPacketData.TryDecode(json)!.Memo);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("\"x\"")]
    [InlineData("{\"amount\":5}")]
    [InlineData("{\"amount\":\"5\",\"fee\":\"1\"}")]
    [InlineData("{\"Amount\":\"5\"}")]
    [InlineData("{\"amount\":\"5\"")]
    [InlineData("{\"amount\":\"5\",}")]
    [InlineData("{\"memo\":\"a\u0001b\"}")]
    [InlineData("{\"memo\":\"\\x\"}")]
    [InlineData("{\"memo\":\"\\u12\"}")]
    [InlineData("{\"memo\":{}}")]
    [InlineData("nullx")]
    public void Malformed_packet_data_does_not_decode(string json)
        => Assert.Null(FungibleTokenPacketData.TryDecode(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void Null_is_an_empty_message_that_fails_validation_on_the_amount()
    {
        var data = FungibleTokenPacketData.TryDecode("null"u8);
        Assert.NotNull(data);
        var error = Assert.Throws<SdkError>(data.ValidateBasic);
        Assert.Equal(("transfer", 5u), (error.Codespace, error.Code));
    }

    [Theory]
    [InlineData("0", "transfer", 5u)]
    [InlineData("-1", "transfer", 5u)]
    [InlineData("1.5", "transfer", 5u)]
    [InlineData("", "transfer", 5u)]
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639936", "transfer", 5u)]
    public void Packet_amount_must_parse_and_be_positive(string amount, string codespace, uint code)
    {
        var error = Assert.Throws<SdkError>(() => new FungibleTokenPacketData("udpin", amount, "s", "r", "").ValidateBasic());
        Assert.Equal((codespace, code), (error.Codespace, error.Code));
    }

    [Fact]
    public void Packet_addresses_must_not_be_blank_but_their_format_is_the_other_chain_s()
    {
        new FungibleTokenPacketData("udpin", "1", "anything", "0xabc", "").ValidateBasic();
        var blankSender = Assert.Throws<SdkError>(() => new FungibleTokenPacketData("udpin", "1", " ", "r", "").ValidateBasic());
        Assert.Equal(("ibc", 5u), (blankSender.Codespace, blankSender.Code));
        var blankReceiver = Assert.Throws<SdkError>(() => new FungibleTokenPacketData("udpin", "1", "s", "", "").ValidateBasic());
        Assert.Equal(("ibc", 5u), (blankReceiver.Codespace, blankReceiver.Code));
    }

    [Theory]
    [InlineData("1000", "1000")]
    [InlineData("0", "0")]
    [InlineData("+7", "7")]
    [InlineData("-7", "-7")]
    [InlineData("010", "8")]
    [InlineData("0x10", "16")]
    [InlineData("0X1f", "31")]
    [InlineData("0b101", "5")]
    [InlineData("0o17", "15")]
    [InlineData("1_000", "1000")]
    [InlineData("0x_1", "1")]
    [InlineData("0_7", "7")]
    [InlineData("00", "0")]
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639935", "115792089237316195423570985008687907853269984665640564039457584007913129639935")]
    public void Amounts_parse_as_go_big_int_set_string_base_0(string text, string value)
        => Assert.Equal(BigInteger.Parse(value), GoInt.ParseSdkInt(text));

    [Theory]
    [InlineData("")]
    [InlineData("+")]
    [InlineData("08")]
    [InlineData("0x")]
    [InlineData("_1")]
    [InlineData("1_")]
    [InlineData("1__0")]
    [InlineData("0_")]
    [InlineData("1e3")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("0b2")]
    [InlineData("١")]
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639936")]
    public void Amounts_go_refuses(string text) => Assert.Null(GoInt.ParseSdkInt(text));
}

public class AcknowledgementTests
{
    [Fact]
    public void Success_ack_is_the_recorded_bytes_and_commitment()
    {
        var bytes = Acknowledgement.Success.GetBytes();
        Assert.Equal(Convert.FromHexString(Conformance.Attribute("b-MsgRecvPacket-1.json", "write_acknowledgement", "packet_ack_hex")), bytes);
        Assert.Equal("{\"result\":\"AQ==\"}", Encoding.UTF8.GetString(bytes));
        Assert.StartsWith("08f7557e", Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.EndsWith("0a7c", Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    [Fact]
    public void Success_ack_prints_as_the_recorded_acknowledgement_attribute()
        => Assert.Equal(Conformance.Attribute("a-MsgAcknowledgement-1.json", "fungible_token_packet", "acknowledgement"),
            Acknowledgement.Success.ToCompactText());

    [Fact]
    public void Error_ack_carries_only_the_abci_code()
    {
        var ack = Acknowledgement.ForError(5);
        Assert.Equal("{\"error\":\"ABCI code: 5: error handling packet: see events for details\"}", Encoding.UTF8.GetString(ack.GetBytes()));
        Assert.Equal("error:\"ABCI code: 5: error handling packet: see events for details\" ", ack.ToCompactText());
        Assert.False(ack.IsSuccess);
    }

    [Theory]
    [InlineData("{\"result\":\"AQ==\"}", true, false)]
    [InlineData("{\"error\":\"ABCI code: 1: error handling packet: see events for details\"}", false, true)]
    [InlineData("{}", false, false)]
    public void Acks_decode(string json, bool success, bool error)
    {
        var ack = Acknowledgement.TryDecode(Encoding.UTF8.GetBytes(json));
        Assert.NotNull(ack);
        Assert.Equal((success, error), (ack.IsSuccess, ack.IsError));
    }

    [Theory]
    [InlineData("{\"result\":\"AQ\"}")]
    [InlineData("{\"result\":1}")]
    [InlineData("{\"result\":\"AQ==\",\"error\":\"x\"}")]
    [InlineData("{\"ok\":true}")]
    [InlineData("garbage")]
    public void Malformed_acks_do_not_decode(string json) => Assert.Null(Acknowledgement.TryDecode(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void Compact_text_escapes_bytes_as_octal()
        => Assert.Equal("result:\"a\\n\\\"\\\\\\000\\377\" ", Acknowledgement.TryDecode("{\"result\":\"YQoiXAD/\"}"u8)!.ToCompactText());
}

public class TransferRulesTests
{
    private static readonly string Sender = Bech32Address.ToBech32(new byte[20]);

    [Fact]
    public void A_transfer_to_another_chain_s_address_is_valid()
        => TransferRules.ValidateTransfer("transfer", "channel-0", new Coin("udpin", 1000), Sender, "cosmos1rw3mrkmlw5epe3c20304eys56xktxq3qg2cxr2", "");

    [Theory]
    [InlineData("t", "channel-0", "udpin", 1, "r", "", "host", 2u)]
    [InlineData("transfer", "chan", "udpin", 1, "r", "", "host", 2u)]
    [InlineData("transfer", "channel/0", "udpin", 1, "r", "", "host", 2u)]
    [InlineData("transfer", "channel-0", "udpin", 0, "r", "", "ibc", 3u)]
    [InlineData("transfer", "channel-0", "1udpin", 1, "r", "", "ibc", 6u)]
    [InlineData("transfer", "channel-0", "udpin", 1, " ", "", "ibc", 5u)]
    [InlineData("transfer", "channel-0", "ibc/XYZ", 1, "r", "", "transfer", 3u)]
    public void Bad_transfers_are_refused_with_ibc_go_s_codes(string port, string channel, string denom, int amount, string receiver, string memo, string codespace, uint code)
    {
        var error = Assert.Throws<SdkError>(() => TransferRules.ValidateTransfer(port, channel, new Coin(denom, amount), Sender, receiver, memo));
        Assert.Equal((codespace, code), (error.Codespace, error.Code));
    }

    [Fact]
    public void Receiver_and_memo_sizes_are_bounded()
    {
        TransferRules.ValidateTransfer("transfer", "channel-0", new Coin("udpin", 1), Sender, new string('r', 2048), new string('m', 32768));
        var receiver = Assert.Throws<SdkError>(() => TransferRules.ValidateTransfer("transfer", "channel-0", new Coin("udpin", 1), Sender, new string('r', 2049), ""));
        Assert.Equal(("ibc", 5u), (receiver.Codespace, receiver.Code));
        var memo = Assert.Throws<SdkError>(() => TransferRules.ValidateTransfer("transfer", "channel-0", new Coin("udpin", 1), Sender, "r", new string('m', 32769)));
        Assert.Equal(("transfer", 11u), (memo.Codespace, memo.Code));
    }

    [Fact]
    public void The_sender_must_be_an_address_of_this_chain()
    {
        var error = Assert.Throws<SdkError>(() => TransferRules.ValidateTransfer("transfer", "channel-0", new Coin("udpin", 1),
            "cosmos1rw3mrkmlw5epe3c20304eys56xktxq3qg2cxr2", "r", ""));
        Assert.Equal(("ibc", 5u), (error.Codespace, error.Code));
    }
}
