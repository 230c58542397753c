using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using DePinChain.Protos.Cosmos.Base.Abci.V1Beta1;
using DePinChain.Protos.Cosmos.Base.Tendermint.V1Beta1;
using DePinChain.Protos.Cosmos.Tx.V1Beta1;
using DePinChain.Protos.P2p;
using DePinChain.Sdk;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using NodeQueryReflection = DePinChain.Protos.Cosmos.Base.Node.V1Beta1.QueryReflection;
using TendermintQueryReflection = DePinChain.Protos.Cosmos.Base.Tendermint.V1Beta1.QueryReflection;
using TxServiceReflection = DePinChain.Protos.Cosmos.Tx.V1Beta1.ServiceReflection;

namespace DePinChain.Api.Comet;

/// <summary>
/// The SDK v0.50 gRPC methods a node answers from CometBFT's RPC rather than from its state, as the SDK's
/// <c>x/auth/tx</c> service, <c>client/grpc/cmtservice</c> and <c>client/grpc/node</c> do: the tx service's BroadcastTx
/// (broadcast_tx_sync/async), GetTx (tx), GetTxsEvent (tx_search) and GetBlockWithTxs (block),
/// <c>cosmos.base.tendermint.v1beta1.Service</c> but ABCIQuery (status, block, validators) and the node service's Status
/// (block).
/// Statuses: CometBFT down or not answering = Unavailable; an unknown tx = NotFound; a bad request (empty hash or query,
/// a height CometBFT has no block for, a query tx_search refuses, the BLOCK broadcast mode) = InvalidArgument; an answer
/// that is not CometBFT's JSON = Internal.
/// </summary>
public sealed class CometServices
{
    /// <summary>The SDK's default page size (<c>query.DefaultLimit</c>) for GetTxsEvent.</summary>
    public const int DefaultLimit = 100;

    private readonly CometRpc? _rpc;
    private readonly string _appVersion;
    private readonly Func<long>? _appHeight;
    private readonly Dictionary<string, Func<byte[], CancellationToken, Task<IMessage>>> _handlers;

    /// <param name="cometRpc">CometBFT's RPC address (http://host:port or tcp://host:port); null when unknown: every
    /// method then answers Unavailable.</param>
    /// <param name="appVersion">The node's version, answered by GetNodeInfo.</param>
    /// <param name="appHeight">The app's latest committed height (GetBlockWithTxs and Status answer as of it, as the SDK's
    /// query context does); null = CometBFT's latest height.</param>
    public CometServices(string? cometRpc, string appVersion, Func<long>? appHeight = null, HttpClient? http = null)
    {
        _rpc = cometRpc is null ? null : new CometRpc(cometRpc, http ?? new HttpClient { Timeout = TimeSpan.FromSeconds(10) });
        _appVersion = appVersion;
        _appHeight = appHeight;
        _handlers = new(StringComparer.Ordinal)
        {
            [Path(TxService, "GetTx")] = (b, ct) => Wrap(GetTxAsync(GetTxRequest.Parser.ParseFrom(b), ct)),
            [Path(TxService, "BroadcastTx")] = (b, ct) => Wrap(BroadcastTxAsync(BroadcastTxRequest.Parser.ParseFrom(b), ct)),
            [Path(TxService, "GetTxsEvent")] = (b, ct) => Wrap(GetTxsEventAsync(GetTxsEventRequest.Parser.ParseFrom(b), ct)),
            [Path(TendermintService, "GetNodeInfo")] = (_, ct) => Wrap(GetNodeInfoAsync(ct)),
            [Path(TendermintService, "GetSyncing")] = (_, ct) => Wrap(GetSyncingAsync(ct)),
            [Path(TendermintService, "GetLatestBlock")] = (_, ct) => Wrap(GetLatestBlockAsync(ct)),
            [Path(TendermintService, "GetBlockByHeight")] = (b, ct) => Wrap(GetBlockByHeightAsync(GetBlockByHeightRequest.Parser.ParseFrom(b), ct)),
            [Path(TxService, "GetBlockWithTxs")] = (b, ct) => Wrap(GetBlockWithTxsAsync(GetBlockWithTxsRequest.Parser.ParseFrom(b), ct)),
            [Path(TendermintService, "GetLatestValidatorSet")] = (b, ct) => Wrap(GetLatestValidatorSetAsync(GetLatestValidatorSetRequest.Parser.ParseFrom(b), ct)),
            [Path(TendermintService, "GetValidatorSetByHeight")] = (b, ct) => Wrap(GetValidatorSetByHeightAsync(GetValidatorSetByHeightRequest.Parser.ParseFrom(b), ct)),
            [Path(NodeService, "Status")] = (_, ct) => Wrap(StatusAsync(ct)),
        };
    }

    public static ServiceDescriptor TxService { get; } = TxServiceReflection.Descriptor.Services.Single(s => s.Name == "Service");

    /// <summary><c>cosmos.base.tendermint.v1beta1.Service</c>: every method but ABCIQuery (the app's) is answered here.</summary>
    public static ServiceDescriptor TendermintService { get; } = TendermintQueryReflection.Descriptor.Services.Single(s => s.Name == "Service");

    public static ServiceDescriptor NodeService { get; } = NodeQueryReflection.Descriptor.Services.Single(s => s.Name == "Service");

    /// <summary>The gRPC paths answered here (the tx service's others are an app query or the node's own).</summary>
    public static IReadOnlySet<string> Paths { get; } = new HashSet<string>(
        [
            Path(TxService, "GetTx"), Path(TxService, "BroadcastTx"), Path(TxService, "GetTxsEvent"), Path(TxService, "GetBlockWithTxs"),
            .. TendermintService.Methods.Where(m => m.Name != "ABCIQuery").Select(m => $"/{TendermintService.FullName}/{m.Name}"),
            Path(NodeService, "Status"),
        ], StringComparer.Ordinal);

    public static bool Serves(string path) => Paths.Contains(path);

    /// <summary>Answers one call (request and response as protobuf bytes).</summary>
    /// <exception cref="RpcException">The call's gRPC status when it fails.</exception>
    public async Task<byte[]> AnswerAsync(string path, byte[] request, CancellationToken cancellationToken)
    {
        if (!_handlers.TryGetValue(path, out var handler)) throw new RpcException(new Status(StatusCode.Unimplemented, $"{path} is not served"));
        try
        {
            return (await handler(request, cancellationToken).ConfigureAwait(false)).ToByteArray();
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"bad request: {e.Message}"));
        }
        catch (CometRpcException e) when (e.Failure == CometRpcFailure.Unreachable)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, e.Message));
        }
        catch (CometRpcException e) when (e.Failure == CometRpcFailure.Malformed)
        {
            throw new RpcException(new Status(StatusCode.Internal, e.Message));
        }
        catch (CometRpcException e)
        {
            throw new RpcException(new Status(StatusCode.Unknown, e.Message));
        }
    }

    // ---- cosmos.tx.v1beta1.Service ----

    public async Task<GetTxResponse> GetTxAsync(GetTxRequest request, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(request.Hash)) throw Invalid("tx hash cannot be empty");
        if (request.Hash.Length != 64 || !request.Hash.All(char.IsAsciiHexDigit))
            throw Invalid($"invalid tx hash \"{request.Hash}\": want 64 hex digits");
        JsonNode result;
        try
        {
            result = await Rpc.CallAsync("tx", [("hash", "0x" + request.Hash.ToUpperInvariant())], cancellationToken).ConfigureAwait(false);
        }
        catch (CometRpcException e) when (e.Failure == CometRpcFailure.RpcError && e.Message.Contains("not found", StringComparison.OrdinalIgnoreCase))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"tx not found: {request.Hash}"));
        }
        var times = await BlockTimesAsync([result], cancellationToken).ConfigureAwait(false);
        var (tx, response) = TxResult(result, times);
        return new GetTxResponse { Tx = tx, TxResponse = response };
    }

    public async Task<BroadcastTxResponse> BroadcastTxAsync(BroadcastTxRequest request, CancellationToken cancellationToken = default)
    {
        if (request.TxBytes.IsEmpty) throw Invalid("invalid empty tx");
        string method = request.Mode switch
        {
            BroadcastMode.Sync => "broadcast_tx_sync",
            BroadcastMode.Async => "broadcast_tx_async",
            // The SDK's words (client.TxServiceBroadcast): BLOCK went in v0.47, UNSPECIFIED never was a mode.
            _ => throw Invalid("unsupported return type unspecified; supported types: sync, async"),
        };
        string hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(request.TxBytes.Span));
        JsonNode result;
        try
        {
            result = await Rpc.CallAsync(method, [("tx", "0x" + Convert.ToHexString(request.TxBytes.Span))], cancellationToken).ConfigureAwait(false);
        }
        catch (CometRpcException e) when (e.Failure == CometRpcFailure.RpcError && MempoolError(e.Message) is { } code)
        {
            // The SDK's CheckCometError: CometBFT's mempool refusals become a TxResponse with the SDK's code.
            return new BroadcastTxResponse { TxResponse = new TxResponse { Code = code.Code, Codespace = code.Codespace, RawLog = code.Log, Txhash = hash } };
        }
        string log = (string?)result["log"] ?? "";
        var response = new TxResponse
        {
            Code = (uint)CometJson.Int(result["code"], "code"),
            Codespace = (string?)result["codespace"] ?? "",
            Data = Convert.ToHexString(CometJson.Base64(result["data"], "data").Span),
            RawLog = log,
            Txhash = (string?)result["hash"] ?? hash,
        };
        response.Logs.AddRange(ParseLogs(log));
        return new BroadcastTxResponse { TxResponse = response };
    }

    public async Task<GetTxsEventResponse> GetTxsEventAsync(GetTxsEventRequest request, CancellationToken cancellationToken = default)
    {
#pragma warning disable CS0612 // events: the pre-v0.50 spelling of the query, still accepted
        string query = request.Query.Length > 0 ? request.Query : string.Join(" AND ", request.Events);
#pragma warning restore CS0612
        if (query.Length == 0) throw Invalid("query cannot be empty");
        ulong page = request.Page == 0 ? 1 : request.Page;
        ulong limit = request.Limit == 0 ? DefaultLimit : request.Limit;
        var args = new List<(string, string)>
        {
            ("query", CometRpc.Quote(query)), ("prove", "false"),
            ("page", page.ToString(CultureInfo.InvariantCulture)), ("per_page", limit.ToString(CultureInfo.InvariantCulture)),
        };
        if (request.OrderBy != OrderBy.Unspecified) args.Add(("order_by", CometRpc.Quote(request.OrderBy == OrderBy.Desc ? "desc" : "asc")));
        JsonNode result;
        try
        {
            result = await Rpc.CallAsync("tx_search", args, cancellationToken).ConfigureAwait(false);
        }
        catch (CometRpcException e) when (e.Failure == CometRpcFailure.RpcError)
        {
            // A query CometBFT cannot parse, a page past the end.
            throw Invalid(e.Message);
        }
        var found = (result["txs"]?.AsArray() ?? []).Select(t => t!).ToList();
        var times = await BlockTimesAsync(found, cancellationToken).ConfigureAwait(false);
        var response = new GetTxsEventResponse { Total = (ulong)CometJson.Int(result["total_count"], "total_count") };
        foreach (JsonNode item in found)
        {
            var (tx, txResponse) = TxResult(item, times);
            response.Txs.Add(tx);
            response.TxResponses.Add(txResponse);
        }
        return response;
    }

    /// <summary>The SDK's TxResponse of an included tx (<c>sdk.NewResponseResultTx</c>) and the decoded tx.</summary>
    private static (Tx Tx, TxResponse Response) TxResult(JsonNode result, IReadOnlyDictionary<long, string> blockTimes)
    {
        JsonNode txResult = result["tx_result"] ?? throw new CometRpcException(CometRpcFailure.Malformed, "node answered a tx without tx_result");
        Tx tx = DecodeTx(CometJson.Base64(result["tx"], "tx"));
        long height = CometJson.Int(result["height"], "height");
        string log = (string?)txResult["log"] ?? "";
        var response = new TxResponse
        {
            Height = height,
            Txhash = ((string?)result["hash"] ?? "").ToUpperInvariant(),
            Codespace = (string?)txResult["codespace"] ?? "",
            Code = (uint)CometJson.Int(txResult["code"], "code"),
            Data = Convert.ToHexString(CometJson.Base64(txResult["data"], "data").Span),
            RawLog = log,
            Info = (string?)txResult["info"] ?? "",
            GasWanted = CometJson.Int(txResult["gas_wanted"], "gas_wanted"),
            GasUsed = CometJson.Int(txResult["gas_used"], "gas_used"),
            Tx = Any.Pack(tx, "/"),
            Timestamp = blockTimes.GetValueOrDefault(height, ""),
        };
        response.Logs.AddRange(ParseLogs(log));
        response.Events.AddRange(CometJson.Events(txResult["events"]));
        return (tx, response);
    }

    /// <summary>A TxRaw as the SDK's decoder gives it back: body and auth info decoded, signatures as they are.</summary>
    private static Tx DecodeTx(ByteString bytes)
    {
        try
        {
            TxRaw raw = TxRaw.Parser.ParseFrom(bytes);
            var tx = new Tx { Body = TxBody.Parser.ParseFrom(raw.BodyBytes), AuthInfo = AuthInfo.Parser.ParseFrom(raw.AuthInfoBytes) };
            tx.Signatures.AddRange(raw.Signatures);
            return tx;
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new CometRpcException(CometRpcFailure.Malformed, $"node answered a tx that does not decode: {e.Message}");
        }
    }

    /// <summary>The time of each block holding one of <paramref name="txs"/>, as the SDK writes TxResponse.timestamp
    /// (RFC 3339, whole seconds): one <c>block</c> call per height.</summary>
    private async Task<Dictionary<long, string>> BlockTimesAsync(IEnumerable<JsonNode> txs, CancellationToken cancellationToken)
    {
        var times = new Dictionary<long, string>();
        foreach (long height in txs.Select(t => CometJson.Int(t["height"], "height")).Distinct())
        {
            JsonNode block = await Rpc.CallAsync("block", [("height", height.ToString(CultureInfo.InvariantCulture))], cancellationToken).ConfigureAwait(false);
            times[height] = CometJson.Rfc3339Seconds(CometJson.Time(block["block"]?["header"]?["time"], "block.header.time"));
        }
        return times;
    }

    /// <summary>The SDK's <c>ParseABCILogs</c>: a log that is a JSON array of message logs, else none (v0.50 apps write
    /// no such logs, so this is empty but for old-style apps).</summary>
    private static IEnumerable<ABCIMessageLog> ParseLogs(string log)
    {
        if (!log.StartsWith('[')) return [];
        try
        {
            var logs = new List<ABCIMessageLog>();
            foreach (JsonNode? item in JsonNode.Parse(log)!.AsArray())
            {
                var entry = new ABCIMessageLog { MsgIndex = (uint)CometJson.Int(item?["msg_index"], "msg_index"), Log = (string?)item?["log"] ?? "" };
                foreach (JsonNode? e in item?["events"]?.AsArray() ?? [])
                {
                    var ev = new StringEvent { Type = (string?)e?["type"] ?? "" };
                    foreach (JsonNode? a in e?["attributes"]?.AsArray() ?? [])
                        ev.Attributes.Add(new DePinChain.Protos.Cosmos.Base.Abci.V1Beta1.Attribute { Key = (string?)a?["key"] ?? "", Value = (string?)a?["value"] ?? "" });
                    entry.Events.Add(ev);
                }
                logs.Add(entry);
            }
            return logs;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or CometRpcException)
        {
            return [];
        }
    }

    /// <summary>The SDK's CheckCometError: mempool refusals CometBFT reports as RPC errors, as (code, codespace, log).</summary>
    private static (uint Code, string Codespace, string Log)? MempoolError(string message)
    {
        if (message.Contains("tx already exists in cache", StringComparison.OrdinalIgnoreCase))
            return (19, SdkErrors.RootCodespace, "tx already in mempool");
        if (message.Contains("mempool is full", StringComparison.OrdinalIgnoreCase))
            return (20, SdkErrors.RootCodespace, "mempool is full");
        if (message.Contains("tx too large", StringComparison.OrdinalIgnoreCase))
            return (21, SdkErrors.RootCodespace, "tx too large");
        return null;
    }

    // ---- cosmos.base.tendermint.v1beta1.Service ----

    public async Task<GetNodeInfoResponse> GetNodeInfoAsync(CancellationToken cancellationToken = default)
    {
        JsonNode status = await Rpc.CallAsync("status", [], cancellationToken).ConfigureAwait(false);
        JsonNode info = status["node_info"] ?? throw Rpc.Malformed("status", "result.node_info");
        JsonNode? protocol = info["protocol_version"];
        return new GetNodeInfoResponse
        {
            DefaultNodeInfo = new DefaultNodeInfo
            {
                ProtocolVersion = new ProtocolVersion
                {
                    P2P = (ulong)CometJson.Int(protocol?["p2p"], "protocol_version.p2p"),
                    Block = (ulong)CometJson.Int(protocol?["block"], "protocol_version.block"),
                    App = (ulong)CometJson.Int(protocol?["app"], "protocol_version.app"),
                },
                DefaultNodeId = (string?)info["id"] ?? "",
                ListenAddr = (string?)info["listen_addr"] ?? "",
                Network = (string?)info["network"] ?? "",
                Version = (string?)info["version"] ?? "",
                Channels = CometJson.Hex(info["channels"], "node_info.channels"),
                Moniker = (string?)info["moniker"] ?? "",
                Other = new DefaultNodeInfoOther
                {
                    TxIndex = (string?)info["other"]?["tx_index"] ?? "",
                    RpcAddress = (string?)info["other"]?["rpc_address"] ?? "",
                },
            },
            ApplicationVersion = new DePinChain.Protos.Cosmos.Base.Tendermint.V1Beta1.VersionInfo
            {
                Name = "depinchain",
                AppName = "depinchaind",
                Version = _appVersion,
                // The SDK's go_version: here the runtime the node runs on.
                GoVersion = RuntimeInformation.FrameworkDescription,
            },
        };
    }

    public async Task<GetSyncingResponse> GetSyncingAsync(CancellationToken cancellationToken = default)
    {
        JsonNode status = await Rpc.CallAsync("status", [], cancellationToken).ConfigureAwait(false);
        JsonNode catchingUp = status["sync_info"]?["catching_up"] ?? throw Rpc.Malformed("status", "result.sync_info.catching_up");
        return new GetSyncingResponse { Syncing = catchingUp.GetValue<bool>() };
    }

    public async Task<GetLatestBlockResponse> GetLatestBlockAsync(CancellationToken cancellationToken = default)
    {
        var (id, block) = await BlockAsync(null, cancellationToken).ConfigureAwait(false);
        return new GetLatestBlockResponse { BlockId = id, Block = block, SdkBlock = CometJson.ToSdkBlock(block, a => ValidatorAddress.ToConsensusBech32(a)) };
    }

    public async Task<GetBlockByHeightResponse> GetBlockByHeightAsync(GetBlockByHeightRequest request, CancellationToken cancellationToken = default)
    {
        if (request.Height <= 0) throw Invalid($"height must be greater than 0, but got {request.Height}");
        var (id, block) = await BlockAsync(request.Height, cancellationToken).ConfigureAwait(false);
        return new GetBlockByHeightResponse { BlockId = id, Block = block, SdkBlock = CometJson.ToSdkBlock(block, a => ValidatorAddress.ToConsensusBech32(a)) };
    }

    /// <summary>The SDK's GetBlockWithTxs: the block at a height no later than the app's, and its txs decoded, paged by
    /// offset and limit (100 without pagination; with pagination a limit of 0 is no limit, as in the SDK's loop). A tx
    /// that does not decode is left out (the SDK logs and skips it); pagination.total counts every tx of the block.</summary>
    public async Task<GetBlockWithTxsResponse> GetBlockWithTxsAsync(GetBlockWithTxsRequest request, CancellationToken cancellationToken = default)
    {
        long current = _appHeight?.Invoke() ?? await CometHeightAsync(cancellationToken).ConfigureAwait(false);
        if (request.Height < 1 || request.Height > current)
            throw new RpcException(new Status(StatusCode.Unknown,
                $"requested height {request.Height} but height must not be less than 1 or greater than the current height {current}: invalid height"));
        var (id, block) = await BlockAsync(request.Height, cancellationToken).ConfigureAwait(false);
        ulong offset = request.Pagination?.Offset ?? 0, limit = request.Pagination?.Limit ?? (ulong)DefaultLimit;
        var txs = block.Data.Txs;
        ulong count = (ulong)txs.Count;
        if (offset >= count && count != 0)
            throw Invalid($"out of range: cannot paginate {count} txs with offset {offset} and limit {limit}: invalid request");
        var response = new GetBlockWithTxsResponse { BlockId = id, Block = block, Pagination = new() { Total = count } };
        // The SDK's two loops as written: forward from offset; reverse from offset down to (not including) index 0.
        bool reverse = request.Pagination?.Reverse ?? false;
        for (ulong i = offset, taken = 0; (reverse ? i > 0 && i < count : i < count) && taken != limit; i = reverse ? i - 1 : i + 1, taken++)
            if (TryDecodeTx(txs[(int)i]) is { } tx) response.Txs.Add(tx);
        return response;
    }

    /// <summary>The SDK's GetLatestValidatorSet (cmtservice <c>ValidatorsOutput</c>): CometBFT's <c>validators</c>, one page.</summary>
    public Task<GetLatestValidatorSetResponse> GetLatestValidatorSetAsync(GetLatestValidatorSetRequest request, CancellationToken cancellationToken = default)
        => ValidatorsAsync<GetLatestValidatorSetResponse>(null, request.Pagination, cancellationToken);

    public async Task<GetValidatorSetByHeightResponse> GetValidatorSetByHeightAsync(GetValidatorSetByHeightRequest request, CancellationToken cancellationToken = default)
    {
        long latest = await CometHeightAsync(cancellationToken).ConfigureAwait(false);
        if (request.Height > latest) throw Invalid("requested block height is bigger then the chain length");
        return await ValidatorsAsync<GetValidatorSetByHeightResponse>(request.Height, request.Pagination, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The SDK's node Status: the header of the app's latest committed block (height, time, app hash, next
    /// validators hash); earliest_store_height is 0, as the SDK leaves it.</summary>
    public async Task<DePinChain.Protos.Cosmos.Base.Node.V1Beta1.StatusResponse> StatusAsync(CancellationToken cancellationToken = default)
    {
        long height = _appHeight?.Invoke() ?? await CometHeightAsync(cancellationToken).ConfigureAwait(false);
        var response = new DePinChain.Protos.Cosmos.Base.Node.V1Beta1.StatusResponse { Height = (ulong)Math.Max(0, height) };
        if (height <= 0) return response;
        var (_, block) = await BlockAsync(height, cancellationToken).ConfigureAwait(false);
        response.Timestamp = block.Header.Time;
        response.AppHash = block.Header.AppHash;
        response.ValidatorHash = block.Header.NextValidatorsHash;
        return response;
    }

    /// <summary>The SDK's <c>query.ParsePagination</c>: page = offset / limit + 1, limit 100 when 0.</summary>
    private async Task<T> ValidatorsAsync<T>(long? height, DePinChain.Protos.Cosmos.Base.Query.V1Beta1.PageRequest? page, CancellationToken cancellationToken)
        where T : IMessage, new()
    {
        ulong limit = page is null || page.Limit == 0 ? DefaultLimit : page.Limit;
        ulong number = (page?.Offset ?? 0) / limit + 1;
        var args = new List<(string, string)> { ("page", number.ToString(CultureInfo.InvariantCulture)), ("per_page", limit.ToString(CultureInfo.InvariantCulture)) };
        if (height is { } h) args.Add(("height", h.ToString(CultureInfo.InvariantCulture)));
        JsonNode result;
        try
        {
            result = await Rpc.CallAsync("validators", args, cancellationToken).ConfigureAwait(false);
        }
        catch (CometRpcException e) when (e.Failure == CometRpcFailure.RpcError)
        {
            // A height CometBFT has no validators for (0, pruned), a page past the end.
            throw Invalid(e.Message);
        }
        var validators = new List<DePinChain.Protos.Cosmos.Base.Tendermint.V1Beta1.Validator>();
        foreach (JsonNode? v in result["validators"]?.AsArray() ?? [])
            validators.Add(new DePinChain.Protos.Cosmos.Base.Tendermint.V1Beta1.Validator
            {
                Address = ValidatorAddress.ToConsensusBech32(CometJson.Hex(v?["address"], "validators.address").Span),
                PubKey = PubKeyAny(v?["pub_key"]),
                VotingPower = CometJson.Int(v?["voting_power"], "validators.voting_power"),
                ProposerPriority = CometJson.Int(v?["proposer_priority"], "validators.proposer_priority"),
            });
        var pagination = new DePinChain.Protos.Cosmos.Base.Query.V1Beta1.PageResponse { Total = (ulong)CometJson.Int(result["total"], "total") };
        long blockHeight = CometJson.Int(result["block_height"], "block_height");
        IMessage response = new T();
        switch (response)
        {
            case GetLatestValidatorSetResponse latest:
                latest.BlockHeight = blockHeight;
                latest.Validators.AddRange(validators);
                latest.Pagination = pagination;
                break;
            case GetValidatorSetByHeightResponse byHeight:
                byHeight.BlockHeight = blockHeight;
                byHeight.Validators.AddRange(validators);
                byHeight.Pagination = pagination;
                break;
        }
        return (T)response;
    }

    /// <summary>A CometBFT public key (amino JSON, <c>{"type":"tendermint/PubKeyEd25519","value":base64}</c>) as the SDK's
    /// Any (<c>cryptocodec.FromCmtPubKeyInterface</c>).</summary>
    private static Any PubKeyAny(JsonNode? json)
    {
        string type = (string?)json?["type"] ?? "";
        ByteString key = CometJson.Base64(json?["value"], "validators.pub_key.value");
        return type switch
        {
            "tendermint/PubKeyEd25519" => Any.Pack(new DePinChain.Protos.Cosmos.Crypto.Ed25519.PubKey { Key = key }, "/"),
            "tendermint/PubKeySecp256k1" => Any.Pack(new DePinChain.Protos.Cosmos.Crypto.Secp256k1.PubKey { Key = key }, "/"),
            _ => throw new CometRpcException(CometRpcFailure.Malformed, $"node answered a validator key of type \"{type}\" (want ed25519 or secp256k1)"),
        };
    }

    /// <summary>CometBFT's latest block height (<c>status</c>).</summary>
    private async Task<long> CometHeightAsync(CancellationToken cancellationToken)
    {
        JsonNode status = await Rpc.CallAsync("status", [], cancellationToken).ConfigureAwait(false);
        return CometJson.Int(status["sync_info"]?["latest_block_height"] ?? throw Rpc.Malformed("status", "result.sync_info.latest_block_height"), "latest_block_height");
    }

    private static Tx? TryDecodeTx(ByteString bytes)
    {
        try
        {
            return DecodeTx(bytes);
        }
        catch (CometRpcException)
        {
            return null;
        }
    }

    private async Task<(DePinChain.Protos.Types.BlockID, DePinChain.Protos.Types.Block)> BlockAsync(long? height, CancellationToken cancellationToken)
    {
        JsonNode result;
        try
        {
            result = await Rpc.CallAsync("block", height is { } h ? [("height", h.ToString(CultureInfo.InvariantCulture))] : [], cancellationToken)
                .ConfigureAwait(false);
        }
        catch (CometRpcException e) when (e.Failure == CometRpcFailure.RpcError && height is not null)
        {
            // "height 9 must be less than or equal to the current blockchain height 5", or below the lowest kept.
            throw Invalid(e.Message);
        }
        return (CometJson.BlockId(result["block_id"]), CometJson.Block(result["block"]));
    }

    private CometRpc Rpc => _rpc ?? throw new CometRpcException(CometRpcFailure.Unreachable,
        "the node does not know CometBFT's RPC address (config.toml [rpc] laddr)");

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));

    private static string Path(ServiceDescriptor service, string method)
        => $"/{service.FullName}/{(service.FindMethodByName(method) ?? throw new InvalidOperationException($"{service.FullName} declares no {method}")).Name}";

    private static async Task<IMessage> Wrap<T>(Task<T> task) where T : IMessage => await task.ConfigureAwait(false);
}
