using DePinChain.Cli.AutoCli;
using DePinChain.Cli.Commands;
using DePinChain.Protos.Ibc.Core.Client.V1;

namespace DePinChain.Cli.Tests;

public class TransferCatalogTests
{
    [Theory]
    [InlineData("1-1000", 1ul, 1000ul)]
    [InlineData("0-0", 0ul, 0ul)]
    [InlineData("18446744073709551615-7", ulong.MaxValue, 7ul)]
    public void Timeout_heights_are_revision_dash_height(string text, ulong revision, ulong height)
        => Assert.Equal(new Height { RevisionNumber = revision, RevisionHeight = height }, TransferCatalog.ParseHeight(text));

    [Theory]
    [InlineData("1000")]
    [InlineData("1-")]
    [InlineData("-1")]
    [InlineData("1-2-3")]
    [InlineData("a-1")]
    [InlineData("1-+2")]
    [InlineData("18446744073709551616-1")]
    public void Malformed_timeout_heights_are_usage_errors(string text)
        => Assert.Throws<CliUsageException>(() => TransferCatalog.ParseHeight(text));

    [Fact]
    public void Relative_timeouts_add_to_the_client_s_latest_height_and_the_later_of_clock_and_consensus_time()
    {
        // simd-b-1's CLI transfer: its client of simd-a-1 was at 1-90, the default 0-1000 gave timeout height 1-1090.
        var latest = new Height { RevisionNumber = 1, RevisionHeight = 90 };
        var (height, timestamp) = TransferCatalog.Absolute(TransferCatalog.ParseHeight(TransferCatalog.DefaultRelativeTimeoutHeight),
            TransferCatalog.DefaultRelativeTimeoutTimestamp, latest, consensusTimestamp: 5_000, nowNanos: 9_000);
        Assert.Equal(new Height { RevisionNumber = 1, RevisionHeight = 1090 }, height);
        Assert.Equal(9_000 + 600_000_000_000ul, timestamp);
        // A counterparty clock ahead of ours is the reference; a disabled timeout stays disabled.
        Assert.Equal(20_000 + 5ul, TransferCatalog.Absolute(null, 5, latest, consensusTimestamp: 20_000, nowNanos: 9_000).Timestamp);
        Assert.Equal((null, 0ul), TransferCatalog.Absolute(null, 0, latest, 1, 1));
    }
}
