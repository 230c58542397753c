using System.Security.Cryptography;

namespace DePinChain.Store.Tests.Commit;

public class SimpleMerkleTests
{
    // CometBFT crypto/merkle TestHashFromByteSlices vectors.
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("-", "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")]
    [InlineData("010203", "054edec1d0211f624fed0cbca9d4f9400b0e491c43742af2c5b0abebf0c990d8")]
    [InlineData("010203 040506", "82e6cfce00453804379b53962939eaa7906b39904be0813fcadd31b100773c4b")]
    [InlineData("0102 0304 0506 0708 090a", "f326493eceab4f2d9ffbc78c59432a0a005d6ea98392045c74df5d14a113be18")]
    public void Root_matches_the_cometbft_vectors(string items, string expectedHex)
    {
        var slices = items.Length == 0 ? [] : items.Split(' ').Select(s => s == "-" ? [] : Convert.FromHexString(s)).ToArray();
        Assert.Equal(expectedHex, Convert.ToHexStringLower(SimpleMerkle.HashFromByteSlices(slices)));
    }

    [Fact]
    public void Every_path_folds_back_to_the_root()
    {
        for (var n = 1; n <= 17; n++)
        {
            var items = Enumerable.Range(0, n).Select(i => new[] { (byte)i, (byte)(i * 7) }).ToArray();
            var root = SimpleMerkle.HashFromByteSlices(items);
            for (var index = 0; index < n; index++)
            {
                var hash = SimpleMerkle.LeafHash(items[index]);
                foreach (var (sibling, siblingIsLeft) in SimpleMerkle.Path(items, index))
                    hash = siblingIsLeft ? SimpleMerkle.InnerHash(sibling, hash) : SimpleMerkle.InnerHash(hash, sibling);
                Assert.Equal(root, hash);
            }
        }
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 2)]
    [InlineData(5, 4)]
    [InlineData(8, 4)]
    [InlineData(9, 8)]
    public void The_split_is_the_largest_power_of_two_below_the_count(int count, int split)
        => Assert.Equal(split, SimpleMerkle.SplitPoint(count));

    [Fact]
    public void Leaf_and_inner_hashes_are_domain_separated()
    {
        Assert.Equal(SHA256.HashData([0, 9]), SimpleMerkle.LeafHash([9]));
        Assert.Equal(SHA256.HashData([1, 2, 3]), SimpleMerkle.InnerHash([2], [3]));
    }
}
