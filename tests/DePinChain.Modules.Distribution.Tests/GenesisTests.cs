using DePinChain.Sdk;

namespace DePinChain.Modules.Distribution.Tests;

public sealed class GenesisTests
{
    [Fact]
    public void Export_then_import_into_a_fresh_store_reproduces_the_state()
    {
        var chain = new DistChain();
        var op = DistChain.Addr(1);
        chain.Staking.CreateValidator(chain.Ctx, op, DistChain.Cons(1), LegacyDec.WithPrecision(1, 1), 1000);
        chain.Staking.Delegate(chain.Ctx, DistChain.Addr(2), op, 500);
        chain.Keeper.SetWithdrawAddr(chain.Ctx, DistChain.Addr(2), DistChain.Addr(3));
        chain.NextBlock();
        chain.PayFromRewards(DistChain.Cons(1), 777);
        chain.NextBlock();
        chain.Staking.Slash(chain.Ctx, op, LegacyDec.WithPrecision(5, 2));
        chain.Bank.MintToModule(DistChain.FeeCollector, Coins.Of(new Coin("udpin", 10)));
        chain.NextBlock();
        chain.Keeper.BeginBlock(chain.Ctx);

        var genesis = new DistributionGenesis(chain.Keeper);
        var exported = genesis.Export(chain.Ctx);
        Assert.NotEmpty(exported.ValidatorSlashEvents);
        Assert.NotEmpty(exported.DelegatorStartingInfos);
        Assert.Single(exported.DelegatorWithdrawInfos);
        var json = DistributionGenesis.Json.Format(exported);

        var fresh = new DistChain();
        var freshGenesis = new DistributionGenesis(fresh.Keeper);
        var parsed = DistributionGenesis.Json.Parse(json);
        freshGenesis.Validate(parsed);
        freshGenesis.Init(fresh.Ctx, parsed);
        Assert.Equal(exported, freshGenesis.Export(fresh.Ctx));
    }

    [Fact]
    public void Default_genesis_validates_and_a_tax_above_one_does_not()
    {
        var genesis = new DistributionGenesis(new DistChain().Keeper);
        var g = genesis.Default();
        genesis.Validate(g);
        g.Params.CommunityTax = LegacyDec.Parse("1.01").ToWire();
        Assert.Throws<SdkError>(() => genesis.Validate(g));
    }
}
