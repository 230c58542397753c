using System.Globalization;
using DePinChain.App;
using DePinChain.Protos.Abci;
using DePinChain.Protos.Cosmos.Base.Node.V1Beta1;
using DePinChain.Protos.Cosmos.Base.Tendermint.V1Beta1;
using DePinChain.Protos.Cosmos.Tx.V1Beta1;
using DePinChain.Sdk;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using TendermintQueryReflection = DePinChain.Protos.Cosmos.Base.Tendermint.V1Beta1.QueryReflection;
using TxServiceReflection = DePinChain.Protos.Cosmos.Tx.V1Beta1.ServiceReflection;

namespace DePinChain.Api.Grpc;

/// <summary>
/// The SDK methods a node answers itself, from its settings or the request alone, neither from a module's query route
/// nor from CometBFT: <c>cosmos.base.node.v1beta1.Service/Config</c> (app.toml), <c>cosmos.base.tendermint.v1beta1.Service/
/// ABCIQuery</c> (the app's own ABCI Query, as the SDK's <c>queryFn</c>), and the tx service's TxDecode and TxEncode (the
/// SDK's <c>x/auth/tx</c> service). TxEncodeAmino and TxDecodeAmino answer Unimplemented: the chain has no legacy Amino
/// codec, and Amino's binary form of a StdTx (registered type prefixes, field order of Go structs) cannot be promised
/// byte for byte without one.
/// </summary>
internal sealed class NodeMethods
{
    private static readonly ServiceDescriptor Tx = TxServiceReflection.Descriptor.Services.Single(s => s.Name == "Service");
    private static readonly ServiceDescriptor Tendermint = TendermintQueryReflection.Descriptor.Services.Single(s => s.Name == "Service");

    public static readonly string ConfigPath = GrpcApi.PathOf(GrpcApi.NodeService.FindMethodByName("Config"));
    public static readonly string AbciQueryPath = GrpcApi.PathOf(Tendermint.FindMethodByName("ABCIQuery"));
    public static readonly string TxDecodePath = GrpcApi.PathOf(Tx.FindMethodByName("TxDecode"));
    public static readonly string TxEncodePath = GrpcApi.PathOf(Tx.FindMethodByName("TxEncode"));
    public static readonly string TxEncodeAminoPath = GrpcApi.PathOf(Tx.FindMethodByName("TxEncodeAmino"));
    public static readonly string TxDecodeAminoPath = GrpcApi.PathOf(Tx.FindMethodByName("TxDecodeAmino"));

    /// <summary>The ABCI query paths ABCIQuery passes on (baseapp's app, store, p2p and custom); anything else, a gRPC
    /// method path included, is refused as in the SDK.</summary>
    private static readonly string[] AbciPathKinds = ["app", "store", "p2p", "custom"];

    private readonly DePinApp _app;
    private readonly GrpcApiOptions _options;
    private readonly Dictionary<string, Func<ByteString, AppQueryResult>> _handlers;

    public NodeMethods(DePinApp app, GrpcApiOptions options)
    {
        _app = app;
        _options = options;
        _handlers = new(StringComparer.Ordinal)
        {
            [ConfigPath] = _ => Config(),
            [AbciQueryPath] = b => AbciQuery(ABCIQueryRequest.Parser.ParseFrom(b)),
            [TxDecodePath] = b => TxDecode(TxDecodeRequest.Parser.ParseFrom(b)),
            [TxEncodePath] = b => TxEncode(TxEncodeRequest.Parser.ParseFrom(b)),
            [TxEncodeAminoPath] = _ => Fail(SdkErrors.NotSupported(
                "TxEncodeAmino: this chain has no legacy Amino codec; encode with TxEncode (protobuf) instead")),
            [TxDecodeAminoPath] = _ => Fail(SdkErrors.NotSupported(
                "TxDecodeAmino: this chain has no legacy Amino codec; decode with TxDecode (protobuf) instead")),
        };
    }

    public static bool Serves(string path)
        => path == ConfigPath || path == AbciQueryPath || path == TxDecodePath || path == TxEncodePath || path == TxEncodeAminoPath || path == TxDecodeAminoPath;

    private long Latest => _app.Info(new RequestInfo()).LastBlockHeight;

    /// <summary>The answer when <paramref name="path"/> is one of these methods, else null.</summary>
    public AppQueryResult? TryAnswer(string path, ByteString request)
    {
        if (!_handlers.TryGetValue(path, out var handler)) return null;
        try
        {
            return handler(request);
        }
        catch (InvalidProtocolBufferException e)
        {
            return Fail(SdkErrors.InvalidRequest($"bad request: {e.Message}"));
        }
        catch (SdkError e)
        {
            return Fail(e);
        }
    }

    private AppQueryResult Fail(SdkError error) => AppQueryResult.Error(error, Latest);

    /// <summary>The node's own settings (the SDK reads them from app.toml too); answered at the latest committed height.</summary>
    private AppQueryResult Config()
    {
        var response = new ConfigResponse
        {
            MinimumGasPrice = _options.MinimumGasPrices,
            PruningKeepRecent = _options.Pruning.KeepRecent.ToString(CultureInfo.InvariantCulture),
            PruningInterval = _options.Pruning.KeepsAll ? "0" : "1",
            HaltHeight = 0,
        };
        return AppQueryResult.Ok(Latest, response.ToByteString());
    }

    /// <summary>The SDK's cmtservice ABCIQuery: an app/store/p2p/custom path goes to the app's ABCI Query and its answer
    /// comes back field for field (a failed query is an answer with its code, not an error).</summary>
    private AppQueryResult AbciQuery(ABCIQueryRequest request)
    {
        if (request.Path.Length == 0) throw SdkErrors.InvalidRequest("empty query path");
        string first = request.Path.TrimStart('/').Split('/')[0];
        if (!AbciPathKinds.Contains(first, StringComparer.Ordinal))
            throw SdkErrors.InvalidRequest($"unsupported ABCI query path: {request.Path}");
        ResponseQuery answer = _app.Query(new RequestQuery { Data = request.Data, Path = request.Path, Height = request.Height, Prove = request.Prove });
        var response = new ABCIQueryResponse
        {
            Code = answer.Code, Log = answer.Log, Info = answer.Info, Index = answer.Index, Key = answer.Key, Value = answer.Value,
            Height = answer.Height, Codespace = answer.Codespace,
        };
        if (answer.ProofOps is { } proof)
        {
            response.ProofOps = new DePinChain.Protos.Cosmos.Base.Tendermint.V1Beta1.ProofOps();
            foreach (var op in proof.Ops)
                response.ProofOps.Ops.Add(new DePinChain.Protos.Cosmos.Base.Tendermint.V1Beta1.ProofOp { Type = op.Type, Key = op.Key, Data = op.Data });
        }
        return AppQueryResult.Ok(Math.Max(answer.Height, Latest), response.ToByteString());
    }

    /// <summary>The SDK's TxDecode: the tx as the app's decoder reads it (every message a type the chain routes), given
    /// back as a Tx with body and auth info decoded and the signatures as they are.</summary>
    private AppQueryResult TxDecode(TxDecodeRequest request)
    {
        if (request.TxBytes.IsEmpty) throw SdkErrors.InvalidRequest("invalid empty tx bytes");
        DecodedTx decoded = DecodedTx.Decode(request.TxBytes.ToByteArray(), _app.MsgRouter);
        var tx = new Protos.Cosmos.Tx.V1Beta1.Tx { Body = decoded.Body, AuthInfo = decoded.AuthInfo };
        tx.Signatures.AddRange(decoded.Raw.Signatures);
        return AppQueryResult.Ok(Latest, new TxDecodeResponse { Tx = tx }.ToByteString());
    }

    /// <summary>The SDK's TxEncode: body and auth info encoded, wrapped in a TxRaw with the signatures.</summary>
    private AppQueryResult TxEncode(TxEncodeRequest request)
    {
        if (request.Tx is null) throw SdkErrors.InvalidRequest("invalid empty tx");
        var raw = new TxRaw
        {
            BodyBytes = (request.Tx.Body ?? new TxBody()).ToByteString(),
            AuthInfoBytes = (request.Tx.AuthInfo ?? new AuthInfo()).ToByteString(),
        };
        raw.Signatures.AddRange(request.Tx.Signatures);
        return AppQueryResult.Ok(Latest, new TxEncodeResponse { TxBytes = raw.ToByteString() }.ToByteString());
    }
}
