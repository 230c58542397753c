using DePinChain.Protos.Cosmos.Bank.V1Beta1;
using DePinChain.Sdk;

namespace DePinChain.Modules.Bank;

/// <summary>The bank genesis (cosmos.bank.v1beta1 shape): params, balances, the supply they add up to, denom metadata.</summary>
public sealed class BankGenesis(BankKeeper keeper) : ModuleGenesis<GenesisState>(Json)
{
    /// <summary>The bank <c>app_state</c> section as JSON.</summary>
    public static readonly GenesisCodec<GenesisState> Json = new(BankKeys.ModuleName);

    public override GenesisState Default() => new() { Params = BankKeeper.DefaultParams() };

    /// <summary>Checks balances and supply (a declared supply must be the sum of the balances).</summary>
    public override void Validate(GenesisState genesis) => Balances(genesis);

    private static (List<(byte[] Address, Coins Coins)> Balances, Coins Supply) Balances(GenesisState genesis)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var balances = new List<(byte[], Coins)>();
        var total = Coins.Empty;
        foreach (var balance in genesis.Balances)
        {
            byte[] address;
            Coins coins;
            try
            {
                address = Bech32Address.Parse(balance.Address);
                coins = Coins.FromProto(balance.Coins);
            }
            catch (SdkError e)
            {
                throw e.Wrap($"bank genesis balance of {balance.Address}");
            }
            if (!seen.Add(balance.Address)) throw SdkErrors.InvalidRequest($"duplicate balance for address {balance.Address}");
            balances.Add((address, coins));
            total = total.Add(coins);
        }
        if (genesis.Supply.Count > 0)
        {
            var declared = Coins.FromProto(genesis.Supply);
            if (!declared.Equals(total))
                throw SdkErrors.InvalidCoins($"genesis supply is incorrect, expected {total}, got {declared}");
        }
        foreach (var metadata in genesis.DenomMetadata) Coins.ValidateDenom(metadata.Base);
        return (balances, total);
    }

    public override void Init(Context ctx, GenesisState genesis)
    {
        var (balances, supply) = Balances(genesis);
        keeper.SetParams(ctx, genesis.Params ?? BankKeeper.DefaultParams());
        foreach (var (address, coins) in balances)
            foreach (var c in coins.Items) keeper.SetBalance(ctx, address, c.Denom, c.Amount);
        foreach (var c in supply.Items) keeper.SetSupply(ctx, c.Denom, c.Amount);
        foreach (var metadata in genesis.DenomMetadata) keeper.SetDenomMetadata(ctx, metadata);
    }

    public override GenesisState Export(Context ctx)
    {
        var genesis = new GenesisState { Params = keeper.GetParams(ctx) };
        foreach (var (address, coins) in keeper.IterateAllBalances(ctx))
        {
            var balance = new Balance { Address = Bech32Address.ToBech32(address) };
            balance.Coins.AddRange(coins.ToProto());
            genesis.Balances.Add(balance);
        }
        genesis.Supply.AddRange(keeper.GetTotalSupply(ctx).ToProto());
        genesis.DenomMetadata.AddRange(keeper.DenomMetadata(ctx));
        return genesis;
    }
}
