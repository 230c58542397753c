using System.Security.Cryptography;
using System.Text;

namespace DePinChain.Sdk.Tests;

public class ModuleAuthorityTests
{
    private static readonly string Alice = Bech32Address.ToBech32(Enumerable.Repeat((byte)1, 20).ToArray());
    private static readonly string Bob = Bech32Address.ToBech32(Enumerable.Repeat((byte)2, 20).ToArray());

    [Fact]
    public void The_default_authority_is_the_gov_module_address()
    {
        var gov = SHA256.HashData(Encoding.UTF8.GetBytes("gov"))[..20];
        Assert.Equal(Bech32Address.ToBech32(gov), ModuleAuthority.Default);
        Assert.Equal(gov, ModuleAccounts.Address(ModuleAuthority.GovModuleName));
        Assert.Null(ModuleAuthority.Problem(ModuleAuthority.Default));
    }

    [Fact]
    public void An_empty_or_malformed_authority_is_a_problem()
    {
        Assert.Equal("authority is empty", ModuleAuthority.Problem(""));
        Assert.StartsWith("authority: ", ModuleAuthority.Problem("depin1notanaddress"));
        Assert.False(ModuleAuthority.Is("", Alice));
    }

    [Fact]
    public void The_rule_accepts_the_authority_and_refuses_anyone_else_with_the_modules_code_and_one_wording()
    {
        var rule = new AuthorityRule("widgets", 7);
        rule.Require(Alice, Alice);
        var error = Assert.Throws<SdkError>(() => rule.Require(Alice, Bob));
        Assert.Equal(("widgets", 7u), (error.Codespace, error.Code));
        Assert.Equal($"invalid authority; expected {Alice}, got {Bob}", error.Message);
        Assert.Equal(7u, Assert.Throws<SdkError>(() => rule.Require("", Bob)).Code);
    }
}
