using Xunit;

namespace DePinChain.App.Tests;

/// <summary>app.toml's index-events: which event attributes CometBFT is asked to index (the SDK's option).</summary>
public sealed class EventIndexingTests
{
    [Fact]
    public void By_default_every_attribute_is_indexed()
    {
        var chain = new TestChain();
        var result = chain.Deliver(chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 5));
        Assert.Equal(0u, result.Code);
        Assert.All(result.Events.SelectMany(e => e.Attributes), a => Assert.True(a.Index));
    }

    [Fact]
    public void Listed_type_key_pairs_are_indexed_and_nothing_else_and_results_are_otherwise_the_same()
    {
        var all = new TestChain();
        var some = new TestChain(new AppOptions { IndexEvents = EventIndexing.Of(["transfer.recipient", "message.sender"]) });
        var a = all.FinalizeAndCommit(all.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 5));
        var b = some.FinalizeAndCommit(some.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 5));

        var indexed = b.TxResults[0].Events.SelectMany(e => e.Attributes.Where(x => x.Index).Select(x => e.Type + "." + x.Key)).Distinct().Order().ToList();
        Assert.Equal(["message.sender", "transfer.recipient"], indexed);
        // The flag is node-local: the same block gives the same app hash, codes and event contents.
        Assert.Equal(a.AppHash, b.AppHash);
        Assert.Equal(a.TxResults[0].Events.Select(e => e.Type + string.Concat(e.Attributes.Select(x => x.Key + x.Value))),
            b.TxResults[0].Events.Select(e => e.Type + string.Concat(e.Attributes.Select(x => x.Key + x.Value))));
    }

    [Theory]
    [InlineData("sender")]
    [InlineData(".sender")]
    [InlineData("message.")]
    [InlineData(" message.sender")]
    public void An_entry_that_is_not_type_dot_key_is_refused(string entry)
        => Assert.Throws<FormatException>(() => EventIndexing.Of([entry]));
}
