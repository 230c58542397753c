using DePinChain.Modules.Auth;
using DePinChain.Protos.Abci;
using DePinChain.Sdk;
using Google.Protobuf;

namespace DePinChain.App.Tests;

/// <summary>The exact events of a tx (types, attributes, order, index flags), as the SDK's ante chain and bank emit them.</summary>
public class EventTests
{
    private static readonly string FeeCollector = Bech32Address.ToBech32(AuthKeys.ModuleAddress(AuthKeys.FeeCollectorName));

    private static string[] AnteEvents(string payer) =>
    [
        $"coin_spent spender={payer} amount=500udpin",
        $"coin_received receiver={FeeCollector} amount=500udpin",
        $"transfer recipient={FeeCollector} sender={payer} amount=500udpin",
        $"message sender={payer}",
        $"tx fee=500udpin fee_payer={payer}",
        $"tx acc_seq={payer}/0",
    ];

    private static string[] Lines(IEnumerable<Event> events)
        => events.Select(e => string.Join(" ", [e.Type, .. e.Attributes.Select(a => $"{a.Key}={a.Value}" + (a.Index ? "" : "(unindexed)"))])).ToArray();

    [Fact]
    public void A_delivered_send_has_the_ante_events_then_the_message_events_in_order()
    {
        var chain = new TestChain();
        string alice = TestChain.Alice.Bech32, bob = TestChain.Bob.Bech32;
        var result = chain.Deliver(chain.SendTx(TestChain.Alice, bob, 12_345, fee: 500));

        Assert.Equal(0u, result.Code);
        string[] expected =
        [
            .. AnteEvents(alice),
            "message action=/cosmos.bank.v1beta1.MsgSend",
            $"coin_spent spender={alice} amount=12345udpin",
            $"coin_received receiver={bob} amount=12345udpin",
            $"transfer recipient={bob} sender={alice} amount=12345udpin",
            $"message sender={alice}",
        ];
        Assert.Equal(expected, Lines(result.Events));
    }

    [Fact]
    public void A_failing_message_keeps_only_the_ante_events()
    {
        var chain = new TestChain();
        var result = chain.Deliver(chain.SendTx(TestChain.Alice, FeeCollector, 5, fee: 500));

        Assert.Equal(SdkErrors.UnauthorizedCode, result.Code);
        Assert.Equal(AnteEvents(TestChain.Alice.Bech32), Lines(result.Events));
    }

    [Fact]
    public void CheckTx_reports_the_ante_events()
    {
        var chain = new TestChain();
        var response = chain.App.CheckTx(new RequestCheckTx { Tx = ByteString.CopyFrom(chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 7, fee: 500)) });

        Assert.Equal(0u, response.Code);
        Assert.Equal(AnteEvents(TestChain.Alice.Bech32), Lines(response.Events));
    }

    [Fact]
    public void A_tx_failing_in_the_ante_has_no_events()
    {
        var chain = new TestChain();
        var result = chain.Deliver(chain.SendTx(TestChain.Alice, TestChain.Bob.Bech32, 7, sequence: 5));

        Assert.Equal(SdkErrors.WrongSequenceCode, result.Code);
        Assert.Empty(result.Events);
    }
}
