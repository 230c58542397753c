using System.Text;
using DePinChain.Crypto;
using DePinChain.Sdk;

namespace DePinChain.Modules.Transfer.Tests;

public class EscrowAddressTests
{
    [Fact]
    public void Escrow_address_of_transfer_channel_0_is_the_recorded_one()
    {
        var address = TransferKeys.EscrowAddress("transfer", "channel-0");
        Assert.Equal("ed23c6f4443f49c4b08f856350a5d2c65a203235", Convert.ToHexStringLower(address));
        Assert.Equal("cosmos1a53udazy8ayufvy0s434pfwjcedzqv34kvz9tw", CosmosAddress.ToBech32(address, "cosmos"));
    }

    [Fact]
    public void Escrow_address_matches_the_EscrowAddress_query_answer_of_both_chains()
    {
        foreach (var chain in new[] { "a", "b" })
        {
            var answer = Conformance.QueryValue($"{chain}-grpc-transfer.Query.EscrowAddress-h221.json");
            // QueryEscrowAddressResponse { string escrow_address = 1; }
            Assert.Equal(0x0A, answer[0]);
            var text = Encoding.UTF8.GetString(answer, 2, answer[1]);
            Assert.Equal(CosmosAddress.ToBech32(TransferKeys.EscrowAddress("transfer", "channel-0"), "cosmos"), text);
        }
    }

    [Fact]
    public void Escrow_addresses_differ_per_channel_and_port()
    {
        var zero = TransferKeys.EscrowAddress("transfer", "channel-0");
        Assert.NotEqual(zero, TransferKeys.EscrowAddress("transfer", "channel-1"));
        Assert.NotEqual(zero, TransferKeys.EscrowAddress("other", "channel-0"));
        Assert.Equal(20, zero.Length);
    }

    [Fact]
    public void Store_keys_are_ibc_go_s()
    {
        Assert.Equal("totalEscrowForDenom/stake"u8.ToArray(), TransferKeys.TotalEscrowForDenomKey("stake"));
        var hash = new DenomTrace("transfer/channel-0", "stake").Hash();
        var key = TransferKeys.DenomTraceKey(hash);
        Assert.Equal(0x02, key[0]);
        Assert.Equal(hash, key[1..]);
        Assert.Equal("params"u8.ToArray(), TransferKeys.ParamsKey.ToArray());
    }
}

public class DenomTraceTests
{
    [Theory]
    // The conformance voucher, and two denoms every Cosmos wallet knows (ATOM on Osmosis, OSMO on the Hub).
    [InlineData("transfer/channel-0/stake", "ibc/C053D637CCA2A2BA030E2C5EE1B28A16F71CCB0E45E8BE52766DC1B241B77878")]
    [InlineData("transfer/channel-0/uatom", "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2")]
    [InlineData("transfer/channel-141/uosmo", "ibc/14F9BC3E44B8A9C1BE1FB08980FAB87034C9905EF17CF2F5008FC085218811CC")]
    [InlineData("udpin", "udpin")]
    public void Voucher_denom_is_ibc_slash_upper_hex_of_the_full_path(string fullPath, string expected)
        => Assert.Equal(expected, DenomTrace.Parse(fullPath).IbcDenom());

    [Fact]
    public void The_recorded_voucher_trace_and_hash_match_the_queries()
    {
        var trace = DenomTrace.Parse("transfer/channel-0/stake");
        Assert.Equal(new DenomTrace("transfer/channel-0", "stake"), trace);
        Assert.Equal("C053D637CCA2A2BA030E2C5EE1B28A16F71CCB0E45E8BE52766DC1B241B77878", trace.HashHex());
        // B's DenomTraces answer: { denom_traces: [{ path = 1, base_denom = 2 }], pagination { total: 1 } }.
        var path = Encoding.UTF8.GetBytes(trace.Path);
        var baseDenom = Encoding.UTF8.GetBytes(trace.BaseDenom);
        byte[] traceMessage = [0x0A, (byte)path.Length, .. path, 0x12, (byte)baseDenom.Length, .. baseDenom];
        byte[] expected = [0x0A, (byte)traceMessage.Length, .. traceMessage, 0x12, 0x02, 0x10, 0x01];
        Assert.Equal(expected, Conformance.QueryValue("b-grpc-transfer.Query.DenomTraces-h221.json"));
    }

    [Theory]
    [InlineData("", "", "")]
    [InlineData("uatom", "", "uatom")]
    [InlineData("uatom/", "", "uatom/")]
    [InlineData("gamm/pool/1", "", "gamm/pool/1")]
    [InlineData("gamm//pool//1", "", "gamm//pool//1")]
    [InlineData("transfer/channel-1/uatom", "transfer/channel-1", "uatom")]
    [InlineData("customtransfer/channel-1/uatom", "customtransfer/channel-1", "uatom")]
    [InlineData("transfer/channel-0/gamm/pool/1", "transfer/channel-0", "gamm/pool/1")]
    [InlineData("transfer/channel-0/transfer/channel-3/uatom", "transfer/channel-0/transfer/channel-3", "uatom")]
    [InlineData("transfer/uatom", "", "transfer/uatom")]
    [InlineData("transfer//uatom", "", "transfer//uatom")]
    [InlineData("channel-1/transfer/uatom", "", "channel-1/transfer/uatom")]
    [InlineData("uatom/transfer", "", "uatom/transfer")]
    [InlineData("transfer/channel-1", "", "transfer/channel-1")]
    [InlineData("transfer/channel-1/", "transfer/channel-1", "")]
    [InlineData("transfer/channel-1/transfer", "transfer/channel-1", "transfer")]
    [InlineData("transfer/channel-01/uatom", "transfer/channel-01", "uatom")]
    [InlineData("transfer/channel-/uatom", "", "transfer/channel-/uatom")]
    [InlineData("transfer/channel-18446744073709551616/uatom", "", "transfer/channel-18446744073709551616/uatom")]
    [InlineData("transfer/channel-18446744073709551615/uatom", "transfer/channel-18446744073709551615", "uatom")]
    [InlineData("transfer/channel-1\n/uatom", "", "transfer/channel-1\n/uatom")]
    public void Parse_splits_trace_and_base_as_ibc_go_v8(string raw, string path, string baseDenom)
    {
        var trace = DenomTrace.Parse(raw);
        Assert.Equal(path, trace.Path);
        Assert.Equal(baseDenom, trace.BaseDenom);
    }

    [Theory]
    [InlineData("uatom")]
    [InlineData("gamm/pool/1")]
    [InlineData("transfer/channel-1/uatom")]
    [InlineData("transfer/channel-1/gamm/pool/1")]
    [InlineData("transfer/uatom")]
    [InlineData("transfer/channel-1/transfer/channel-2/uatom")]
    public void Valid_prefixed_denoms(string denom) => DenomTrace.ValidatePrefixedDenom(denom);

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("uatom/")]
    [InlineData("transfer/channel-1/")]
    [InlineData("t/channel-1/uatom")] // port shorter than 2
    [InlineData("trans fer/channel-1/uatom")] // a space in the port
    public void Invalid_prefixed_denoms_are_refused_with_transfer_code_3_or_host_code_2(string denom)
    {
        var error = Assert.Throws<SdkError>(() => DenomTrace.ValidatePrefixedDenom(denom));
        Assert.True((error.Codespace, error.Code) is ("transfer", 3) or ("host", 2), $"{error.Codespace} {error.Code}: {error.Message}");
    }

    [Theory]
    [InlineData("udpin")]
    [InlineData("gamm/pool/1")]
    [InlineData("ibc/C053D637CCA2A2BA030E2C5EE1B28A16F71CCB0E45E8BE52766DC1B241B77878")]
    [InlineData("ibc/c053d637cca2a2ba030e2c5ee1b28a16f71ccb0e45e8be52766dc1b241b77878")]
    public void Sendable_denoms(string denom) => DenomTrace.ValidateIbcDenom(denom);

    [Theory]
    [InlineData("ibc", "transfer", 3u)]
    [InlineData("ibc/", "transfer", 3u)]
    [InlineData("ibc/C053D637", "transfer", 3u)]
    [InlineData("ibc/ZZ53D637CCA2A2BA030E2C5EE1B28A16F71CCB0E45E8BE52766DC1B241B77878", "transfer", 3u)]
    [InlineData("ibc/C053D637CCA2A2BA030E2C5EE1B28A16F71CCB0E45E8BE52766DC1B241B77878/x", "transfer", 3u)]
    [InlineData("1udpin", "sdk", 10u)]
    [InlineData("ud", "sdk", 10u)]
    [InlineData("udpin\n", "sdk", 10u)]
    public void Unsendable_denoms(string denom, string codespace, uint code)
    {
        var error = Assert.Throws<SdkError>(() => DenomTrace.ValidateIbcDenom(denom));
        Assert.Equal((codespace, code), (error.Codespace, error.Code));
    }

    [Fact]
    public void Source_rules_follow_the_port_and_channel_prefix()
    {
        // A sends its native stake: A is the source, B mints a voucher.
        Assert.True(DenomTrace.SenderChainIsSource("transfer", "channel-0", "stake"));
        Assert.False(DenomTrace.ReceiverChainIsSource("transfer", "channel-0", "stake"));
        // B sends the voucher back: the packet denom carries B's own prefix, so B burns and A unescrows.
        Assert.False(DenomTrace.SenderChainIsSource("transfer", "channel-0", "transfer/channel-0/stake"));
        Assert.True(DenomTrace.ReceiverChainIsSource("transfer", "channel-0", "transfer/channel-0/stake"));
        // A voucher from another channel goes on as a new hop: escrowed here.
        Assert.True(DenomTrace.SenderChainIsSource("transfer", "channel-1", "transfer/channel-0/stake"));
        // The prefix is matched with its trailing slash: channel-1 is not channel-10.
        Assert.False(DenomTrace.ReceiverChainIsSource("transfer", "channel-1", "transfer/channel-10/stake"));
    }

    [Theory]
    [InlineData("channel-0", true)]
    [InlineData("channel-00", true)]
    [InlineData("channel-18446744073709551615", true)]
    [InlineData("channel-18446744073709551616", false)]
    [InlineData("channel-123456789012345678901", false)]
    [InlineData("channel-", false)]
    [InlineData("channel-1a", false)]
    [InlineData("channel-1\n", false)]
    [InlineData("Channel-1", false)]
    [InlineData("connection-1", false)]
    public void Channel_ids_that_end_a_trace(string id, bool valid) => Assert.Equal(valid, Identifiers.IsValidChannelId(id));
}
