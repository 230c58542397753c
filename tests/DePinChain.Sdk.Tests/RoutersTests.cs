using DePinChain.Protos.Cosmos.Bank.V1Beta1;
using Google.Protobuf.Reflection;

namespace DePinChain.Sdk.Tests;

public class RoutersTests
{
    private static readonly ServiceDescriptor BankMsg = TxReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Msg");
    private static readonly ServiceDescriptor BankQuery = QueryReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Query");

    [Fact]
    public void A_message_route_takes_its_signers_from_the_proto_option_and_is_registered_once()
    {
        var router = new MsgRouter();
        router.Register(MsgSend.Parser, _ => { }, (_, _) => new MsgSendResponse());
        var route = router.Find("/cosmos.bank.v1beta1.MsgSend")!;
        Assert.Equal(["depin1sender"], route.GetSigners(new MsgSend { FromAddress = "depin1sender", ToAddress = "depin1other" }));
        Assert.Throws<InvalidOperationException>(() => router.Register(MsgSend.Parser, _ => { }, (_, _) => new MsgSendResponse()));
    }

    [Fact]
    public void A_service_is_served_only_when_every_rpc_has_a_route()
    {
        var router = new MsgRouter();
        router.Register(MsgSend.Parser, _ => { }, (_, _) => new MsgSendResponse());
        Assert.Contains("MsgMultiSend", Assert.Throws<InvalidOperationException>(() => router.CheckServes(BankMsg)).Message);
        router.Register(MsgMultiSend.Parser, _ => { }, (_, _) => new MsgMultiSendResponse());
        router.CheckServes(BankMsg);
    }

    [Fact]
    public void A_query_is_registered_by_method_name_with_its_types_checked()
    {
        var router = new QueryRouter();
        var query = router.For(BankQuery);
        query.Register("Params", QueryParamsRequest.Parser, (_, _) => new QueryParamsResponse());
        Assert.NotNull(router.Find("/cosmos.bank.v1beta1.Query/Params"));
        Assert.Throws<InvalidOperationException>(() => query.Register("Balance", QueryParamsRequest.Parser, (_, _) => new QueryParamsResponse()));
        Assert.Throws<InvalidOperationException>(() => query.Register("NoSuchMethod", QueryParamsRequest.Parser, (_, _) => new QueryParamsResponse()));
        Assert.Throws<InvalidOperationException>(() => router.CheckServes(BankQuery));
    }

    [Fact]
    public void A_query_request_that_does_not_decode_is_an_invalid_request()
    {
        var router = new QueryRouter();
        router.For(BankQuery).Register("Params", QueryParamsRequest.Parser, (_, _) => new QueryParamsResponse());
        var error = Assert.Throws<SdkError>(() => router.Find("/cosmos.bank.v1beta1.Query/Params")!.Handle(TestContext.New(), Google.Protobuf.ByteString.CopyFrom(0xFF)));
        Assert.Equal(SdkErrors.InvalidRequestCode, error.Code);
    }
}
