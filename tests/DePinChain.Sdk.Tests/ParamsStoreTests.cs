using DePinChain.Protos.Cosmos.Bank.V1Beta1;
using Google.Protobuf;

namespace DePinChain.Sdk.Tests;

public class ParamsStoreTests
{
    private static readonly ParamsStore<Params> Store = new(TestContext.Store, 0x05, Params.Parser, () => new Params { DefaultSendEnabled = true });

    [Fact]
    public void Params_not_written_yet_read_as_the_defaults()
    {
        var ctx = TestContext.New();
        Assert.True(Store.Get(ctx).DefaultSendEnabled);
        Assert.Null(ctx.KVStore(TestContext.Store).Get([0x05]));
    }

    [Fact]
    public void Params_are_one_message_under_the_one_byte_key()
    {
        var ctx = TestContext.New();
        Store.Set(ctx, new Params { DefaultSendEnabled = false });
        Assert.False(Store.Get(ctx).DefaultSendEnabled);
        Assert.Equal(new Params { DefaultSendEnabled = false }.ToByteArray(), ctx.KVStore(TestContext.Store).Get([0x05]));
    }

    [Fact]
    public void A_read_costs_what_reading_the_key_costs()
    {
        var ctx = TestContext.New();
        Store.Set(ctx, new Params { DefaultSendEnabled = true });
        var direct = new GasMeter(1_000_000);
        _ = TestContext.New(direct).With(store: ctx.MultiStore, gasMeter: direct).KVStore(TestContext.Store).Get([0x05]);
        var viaStore = new GasMeter(1_000_000);
        Store.Get(ctx.With(gasMeter: viaStore));
        Assert.Equal(direct.Consumed, viaStore.Consumed);
    }
}
