using DePinChain.Modules.Tests;
using DePinChain.Sdk;

namespace DePinChain.Modules.Bank.Tests;

public class GasTests
{
    [Fact]
    public void Store_access_is_charged_with_the_sdk_costs()
    {
        var meter = new GasMeter(100_000);
        var store = new GasKVStore(new SortedStore(), meter, KVGasConfig.Default);
        store.Set([1, 2], [3, 4, 5]);
        Assert.Equal(2000UL + 30 * 2 + 30 * 3, meter.Consumed);
        store.Get([1, 2]);
        Assert.Equal(2150UL + 1000 + 3 * 2 + 3 * 3, meter.Consumed);
    }

    [Fact]
    public void Exceeding_the_limit_throws_out_of_gas_and_records_the_use()
    {
        var meter = new GasMeter(1500);
        var store = new GasKVStore(new SortedStore(), meter, KVGasConfig.Default);
        Assert.Throws<OutOfGasException>(() => store.Set([1], [1]));
        Assert.True(meter.Consumed > meter.Limit);
    }
}
