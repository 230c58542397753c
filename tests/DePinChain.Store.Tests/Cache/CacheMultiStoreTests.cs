using DePinChain.Store.Cache;
using static DePinChain.Store.Tests.Bytes;

namespace DePinChain.Store.Tests.Cache;

public class CacheMultiStoreTests
{
    [Fact]
    public void A_tx_branch_written_into_the_block_branch_reaches_the_parent_only_when_the_block_branch_is_written()
    {
        var root = new ModelMultiStore("bank", "auth");
        var block = root.Branch();
        var tx = block.Branch();
        tx.GetStore("bank").Set(Of("alice"), Of("10"));
        tx.GetStore("auth").Set(Of("seq"), Of("1"));

        Assert.Null(block.GetStore("bank").Get(Of("alice")));
        tx.Write();
        Assert.Equal("10", Str(block.GetStore("bank").Get(Of("alice"))));
        Assert.Null(root.GetStore("bank").Get(Of("alice")));

        block.Write();
        Assert.Equal("10", Str(root.GetStore("bank").Get(Of("alice"))));
        Assert.Equal("1", Str(root.GetStore("auth").Get(Of("seq"))));
    }

    [Fact]
    public void A_dropped_tx_branch_leaves_the_block_branch_unchanged()
    {
        var root = new ModelMultiStore("bank");
        var block = root.Branch();
        block.GetStore("bank").Set(Of("fee"), Of("1"));
        var failedTx = block.Branch();
        failedTx.GetStore("bank").Set(Of("fee"), Of("999"));
        failedTx.GetStore("bank").Delete(Of("fee"));

        block.Write();

        Assert.Equal("1", Str(root.GetStore("bank").Get(Of("fee"))));
    }

    [Fact]
    public void A_discarded_branch_drops_its_changes_and_cached_reads_and_serves_as_a_new_branch()
    {
        var root = new ModelMultiStore("bank", "auth");
        var block = (CacheMultiStore)root.Branch();
        var tx = (CacheMultiStore)block.Branch();
        Assert.Null(tx.GetStore("bank").Get(Of("bob"))); // cached as absent
        tx.GetStore("bank").Set(Of("alice"), Of("999"));
        tx.GetStore("auth").Delete(Of("seq"));

        tx.Discard();
        block.GetStore("bank").Set(Of("bob"), Of("5")); // the parent changes only between uses
        block.GetStore("auth").Set(Of("seq"), Of("1"));

        Assert.Null(tx.GetStore("bank").Get(Of("alice")));
        Assert.Equal("5", Str(tx.GetStore("bank").Get(Of("bob"))));
        Assert.Equal("1", Str(tx.GetStore("auth").Get(Of("seq"))));
        tx.GetStore("bank").Set(Of("carol"), Of("7"));
        tx.Write();
        block.Write();
        Assert.Equal("alice=<null> bob=5 carol=7 seq=1", string.Join(" ", new[] { "alice", "bob", "carol" }
            .Select(k => $"{k}={Str(root.GetStore("bank").Get(Of(k)))}").Append($"seq={Str(root.GetStore("auth").Get(Of("seq")))}")));
    }

    [Fact]
    public void Stores_are_separate_and_names_come_from_the_parent()
    {
        var root = new ModelMultiStore("a", "b");
        var branch = root.Branch();
        branch.GetStore("a").Set(Of("k"), Of("va"));
        Assert.Null(branch.GetStore("b").Get(Of("k")));
        Assert.Equal(["a", "b"], branch.StoreNames);
        Assert.Same(branch.GetStore("a"), branch.GetStore("a"));
    }

    [Fact]
    public void An_unknown_store_name_throws_key_not_found()
    {
        var branch = new ModelMultiStore("a").Branch();
        Assert.Throws<KeyNotFoundException>(() => branch.GetStore("nope"));
    }
}
